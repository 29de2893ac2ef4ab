"""How much each question word counts, and how much of them a sentence holds: the lexical half of
scoring evidence sentences (the other half is their cosine to the question)."""

from __future__ import annotations

import math

from assistant.index import CorpusIndex
from assistant.text import tokens

FOCUS_BOOST = 2.0
NAMED_BONUS = 0.1  # added to a sentence's score when the question names its document ("the Sasakawa report")


def term_weights(index: CorpusIndex, text: str, focus: set[str] = frozenset()) -> dict[str, float]:
    """IDF of each question word over the passages: rare words say what the question is about;
    the words naming the answer's kind (`question_focus`) count `FOCUS_BOOST` times as much."""
    n = max(1, len(index.passages))
    return {t: math.log(1 + n / (1 + index.passage_df(t))) * (FOCUS_BOOST if t in focus else 1.0)
            for t in dict.fromkeys(tokens(text))}


def coverage(weights: dict[str, float], terms: set[str]) -> float:
    """The share of the question's weighted words a sentence holds."""
    return sum(w for t, w in weights.items() if t in terms) / (sum(weights.values()) or 1.0)


def sentence_terms(text: str, focus: set[str]) -> set[str]:
    """A sentence's search terms, plus each focus term it holds as a word's start: the question's
    "chairing" (stem `chair`) is the sentence's "Chairman"."""
    terms = set(tokens(text))
    return terms | {f for f in focus if len(f) >= 4 and any(t.startswith(f) for t in terms)}
