"""Splitting a question into its parts and finding what each asks for (no model, no index)."""

from __future__ import annotations

import pytest

from assistant.question import question_focus, question_parts


@pytest.mark.parametrize("question, clauses", [
    ("What is JASMINE?", ["What is JASMINE?"]),
    ("When and where was the first dialogue held?", ["When and where was the first dialogue held?"]),
    ("When was the directive issued, and by whom?", ["When was the directive issued, and by whom?"]),
    ("Who chaired the meeting, and did Kihara attend in person?",
     ["Who chaired the meeting", "did Kihara attend in person?"]),
    ("which countries joined and what did they sign?", ["which countries joined", "what did they sign?"]),
    ("Japan and ASEAN: what did they agree?", ["Japan and ASEAN: what did they agree?"]),
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


@pytest.mark.parametrize("question, focus", [
    ("Which key concept was the strategy built around?", {"key", "concept"}),
    ("what national interest from the 2022 NSS does it cite?", {"national", "interest"}),
    ("who was chairing the meeting?", {"chair"}),
    ("What does Aizawa cite?", set()),  # an auxiliary: no noun names the answer's kind
    ("What was the theme of the speech?", {"them"}),  # stops at "of" ("theme" stems to "them")
    ("In what month was it issued?", set()),  # a kind of fact, checked as a need instead
])
def test_question_focus(question, focus):
    assert question_focus(question) == focus
