"""Footnote markers in body text and the notes they point to.

Three marker styles occur in policy documents:
- unicode superscripts (`¹⁸`) — markdown conversions of journal papers;
- markdown footnotes (`[^3]`);
- plain digits glued to a word or punctuation in PDF-extracted text (`Southeast Asia.2`,
  `December 2013.14`). These are ambiguous (years, list numbers, figures), so they are accepted only
  in sequence: a candidate must continue the document's running marker count. Notes are numbered
  in reading order, so a stray `G20` or `Vision 2.0` does not fit the sequence.
"""

from __future__ import annotations

import re

from ingest.types import Marker, Note

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_INT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
MD_MARKER = re.compile(r"\[\^(\d{1,4})\]")
# A digit run glued to the end of a word or closing punctuation, followed by a boundary.
GLUED_MARKER = re.compile(r"(?<=[A-Za-z.,;:”’\"')\]])(\d{1,3})(?=[\s.,;:”’\")]|$)")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"”]+[^\s<>\"”.,;:)\]]")
_IBID = re.compile(r"^\W*ibid\b\.?\W*", re.IGNORECASE)
_QUOTED_TITLE = re.compile(r"[“\"*]([^”\"*]{12,})[”\"*]")
_HEAD_ABBREV = re.compile(r"^([A-Z][A-Za-z]{1,9})\b")

MAX_MARKER = 999


def superscript_value(run: str) -> int:
    """The number a superscript run stands for; absurdly long runs count as 0 (not a marker)."""
    return int(run.translate(_SUP_TO_INT)) if len(run) <= 4 else 0


def find_markers(text: str, glued: bool, last: int = 0) -> tuple[list[tuple[int, int, int]], int]:
    """Markers in `text` as (number, start, end) offsets into `text`.

    `glued` enables PDF-style plain-digit markers, accepted only when they continue the sequence
    (`last` is the last marker number accepted so far in the document). Returns the new `last`.
    """
    found: list[tuple[int, int, int]] = []
    for m in SUPERSCRIPT_RUN.finditer(text):
        n = superscript_value(m.group())
        if 0 < n <= MAX_MARKER:
            found.append((n, m.start(), m.end()))
    for m in MD_MARKER.finditer(text):
        found.append((int(m.group(1)), m.start(), m.end()))
    if glued:
        for m in GLUED_MARKER.finditer(text):
            n = int(m.group(1))
            before = text[max(0, m.start() - 2) : m.start()]
            # `G20`, `F35`: a lone capital before the digits is a name, not a marker.
            if re.fullmatch(r"(^|\s)?[A-Z]", before) or re.fullmatch(r"\s[A-Z]", before):
                continue
            if last < n <= last + 3:
                found.append((n, m.start(), m.end()))
                last = n
    found.sort(key=lambda f: f[1])
    if not glued and found:
        last = max(last, max(f[0] for f in found))
    return found, last


def strip_markers(text: str, markers: list[tuple[int, int, int]]) -> str:
    """`text` with the given marker spans removed (for embedding and keyword search)."""
    out, pos = [], 0
    for _, start, end in sorted(markers, key=lambda m: m[1]):
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def make_note(number: int, text: str, start: int, end: int) -> Note:
    text = re.sub(r"\s+", " ", text).strip()
    urls = tuple(dict.fromkeys(u.rstrip(">") for u in URL.findall(text)))
    return Note(number=number, text=text, urls=urls, start=start, end=end)


def resolve_references(notes: dict[int, Note]) -> dict[int, Note]:
    """Link `Ibid.` and short-title notes to the earlier note they repeat.

    `Ibid., 68.` repeats the note just before it (following that one's own link), keeping its own
    page. A short note such as `Lee, “Strategic Possibilities…,” p. 4.` or `NSS, p. 7.` repeats the
    first earlier note that carries the same title or defines the abbreviation `(NSS)`.
    """
    resolved: dict[int, Note] = {}
    ordered = sorted(notes)
    for i, n in enumerate(ordered):
        note = notes[n]
        target = None
        if _IBID.match(note.text.replace("*", "")):
            if i > 0:
                prev = resolved[ordered[i - 1]]
                target = prev.refers_to or prev.number
        elif not note.urls and len(note.text) < 160:
            target = _short_title_target(note, [notes[m] for m in ordered[:i]])
        resolved[n] = Note(note.number, note.text, note.urls, target, note.start, note.end)
    return resolved


def _short_title_target(note: Note, earlier: list[Note]) -> int | None:
    title = _QUOTED_TITLE.search(note.text)
    if title:
        key = title.group(1).strip(" .,…").lower()[:30]
        for other in earlier:
            if key and key in other.text.lower() and len(other.text) > len(note.text):
                return other.refers_to or other.number
        return None
    head = _HEAD_ABBREV.match(note.text)
    if head and head.group(1).isupper():
        for other in earlier:
            if f"({head.group(1)})" in other.text:
                return other.refers_to or other.number
    return None
