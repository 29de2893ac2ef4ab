"""The answer contract: what the assistant returns, the UI renders and `footnotes eval` writes.

Citations are data built by the app, never text a model wrote: a generator can only point at
evidence ids the app enumerated; the app renders `[n]` in order of first use.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class SourceNote:
    """A document's own footnote attached to a cited span."""

    number: int
    text: str
    urls: list[str] = field(default_factory=list)
    missing: bool = False  # marker in the body, note lost from the source
    resolved_from: int | None = None  # `Ibid.`/short-title note: the note it repeats
    resolved_text: str | None = None  # text of that earlier note


@dataclass
class Citation:
    """`[marker]` → the exact span of a file, with its section, page and source notes."""

    marker: int
    file: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    quote: str  # == file_text[start:end]
    footnotes: list[SourceNote] = field(default_factory=list)
    date: str | None = None
    passage_id: str = ""


@dataclass
class Evidence:
    """One numbered evidence sentence the composer may cite (ids are 1-based, in retrieval order)."""

    id: int
    text: str  # repaired sentence text
    file: str
    title: str
    section: str
    start: int
    end: int
    passage_id: str
    score: float = 0.0
    markers: tuple[int, ...] = ()
    kind: str = "sentence"  # or "note": a sentence of the document's own footnote `markers[0]`


@dataclass
class Sentence:
    """One sentence of a composed answer and the evidence ids it rests on."""

    text: str
    evidence: list[int]


@dataclass
class Answer:
    question: str
    text: str  # sentences, each ending in its `[n]` markers
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    retrieved: list[dict] = field(default_factory=list)  # {file, text, score, passage_id}, best first
    latency_ms: float = 0.0
    generator: str = "extractive"
    standalone_question: str = ""  # the follow-up rewritten against the conversation
    notice: str | None = None  # e.g. "generator timed out; extractive answer shown"

    def to_dict(self) -> dict:
        return asdict(self)
