"""One file's text → a ParsedDocument: notes, markers, sentence-aligned passages with offsets.

Passage size is a trade-off measured in docs/benchmarks.md: retrieval hands the answer step five
passages, and a multi-hop question needs all its evidence inside them, so passages are paragraphs
packed up to `passage_words` words, never crossing a section boundary.
"""

from __future__ import annotations

import hashlib
import re

from ingest.footnotes import find_markers, resolve_references
from ingest.sentences import split_sentences
from ingest.structure import Paragraph, parse
from ingest.types import Marker, ParsedDocument, Passage


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_document(doc_id: str, raw: str, meta: dict, passage_words: int, overlap: int = 0) -> ParsedDocument:
    """Parse `raw` (the file's text as read from disk) into a ParsedDocument."""
    structure = parse(raw)
    notes = resolve_references(structure.notes)
    title = meta.get("title") or _title_from(structure.first_line)
    doc = ParsedDocument(doc_id=doc_id, title=title, raw=raw, meta=dict(meta), notes=notes, sha256=sha256_text(raw))
    doc.markers = _markers(raw, structure)
    by_offset = {m.start: m for m in doc.markers}
    doc.passages = _passages(doc, structure.paragraphs, by_offset, passage_words, overlap)
    return doc


def _title_from(first_line: str) -> str:
    title = re.sub(r"^#+\s*|[*_]{1,3}", "", first_line).strip()
    return title[:200] or "Untitled"


def _markers(raw: str, structure) -> list[Marker]:
    """Every footnote marker in the body (headings included), with offsets into `raw`."""
    note_spans = [(n.start, n.end) for n in structure.notes.values()]

    def in_note(offset: int) -> bool:
        return any(s <= offset < e for s, e in note_spans)

    found: dict[int, Marker] = {}
    styled, _ = find_markers(raw, glued=False)
    for number, start, end in styled:
        if not in_note(start):
            found[start] = Marker(number, start, end)
    if structure.hard_wrapped:
        last = 0
        for paragraph in structure.paragraphs:
            glued, last = find_markers(paragraph.text.text, glued=True, last=last)
            for number, start, end in glued:
                s, e = paragraph.text.span(start, end)
                if not in_note(s):
                    found.setdefault(s, Marker(number, s, e))
    return sorted(found.values(), key=lambda m: m.start)


def _passages(doc: ParsedDocument, paragraphs: list[Paragraph], markers: dict[int, Marker],
              passage_words: int, overlap: int) -> list[Passage]:
    """Pack consecutive sentences of one section into passages of about `passage_words` words."""
    passages: list[Passage] = []
    groups: list[list[tuple[Paragraph, int, int]]] = []
    for paragraph in paragraphs:
        sentences = [(paragraph, s, e) for s, e in split_sentences(paragraph.text.text)]
        if groups and groups[-1] and groups[-1][0][0].section == paragraph.section:
            groups[-1].extend(sentences)
        else:
            groups.append(sentences)
    for sentences in groups:
        chunk: list[tuple[Paragraph, int, int]] = []
        fresh = 0  # sentences in `chunk` not already in the previous passage (the overlap)
        words = 0
        for sentence in sentences:
            chunk.append(sentence)
            fresh += 1
            words += len(sentence[0].text.text[sentence[1] : sentence[2]].split())
            if words >= passage_words:
                passages.append(_make_passage(doc, chunk, markers))
                chunk = chunk[-overlap:] if overlap else []
                fresh = 0
                words = sum(len(p.text.text[s:e].split()) for p, s, e in chunk)
        if fresh:
            passages.append(_make_passage(doc, chunk, markers))
    return passages


def _make_passage(doc: ParsedDocument, chunk: list[tuple[Paragraph, int, int]], markers: dict[int, Marker]) -> Passage:
    pieces = []
    for i, (paragraph, s, e) in enumerate(chunk):
        sep = "" if i == 0 else ("\n\n" if paragraph is not chunk[i - 1][0] else " ")
        pieces.append(sep + paragraph.text.text[s:e])
    text = "".join(pieces)
    first, last = chunk[0], chunk[-1]
    start = first[0].text.span(first[1], first[2])[0]
    end = last[0].text.span(last[1], last[2])[1]
    numbers = tuple(dict.fromkeys(m.number for off, m in sorted(markers.items()) if start <= off < end))
    sha = sha256_text(text)
    paragraph = first[0]
    authors = doc.meta.get("authors")
    author = paragraph.author or (", ".join(authors) if isinstance(authors, list) else authors)
    return Passage(
        id=f"{doc.doc_id}:{start}-{end}:{sha[:12]}",
        doc_id=doc.doc_id,
        title=doc.title,
        section=paragraph.section,
        author=author,
        page=paragraph.page,
        start=start,
        end=end,
        markers=numbers,
        text=text,
        sha=sha,
        date=doc.meta.get("date"),
    )


def document_sentences(raw: str) -> tuple[list[tuple[int, int, str]], list[Marker]]:
    """Every body sentence as (file start, file end, repaired text), and the footnote markers.

    The store keeps passages; evidence selection quotes single sentences out of them, so the
    assistant re-derives sentences from the ingested text (once per document version).
    """
    structure = parse(raw)
    sentences = []
    for paragraph in structure.paragraphs:
        for s, e in split_sentences(paragraph.text.text):
            fs, fe = paragraph.text.span(s, e)
            sentences.append((fs, fe, paragraph.text.text[s:e]))
    return sentences, _markers(raw, structure)
