"""Sentence boundaries in repaired text, aware of abbreviations and footnote markers.

A citation quotes whole sentences, so the splitter must not cut `H.E. Prabowo`, `pp. 135-156`
or `J. Morgenthau`, and must keep a marker (`peace.”³²`, `Singapore.6`) with its sentence.
"""

from __future__ import annotations

import re

from ingest.footnotes import SUPERSCRIPT_DIGITS

FIELD_WORDS = 3  # a "sentence" this short, on its sentence's line, is read with that sentence
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "no", "nos", "vol", "pp", "p", "e.g", "i.e", "etc", "st", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "h.e", "op", "cit",
    "ed", "eds", "fig", "art", "ret", "gen", "lt", "col", "capt", "inc", "co", "ltd", "vs", "cf", "al", "approx",
}
_LIST_NUMBER = re.compile(r"\s*(?:\d{1,2}|[ivx]{1,4}|[a-z])\.", re.IGNORECASE)  # "2.", "iv.", "b."
_BOUNDARY = re.compile(  # starts at the first mark of a run, possessive: linear on "......"
    rf"(?<![.?!])[.?!]++[\"”’')\]]*+(?:[{SUPERSCRIPT_DIGITS}]+|\d{{1,3}}(?=\s))?(?=\s+[\"“‘(\[]?[A-Z0-9{SUPERSCRIPT_DIGITS}])"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, whitespace trimmed."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        word = re.search(r"([\w.]+)[.?!]*$", text[start : m.start() + 1])
        token = word.group(1).rstrip(".").lower() if word else ""
        if m.group().startswith(".") and (token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token)):
            continue
        if _LIST_NUMBER.fullmatch(text[start : m.end()]):
            continue  # "2. At the beginning…": a list number, not a sentence
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and out and _runs_on(text, out[-1][1], s, e):
            out[-1] = (out[-1][0], e)
        elif e > s:
            out.append((s, e))
    return out


def _runs_on(text: str, previous_end: int, s: int, e: int) -> bool:
    """Is `text[s:e]` too short to stand as a sentence, on the line of the one before: a reference's
    fields after its title ("…in Peacetime). Keiso Shobo. October 2021. ISBN: 978-4-326-30307-6"),
    "None opposed it."? Alone it is never evidence (too short to answer anything), and its date or
    ISBN would be lost; with the sentence before, it is quoted where it stands."""
    return (len(text[s:e].split()) <= FIELD_WORDS and "\n" not in text[previous_end:s]
            and not _LIST_NUMBER.fullmatch(text[s:e].split()[0]))
