"""From raw text to paragraphs with sections, and notes lifted out of the body.

Works on the text of any loader. Two layouts are recognised:
- *flowing* text (markdown, HTML, DOCX, most .txt): a paragraph is one line or a blank-separated block;
- *hard-wrapped* text (PDF extraction): lines wrap at a fixed width, page-bottom notes interrupt the
  body, and a page resumes on a line that starts with a space. Lines are joined into paragraphs and
  a sentence cut by a note block is joined again.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ingest.footnotes import SUPERSCRIPT_DIGITS, make_note, superscript_value
from ingest.textmap import MappedText, join_lines, words_of
from ingest.types import Note

_SUP_NOTE = re.compile(rf"^\s*(?:[-*]\s+)?([{SUPERSCRIPT_DIGITS}]+)\s*(\S.*)$")
_MD_NOTE = re.compile(r"^\s*\[\^(\d{1,4})\]:\s*(.*)$")
_PLAIN_NOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_STAR_NOTE = re.compile(r"^\*\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")  # closing #s are stripped by _clean_heading
_BRACKET_HEADING = re.compile(r"^\[[^\]]{3,120}\]$")
_PAREN_HEADING = re.compile(r"^\(\d{1,2}\)\s+\S")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+[A-Z]")
_AUTHOR_LINE = re.compile(r"^\(((?:[A-Z][\w'’.-]+\s){1,3}[A-Z][\w'’-]+)\)$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_TERMINAL = tuple(".?!:;")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
                "through", "toward", "towards", "between", "into", "under", "via", "vs", "is", "does", "it"}


@dataclass
class Paragraph:
    text: MappedText
    section: tuple[str, ...]
    page: int | None
    author: str | None = None


@dataclass
class Structure:
    paragraphs: list[Paragraph] = field(default_factory=list)
    notes: dict[int, Note] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    hard_wrapped: bool = False
    first_line: str = ""


@dataclass
class _Block:
    lines: list[tuple[int, int]]
    after_notes: bool = False  # a note block stood between this and the previous body block


def split_lines(raw: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out, pos = [], 0
    for line in raw.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def is_hard_wrapped(raw: str, lines: list[tuple[int, int]]) -> bool:
    """PDF-like text: most lines are long, similar in length and end mid-sentence."""
    lengths = sorted(len(raw[s:e].strip()) for s, e in lines if raw[s:e].strip())
    if len(lengths) < 20:
        return False
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    near_full = sum(1 for n in lengths if n >= 0.75 * p90) / len(lengths)
    ends_open = sum(1 for s, e in lines if raw[s:e].strip() and not raw[s:e].rstrip().endswith(_TERMINAL))
    return 50 <= p90 <= 130 and near_full > 0.55 and ends_open / len(lengths) > 0.6


def _title_ratio(text: str) -> float:
    words = [w for w in re.findall(r"[\w’'“”\"-]+", text) if w.lower() not in _SMALL_WORDS]
    if not words:
        return 0.0
    caps = sum(1 for w in words if w.lstrip("“\"'")[:1].isupper() or w[:1].isdigit())
    return caps / len(words)


def _clean_heading(text: str) -> str:
    text = text.rstrip().rstrip("#").rstrip()
    text = re.sub(r"[*_]{1,3}", "", text).replace("\\", "").strip()
    return re.sub(r"\s+", " ", text).strip(" []")


def heading_kind(text: str, width: float) -> tuple[str, int] | None:
    """('strong'|'weak', level) when a one-block line looks like a heading, else None."""
    text = text.strip()
    m = _MD_HEADING.match(text)
    if m:
        return "strong", len(m.group(1))
    if _BRACKET_HEADING.match(text):
        return "strong", 3
    if len(text) > min(width, 140) or len(text) < 3 or text.endswith(_TERMINAL[:1] + (",", ";")):
        return None
    if _PAREN_HEADING.match(text) and _title_ratio(text) >= 0.5:
        return "strong", 2
    m = _NUMBERED_HEADING.match(text)
    if m and _title_ratio(text) >= 0.6 and not text.endswith(":"):
        return "strong", m.group(1).count(".") + 1
    if text.endswith(":") or re.match(r"^[-•*]\s", text) or _AUTHOR_LINE.match(text):
        return None
    if _title_ratio(text) >= 0.75 and len(text.split()) <= 16 and (text[:1].isupper() or text[:1] in "“\"'"):
        return "weak", 1
    return None


def parse(raw: str) -> Structure:
    """Split `raw` into notes and section-tagged paragraphs with offsets into `raw`."""
    lines = split_lines(raw)
    hard = is_hard_wrapped(raw, lines)
    notes: dict[int, Note] = {}
    blocks = _body_blocks(raw, lines, hard, notes)
    structure = Structure(notes=notes, hard_wrapped=hard)
    structure.first_line = next((raw[s:e].strip() for s, e in lines if raw[s:e].strip()), "")
    _assign_sections(raw, blocks, hard, structure)
    return structure


def _line_text(raw: str, span: tuple[int, int]) -> str:
    return raw[span[0] : span[1]]


def _note_start(text: str, expected: int, hard: bool, prev_blank: bool, in_notes: bool) -> int | None:
    """The number of the note that starts on this line, if one does."""
    m = _SUP_NOTE.match(text)
    if m and text.lstrip("-* ")[:1] in SUPERSCRIPT_DIGITS:
        return superscript_value(m.group(1))
    m = _MD_NOTE.match(text)
    if m:
        return int(m.group(1))
    if hard and (prev_blank or in_notes):
        m = _PLAIN_NOTE.match(text)
        if m and int(m.group(1)) == expected:
            return expected
    return None


def _body_blocks(raw: str, lines: list[tuple[int, int]], hard: bool, notes: dict[int, Note]) -> list[_Block]:
    """Walk the lines once: collect note blocks into `notes`, return the body as blocks."""
    page_resume = hard and sum(1 for s, e in lines if re.match(r"^ \S", raw[s:e])) >= 3
    blocks: list[_Block] = []
    current: list[tuple[int, int]] = []
    note_lines: list[tuple[int, int]] = []
    note_no: int | None = None
    in_notes = False
    saw_notes = False
    prev_blank = True

    def close_note() -> None:
        nonlocal note_lines, note_no
        if note_no is not None and note_lines:
            text = join_lines(raw, note_lines).text
            text = re.sub(rf"^\s*(?:[-*]\s+)?(?:[{SUPERSCRIPT_DIGITS}]+|\[\^\d+\]:|\d+)\s*", "", text)
            if note_no not in notes:
                notes[note_no] = make_note(note_no, text, note_lines[0][0], note_lines[-1][1])
        note_lines, note_no = [], None

    def close_block() -> None:
        nonlocal current, saw_notes
        if current:
            blocks.append(_Block(current, after_notes=saw_notes))
            saw_notes = False
        current = []

    for span in lines:
        text = _line_text(raw, span)
        blank = not text.strip()
        expected = (note_no or max(notes, default=0)) + 1
        number = None if blank else _note_start(text, expected, hard, prev_blank, in_notes)
        if number is not None or (hard and not blank and _STAR_NOTE.match(text) and prev_blank):
            close_block()
            close_note()
            in_notes, saw_notes = True, True
            note_no = number  # None for an unnumbered `*` note: lifted out, not kept
            note_lines = [span]
        elif in_notes:
            if blank:
                pass
            elif page_resume and text.startswith(" "):
                close_note()
                in_notes = False
                current = [span]
            elif page_resume or _continues_note(raw, note_lines, text, hard):
                # pages resume on an indented line, so until one comes every line is note text
                note_lines.append(span)
            else:
                close_note()
                in_notes = False
                current = [span]
        elif blank:
            close_block()
        elif not hard:
            close_block()  # flowing text: every line is its own paragraph
            current = [span]
        else:
            current.append(span)
        prev_blank = blank
    close_block()
    close_note()
    return blocks


def _continues_note(raw: str, note_lines: list[tuple[int, int]], text: str, hard: bool) -> bool:
    """Is this line the rest of the open note (a wrapped URL, a line after a blank) or body text?"""
    if not note_lines:
        return False
    last = _line_text(raw, note_lines[-1]).rstrip()
    stripped = text.strip()
    if re.match(r"^(?:<?https?://|www\.)", stripped) or stripped[:1].islower():
        return True
    if hard:
        return not last.endswith((".", ")"))
    return last.endswith((",", ";", ":", "-", "/"))


def _assign_sections(raw: str, blocks: list[_Block], hard: bool, structure: Structure) -> None:
    """Classify blocks as headings or body, join paragraphs cut by notes, and tag each with its section."""
    vocab = words_of(raw)
    lengths = [e - s for b in blocks for s, e in b.lines]
    width = statistics.median(lengths) * 0.9 if hard and lengths else 140.0
    kinds = [_block_heading(raw, b, width) for b in blocks]
    if any(_MD_HEADING.match(_line_text(raw, b.lines[0]).strip()) for b in blocks):
        # Markdown with real `#` headings: trust those, not lines that merely look like titles.
        kinds = [k if k is None or k[0] == "strong" else None for k in kinds]
    _mark_tables(raw, blocks, kinds)
    _demote_lists(raw, blocks, kinds)
    stack: list[tuple[int, str]] = []
    paragraphs = structure.paragraphs
    page = 1 if hard else None
    page_of = _page_counter(raw, hard)
    for block, kind in zip(blocks, kinds):
        first = block.lines[0]
        if kind is None and hard and len(block.lines) > 1:
            head = heading_kind(_line_text(raw, first).strip(), width * 0.95)
            if head and head[0] == "weak" and not _line_text(raw, block.lines[1]).startswith(" "):
                _push(stack, 2, _clean_heading(_line_text(raw, first)), structure)
                block = _Block(block.lines[1:], block.after_notes)
        elif kind is not None:
            text = " ".join(_line_text(raw, l).strip() for l in block.lines)
            level = kind[1] if not hard else 1
            m = _MD_HEADING.match(text)
            _push(stack, level, _clean_heading(m.group(2) if m else text), structure)
            continue
        text = " ".join(_line_text(raw, l).strip() for l in block.lines)
        if _RULE.match(text) or not text.strip():
            continue
        author = _AUTHOR_LINE.match(text.strip())
        section = tuple(name for _, name in stack)
        if author:
            for p in paragraphs:
                if p.section == section and p.author is None:
                    p.author = author.group(1)
            continue
        mapped = join_lines(raw, block.lines, vocab)
        if page_of:
            page = page_of(block.lines[0][0])
        if paragraphs and _continues(paragraphs[-1], mapped, block.after_notes) and paragraphs[-1].section == section:
            prev = paragraphs[-1].text
            prev.add_synthetic(" ", block.lines[0][0] - 1)
            prev.text += mapped.text
            prev.origin.extend(mapped.origin)
            continue
        paragraphs.append(Paragraph(mapped, section, page))


def _demote_lists(raw: str, blocks: list[_Block], kinds: list) -> None:
    """Weak candidates in a run are a list (contents, table rows, bullet points), not headings.

    Only the last of a run may be a heading, when body text follows it and the run was not
    introduced by a line ending in a colon.
    """
    i = 0
    while i < len(kinds):
        if not (kinds[i] and kinds[i][0] == "weak"):
            i += 1
            continue
        j = i
        while j + 1 < len(kinds) and kinds[j + 1] and kinds[j + 1][0] == "weak":
            j += 1
        k = i - 1  # walk back over the list items before the run to what introduced them
        while k >= 0 and len(blocks[k].lines) == 1 and not _line_text(raw, blocks[k].lines[0]).rstrip().endswith((".", ":")):
            k -= 1
        intro = _line_text(raw, blocks[k].lines[-1]).rstrip() if k >= 0 else ""
        body_follows = j + 1 < len(kinds) and kinds[j + 1] is None
        for k in range(i, j):
            kinds[k] = None
        if intro.endswith(":") or not body_follows:
            kinds[j] = None
        i = j + 1


def _block_heading(raw: str, block: _Block, width: float) -> tuple[str, int] | None:
    """Heading kind of a whole block: one line, or a title wrapped onto a second line."""
    texts = [_line_text(raw, l).strip() for l in block.lines]
    if len(texts) == 1:
        return heading_kind(texts[0], width)
    if len(texts) == 2 and all(len(t) <= width * 1.25 for t in texts):
        joined = " ".join(texts)
        if len(joined.split()) <= 25 and not joined.endswith(_TERMINAL[:1] + (",", ";")) and _title_ratio(joined) >= 0.75:
            return "weak", 1
    return None


def _mark_tables(raw: str, blocks: list[_Block], kinds: list) -> None:
    """Rows between `Table: …` and `Source: …` are table body, not headings."""
    inside = False
    for i, block in enumerate(blocks):
        text = _line_text(raw, block.lines[0]).strip()
        if re.match(r"^(Table|Figure|Chart)\b.{0,3}[:.]", text):
            inside, kinds[i] = True, None
        elif inside:
            kinds[i] = None
            if text.startswith("Source"):
                inside = False


def _push(stack: list[tuple[int, str]], level: int, name: str, structure: Structure) -> None:
    if not name:
        return
    while stack and stack[-1][0] >= level:
        stack.pop()
    stack.append((level, name))
    structure.headings.append(name)


def _continues(prev: Paragraph, nxt: MappedText, after_notes: bool) -> bool:
    """A sentence cut by a blank line or a page-bottom note block goes on in the next block."""
    tail = prev.text.text.rstrip()
    head = nxt.text.lstrip()
    if not tail or not head or tail.endswith(_TERMINAL) or re.search(r"[.?!][”\"’)]?\s*\d{0,3}$", tail):
        return False
    return head[0].islower() or after_notes


def _page_counter(raw: str, hard: bool):
    """Page number at an offset: form feeds (PDF loader) or page-resume lines (PDF text dumps)."""
    if "\f" in raw:
        breaks = [m.start() for m in re.finditer("\f", raw)]
    elif hard:
        breaks = [m.start() for m in re.finditer(r"(?m)^ (?=\S)", raw) if m.start() > 0]
    else:
        return None
    import bisect

    return lambda offset: bisect.bisect_right(breaks, offset) + 1
