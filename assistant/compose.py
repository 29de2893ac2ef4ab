"""From selected evidence to an answer: numbered evidence, the extractive composer, citations.

Markers are the app's: a composer (extractive or a model) returns sentences that point at evidence
ids; `render` numbers the cited evidence in order of first use and builds each citation from the
ingested text, so a `[n]` can only ever point at a real span of a real file.
"""

from __future__ import annotations

import re

from assistant.candidates import Candidate, paragraph_notes
from assistant.evidence import Selection
from assistant.index import CorpusIndex
from assistant.text import dated_relative
from assistant.types import Answer, Citation, Evidence, Sentence, SourceNote
from ingest.footnotes import MD_MARKER, SUPERSCRIPT_RUN

YEAR_REACH = 3  # sentences back in which "the same year" finds its year
NOTE_WORDS = 45  # a quoted footnote is cut here in the answer text; the citation shows it whole
ABSTAIN_TEXT = "This is not in the corpus: none of the ingested documents answers it."


def clean_sentence(text: str, markers: tuple[int, ...]) -> str:
    """A sentence as the answer shows it: the document's own markers removed (the app adds `[n]`)."""
    text = SUPERSCRIPT_RUN.sub("", MD_MARKER.sub("", text))
    for n in markers:  # glued PDF markers: `Singapore.6` → `Singapore.`
        text = re.sub(rf"(?<=[A-Za-z.,;:”’\")\]]){n}(?=\s|$)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def build_evidence(index: CorpusIndex, selection: Selection, hits) -> list[Evidence]:
    """Number the evidence the composer may cite: the chosen sentences and, for questions about
    sources, the footnotes those sentences carry. Models get no more than that: three extra
    sentences cost the 1.5B model ~2.5 s of prompt reading (p50 10.3 s → 7.8 s on the dev set)
    and changed no answer."""
    items: list[Evidence] = []
    for c in selection.chosen:
        items.append(_sentence_evidence(index, c, len(items) + 1))
    if selection.wants_source:
        file = selection.chosen[0].file
        quoted = {-c.number for c in selection.chosen if c.number < 0 and c.file == file}
        for number in _source_notes(index, selection, hits):
            note = index.note(file, number)
            if note is None or number in quoted:  # a note already chosen is not quoted a second time
                continue
            items.append(_note_evidence(index, file, number, len(items) + 1))
            if note.refers_to and index.note(file, note.refers_to):
                items.append(_note_evidence(index, file, note.refers_to, len(items) + 1))
    return items


def required_ids(selection: Selection) -> set[int]:
    """Evidence ids (`build_evidence` numbers the chosen sentences 1… in order) of the sentences an
    answer must keep (`Selection.required`)."""
    return {selection.chosen.index(c) + 1 for c in selection.required if c in selection.chosen}


def _source_notes(index: CorpusIndex, selection: Selection, hits) -> list[int]:
    """The footnotes the answer should quote: the best sentence's (`candidates.paragraph_notes`), then
    the next chosen sentence's; else those that matched the question."""
    numbers = paragraph_notes(index, selection.chosen[0])
    numbers = list(dict.fromkeys(numbers + [n for c in selection.chosen[1:2] for n in c.markers]))
    if not numbers and hits:
        numbers = list(hits[0].matched_notes)
    return numbers[:2]


def _sentence_evidence(index: CorpusIndex, c: Candidate, eid: int) -> Evidence:
    if c.number < 0:  # a sentence of a footnote
        doc = index.docs.get(c.file)
        return Evidence(id=eid, text=c.text, file=c.file, title=doc.title if doc else c.file, section="Notes",
                        start=c.start, end=c.end, passage_id=c.passage_id, score=round(c.score, 4),
                        markers=c.markers, kind="note")
    p = index.passage(c.passage_id)
    text = dated_relative(clean_sentence(c.text, c.markers), index.sentences_before(c.file, c.number, YEAR_REACH))
    return Evidence(id=eid, text=text, file=c.file, title=p.title if p else c.file,
                    section=p.section_path if p else "", start=c.start, end=c.end, passage_id=c.passage_id,
                    score=round(c.score, 4), markers=c.markers)


def _note_evidence(index: CorpusIndex, file: str, number: int, eid: int) -> Evidence:
    note = index.note(file, number)
    doc = index.docs.get(file)
    return Evidence(id=eid, text=note.text, file=file, title=doc.title if doc else file, section="Notes",
                    start=note.start, end=note.end, passage_id=f"{file}#note{number}", markers=(number,), kind="note")


def extractive(evidence: list[Evidence], selection: Selection) -> list[Sentence]:
    """The fallback composer: the chosen sentences themselves, then the footnote they rest on."""
    chosen = [e for e in evidence if e.id <= len(selection.chosen)]
    sentences = [Sentence(f"Footnote {e.markers[0]}: {e.text}" if e.kind == "note" else e.text, [e.id]) for e in chosen]
    notes = evidence[len(selection.chosen):]  # `build_evidence` adds only source notes after the chosen
    if notes:  # a question about the source: the claim it backs, then the note
        sentences = sentences[:1]
    i = 0
    while i < len(notes):
        e = notes[i]
        number = e.markers[0]
        follow = notes[i + 1] if i + 1 < len(notes) and _is_referent(e, notes[i + 1]) else None
        if follow is not None:
            text = (f"Its footnote {number} (“{_cut(e.text)}”) repeats footnote {follow.markers[0]}: "
                    f"{_cut(follow.text)}")
            sentences.append(Sentence(text, [e.id, follow.id]))
            i += 2
            continue
        sentences.append(Sentence(f"The source given in footnote {number} is: {_cut(e.text)}", [e.id]))
        i += 1
    return sentences


def _is_referent(note: Evidence, other: Evidence) -> bool:
    return other.markers[0] < note.markers[0]


def _cut(text: str) -> str:
    words = text.replace("*", "").split()
    return text if len(words) <= NOTE_WORDS else " ".join(words[:NOTE_WORDS]) + " …"


def render(index: CorpusIndex, question: str, sentences: list[Sentence], evidence: list[Evidence]) -> Answer:
    """Number cited evidence in order of first use; build the text with `[n]` and the citations."""
    by_id = {e.id: e for e in evidence}
    marker_of: dict[int, int] = {}
    parts = []
    for sentence in sentences:
        refs = []
        for eid in sentence.evidence:
            if eid in by_id:
                marker_of.setdefault(eid, len(marker_of) + 1)
                refs.append(marker_of[eid])
        if not refs:
            continue  # a sentence that cites nothing is not shown
        text = sentence.text.strip()
        parts.append(f"{text} " + "".join(f"[{n}]" for n in dict.fromkeys(refs)))
    citations = [citation(index, by_id[eid], n) for eid, n in sorted(marker_of.items(), key=lambda kv: kv[1])]
    return Answer(question=question, text=" ".join(parts), citations=citations)


def citation(index: CorpusIndex, e: Evidence, marker: int) -> Citation:
    """`[marker]` → the exact span of the ingested text, and the source footnotes inside it."""
    raw = index.doc_text(e.file)
    passage = index.passage(e.passage_id)
    doc = index.docs.get(e.file)
    notes = [source_note(index, e.file, n) for n in e.markers]
    return Citation(marker=marker, file=e.file, title=e.title, section=e.section, page=passage.page if passage else None,
                    start=e.start, end=e.end, quote=raw[e.start:e.end], footnotes=notes,
                    date=doc.date if doc else None, passage_id=e.passage_id)


def source_note(index: CorpusIndex, file: str, number: int) -> SourceNote:
    note = index.note(file, number)
    if note is None:
        return SourceNote(number=number, text="Note missing from the source: the document's text lost it.", missing=True)
    ref = index.note(file, note.refers_to) if note.refers_to else None
    return SourceNote(number=number, text=note.text, urls=list(note.urls), resolved_from=note.refers_to,
                      resolved_text=ref.text if ref else None)


def abstention(question: str, reason: str) -> Answer:
    return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, notice=reason)
