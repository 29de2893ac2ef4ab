"""Candidate evidence: the sentences (and footnote sentences) of the retrieved units, with their
offsets into the file, and what can be said of one without the question — whether it is a
bibliographic note, whether it repeats another, how far apart two are.

Split from `evidence.py`, which scores and chooses among them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.index import CorpusIndex
from assistant.retrieve import Hit
from assistant.text import YEAR, tokens

SIGNATURE_REACH = 200  # characters after a section's last passage where its author line may stand
PARAGRAPH_REACH = 600  # characters past a sentence in which its paragraph's note is looked for
LONG_SENTENCE_WORDS = 60  # a sentence longer than this is offered clause by clause
RESTATE_SHARE = 0.5  # of the shorter one's words two sentences share when one tells again what the other does
_REFERENCE = re.compile(r"https?://|\bwww\.|\bpp?\. \d|\bIbid\b", re.IGNORECASE)
_CITED_WORK = re.compile(r"[“\"][^”\"]{12,}[”\"]|\*[^*]{12,}\*")  # a quoted or italic title, with its year:
# "Ministry of Defense, “…,” November 15, 2023."


@dataclass
class Candidate:
    text: str
    file: str
    start: int
    end: int
    passage_id: str
    unit: int  # rank of the retrieved unit it came from
    number: int  # position of the sentence in its document; -n for a sentence of footnote n
    markers: tuple[int, ...] = ()
    score: float = 0.0
    coverage: float = 0.0
    terms: set[str] = field(default_factory=set)
    signed: bool = False  # a contributor's author line, which names who wrote its section
    borrowed: set[str] = field(default_factory=set)  # terms it holds by context (a table row's caption), not by its words


def candidates(index: CorpusIndex, hits: list[Hit]) -> list[Candidate]:
    """Sentences of the retrieved units, plus each unit's next sentence beyond its end (an answer
    often runs on: "…proposed an initiative." → "It aims to address three issues: …")."""
    out, seen = [], set()
    for rank, hit in enumerate(hits):
        for p in hit.passages:
            for number, start, end, text in index.sentences(p):
                for start, end, text in clauses(index, p.doc_id, start, end, text):
                    if (p.doc_id, start) in seen:
                        continue
                    seen.add((p.doc_id, start))
                    markers = tuple(m.number for m in index.markers_in(p.doc_id, start, end))
                    out.append(Candidate(text, p.doc_id, start, end, p.id, rank, number, markers))
        for number in unit_notes(index, hit):  # the document's own footnotes answer questions too
            for start, end, text in index.note_sentences(hit.doc_id, number):
                if (hit.doc_id, start) not in seen:
                    seen.add((hit.doc_id, start))
                    out.append(Candidate(text, hit.doc_id, start, end, f"{hit.doc_id}#note{number}", rank, -number, (number,)))
        after = index.sentence_after(hit.passages[-1])
        if after and (hit.doc_id, after[1]) not in seen:
            number, start, end, text = after
            seen.add((hit.doc_id, start))
            markers = tuple(m.number for m in index.markers_in(hit.doc_id, start, end))
            out.append(Candidate(text, hit.doc_id, start, end, hit.passages[-1].id, rank, number, markers))
    return out


def clauses(index: CorpusIndex, file: str, start: int, end: int, text: str) -> list[tuple[int, int, str]]:
    """A sentence, or its clauses when it is too long to quote whole ("… the followings: the holding of
    the first seminar …; further support for …; …" runs to 143 words): one clause is then evidence
    on its own, with its own offsets. Clauses are split at semicolons and must be found verbatim in
    the file (a repaired PDF sentence that is not stays whole)."""
    if len(text.split()) <= LONG_SENTENCE_WORDS or "; " not in text:
        return [(start, end, text)]
    raw, out, at = index.doc_text(file), [], start
    for piece in re.split(r"(?<=;)\s+", text):
        found = raw.find(piece, at, end)
        if found < 0:
            return [(start, end, text)]
        out.append((found, found + len(piece), piece))
        at = found + len(piece)
    return out


def is_bibliographic(c: Candidate) -> bool:
    """Is `c` a footnote's reference to a work (a link, pages, Ibid., a titled work with its year),
    not a note that explains ("During the programs, the participants exchange views …")?"""
    return c.number < 0 and bool(_REFERENCE.search(c.text) or (_CITED_WORK.search(c.text) and YEAR.search(c.text)))


def repeats(c: Candidate, o: Candidate) -> bool:
    """Does `c` say again what `o` says (most of the shorter one's words shared)?"""
    own, other = c.terms - c.borrowed, o.terms - o.borrowed
    return c is o or len(own & other) > 0.6 * min(len(own), len(other))


def paragraph_notes(index: CorpusIndex, c: Candidate) -> list[int]:
    """The notes a claim rests on: its own markers, or else the first one later in its paragraph (a
    quotation running over two sentences carries its note at the end: "…no official meeting for
    defense ministers in the region.” In this regard, … concerns.¹⁶")."""
    if c.markers or c.number < 0:
        return list(c.markers)
    text = index.doc_text(c.file)
    lead_in = c.text.rstrip().endswith(":")  # "…four pillars were outlined:" carries its list's note
    close = text.find("\n\n", c.end + (2 if lead_in else 0))
    end = min(close if close >= 0 else len(text), c.end + PARAGRAPH_REACH)
    return [m.number for m in index.markers_in(c.file, c.end, end)[:1]]


def gap(a: Candidate, b: Candidate) -> int:
    """How many sentences apart two body sentences of one document are (large for anything else)."""
    if a.file != b.file or a.number < 0 or b.number < 0:
        return 1 << 20
    return abs(a.number - b.number)


def unit_notes(index: CorpusIndex, hit: Hit) -> list[int]:
    """Notes worth reading for a unit: those that matched the question, then those its markers cite."""
    numbers = list(hit.matched_notes) + [n for p in hit.passages for n in p.markers]
    return [n for n in dict.fromkeys(numbers) if index.note(hit.doc_id, n) is not None]


def sentence_vector(index: CorpusIndex, c: Candidate, embed) -> np.ndarray:
    if c.number < 0:  # a footnote sentence: the note's stored vector
        return index.note_vectors.get((c.file, -c.number), np.zeros(1, dtype=np.float32))
    return index.sentence_vectors(c.file, embed)[c.number]


def signature(index: CorpusIndex, c: Candidate) -> Candidate | None:
    """The author line ("(Hideshi Tokuchi)") closing the contributor's section `c` stands in: in an
    edited report, the answer to "who wrote the proposal on …" and the span a reader can check."""
    passage = index.passage(c.passage_id) if c.number >= 0 else None
    if passage is None or passage.author not in index.contributors:
        return None
    line = f"({passage.author})"  # lifted out of the passages as their author, so looked up in the file
    # the first author line after `c`, closing `c`'s section: a contributor who wrote several sections signs
    # each, and the publisher's back matter after their last one is not theirs to sign
    start = index.doc_text(passage.doc_id).find(line, passage.start)
    last = max((index.passages[i] for i in index.contributors[passage.author]
                if passage.end <= index.passages[i].end <= start), key=lambda p: p.end, default=None)
    if last is None or start > last.end + SIGNATURE_REACH:
        return None
    sentences = index.sentences(last)
    number = sentences[-1][0] if sentences else 0  # it stands right after the section's last sentence
    return Candidate(line, last.doc_id, start, start + len(line), last.id, c.unit, number, score=c.score, signed=True)


def restatement(index: CorpusIndex, c: Candidate, says) -> Candidate | None:
    """The sentence elsewhere in `c`'s document that tells what `c` tells and `says` (a test on its text)
    what `c` leaves out: a paper's summary calls the meeting Abe proposed "the first defense ministerial
    roundtable meeting", its body "a Japan-ASEAN defense ministers meeting" — the question's "first" is
    the summary's, which retrieval found no reason to bring."""
    if c.number < 0:
        return None
    told = set(tokens(c.text))
    for p, number, start, end, text in index.sentences_in(c.file):
        words = set(tokens(text))
        if number != c.number and says(text) and len(told & words) >= RESTATE_SHARE * min(len(told), len(words)):
            markers = tuple(m.number for m in index.markers_in(c.file, start, end))
            return Candidate(text, c.file, start, end, p.id, c.unit, number, markers, score=c.score)
    return None


def biography(index: CorpusIndex, name: str, file: str, unit: int, score: float) -> Candidate | None:
    """The line of an edited report's author list that introduces `name` ("Goro Matsumura, Lieutenant
    General (Ret.), and Former Northeastern Army Commanding General, …"): who a contributor is."""
    for p, number, start, end, text in index.sentences_in(file):
        if text.startswith(f"{name},"):
            return Candidate(text, file, start, end, p.id, unit, number, score=score)
    return None
