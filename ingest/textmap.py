"""Repaired text that remembers where every character came from.

Repair (joining hard-wrapped lines, rejoining split words, lifting notes out of a sentence) changes
the text, but a citation must point into the file as read from disk. `MappedText` is built by
appending pieces of the original (with their offsets) and synthetic joiners (mapped to the gap they
replace), so any span of the repaired text maps back to a span of the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class MappedText:
    text: str = ""
    origin: list[int] = field(default_factory=list)  # origin[i] = offset in the file of text[i]

    def add(self, piece: str, start: int) -> None:
        """Append `piece`, which is `raw[start:start+len(piece)]`."""
        self.text += piece
        self.origin.extend(range(start, start + len(piece)))

    def add_synthetic(self, piece: str, at: int) -> None:
        """Append a joiner that stands for the gap at file offset `at` (e.g. a line break → space)."""
        self.text += piece
        self.origin.extend([at] * len(piece))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """File offsets of `text[start:end]` (end exclusive)."""
        return self.origin[start], self.origin[end - 1] + 1

    def __len__(self) -> int:
        return len(self.text)


_TAIL = 200
_SOFT_BREAK = re.compile(r"(\w{1,60})-$")
_URL_OPEN = re.compile(r"(?:https?://|www\.)\S*[/._\-=?&#]$")


def join_lines(raw: str, lines: list[tuple[int, int]], vocabulary: set[str] | None = None) -> MappedText:
    """Join hard-wrapped lines (given as (start, end) offsets into `raw`) into one paragraph.

    A line ending in `word-` is joined to the next without a space. The hyphen is kept unless the
    document elsewhere spells the joined word without it (`inter-` + `national` → `international`),
    so real hyphens survive (`ADMM-` + `Plus` → `ADMM-Plus`, `Shangri-` + `La` → `Shangri-La`).
    Linear in the paragraph: only the tail of the text so far is examined at each line.
    """
    pieces: list[str] = []
    origin: list[int] = []
    tail = ""  # the last characters joined so far: enough to see a hyphen or an open URL
    for start, end in lines:
        line = raw[start:end]
        body = line.strip()
        if not body:
            continue
        lead = len(line) - len(line.lstrip())
        if pieces:
            nxt = body.split(" ", 1)[0]
            m = _SOFT_BREAK.search(tail)
            if _URL_OPEN.search(tail) and not nxt.startswith("http"):
                pass  # a URL broken across lines: glue the halves back together
            elif m and nxt[:1].isalnum():
                joined = (m.group(1) + re.sub(r"\W+$", "", nxt)).lower()
                if vocabulary and joined in vocabulary and nxt[:1].islower():
                    pieces[-1] = pieces[-1][:-1]  # drop the soft hyphen, keep the map aligned
                    origin.pop()
                    tail = tail[:-1]
            else:
                pieces.append(" ")
                origin.append(start - 1 if start > 0 else 0)
                tail += " "
        pieces.append(body)
        origin.extend(range(start + lead, start + lead + len(body)))
        tail = (tail + body)[-_TAIL:]
    return MappedText("".join(pieces), origin)


def words_of(raw: str) -> set[str]:
    """Lower-cased words of a text, for deciding whether a line-end hyphen is soft."""
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", raw)}
