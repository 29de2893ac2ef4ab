"""The seam every model-backed composer plugs into, and the streaming machinery they share.

A generator gets the question and the numbered evidence the app selected and returns sentences,
each with the evidence ids it rests on. It never writes `[n]` markers itself: the app builds them
from the ids (see `assistant/types.py`), so a model cannot cite a passage that was not retrieved.

Models are asked for JSON (`{"sentences": [{"text": …, "evidence": [ids]}]}`) because in free
text small models forget citations and refuse answerable questions. JSON arrives token by token,
so `PartialAnswer` re-reads the incomplete document after every chunk and hands the UI only the
new characters of the sentence texts; `stream_sentences` runs a model's stream under a hard
deadline so a slow or stalled model costs at most `llm_timeout_s`.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from typing import Any

from assistant.types import Evidence, Sentence

OnText = Callable[[str], None]


class GeneratorError(Exception):
    """The one error of this package: the message says what went wrong and what to do."""


class Generator(ABC):
    """Composes an answer from numbered evidence, one cited sentence at a time."""

    name: str

    @abstractmethod
    def compose(self, question: str, evidence: list[Evidence], on_text: OnText | None = None) -> list[Sentence]:
        """Answer `question` from `evidence` only.

        `on_text` receives answer-text deltas while the model writes (sentences joined by one
        space), so the UI can stream; together they equal the returned texts joined by spaces,
        except that an answer cut at its token limit loses the unfinished last sentence shown.
        Returned sentences cite only ids of `evidence`; ids a model invented are dropped.
        Raises `GeneratorError` on timeout, a missing model or a dead endpoint.
        """


# --- partial JSON ------------------------------------------------------------------------------
# A tiny tolerant parser: it reads the longest valid prefix of a JSON document and marks values
# that the end of input cut short, so a half-written sentence can be shown but not kept.


class CutStr(str):
    """A string the end of input cut short."""


class CutList(list):
    """An array the end of input cut short."""


class CutDict(dict):
    """An object the end of input cut short."""


class _End(Exception):
    """Input ended before a value began (or inside a number or literal)."""


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _hex(digits: str) -> int | None:
    return int(digits, 16) if len(digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in digits) else None


class _Reader:
    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos

    def skip(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1
        if self.pos >= len(self.text):
            raise _End
        return self.text[self.pos]

    def value(self) -> Any:
        char = self.skip()
        if char == "{":
            return self.obj()
        if char == "[":
            return self.arr()
        if char == '"':
            return self.string()
        match = _NUMBER.match(self.text, self.pos)
        if match:
            if match.end() == len(self.text):  # "1" may still become "12"
                raise _End
            self.pos = match.end()
            return float(match.group()) if any(c in match.group() for c in ".eE") else int(match.group())
        for word, value in (("true", True), ("false", False), ("null", None)):
            rest = self.text[self.pos : self.pos + len(word)]
            if rest == word:
                self.pos += len(word)
                return value
            if word.startswith(rest):
                raise _End
        raise ValueError(f"unexpected {char!r} at {self.pos}")

    def string(self) -> str:
        self.pos += 1  # opening quote
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(out)
            if char != "\\":
                out.append(char)
                self.pos += 1
                continue
            if self.pos + 1 >= len(text):
                break  # a lone backslash: wait for the rest of the escape
            code = text[self.pos + 1]
            if code == "u":
                end = self.pos + 6
                point = _hex(text[self.pos + 2 : end])
                if point is None:
                    break
                if 0xD800 <= point < 0xDC00:  # a surrogate pair: wait for its second half
                    low = _hex(text[end + 2 : end + 6]) if text[end : end + 2] == "\\u" else None
                    if low is None:
                        break
                    point, end = 0x10000 + ((point - 0xD800) << 10) + (low - 0xDC00), end + 6
                out.append(chr(point))
                self.pos = end
            else:
                out.append(_ESCAPES.get(code, code))
                self.pos += 2
        return CutStr("".join(out))

    def obj(self) -> dict:
        self.pos += 1
        result: dict = {}
        try:
            while True:
                char = self.skip()
                if char == "}":
                    self.pos += 1
                    return result
                if char == ",":
                    self.pos += 1
                    char = self.skip()
                if char != '"':
                    raise ValueError(f"expected a key at {self.pos}")
                key = self.string()
                if isinstance(key, CutStr) or self.skip() != ":":
                    return CutDict(result)
                self.pos += 1
                value = self.value()
                result[key] = value
                if isinstance(value, (CutStr, CutList, CutDict)):
                    return CutDict(result)
        except _End:
            return CutDict(result)

    def arr(self) -> list:
        self.pos += 1
        result: list = []
        try:
            while True:
                char = self.skip()
                if char == "]":
                    self.pos += 1
                    return result
                if char == ",":
                    self.pos += 1
                value = self.value()
                result.append(value)
                if isinstance(value, (CutStr, CutList, CutDict)):
                    return CutList(result)
        except _End:
            return CutList(result)


def parse_partial(text: str) -> Any:
    """The JSON value that starts at the first `{` of `text` (prose or ``` fences before it are
    skipped), with cut-short parts marked `Cut*`; None when no object has begun."""
    start = text.find("{")
    if start < 0:
        return None
    try:
        return _Reader(text, start).value()
    except _End:
        return None


def _items(document: Any) -> list:
    if isinstance(document, dict):
        document = document.get("sentences", [])
    return document if isinstance(document, list) else []


def shown_text(document: Any) -> str:
    """What the UI shows of a (partial) answer: the sentence texts so far, stripped, one space
    apart. Stripping keeps every rendering a prefix of the next, so deltas are pure appends."""
    texts = (item.get("text") for item in _items(document) if isinstance(item, dict))
    return " ".join(t.strip() for t in texts if isinstance(t, str) and t.strip())


def final_sentences(document: Any, allowed_ids: list[int]) -> list[Sentence]:
    """The complete sentences of an answer, citing only `allowed_ids` (in order, no repeats).

    A sentence whose text or evidence list was cut by truncation is dropped: half a sentence is
    not an answer, and its citations may be missing.
    """
    allowed = set(allowed_ids)
    sentences = []
    for item in _items(document):
        if not isinstance(item, dict):
            continue
        text, ids = item.get("text"), item.get("evidence", [])
        if not isinstance(text, str) or isinstance(text, CutStr) or not text.strip():
            continue
        if isinstance(ids, CutList) or (isinstance(item, CutDict) and "evidence" not in item):
            continue
        ids = ids if isinstance(ids, list) else [ids]
        kept: list[int] = []
        for value in ids:
            number = value if isinstance(value, int) and not isinstance(value, bool) else _to_int(value)
            if number in allowed and number not in kept:
                kept.append(number)
        sentences.append(Sentence(text=text.strip(), evidence=kept))
    return sentences


def _to_int(value: Any) -> int | None:
    """Servers without schema support sometimes write ids as "2" or "[2]"."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        digits = value.strip().strip("[]")
        return int(digits) if digits.isdigit() else None
    return None


class PartialAnswer:
    """Accumulates the model's JSON and emits only the text the UI has not seen yet."""

    def __init__(self, on_text: OnText | None = None) -> None:
        self.raw = ""
        self.shown = ""
        self._on_text = on_text

    def feed(self, chunk: str) -> None:
        self.raw += chunk
        if self._on_text is None:
            return
        try:
            text = shown_text(parse_partial(self.raw))
        except ValueError:
            return  # malformed so far; the final parse reports it
        if text.startswith(self.shown) and len(text) > len(self.shown):
            delta, self.shown = text[len(self.shown) :], text
            self._on_text(delta)

    def sentences(self, allowed_ids: list[int]) -> list[Sentence]:
        try:
            document = parse_partial(self.raw)
        except ValueError as error:
            raise GeneratorError(f"The model's answer is not valid JSON ({error}): {self.raw[:200]!r}") from error
        if document is None:
            raise GeneratorError(f"The model did not answer in JSON: {self.raw[:200]!r}")
        return final_sentences(document, allowed_ids)


# --- running a stream under a deadline -----------------------------------------------------------

_DONE = object()


def stream_sentences(
    open_stream: Callable[[threading.Event], Iterator[str]],
    allowed_ids: list[int],
    on_text: OnText | None,
    timeout_s: float,
    what: str,
) -> list[Sentence]:
    """Run `open_stream(stop)` in a worker thread and collect its text chunks until done.

    The worker lets the caller give up at `timeout_s` even while the model is stuck inside one
    call (prompt processing, a stalled socket); it then sees `stop` set and closes its stream.
    `on_text` is called on the caller's thread. Errors of the stream are re-raised here as they
    are; `what` names the model in the timeout message.
    """
    chunks: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            stream = open_stream(stop)
            try:
                for chunk in stream:
                    if stop.is_set():
                        break
                    chunks.put(chunk)
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()
            chunks.put(_DONE)
        except BaseException as error:  # noqa: BLE001 — handed to the caller's thread
            chunks.put(error)

    threading.Thread(target=work, name=f"footnotes-{what}", daemon=True).start()
    answer = PartialAnswer(on_text)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            remaining = deadline - time.monotonic()
            try:
                item = chunks.get(timeout=max(remaining, 0.0))
            except queue.Empty:
                seconds = f"{timeout_s:.1f}".rstrip("0").rstrip(".")
                raise GeneratorError(
                    f"{what} gave no complete answer within {seconds} s "
                    "(raise FOOTNOTES_LLM_TIMEOUT_S, or pick a faster model)"
                ) from None
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            answer.feed(item)
    finally:
        stop.set()
    return answer.sentences(allowed_ids)
