"""Splitting a question into its parts and finding what each asks for (no model, no index)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant import part_answers
from assistant.question import (answer_names, bridge, question_focus, question_heads, question_parts,
                                quoted_phrases, without_occasion)
from assistant.text import dated_relative, plain


@pytest.mark.parametrize("question, clauses", [
    ("What is JASMINE?", ["What is JASMINE?"]),
    ("When and where was the first dialogue held?", ["When and where was the first dialogue held?"]),
    ("When was the directive issued, and by whom?", ["When was the directive issued, and by whom?"]),
    ("Who chaired the meeting, and did Kihara attend in person?",
     ["Who chaired the meeting", "did Kihara attend in person?"]),
    ("which countries joined and what did they sign?", ["which countries joined", "what did they sign?"]),
    ("Japan and ASEAN: what did they agree?", ["Japan and ASEAN: what did they agree?"]),
    # a bare comma parts two questions only before a question word and its verb
    ("when did the ADMM get going, when was the plus version added, and how many partners are in it?",
     ["when did the ADMM get going", "when was the plus version added", "how many partners are in it?"]),
    ("what did the ADMM, which was launched in 2006, do?", ["what did the ADMM, which was launched in 2006, do?"]),
    ("in the SPF proposal, where would MOFA put its liaison people?", ["in the SPF proposal, where would MOFA put its liaison people?"]),
])
def test_question_parts(question, clauses):
    assert [p.clause for p in question_parts(question)] == clauses


def test_context_and_references_travel_with_each_part():
    """A statement before the questions, and what "they" refers to, are searched with the part."""
    parts = question_parts("Japan proposed a new forum in 2013. When did it first meet, and who attended for Japan?")
    assert [p.clause for p in parts] == ["When did it first meet", "who attended for Japan?"]
    assert all(p.text.startswith("Japan proposed a new forum in 2013.") for p in parts)
    second = question_parts("How many proposals does the report make, and how many people wrote them?")[1]
    assert "proposals" in second.text and second.clause == "how many people wrote them?"


def test_that_same_x_is_searched_as_the_previous_parts_answer():
    """"…, and when did that same think tank publish?": once the first part's answer is known, the
    second part searches for the name it gave, not for the first part's words."""
    question = "Which private think tank attended the dialogue, and when did that same think tank publish its report?"
    parts = question_parts(question)
    answer = SimpleNamespace(text="The meeting was attended by the Japan Coast Guard and the Harbor Policy Institute, "
                                  "a private think tank.")
    assert bridge(parts, [answer, answer], question) == [parts[1]]
    assert parts[1].names == "Harbor Policy Institute"  # the name beside "private think tank", not the Coast Guard
    assert parts[1].text.startswith("Harbor Policy Institute") and "dialogue" not in parts[1].text
    assert "Harbor Policy Institute" in parts[1].answered and "dialogue" not in parts[0].names


def test_a_count_is_not_a_name_to_bridge_to():
    """"how many proposals …, and how many people wrote them?": "them" is the proposals themselves."""
    question = "How many proposals does the report make, and how many people wrote them?"
    parts = question_parts(question)
    answer = SimpleNamespace(text="The Harbor Policy Institute offers nine proposals.")
    assert bridge(parts, [answer, answer], question) == []
    assert "proposals" in parts[1].text


@pytest.mark.parametrize("sentence, names", [
    ("Kohtaro Ito, Senior Research Fellow, Canon Institute for Global Studies", ["Kohtaro Ito", "Senior Research Fellow"]),
    ("It was chaired by Prabowo Subianto, Minister of Defence of Indonesia.", ["Prabowo Subianto", "Minister of Defence of Indonesia"]),
    ("no names here at all.", []),
    ("The program was conducted by the JMOD in August 2023.", ["JMOD"]),  # a month is a time, not a name
])
def test_answer_names_are_the_ones_the_question_does_not_give(sentence, names):
    assert answer_names(sentence, "Who from the Canon Institute chaired it?") == names


@pytest.mark.parametrize("question, focus", [
    ("Which key concept was the strategy built around?", {"key", "concept"}),
    ("what national interest from the 2022 NSS does it cite?", {"national", "interest"}),
    ("who was chairing the meeting?", {"chair"}),
    ("What does Aizawa cite?", set()),  # an auxiliary: no noun names the answer's kind
    ("What was the theme of the speech?", {"them"}),  # stops at "of" ("theme" stems to "them")
    ("In what month was it issued?", set()),  # a kind of fact, checked as a need instead
    ("what happened in myanmar later?", set()),  # a verb: the answer is an event, not a "happening"
    ("who chaired the meeting?", {"chair"}),  # after "who" the verb is what the answer did: "Chairman"
    ("in what fields did Japan help?", set()),  # the answer names the fields, not the word
    ("at the ministers' meeting, what was the 'first' seminar Japan offered", {"first", "seminar"}),  # quotes
    ("what's the “key” concept?", {"key", "concept"}),
])
def test_question_focus(question, focus):
    assert question_focus(question) == focus


def test_first_before_a_verb_is_not_an_ordinal():
    """"the first meeting" asks which meeting; "when was it first published?" asks when, of the only one."""
    from assistant.text import ordinals

    assert set(ordinals("when was the first meeting held?")) == {"first"}
    assert set(ordinals("the 8th meeting, and the fifth?")) == {"eighth", "fifth"}
    assert ordinals("where was it first published?") == {}
    assert ordinals("when did they first meet, and at first who went?") == {}
    assert ordinals("when was it first drawn up, and who built it in the first place?") == {}


def test_an_ordinal_past_the_tenth_is_one_too():
    from assistant.text import ordinals

    asked = ordinals("when was the 14th forum held?")
    assert set(asked) == {"14th"}
    assert asked["14th"].search("the 14th japan-asean defense vice-ministerial forum")
    assert not asked["14th"].search("the 4th forum, in 2014")


def test_the_last_of_a_series_is_an_ordinal_and_last_year_is_not():
    """"the last of the six boats" asks for the series' final one; a date that does not say "last" is another's."""
    from assistant.text import distinguishing_ordinals, ordinals

    asked = ordinals("when did vietnam get the last of the six used boats?")
    assert set(asked) == {"last"} and asked["last"].search("the final vessel arrived in 2016")
    assert set(ordinals("when did the final one arrive?")) == {"last"}
    assert ordinals("what did they agree last year?") == {} and ordinals("when was it last revised?") == {}
    assert len(distinguishing_ordinals("the first and the last of the six boats")) == 1  # "first" singles out nothing


@pytest.mark.parametrize("question, heads", [
    ("what first-ever japan-asean seminar did tokyo propose?", {"seminar"}),
    ("which private think tank sat in on the dialogue?", {"tank"}),  # "sat": the verb, past the head
    ("which ADMM-Plus expert working groups has japan co-chaired?", {"group"}),
    ("which armed forces joined the exercise?", {"forc"}),
    ("what year was it?", set()),  # the kind of fact, not a noun to find
    ("who attended?", set()),
    # "it" in the asking sentence is what the statement before it introduced
    ("At the Nov 2023 meeting Japan proposed a first-ever seminar with ASEAN. what was it going to be about?", {"seminar"}),
    ("Japan proposed a first-ever seminar with ASEAN. when did the ministers meet?", set()),  # no "it": not asked
    ("what was the seminar with a friendly country about?", {"seminar"}),  # one sentence: no scene set
])
def test_the_noun_a_question_asks_about(question, heads):
    assert question_heads(question) == heads


def test_a_thing_described_before_a_dash_is_the_first_part_and_it_refers_to_its_answer():
    parts = question_parts("the country that hosted the 8th informal meeting — when did japan sign a memo with it?")
    assert [p.clause for p in parts] == ["which country hosted the 8th informal meeting?",
                                         "when did japan sign a memo with it?"]
    assert parts[1].previous == parts[0].clause  # "it": the country, once the first part's answer names it
    assert len(question_parts("the US should work with japan - which partners does it name?")) == 1


def test_words_a_reader_quotes_are_a_phrase_to_find_and_a_quoted_word_is_not():
    question = "Aizawa cites a line that the “key players in guarding\nthe order” are the PICs — where's it from? (the 'first' one)"
    assert quoted_phrases(question) == [" key players in guarding the order "]
    assert plain("the “**key players** in\nguarding the order”²³") == " the key players in guarding the order 23 "
    assert quoted_phrases("what's Kihara's 'vision' for the region's 'order'?") == []



def test_the_occasion_a_question_ends_on_is_not_what_it_asks():
    """"…harsher when he spoke to the ASEAN ministers?": where he said it, not a "when" question."""
    from assistant.needs import question_needs

    asked = "what did Kihara point to as making the security environment harsher when he spoke to the ASEAN ministers?"
    assert without_occasion(asked) == "what did Kihara point to as making the security environment harsher?"
    assert "date" not in question_needs(asked)
    assert "date" in question_needs("when did he speak to the ASEAN ministers?")
    assert without_occasion("what did he say in the sasakawa report?") == "what did he say in the sasakawa report?"


def test_a_topic_before_a_colon_is_what_every_part_is_about():
    """"the vice-ministerial forum: when did tokyo start it, where was the 5th one, and when was the 14th
    held?" asks three questions about the forum — the third as much as the first."""
    parts = question_parts("the japan-asean defense vice-ministerial forum: when did tokyo start it, "
                           "where was the 5th one, and when was the 14th held?")
    assert [p.clause for p in parts] == ["when did tokyo start it", "where was the 5th one", "when was the 14th held?"]
    assert all(p.topic == "the japan-asean defense vice-ministerial forum" for p in parts)
    assert all(p.text.startswith("the japan-asean defense vice-ministerial forum ") for p in parts)
    assert not any(p.lead for p in parts)  # a topic, not a statement the evidence would merely restate
    # a question word before the colon is not a topic; one question after it is one part
    assert [p.clause for p in question_parts("what is JASMINE: a plan or a slogan?")] == ["what is JASMINE: a plan or a slogan?"]


def test_how_another_did_asks_what_the_part_before_asks():
    """"what share trusted Japan, and how did the EU do?" asks the EU's share: the second part is asked like
    the first, so it needs the same kind of fact (a percentage), not any sentence about the EU."""
    first, second = question_parts("in the 2024 survey, what share trusted japan, and how did the EU do?")
    assert second.like == first.clause and not first.like
    assert part_answers.part_needs(second) == ["percent"]
    _, other = question_parts("what share trusted japan, and why do they trust it?")
    assert not other.like and part_answers.part_needs(other) == ["reason"]


def test_a_relative_year_is_glossed_with_the_year_named_before_it():
    """"…concluded in March of the same year" is completed from the last year named before it: earlier in
    the sentence, else in the nearest sentence before that names one; "the following year" is the next."""
    before = ["In 2011 Japan and Vietnam met.", "In 2015, Japan agreed with Malaysia on maritime security.33",
              "The talks went well."]
    assert dated_relative("A memorandum with Indonesia was concluded in March of the same year, also on training.", before) \
        == "A memorandum with Indonesia was concluded in March of the same year [i.e. March 2015], also on training."
    assert dated_relative("The talks resumed the following year.", before) == "The talks resumed the following year [i.e. 2016]."
    assert dated_relative("Signed in 2009, it was renewed that year.", before) == "Signed in 2009, it was renewed that year [i.e. 2009]."
    assert dated_relative("In June of the same year, they drilled.", ["No year here."]) == "In June of the same year, they drilled."
    assert dated_relative("It met in 2015 and again this year.", before) == "It met in 2015 and again this year."
