"""Repairing misspelt question words ("recomend", "definiton", "acording") before searching.

Keyword search and evidence selection match words, so a typo loses the very word that singles the
passage out. A word is repaired only when it is no English word (the embedding model's WordPiece
vocabulary is the dictionary: 30k frequent words, shipped with the model, so offline), the corpus
does not use it in any form, and a close word (of the corpus or the dictionary) starting with the
same letter exists. Names (capitalised) and short words stay as typed: a name the corpus lacks is a
reason to abstain, not to guess another, and a four-letter word has too many neighbours to repair.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

from assistant.text import STOPWORDS, fold, stem

CUTOFF = 0.85  # difflib ratio: "recomend"/"recommend" 0.94; "cautionary"/"caution" 0.82 stays as typed
_CANDIDATE = re.compile(r"\b[a-z]{5,}\b(?!['’])")  # lower case, five letters or more, not "couldn't"


@lru_cache(maxsize=4)
def english_words(model_folder: str) -> frozenset[str]:
    """The embedding model's whole-word vocabulary (empty when the model has no `vocab.txt`)."""
    path = Path(model_folder) / "vocab.txt"
    if not path.exists():
        return frozenset()
    return frozenset(w for w in path.read_text(encoding="utf-8").split() if w.isalpha())


class Speller:
    """Built once per index (`CorpusIndex.speller`) from the corpus's words and the dictionary."""

    def __init__(self, corpus_words: set[str], english: frozenset[str]):
        self.corpus = corpus_words
        self.english = english
        self.corpus_stems = {stem(w) for w in corpus_words}
        self.by_letter: dict[str, list[str]] = {}
        for w in sorted(corpus_words | english):  # "recomend" meant "recommend", which the corpus has only
            if len(w) >= 4:                         # as "recommendations"
                self.by_letter.setdefault(w[0], []).append(w)

    def is_word(self, word: str) -> bool:
        """English, or a form of a word the corpus or the dictionary has ("wording" ← "word")."""
        base = stem(word)
        return (word in STOPWORDS or word in self.corpus or word in self.english or base in self.corpus_stems
                or base in self.english or f"{base}e" in self.english)

    def respell(self, question: str) -> str:
        if not self.english:  # without a dictionary every rare word would look like a typo
            return question

        def repair(m: re.Match) -> str:
            word = fold(m.group(0))
            if self.is_word(word):
                return m.group(0)
            swapped = [w for w in _transpositions(word) if w in self.corpus or w in self.english]
            if swapped:  # "recieved": two letters swapped, which difflib rates below "relieved"
                return swapped[0]
            close = difflib.get_close_matches(word, self.by_letter.get(word[0], ()), n=1, cutoff=CUTOFF)
            return close[0] if close else m.group(0)

        return _CANDIDATE.sub(repair, question)


def _transpositions(word: str) -> list[str]:
    return [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1]]
