"""Evidence-selection rules on hand-made sentences (no model, no index): the rule, not its scores."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import evidence, needs, part_answers
from assistant.candidates import Candidate, restatement
from assistant.companions import dating_notes, follow_through, other_periods, said_on_topic
from assistant.question import Part
from assistant.text import tokens


def plain_index():
    """An index where every word is equally common and no document is named: the rule decides alone."""
    from types import SimpleNamespace

    return SimpleNamespace(passages=[None] * 100, passage_df=lambda t: 5, proper_names=frozenset(),
                           named_documents=lambda terms: set())


def sentence(number: int, text: str, markers: tuple[int, ...] = ()) -> Candidate:
    return Candidate(text, "doc.txt", number * 100, number * 100 + len(text), f"p{number}", 0, number, markers)


def test_a_fact_a_part_lacks_is_read_beside_the_parts_answer(monkeypatch):
    """"…when was it started, and where was the fifth one?": the fifth meeting's sentence answers one
    part; of its neighbours that state a date, the one meaning "started" answers the other."""
    started = sentence(127, "Tokyo established an annual meeting at the defense vice-minister level in 2009.")
    fifth = sentence(128, "In February 2014 the fifth meeting was held in Okinawa.")
    later = sentence(129, "The Government succeeded in holding a Roundtable Meeting in November 2014.")
    far = sentence(300, "The dialogue was created in 2001.")
    meaning = {127: [1.0, 0.0], 129: [0.0, 1.0], 300: [1.0, 0.0]}
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray(meaning[c.number]))
    asked = []

    def embed(texts):
        asked.extend(texts)
        return [[1.0, 0.0]]  # "when was it started" reads like the sentence about starting

    parts = [Part("the forum met for the 14th time in feb 2025. when was it started"), Part("where was the fifth one?")]
    found = part_answers.beside_parts(None, parts, [fifth, fifth], [fifth], [started, fifth, later, far],
                                   "the forum met for the 14th time in feb 2025", embed)
    assert found == [started]
    assert asked == ["when was it started"]  # the clause's question, not the statement before it


def test_a_part_already_answered_fetches_nothing(monkeypatch):
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray([1.0]))
    fifth = sentence(128, "In February 2014 the fifth meeting was held in Okinawa.")
    fifth.coverage = 0.5  # on the question's topic, and it states the date asked for
    started = sentence(127, "Tokyo established an annual meeting in 2009.")
    assert part_answers.beside_parts(None, [Part("when was the fifth one?")], [fifth], [fifth], [started, fifth],
                                  "when was the fifth one?", lambda texts: [[1.0]]) == []


def test_only_a_sentence_placed_in_the_documents_own_time_is_dated_by_its_note():
    june = sentence(62, "These programs were also conducted simultaneously in June of this year.", (29,))
    dated = sentence(61, "The fifth program was conducted in August 2023.", (28,))
    note29 = Candidate("Ministry of Defense, “Regarding the 6th program,” June 13, 2024.", "doc.txt", 9000, 9060,
                       "doc.txt#note29", 0, -29, (29,))
    note28 = Candidate("Ministry of Defense, “The Fifth program,” 2024.", "doc.txt", 9100, 9150, "doc.txt#note28", 0, -28, (28,))
    pool = [dated, june, note28, note29]
    assert dating_notes({"2024"}, [dated], pool) == [note29, june]  # the neighbour "this year", with its note
    assert dating_notes({"2024"}, [dated, june], pool) == [note29]
    assert dating_notes({"2025"}, [dated, june], pool) == []  # a note that does not state the year asked


def test_what_refers_back():
    from assistant.companions import refers_back

    assert refers_back("He stated that Japan has no intention of changing course.")
    assert refers_back("Based on this MOU, the two navies conducted their first exercise.")
    assert refers_back("In June of the same year, they also conducted a joint ISR exercise.")
    assert refers_back("In contrast, “JASMINE” presents “specific defense cooperation”.")
    assert not refers_back("In January 2015, the Defense Ministers of Japan and the Philippines signed a MOU.")
    assert not refers_back("This paper examines Japan's security cooperation with ASEAN.")  # the document itself


def test_which_meeting_is_not_where_it_was():
    """"at the Fourth … Forum" says which meeting; "in Okinawa" says where."""
    which = sentence(1, "Abe met vice-ministers at the Fourth Japan-ASEAN Defense Vice-ministerial Forum in March 2013.")
    where = sentence(2, "In February 2014 the fifth meeting was held in Okinawa.")
    question = "where was the 14th forum held?"
    assert not needs.holds("place", which, question, [], on_topic=True)
    assert needs.holds("place", where, question, [], on_topic=True)


def test_sentences_that_define_by_entail_or_denote_count_as_definitions():
    from assistant.retrieve import DEFINES

    assert DEFINES.search("Strategic communications entail the use of verbal and behavioral cues")
    assert DEFINES.search("The term denotes cooperation between defense forces")
    assert not DEFINES.search("The ministry defended its budget")


def test_a_share_of_a_count_does_not_answer_how_many_in_total():
    partial = sentence(1, "Vietnam bought Kilo-class submarines, the first four of which have been deployed.")
    partial.terms = set(tokens(partial.text))
    assert not needs.holds("number", partial, "how many submarines did vietnam buy in total?", [], on_topic=True)
    assert needs.holds("number", partial, "how many submarines have been deployed?", [], on_topic=True)


def test_a_country_visited_and_an_event_are_places():
    visit = sentence(1, "In January 2013 he visited Vietnam, Thailand, and Indonesia.")
    assert needs.holds("place", visit, "where did abe go on his first trip abroad?", [], on_topic=True)
    during = sentence(2, "Cross-decking is seen on a large scale during the Pacific Partnership.")
    assert needs.holds("place", during, "where does cross-decking happen on a big scale?", [], on_topic=True)


def test_an_intro_announcing_two_lists_brings_both_and_stops_where_the_bullets_do():
    from assistant.companions import list_items

    lines = ["This concept outlined the following three principles and two coordination points.",
             "Three proposed principles:", "- ① Respecting Ownership", "- ② Strengthening Equal Relationships",
             "- ③ Supporting Collaboration", "Two proposed coordination points:", "- ① Coordination with SPDMM",
             "- ② Coordination with PALM", "Regarding Principle 1 to 3, they outline the basic principles.",
             "Another list:", "- ① not announced"]
    pool = [sentence(i, text) for i, text in enumerate(lines)]
    items = list_items([pool[0]], pool)
    assert [c.text for c in items] == [line for line in lines if line.startswith("- ")][:5]


def test_a_list_told_in_prose_brings_each_items_opening_sentence_up_to_the_count():
    """"…explained by four reasons. First, … Second, …": one paragraph per item, so an item's first
    sentence stands for it, however long; a "First," inside an item's paragraph is not a new item."""
    from assistant.companions import list_items

    lines = ["Japan's involvement can be explained by three reasons.",
             "First, the country is keen to reinforce security cooperation with ASEAN by supporting the strengthening of "
             "its centrality in multilateralism and by seeking political backing from the region as a whole.",
             "Within this context, the framework matters.",
             "Second, it is in Japan's interest to keep contact with China.",
             "First, a meeting was held on the sidelines.",
             "Third, Japan seeks capacity building assistance.",
             "Fourth, an unannounced point.", "Finally, a closing remark."]
    pool = [sentence(i, text) for i, text in enumerate(lines)]
    items = list_items([pool[0]], pool)
    assert [c.number for c in items] == [1, 3, 5]


@pytest.mark.parametrize("question, listing", [
    ("so what exactly are the 5 points in the concept", True),
    ("what sorts of activities count as defense diplomacy?", True),
    ("name its four pillars", True),
    ("what is the first pillar?", False),
    ("Shoji gives four reasons Japan is keen on it. what are they?", True),
    ("how many reasons does Shoji give?", False),
    ("alliance insights says the vientiane vision got updated - what are its main elements?", True),
    ("what principles does the 5 Point Cooperation Concept lay out?", True),
    ("what is the theme of the speech?", False),
    ("apart from MOD and MOFA, what ministries should the new department pull in?", True),
    ("what exercises did the two navies do after that?", True),
    ("what news did the newsletter bring?", False),
    ("what status does the agreement have?", False),
])
def test_questions_asking_for_a_list(question, listing):
    assert evidence.is_list_question(question) == listing


def test_the_date_of_the_first_seminar_is_not_another_events_date():
    question = "when is the first japan-asean seminar on space security being held?"
    seminar = sentence(10, "Japan proposed the holding of the first seminar between Japan and ASEAN on space security.")
    elsewhere = sentence(200, "A cybersecurity training program was conducted in August 2023.")
    beside = sentence(11, "The seminar will take place in March 2025.")
    for c in (seminar, elsewhere, beside):
        c.score, c.coverage = 1.0, 0.5
    assert needs.abstain_reason(question, question, [seminar, elsewhere], ["date"], 0.1) is not None
    assert needs.abstain_reason(question, question, [seminar, beside], ["date"], 0.1) is None


def test_who_comes_before_in_a_ranking_is_answered_by_the_names_it_follows():
    ranked = sentence(1, "In the NSS, ASEAN is mentioned as an important partner, following South Korea and Australia.")
    assert needs.names_entity(ranked, "in the NSS, who does ASEAN come after?")
    plain = sentence(2, "In the NSS, ASEAN is mentioned as an important partner.")
    assert not needs.names_entity(plain, "in the NSS, who does ASEAN come after?")


def test_what_an_author_reads_into_a_fact_is_read_on_from_it():
    from assistant.companions import companions

    fact = sentence(1, "Among the basic principles, the respect for self-determination is emphasized.")
    quote = sentence(2, "In the keynote speech it was stated that the key players are the islands themselves.")
    reading = sentence(3, "By respecting this, it can be interpreted as distancing Japan from paternalism.")
    pool = [fact, quote, reading]
    assert reading in companions("what does she read into the emphasis on self-determination?", [fact], pool)
    assert reading in companions("why the emphasis on self-determination? what's she reading into it", [fact], pool)
    assert reading not in companions("which principle is emphasized?", [fact], pool)


def test_two_parts_asking_for_a_date_each_get_their_own_sentence(monkeypatch):
    """The code's sentence and the adoption's share most words once "CUES" and "WPNS" are spelt out;
    the second part still gets the adoption's own sentence, not the first part's again."""
    code = sentence(1, "Watanabe referred to a Code for Unplanned Encounters at Sea (CUES) compiled at the 2003 "
                       "Western Pacific Naval Symposium (WPNS).")
    adopted = sentence(2, "Finally, the WPNS held in 2014 decided to adopt the CUES as basic rules.")
    code.terms = set(tokens(code.text))
    adopted.terms = set(tokens(adopted.text + " Code for Unplanned Encounters at Sea Western Pacific Naval Symposium"))
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray([1.0, 0.0]))
    index = plain_index()
    parts = [Part("when was CUES first drawn up"), Part("what year did the WPNS actually adopt it?")]
    for p in parts:
        p.answer_vector = [1.0, 0.0]
    question = "when was CUES first drawn up, and what year did the WPNS actually adopt it?"
    keep = part_answers.cover_parts(index, question, parts, [code, adopted], [code], embed=None)
    assert keep == [code, adopted]


def test_the_part_with_the_plainer_match_chooses_first_and_the_other_finds_its_own_date(monkeypatch):
    """Only the adoption sentence was chosen, and it dates the first part too; the second part matches it
    plainly, so it takes it, and the first part's date comes from the code's own sentence."""
    stressed = sentence(0, "He stressed the importance of the CUES for managing incidents at sea.")
    code = sentence(1, "Watanabe referred to a Code for Unplanned Encounters at Sea (CUES) compiled at the 2003 WPNS.")
    adopted = sentence(2, "Finally, the WPNS held in 2014 decided to adopt the CUES as basic rules.")
    for c in (stressed, code, adopted):
        c.terms = set(tokens(c.text))
    meaning = {0: [0.9, 0.1], 1: [0.7, 0.71], 2: [0.8, 0.6]}
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray(meaning[c.number]))
    index = plain_index()
    parts = [Part("when was CUES first drawn up"), Part("what year did the WPNS actually adopt it?")]
    parts[0].answer_vector, parts[1].answer_vector = [1.0, 0.0], [0.0, 1.0]
    question = "when was CUES first drawn up, and what year did the WPNS actually adopt it?"
    keep = part_answers.cover_parts(index, question, parts, [stressed, code, adopted], [adopted], embed=None)
    assert keep == [code, adopted]


def test_a_year_answering_one_when_part_better_does_not_date_the_other(monkeypatch):
    """"When did the ADMM get going, when was the plus version added?": the chosen "In 2010 the ADMM
    Plus was established …" fits the second part best; the first part gets its own year, 2006."""
    plus = sentence(94, "In 2010 the ADMM Plus was established as the enlarged version of the ADMM.")
    launched = sentence(93, "The ADMM, which was launched in 2006, gives ministers a venue.")
    praised = sentence(24, "The ministers praised the ADMM framework and the ADMM Plus.")
    for c in (plus, launched, praised):
        c.terms = set(tokens(c.text))
    meaning = {94: [0.75, 0.66], 93: [0.8, 0.6], 24: [1.0, 0.0]}
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray(meaning[c.number]))
    index = plain_index()
    parts = [Part("when did the ADMM get going"), Part("when was the plus version added?")]
    parts[0].answer_vector, parts[1].answer_vector = [1.0, 0.0], [0.6, 0.8]
    question = "when did the ADMM get going, when was the plus version added?"
    keep = part_answers.cover_parts(index, question, parts, [praised, plus, launched], [plus], embed=None)
    assert keep == [launched, plus]


def test_a_who_part_is_answered_by_the_chosen_sentence_that_says_who(monkeypatch):
    """"Who would run the new command centre?": of two chosen sentences close to the part, the one saying
    it is "headed by an NSS deputy director general" is the part's answer — the length limit keeps it."""
    draft = sentence(116, "Practitioners should draft plans and work closely with the command center.")
    headed = sentence(114, "This should be rectified by creating a command center within the Secretariat, headed by "
                           "a deputy director general.")
    for c in (draft, headed):
        c.terms, c.coverage = set(tokens(c.text)), 0.4
    meaning = {116: [1.0, 0.0], 114: [0.95, 0.31]}
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray(meaning[c.number]))
    index = plain_index()
    parts = [Part("who would run the new command center"), Part("what office would the ministry get?")]
    parts[0].answer_vector, parts[1].answer_vector = [1.0, 0.0], [0.0, 1.0]
    question = "who would run the new command center, and what office would the ministry get?"
    keep = part_answers.cover_parts(index, question, parts, [draft, headed], [draft, headed], embed=None)
    assert keep[0] is headed


def test_a_table_row_is_read_with_its_caption():
    """"Myanmar Underwater medicine (2014)" says, by its caption, what Japan's capacity building gave Myanmar;
    the caption's words are borrowed, so a row does not "repeat" a sentence that shares only them."""
    rows = ["Table: Japan's Capacity Building Assistance to ASEAN Countries", "Cambodia Engineering (2013-4)",
            "Myanmar Underwater medicine (2014), aviation meteorology (2015)", "Source: MOD Homepage",
            "Myanmar is a member state."]
    pool = [sentence(i, text) for i, text in enumerate(rows)]
    captions = evidence._captions(pool)
    assert {c.number for c in pool if id(c) in captions} == {1, 2}
    assert captions[id(pool[2])] == rows[0]


def test_who_does_it_is_answered_by_the_agent_of_the_questions_verb():
    hosted = sentence(1, 'The "Japan Pacific Islands Defense Dialogue," hosted by the JMOD, is a ministers\' meeting.')
    hosted.coverage = 0.8
    assert needs.holds("person", hosted, "who hosts the dialogue?", [hosted])
    assert not needs.holds("person", hosted, "who attends the dialogue?", [hosted])


def test_an_explaining_note_states_facts_a_reference_does_not():
    explains = sentence(-20, "The JPIDD, hosted by the JMOD, is a defense ministers' meeting with the PICs.")
    reference = sentence(-19, 'Ministry of Defense, "The 2nd Dialogue," March 21, 2024, <https://www.mod.go.jp/a.html>.')
    for c in (explains, reference):
        c.coverage = 0.8
    assert needs.holds("person", explains, "who hosts the JPIDD?", [explains])
    assert not needs.holds("date", reference, "when was the dialogue?", [reference])


def test_a_fact_stated_far_from_the_answer_and_off_its_topic_does_not_answer():
    """"Who chaired the 14th forum?": a Secretary of State meeting others in Munich, paragraphs on, is
    not the forum's chair; the same sentence beside the answer would be."""
    question = "who chaired the 14th forum in february 2025?"
    forum = sentence(5, "The 14th Forum, held on February 11, 2025, centered on defense cooperation.")
    munich = sentence(38, "On February 15, 2025, US Secretary of State Marco Rubio met others in Munich.")
    forum.score, forum.coverage, munich.score, munich.coverage = 0.9, 0.9, 0.4, 0.25
    assert needs.abstain_reason(question, question, [forum, munich], ["person"], 0.1, [forum]) is not None
    beside = sentence(6, "It was chaired by Secretary of State Marco Rubio.")
    beside.score, beside.coverage = 0.4, 0.25
    assert needs.abstain_reason(question, question, [forum, beside], ["person"], 0.1, [forum]) is None


def test_sentences_under_a_headline_ending_in_a_colon_are_read_under_it():
    lines = ["ISEAS-Yusof Ishak Institute: The State of Southeast Asia 2024:",
             "Japan remains the most trusted major power among Southeast Asians (58.9%).",
             "The US comes in a distant second (42.4%).", "Spoke Story: US-Japan-South Korea Trilateral Meeting",
             "On February 15, 2025, ministers met in Munich."]
    pool = [sentence(i, text) for i, text in enumerate(lines)]
    captions = evidence._captions(pool)
    assert {c.number for c in pool if id(c) in captions} == {1, 2}


def test_a_year_asked_must_be_the_answers_not_any_chosen_sentences():
    """"the 2023 survey": a far, unrelated line saying "Nov. 2023" does not date the survey; a sentence
    saying when the NSS was issued dates "the 2013 NSS" wherever it stands."""
    survey = sentence(32, "Japan remains the most trusted major power among Southeast Asians (58.9%).")
    cyber = sentence(24, "Japan-ASEAN Cybersecurity Cooperation Program (Nov. 2023 and July 2024)")
    for c, share in ((survey, 0.6), (cyber, 0.1)):
        c.score, c.coverage, c.terms = 0.6, share, set(tokens(c.text))
    asked = "What percentage of Southeast Asians trust Japan in the ISEAS 2023 survey?"
    assert "2023" in needs.abstain_reason(asked, asked, [survey, cyber], [], 0.1, [survey])
    ranked = sentence(65, "In the NSS, ASEAN is mentioned as an important partner, following South Korea and Australia.")
    issued = sentence(57, "The National Security Strategy (NSS), which was issued in December 2013, is the first.")
    for c, share in ((ranked, 0.4), (issued, 0.15)):
        c.score, c.coverage, c.terms = 0.6, share, set(tokens(c.text))
    asked = "in the 2013 NSS, who does ASEAN come after?"
    assert needs.abstain_reason(asked, asked, [ranked, issued], [], 0.1, [ranked]) is None


def test_a_country_named_as_a_party_answers_which_country_and_who_with():
    raa = sentence(1, "Japan has signed an agreement with Australia and should seek similar accords with Britain and France.")
    raa.coverage = 0.6
    assert needs.holds("place", raa, "which country does Japan already have an agreement with?", [raa])
    assert needs.holds("person", raa, "who else should tokyo be doing similar deals with?", [raa])
    assert not needs.holds("place", raa, "where was the agreement signed?", [raa])
    only_asked = sentence(2, "Japan has signed an agreement with Australia.")
    only_asked.coverage = 0.6
    assert not needs.holds("place", only_asked, "which country besides Australia has an agreement with Japan?",
                               [only_asked])


def test_when_it_comes_to_does_not_ask_when_and_an_era_answers_since_when():
    assert "date" not in needs.question_needs("what worries them when it comes to japan's security role?")
    era = sentence(1, "It was only after the end of the Cold War that Japan began international peace cooperation.")
    era.coverage = 0.6
    assert needs.holds("date", era, "since when has japan done security cooperation?", [era])
    vague = sentence(2, "At the end of the year the programs were reviewed.")
    vague.coverage = 0.6
    assert not needs.holds("date", vague, "since when has japan done security cooperation?", [vague])


def test_the_sentence_going_on_about_what_the_question_names_comes_with_the_best_one():
    from assistant.companions import companions

    lead = sentence(1, "In 2011 Tokyo and Hanoi agreed on a memorandum of understanding (MOU) on defense cooperation.")
    terms = sentence(2, "The MOU set forth the regular holding of talks at the vice-minister level.")
    summit = sentence(3, "The 2013 summit mentioned their joint commitment.")
    assert terms in companions("what did the 2011 japan-vietnam MOU commit them to?", [lead], [lead, terms, summit])
    assert terms not in companions("when did Tokyo and Hanoi agree on it?", [lead], [lead, terms, summit])


def test_a_parts_answer_is_followed_on_when_the_next_sentence_goes_on_about_what_it_names():
    """"When did the dialogues start, and what did the MOU commit them to?": the MOU sentence answers the
    second part, not the lead, and what the MOU says comes after it."""
    from assistant.companions import companions

    start = sentence(1, "Japan and Vietnam launched politico-military dialogues in 2001.")
    mou = sentence(5, "In 2011 Tokyo and Hanoi agreed on a memorandum of understanding (MOU) on defense cooperation.")
    terms = sentence(6, "The MOU set forth the regular holding of talks at the vice-minister level.")
    question = "when did the dialogues start, and what did the 2011 MOU commit them to?"
    pool = [start, mou, terms]
    assert terms not in companions(question, [start, mou], pool)
    assert terms in companions(question, [start, mou], pool, answers=[mou])
    assert terms not in companions("when did the dialogues start, and when was the 2011 accord signed?", [start, mou], pool,
                                   answers=[mou])


def test_the_sentence_saying_what_a_counted_set_holds_comes_with_the_sentence_counting_it():
    """"What did he put forward?" — "Abe raised five new principles …" names them only by number; the
    next sentence, "The five principles included …", says what they were."""
    from assistant.companions import companions

    raised = sentence(84, "During this trip, Abe raised five new principles for Japan’s diplomacy.")
    held = sentence(85, "The five principles included protecting free and open seas governed by the rule of law.")
    visit = sentence(86, "The visit was quite clear in its aim.")
    question = "and what did he put forward during that trip?"
    assert held in companions(question, [raised], [raised, held, visit])
    other = sentence(85, "The ministers met again in Hanoi.")
    assert other not in companions(question, [raised], [raised, other, visit])
    plain = sentence(84, "During this trip, Abe raised the question of maritime cooperation.")
    assert held not in companions(question, [plain], [plain, held, visit])


def test_the_next_of_the_things_a_question_counts_comes_with_the_first():
    """"Which EWGs did japan co-chair in its first two terms?": "…in the first term of 2010-2013." tells
    one; "In the ensuing term until 2017, Tokyo is again serving as co-chair …" the other."""
    from assistant.companions import companions

    first = sentence(102, "The country served as a co-chair of the EWG on military medicine in the first term of 2010-2013.")
    ensuing = sentence(103, "In the ensuing term until 2017, Tokyo is again serving as co-chair of the EWG on HA/DR.")
    for c in (first, ensuing):
        c.terms = set(tokens(c.text))
    pool = [first, ensuing]
    assert ensuing in companions("which EWGs did japan co-chair in its first two terms?", [first], pool)
    assert ensuing not in companions("which EWG did japan co-chair in its first term?", [first], pool)


def test_the_name_of_a_person_asked_by_role_must_stand_beside_that_role():
    question = "whats the name of the vietnamese scholar shoji quotes?"
    assert "person" in needs.question_needs(question)
    scholar = sentence(1, "A Vietnamese scholar argues that Japan is the most important strategic partner.")
    minister = sentence(2, "When Japanese Defense Minister Onodera visited Vietnam, the Vietnamese side invited him.")
    for c in (scholar, minister):
        c.coverage, c.terms = 0.6, set(tokens(c.text))
    assert not needs.holds("person", scholar, question, [scholar, minister])
    assert not needs.holds("person", minister, question, [scholar, minister])
    assert needs.holds("person", minister, "who visited Vietnam?", [minister])


def test_a_year_with_a_plain_text_note_marker_glued_on_is_still_the_year():
    from assistant.text import numbers

    assert "2011" in numbers("the Capacity Building Assistance Office within the Ministry in 2011.26 Currently")
    assert numbers("a rate of 42.4% in 1.5 years") == {"42.4", "1.5"}  # decimals stay as written


def test_a_year_the_question_names_fetches_the_close_sentence_stating_it():
    """"the june 2024 ship rider program": the line saying "(June 2024)" joins the answer when it is
    nearly as close to the question as the best sentence; a far-off one stating the year does not."""
    best = sentence(61, "In conjunction with the Fifth Ship Rider Cooperation Program conducted in August 2023, …")
    close = sentence(22, "Japan-ASEAN and Timor-Leste Ship Rider Cooperation Program (June 2024)")
    far = sentence(25, "Maritime Cooperation and Connectivity Conference (December 2024)")
    best.score, close.score, far.score = 0.58, 0.54, 0.30
    assert evidence._stating({"2024"}, [best, far], [best, close, far]) == [close]
    close.score = 0.30
    assert evidence._stating({"2024"}, [best], [best, close, far]) == []
    best.text += " in 2024"
    assert evidence._stating({"2024"}, [best], [best, close, far]) == []  # the best one states it already


def test_the_same_subject_going_on_comes_with_the_best_one():
    from assistant.companions import companions

    lead = sentence(24, "10. The Ministers of ASEAN member states appreciated Japan's efforts under the ADMM-Plus.")
    on = sentence(25, "At the same time, they welcomed the proposals from Japan at the meeting this time.")
    other = sentence(26, "At the same time, a new forum was created.")
    assert on in companions("how did the asean ministers react?", [lead], [lead, on])
    assert other not in companions("how did the asean ministers react?", [lead], [lead, other])


def test_a_chairmanship_is_what_chairing_is():
    assert set(tokens("Japan’s co-chairmanship of the EWG")) >= set(tokens("co-chairing"))
    assert tokens("relationships") == ["relationship"]  # only -manship goes: a relationship is no relation


def test_who_a_party_works_with_is_a_party_named_beside_with_not_any_name():
    """"who's japan co-chairing the EWG with for 2024-2027?": a minister named next door is no partner,
    and a partner named for another term, paragraphs off the answer, does not answer either."""
    question = "who's japan co-chairing the maritime security EWG with for 2024-2027?"
    line = sentence(28, "Japan’s co-chairmanship of the EWG on Maritime Security (2024-2027)")
    minister = sentence(27, "Defense Minister Nakatani joined the ADMM-Plus (Lao PDR 2024)")
    earlier = sentence(102, "The country served as a co-chair of the EWG on military medicine with Singapore in 2010-2013.")
    for c, share in ((line, 0.6), (minister, 0.2), (earlier, 0.5)):
        c.score, c.coverage, c.terms = 0.6, share, set(tokens(c.text))
    assert not needs.holds("person", minister, question, [line, minister])
    assert needs.holds("person", earlier, question, [line, earlier])
    assert needs.abstain_reason(question, question, [line, minister, earlier], ["person"], 0.1, [line]) is not None
    partner = sentence(29, "Japan co-chairs it with Malaysia.")
    partner.score, partner.coverage, partner.terms = 0.5, 0.3, set(tokens(partner.text))
    assert needs.abstain_reason(question, question, [line, partner], ["person"], 0.1, [line]) is None


def test_a_partner_named_for_another_term_does_not_answer_even_as_an_answer():
    """Both sentences answer "who … with for 2024-2027?" by their words, but the one naming a partner is
    dated 2010-2013; a statement before the question ("… for 2024-27. who did it co-chair with in earlier terms?")
    does not set the term."""
    question = "who is japan co-chairing the maritime security EWG with for 2024-2027?"
    line = sentence(28, "Japan’s co-chairmanship of the EWG on Maritime Security (2024-2027)")
    earlier = sentence(102, "The country served as a co-chair of the EWG on military medicine with Singapore in 2010-2013.")
    for c in (line, earlier):
        c.score, c.coverage, c.terms = 0.6, 0.5, set(tokens(c.text))
    assert needs.abstain_reason(question, question, [earlier, line], ["person"], 0.1, [earlier, line]) is not None
    current = sentence(103, "For 2024-2027 it co-chairs the EWG with Malaysia.")
    current.score, current.coverage, current.terms = 0.6, 0.5, set(tokens(current.text))
    assert needs.abstain_reason(question, question, [current, line], ["person"], 0.1, [current, line]) is None
    earlier_q = "japan co-chairs the maritime security EWG for 2024-2027. who did it co-chair with in earlier terms?"
    assert needs.abstain_reason(earlier_q, earlier_q, [earlier, line], ["person"], 0.1, [earlier, line]) is None
    earlier = sentence(102, "The country served as a co-chair of the EWG on military medicine with Singapore in the first "
                            "term of 2010-2013.")
    earlier.score, earlier.coverage, earlier.terms = 0.6, 0.5, set(tokens(earlier.text))
    newsletter_q = "which EWGs did japan co-chair in its first terms and with whom, and which one does the 2025 newsletter say it co-chairs?"
    assert needs.abstain_reason(newsletter_q, newsletter_q, [earlier, line], ["person"], 0.1, [earlier, line],
                                dated="Alliance Insights, 2025-02-21") is None


def test_a_definition_counts_only_for_what_the_question_asks_to_define():
    """"what does he mean by 'multilayered' security cooperation?": the sentence saying what multilayered
    cooperation "consists of" defines it; "Capacity building assistance is defined as …" defines something
    else, though it shares "building"; "It refers to …" defines its paragraph's topic."""
    from types import SimpleNamespace

    index = SimpleNamespace(passages=[None] * 200, passage_df=lambda t: 1 if t == "multilay" else 40)
    question = "shoji talks about japan building 'multilayered' security cooperation - what does he mean by that?"
    weights = evidence.term_weights(index, question)
    assert evidence._defines_asked("Multilayered security cooperation functionally consists of bilateral alliances.", weights)
    assert not evidence._defines_asked("Capacity building assistance is defined as initiatives to support countries.",
                                       weights)
    assert evidence._defines_asked("It refers to bilateral alliances as well as multilateral frameworks.", weights)
    assert not evidence._defines_asked("Multilayered security cooperation grew after 2013.", weights)


def test_with_who_asks_for_the_partner_named_beside_with():
    """"…which EWGs did it co-chair, and with who?": a co-chair country answers, as for "with whom"."""
    served = sentence(102, "The country served as a co-chair of the EWG on military medicine with Singapore.")
    served.terms, served.coverage = set(tokens(served.text)), 0.5
    alone = sentence(104, "Japan co-hosted the first field training exercise held in Brunei.")
    alone.terms, alone.coverage = set(tokens(alone.text)), 0.5
    question = "which EWGs did japan co-chair in the earlier terms, and with who?"
    assert needs.holds("person", served, question, [served])
    assert not needs.holds("person", alone, question, [alone])


def test_an_office_heading_something_answers_who_would_be_in_charge():
    """"who would be in charge of it?" — "…to be headed by an NSS deputy director": the office is the answer."""
    _holds_only("person", "ok and who would be in charge of the command center?",
                "A command center should be created within the National Security Secretariat, to be headed by an NSS "
                "deputy director.", "Officers in charge of coordinating security cooperation should be placed in the division.")


def test_a_question_asking_for_an_example_wants_the_sentence_giving_one():
    example = sentence(201, "The Royal Australian Air Force, for instance, helps transport Vietnamese troops.")
    claim = sentence(202, "Japan's Air Self-Defense Force aircraft are already registered for PKO missions.")
    for c in (example, claim):
        c.terms, c.coverage = set(tokens(c.text)), 0.5
    question = "in the sasakawa proposal, whose air force is the airlift example?"
    assert "example" in needs.question_needs(question) and "example" in needs.SOFT_NEEDS  # never a cause to abstain
    assert needs.holds("example", example, question, [example])
    assert not needs.holds("example", claim, question, [claim])


@pytest.mark.parametrize("text, gives", [
    ("One of the specific efforts is the “Ship Rider Cooperation Programs.”", True),
    ("Specific measures include exchanges between defense authorities and port calls.", True),
    ("One of the most important partners is ASEAN.", False),  # a rank, not a case in point
    ("The efforts include a cross-ministerial center.", False),
])
def test_a_case_in_point_gives_an_example_without_saying_for_example(text, gives):
    c = sentence(60, text)
    c.terms, c.coverage = set(tokens(c.text)), 0.5
    assert needs.holds("example", c, "what's one concrete program she gives as an example?", [c]) is gives


@pytest.mark.parametrize("question", [
    "what does shoji point to as evidence that the ties took off?",
    "what does she offer as proof of it?",
    "what shows that the partnership worked?",
])
def test_evidence_for_a_claim_is_asked_like_an_example(question):
    """"…as evidence that political ties took off": the sentence saying what exemplified it answers, not the
    one restating the claim."""
    case = sentence(42, "Political partnership between the two successfully developed, exemplified by ASEAN's "
                        "acknowledgement of Japan as its first dialogue partner.")
    claim = sentence(41, "The Fukuda Doctrine clarified Japan's political stance toward Southeast Asia.")
    for c in (case, claim):
        c.terms, c.coverage = set(tokens(c.text)), 0.5
    assert "example" in needs.question_needs(question)
    assert needs.holds("example", case, question, [case]) and not needs.holds("example", claim, question, [claim])


def test_each_part_naming_a_country_gets_a_sentence_of_its_own(monkeypatch):
    """"what capacity building did japan do with indonesia, and when did the two sign their memorandum?": the
    memorandum sentence (which names Indonesia) answers the date part; the capacity-building part takes the
    table row about Indonesia, not the memorandum sentence a second time, though that scores higher."""
    from types import SimpleNamespace

    memo = sentence(152, "A memorandum on defense cooperation between Japan and Indonesia, which was concluded in "
                         "March of the same year, also stipulates further cooperation in capacity building.")
    row = sentence(144, "Indonesia Maritime security (2013-4), international aviation law (2015)")
    other = sentence(136, "The Japanese Government has conducted capacity building assistance to ASEAN countries.")
    for c in (memo, row, other):
        c.terms = set(tokens(c.text))
    row.terms |= set(tokens("Japan's Capacity Building Assistance"))  # the table's caption
    meaning = {152: [0.95, 0.31], 144: [0.7, 0.0], 136: [0.5, 0.0]}
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray(meaning[c.number]))
    index = SimpleNamespace(passages=[None] * 100, passage_df=lambda t: 2 if t == "indonesia" else 10,
                            proper_names=frozenset({"indonesia", "japan"}), named_documents=lambda terms: set(),
                            doc_terms={"doc.txt": {"shoji"}})
    parts = [Part("in Shoji's paper what capacity building did japan do with indonesia"),
             Part("when did the two sign their defense memorandum?")]
    parts[0].answer_vector, parts[1].answer_vector = [1.0, 0.0], [0.0, 1.0]
    question = ("in Shoji's paper what capacity building did japan do with indonesia, and when did the two sign "
                "their defense memorandum?")
    keep = part_answers.cover_parts(index, question, parts, [memo, row, other], [memo], embed=None)
    assert keep == [row, memo]


def test_a_part_naming_a_document_does_not_need_a_sentence_that_says_its_name(monkeypatch):
    """"in the sasakawa PKO proposal, whose air force is the airlift example": every sentence of the Sasakawa
    report holds "sasakawa"; the one the report's summary line names is not the answer for saying it."""
    from types import SimpleNamespace

    summary = sentence(3, "This report draws on research conducted by the Sasakawa Peace Foundation.")
    airlift = sentence(201, "The Royal Australian Air Force helps transport Vietnamese troops and equipment.")
    for c in (summary, airlift):
        c.terms = set(tokens(c.text))
    meaning = {3: [0.8, 0.0], 201: [0.9, 0.0]}
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray(meaning[c.number]))
    index = SimpleNamespace(passages=[None] * 100, passage_df=lambda t: 3, proper_names=frozenset({"sasakawa"}),
                            named_documents=lambda terms: set(), doc_terms={"doc.txt": {"sasakawa", "spf"}})
    parts = [Part("in the sasakawa PKO proposal, whose air force is the airlift example"),
             Part("what UN training scheme does japan already lead?")]
    parts[0].answer_vector, parts[1].answer_vector = [1.0, 0.0], [0.0, 1.0]
    question = "in the sasakawa PKO proposal, whose air force is the airlift example, and what UN training scheme?"
    keep = part_answers.cover_parts(index, question, parts, [summary, airlift], [airlift], embed=None)
    assert keep[0] is airlift


def test_what_does_it_want_them_to_do_asks_for_a_recommendation():
    assert "recommendation" in needs.question_needs("who wrote it and what does it want the SDF to do?")
    assert "recommendation" not in needs.question_needs("what does the SDF do in peacetime?")


def test_a_statement_and_the_question_after_it_naming_two_documents_hear_both():
    """"Shoji says … in its first term. Which group is Japan co-chairing now according to the 2025 newsletter?"
    — the premise is Shoji's, the question the newsletter's: each has its say."""
    from types import SimpleNamespace

    owners = {"shoji": {"shoji.txt"}, "2025": {"newsletter.txt"}, "newsletter": set()}
    index = SimpleNamespace(named_documents=lambda terms: set().union(*(owners.get(t, set()) for t in terms)))
    assert evidence._named_apart(index, "Shoji says Japan co-chaired the EWG in its first term. Which EWG is Japan "
                                        "co-chairing now according to the 2025 newsletter?")
    assert not evidence._named_apart(index, "Shoji says Japan co-chaired the EWG. Which EWG did Shoji say came next?")
    assert not evidence._named_apart(index, "which EWGs did Shoji's paper and the 2025 newsletter name?")  # one sentence


def test_what_a_fact_bears_on_answers_why_it_would_matter():
    """"why would that matter for vietnam's coastal defence?" — "it could have significant implications for …"."""
    bears = sentence(215, "However, it could have significant implications for Vietnam’s coastal defense in terms "
                          "of the country’s purchase of Kilo-class submarines.")
    bears.terms, bears.coverage = set(tokens(bears.text)), 0.5
    assert needs.holds("reason", bears, "why would that matter for vietnam's coastal defence though?", [bears])


def test_the_list_item_a_numbered_gloss_points_to_is_fetched_with_the_gloss():
    """"which pillar covers climate change?": the gloss "(2) pertains to … climate change" says which; the
    list before it says what the second pillar is. A question about none of the glosses fetches nothing."""
    from assistant.companions import glossed_items

    first = sentence(20, "- (1) Japan-ASEAN to carry out efforts against unilateral changes to the status quo")
    second = sentence(21, "- (2) To continue and expand the Japan-ASEAN defense cooperation")
    other = sentence(22, "2. An unrelated numbered point about budgets.")
    gloss = sentence(24, "(1) indicates cooperation on traditional security issues, (2) pertains to cooperation on "
                         "emerging security issues such as climate change, and (3) involves people-to-people ties.")
    pool = [first, second, other, gloss]
    assert glossed_items("which pillar covers climate change?", [gloss], pool) == [gloss, second]
    assert glossed_items("which pillar is about people-to-people ties?", [gloss], pool) == []  # (3)'s item is not in the pool
    assert glossed_items("when was the initiative launched?", [gloss], pool) == []


def test_how_one_thing_differs_from_another_wants_the_sentence_drawing_the_contrast():
    question = "how does aizawa think JASMINE differs from the vientiane vision in how it treats ASEAN?"
    assert "contrast" in needs.question_needs(question) and "contrast" in needs.SOFT_NEEDS  # never a cause to abstain
    assert "contrast" not in needs.question_needs("what does the vientiane vision present?")
    drawn = sentence(29, "In contrast, “JASMINE” presents cooperation that Japan would advance together with ASEAN.")
    partners = sentence(31, "It views ASEAN not as recipients of support but as partners for regional security.")
    plain_fact = sentence(27, "The JMOD has been supporting ASEAN centrality based on the Vientiane Vision 2.0.")
    for c in (drawn, partners, plain_fact):
        c.terms, c.coverage = set(tokens(c.text)), 0.5
    assert needs.holds("contrast", drawn, question, [drawn]) and needs.holds("contrast", partners, question, [partners])
    assert not needs.holds("contrast", plain_fact, question, [plain_fact])


@pytest.mark.parametrize("question, source", [
    ("which countries did abe go to after he got back into office?", False),
    ("ties dating back to 2001 - who started them?", False),
    ("what backs the claim that asean is central?", True),
    ("is there anything that backs up that claim?", True),
])
def test_back_as_a_direction_does_not_ask_for_a_source(question, source):
    assert needs.wants_source(question) is source


def test_which_countries_asks_for_places_as_which_country_does():
    assert "place" in needs.question_needs("which countries did abe visit?")
    assert "place" in needs.question_needs("which cities hosted the seminars?")


def test_what_someone_put_forward_is_a_proposal_and_raising_principles_states_one():
    assert "recommendation" in needs.question_needs("and what did he put forward during that trip?")
    _holds_only("recommendation", "what did abe put forward on the trip?",
                "During this trip, Abe raised five new principles for Japan’s diplomacy.",
                "Several members raised concerns about the cost.")


def _holds_only(need: str, question: str, stating: str, other: str) -> None:
    """`stating` states the `need` the question asks for; `other`, as much on the topic, does not."""
    yes, no = sentence(84, stating), sentence(90, other)
    for c in (yes, no):
        c.terms, c.coverage = set(tokens(c.text)), 0.5
    assert needs.holds(need, yes, question, [yes])
    assert not needs.holds(need, no, question, [no])



def clause(number: int, start: int, text: str) -> Candidate:
    """One clause of sentence `number`, as `candidates.clauses` offers a long sentence (same number, own offsets)."""
    c = Candidate(text, "doc.txt", start, start + len(text), f"p{number}", 0, number)
    c.terms = set(tokens(text))
    return c


def test_a_clause_of_a_series_brings_the_series_in_order_without_what_the_question_sets_aside():
    """"…the followings: the holding of the first seminar …; further support for …; …; and the launch of new …
    programs on WPS.": a list question answered by one clause is answered by all of them — but "besides the
    WPS stuff" leaves that one out."""
    from assistant.companions import series_clauses

    first = clause(7, 100, "Japan announced initiatives including the followings: the holding of a seminar on space;")
    second = clause(7, 190, "further support for situational awareness in maritime and air domains;")
    third = clause(7, 262, "support for cooperation using the Ship Rider Cooperation Programs;")
    wps = clause(7, 330, "and the launch of new capacity building programs on Women, Peace and Security (WPS).")
    wps.terms |= {"wps"}
    other = clause(8, 420, "Minister Kihara also explained the defense policy.")
    pool = [wps, other, third, first, second]
    assert series_clauses("which initiatives did Japan announce?", [third], pool) == [third, first, second, wps]
    assert series_clauses("besides the WPS stuff, which initiatives did Japan announce?", [first], pool) == [
        first, second, third]
    assert series_clauses("which initiatives did Japan announce?", [other], pool) == []  # a whole sentence: no series


def test_which_ones_asks_for_the_things_the_statement_counts():
    """"3 non-ASEAN countries also got it — which ones?" asks which countries: a place need, so the
    sentence giving only the count ("three were non-ASEAN countries") does not answer it."""
    question = "shoji says 3 non-ASEAN countries also got MOD capacity building between 2012 and 2015 - which ones?"
    assert "place" in needs.question_needs(question)
    assert "place" not in needs.question_needs("which ones?")  # nothing counted before it: nothing to read it as
    count = sentence(5, "From 2012 to 2015, Japan's MOD implemented projects for eight countries, of which three were non-ASEAN countries.")
    named = sentence(6, "The three were countries such as Mongolia, Papua New Guinea and Timor-Leste.")
    for c in (count, named):
        c.score, c.coverage = 1.0, 0.5
    assert needs.abstain_reason(question, question, [count], ["place"], 0.1) is not None
    assert needs.abstain_reason(question, question, [count, named], ["place"], 0.1) is None


@pytest.mark.parametrize("question, asks_who", [
    ("Which minister proposed the four pillars at the 2023 informal meeting?", True),
    ("which official led the delegation?", True),
    ("Which expert working group is Japan co-chairing now?", False),  # a group, not a person
    ("which ministers' meeting came first?", False),
])
def test_which_minister_asks_who(question, asks_who):
    assert ("person" in needs.question_needs(question)) == asks_who


def test_a_date_another_part_took_does_not_date_this_one(monkeypatch):
    """"the forum: when did tokyo start it, …, and when was the 14th held?" — the 14th forum's sentence
    is the best match for every part (it names the forum), and its 2025 is the third part's answer:
    the first part's date is read elsewhere ("established … in 2009"), not taken from it again."""
    fourteenth = sentence(5, "The 14th Japan-ASEAN Defense Vice-Ministerial Forum, held on February 11, 2025, centered on JASMINE.")
    started = sentence(127, "Tokyo established an annual meeting at the defense vice-minister level in 2009.")
    for c in (fourteenth, started):
        c.terms, c.coverage = set(tokens(c.text)), 0.4
    meaning = {5: [1.0, 0.0], 127: [0.8, 0.6]}
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray(meaning[c.number]))
    index = plain_index()
    topic = "the japan-asean defense vice-ministerial forum"
    parts = [Part("when did tokyo start it", topic=topic), Part("when was the 14th held?", topic=topic)]
    for p in parts:
        p.answer_vector = [1.0, 0.0]
    question = f"{topic}: when did tokyo start it, and when was the 14th held?"
    keep = part_answers.cover_parts(index, question, parts, [fourteenth, started], [fourteenth], embed=None)
    assert keep == [started, fourteenth]


def test_which_edition_is_read_from_the_note_dated_as_the_question_dates_it(monkeypatch):
    """"the june 2024 ship rider program: which round was that?" — not "the Fifth … conducted in August
    2023" (another year's edition), and of the notes naming an edition, the one dated June 2024."""
    fifth = sentence(61, "In conjunction with the Fifth Ship Rider Cooperation Program conducted in August 2023, another ran.")
    listed = sentence(3, "Japan-ASEAN and Timor-Leste Ship Rider Cooperation Program (June 2024)")
    note27 = Candidate("Ministry of Defense, “The 2nd Japan Pacific Islands Defense Dialogue,” March 21, 2024.",
                       "doc.txt", 9000, 9080, "doc.txt#note27", 0, -27, (27,))
    note29 = Candidate("Ministry of Defense, “[Regarding the Implementation of the 6th Ship Rider Cooperation Program],” "
                       "June 13, 2024.", "doc.txt", 9100, 9200, "doc.txt#note29", 0, -29, (29,))
    for c in (fifth, listed, note27, note29):
        c.terms, c.coverage = set(tokens(c.text)), 0.4
    meaning = {61: [0.9, 0.44], 3: [1.0, 0.0], -27: [0.3, 0.95], -29: [0.2, 0.98]}
    monkeypatch.setattr(part_answers, "sentence_vector", lambda index, c, embed: np.asarray(meaning[c.number]))
    index = plain_index()
    question = "the june 2024 ship rider program: which round was that?"
    assert not needs.holds("ordinal", fifth, question, [listed])  # another year's edition
    parts = [Part("which round was that?", topic="the june 2024 ship rider program")]
    parts[0].answer_vector = [1.0, 0.0]
    keep = part_answers.cover_parts(index, question, parts, [listed, fifth, note27, note29], [listed], embed=None)
    assert keep == [note29]


def test_a_figure_asked_of_a_country_is_one_a_sentence_naming_it_gives():
    """"what % said they trust India?" is not answered by Japan's or China's share, though both are
    percentages from the same survey; the US's share answers it for the US, however the US is spelt."""
    japan = sentence(1, "Japan remains the most trusted major power among Southeast Asians (58.9%).")
    china = sentence(2, "Half of the respondents (50.1%) express distrust towards China.")
    for c in (japan, china):
        c.score, c.coverage, c.terms = 0.6, 0.6, set(tokens(c.text))
    asked = "in the 2024 survey, what % of respondents said they trust India?"
    assert "percent" in needs.question_needs(asked)
    assert needs.abstain_reason(asked, asked, [japan, china], needs.question_needs(asked), 0.1, [japan, china]) \
        == "the passages found do not state the percent asked for"
    us = sentence(3, "The U.S. comes in a distant second (42.4%).")
    us.score, us.coverage, us.terms = 0.6, 0.6, set(tokens(us.text))
    about_us = "what share of respondents trust the United States?"
    assert needs.abstain_reason(about_us, about_us, [japan, us], needs.question_needs(about_us), 0.1, [japan, us]) is None
    about_japan = "what share of respondents trust Japan?"  # Japan, every document's subject, is not checked
    assert needs.abstain_reason(about_japan, about_japan, [china], needs.question_needs(about_japan), 0.1, [china]) is None


@pytest.mark.parametrize("question, counted", [
    ("How many Pacific Island countries sent delegations to the dialogue?", {"country"}),
    ("how many kilo class subs did vietnam order?", {"sub"}),
    ("how many SDF staff officers does japan have at UN missions?", {"officer"}),
])
def test_how_many_counts_the_plural_noun_of_its_phrase(question, counted):
    """"how many Pacific Island countries": countries are counted, so "the 5 Point Cooperation Concept for …
    the Pacific Islands Region" does not answer it."""
    assert needs._measured(question) == counted


def test_what_city_is_not_answered_by_a_country():
    """"…and in what city?" is answered by "held in Jakarta, Indonesia", not by "held in Indonesia"."""
    country = sentence(1, "On November 15, 2023, the 8th Informal Meeting was held in Indonesia.")
    city = sentence(2, "On November 15, the 8th Informal Meeting was held in Jakarta, Indonesia.")
    for c in (country, city):
        c.coverage = 0.6
    asked = "which edition of the meeting was it, and in what city?"
    assert "place" in needs.question_needs(asked)
    assert not needs.holds("place", country, asked, [country]) and needs.holds("place", city, asked, [city])
    assert needs.holds("place", country, "where was the meeting held?", [country])
    assert needs.named_countries("Tokyo and Hanoi agreed") == {"japan", "vietnam"}
    assert needs.named_countries("held in Jakarta", capitals=False) == set()


def test_which_ship_asks_for_a_ship_by_name():
    """"which MSDF ship hosted the fifth ship rider program?" is not answered by the sentence about the
    program, which names no ship; "which ship rider program" and "what vessels" ask no ship's name."""
    asked = "which MSDF ship hosted the fifth japan-asean ship rider program in aug 2023?"
    assert "ship" in needs.question_needs(asked)
    assert "ship" not in needs.question_needs("which ship rider program was held in june 2024?")
    assert "ship" not in needs.question_needs("what vessels did japan pledge to vietnam?")
    program = sentence(1, "The Fifth Japan-ASEAN Ship Rider Cooperation Program was conducted in August 2023.")
    named = sentence(2, "The program was held aboard JS Izumo in August 2023.")
    for c in (program, named):
        c.coverage = 0.6
    assert not needs.holds("ship", program, asked, [program]) and needs.holds("ship", named, asked, [named])


def test_a_history_question_gets_each_period_telling_the_same_thing():
    """"which EWGs has Japan co-chaired over the years?": the later terms too, not a sentence on the same
    topic that names no new period, nor one of another period about something else."""
    first = sentence(102, "Japan served as a co-chair of the EWG on military medicine in 2010-2013.")
    then = sentence(103, "In the ensuing term until 2017, Tokyo is again serving as co-chair of the EWG on HA/DR.")
    now = sentence(28, "Japan's co-chairmanship of the EWG on Maritime Security (2024-2027)")
    same = sentence(104, "Japan co-chaired the EWG on military medicine in 2010-2013 with Singapore.")  # no new period
    other = sentence(96, "Since 2017 the ADMM-Plus has been convened every year.")  # not a co-chairmanship
    pool = [first, then, now, same, other]
    for score, c in zip([0.8, 0.6, 0.55, 0.7, 0.65], pool):
        c.terms, c.score = set(tokens(c.text)) | ({"cochair"} if "co-chair" in c.text else set()), score
    weights = {"ewg": 3.3, "cochair": 3.5, "japan": 0.7, "admm": 4.3, "plus": 4.2}
    question = "which ADMM-Plus EWGs has Japan co-chaired over the years?"
    assert other_periods(question, weights, [first], pool) == [then, now]
    assert other_periods("which ADMM-Plus EWGs does Japan co-chair?", weights, [first], pool) == []


def test_what_was_said_on_a_topic_takes_the_nearby_sentences_naming_it():
    lead = sentence(42, "They reaffirmed their commitment to bolstering defense and deterrence.")
    between = sentence(43, "The ministers underscored the strength of the Alliances.")
    more = sentence(44, "The United States reaffirmed its commitment to strengthen extended deterrence cooperation.")
    far = sentence(60, "Deterrence also features in the 2022 strategy.")  # another paragraph's
    for c in (lead, between, more, far):
        c.terms, c.score = set(tokens(c.text)), 0.5
    weights = {"deterrenc": 4.0, "defens": 0.8}
    assert said_on_topic("and what did they say on deterrence?", weights, [lead], [lead, between, more, far]) == [more]
    assert said_on_topic("did they agree on deterrence?", weights, [lead], [lead, between, more, far]) == []


def test_what_came_of_a_proposal_is_the_later_sentence_repeating_it():
    """"…did it ever take place?": the first later sentence of the document that repeats the proposal's
    words and does not itself propose tells what came of it; "when was it proposed?" asks nothing of the kind."""
    lead = sentence(89, "He also proposed to convene a Japan-ASEAN defense ministers meeting at the summit in December 2013.")
    beside = sentence(90, "Japan's activeness in defense cooperation with ASEAN reflects the prime minister's initiative.")
    again = sentence(110, "Abe proposed a Japan-ASEAN defense ministers meeting once more in 2014.")  # proposes again
    held = sentence(129, "The Japanese Government succeeded in holding a Japan-ASEAN Defense Ministers' Roundtable Meeting in November 2014.")
    unrelated = sentence(140, "The dialogue with Vietnam was upgraded in 2014.")
    pool = [lead, beside, again, held, unrelated]
    for c in pool:
        c.terms = set(tokens(c.text))
    assert follow_through("Abe proposed a defense ministers meeting in 2013. Did it ever take place?", [lead], pool) == [held]
    assert follow_through("what came of Abe's proposal for a defense ministers meeting?", [lead], pool) == [held]
    assert follow_through("when did Abe propose a defense ministers meeting?", [lead], pool) == []


def test_a_sentence_telling_the_same_in_other_words_says_which_one_it_was():
    """The summary's "the first defense ministerial roundtable meeting" tells what the body's "a defense
    ministers meeting" does, and says it was the first; a sentence that only says "first" does not."""
    from types import SimpleNamespace

    told = [(18, 1800, 1900, "Moreover, at the commemorative summit, he proposed to hold the first defense ministerial "
                             "roundtable meeting between Japan and ASEAN."),
            (30, 3000, 3100, "Abe made his first overseas trip to Vietnam."),
            (89, 8900, 9000, "He also proposed to convene a Japan-ASEAN defense ministers meeting at the commemorative "
                             "Japan-ASEAN summit in December 2013.")]
    passage = SimpleNamespace(doc_id="doc.txt", id="p1")
    index = SimpleNamespace(sentences_in=lambda file: [(passage, *s) for s in told], markers_in=lambda file, start, end: [])
    lead = sentence(89, told[2][3])
    found = restatement(index, lead, lambda text: "first" in text)
    assert found is not None and found.number == 18 and (found.start, found.end) == (1800, 1900)
    assert restatement(index, lead, lambda text: "fifth" in text) is None


def test_a_percentage_in_brackets_states_how_much():
    """"how much trust did japan get?" is answered by "(58.9%)": the sign closes the figure, with no word
    boundary after it, and still states an amount."""
    trusted = sentence(32, "Japan remains the most trusted major power among Southeast Asians (58.9%).")
    trusted.terms, trusted.coverage = set(tokens(trusted.text)), 0.5
    assert needs.holds("amount", trusted, "how much trust did japan get?", [], on_topic=True)
    vague = sentence(30, "Japan enjoys the highest levels of trust in the region.")
    vague.terms, vague.coverage = set(tokens(vague.text)), 0.5
    assert not needs.holds("amount", vague, "how much trust did japan get?", [], on_topic=True)
