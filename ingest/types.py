"""Data that ingest hands to the rest of the app: notes, markers, passages, parsed documents.

Offsets (`start`, `end`) always index the file's text as read from disk, so
``file_text[start:end]`` is the span a passage or note came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """One of the document's own footnotes, lifted out of the body."""

    number: int
    text: str
    urls: tuple[str, ...] = ()
    refers_to: int | None = None  # for `Ibid.` / short-title notes: the note they repeat
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Marker:
    """A footnote marker in the body text (¹⁸, [^3], or a digit glued to a word in PDF text)."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """A retrieval unit: sentence-aligned, inside one section, with offsets into the file."""

    id: str
    doc_id: str  # file name inside the corpus folder
    title: str
    section: tuple[str, ...]
    author: str | None
    page: int | None
    start: int
    end: int
    markers: tuple[int, ...]
    text: str  # repaired text (lines joined, notes lifted out, markers removed)
    sha: str
    date: str | None = None

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)


@dataclass
class ParsedDocument:
    """Everything ingest learnt about one file."""

    doc_id: str
    title: str
    raw: str  # the text as read from disk
    meta: dict = field(default_factory=dict)  # catalog: title, authors, publisher, date, url
    notes: dict[int, Note] = field(default_factory=dict)
    markers: list[Marker] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    sha256: str = ""

    @property
    def missing_notes(self) -> list[int]:
        """Marker numbers whose note is absent from the source (e.g. lost in PDF conversion)."""
        return sorted({m.number for m in self.markers} - set(self.notes))
