"""Hostile input for the loaders and the parser: an IngestError or a valid result, never a crash or a hang.

Hypothesis generates random bytes, random text, markdown-like and PDF-dump-like documents
(headings, `> > >` quotes, nested lists, superscripts everywhere, glued digits, note lines, page
resumes) and mutated PDFs. Every example runs under a hard time limit (SIGALRM), and every result
must keep the parser's contracts:

- each passage is a real span of the input: 0 <= start < end <= len(raw), its text starts and ends
  with raw[start] and raw[end-1], and its non-space characters appear in order in raw[start:end];
- passages come sorted; every marker is a digit/superscript/`[^n]` span of the input whose value is
  its number; a note's `refers_to` names a note that exists;
- no body paragraph takes a character from inside a lifted note.

The bugs this fuzzing found (quadratic regexes and joins, crashes on damaged PDFs/UTF-16, huge
superscript runs) are fixed; their cases stay at the end as regression tests. Budget: well under a minute.
"""

from __future__ import annotations

import logging
import os
import re
import signal
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ingest.document import build_document
from ingest.errors import IngestError
from ingest.footnotes import SUPERSCRIPT_DIGITS, find_markers, superscript_value
from ingest.loaders import SUPPORTED, decode, load_text
from ingest.structure import parse

logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # broken PDFs are the point; keep the log quiet

EXAMPLE_LIMIT_S = 10.0  # a parse slower than this on a few kB is a hang (quadratic or worse)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))  # raise it for a longer hunt
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
BOMS = (b"\xff\xfe", b"\xfe\xff")


class Hang(BaseException):
    """Raised by the alarm: a BaseException so no `except Exception` in the code under test eats it."""


@contextmanager
def time_limit(seconds: float):
    def _alarm(signum, frame):
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- invariants ------------------------------------------------------------------------------------
def _subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(c in it for c in needle)


def check_document(raw: str, limit: float = EXAMPLE_LIMIT_S, words: int = 120):
    """Parse `raw` as ingest does and assert every contract; returns the ParsedDocument."""
    with time_limit(limit):
        doc = build_document("fuzz.txt", raw, {}, words, 1)
        structure = parse(raw)
    starts = [p.start for p in doc.passages]
    assert starts == sorted(starts), "passages out of order"
    for p in doc.passages:
        assert 0 <= p.start < p.end <= len(raw), (p.start, p.end, len(raw))
        assert p.text and p.text[0] == raw[p.start] and p.text[-1] == raw[p.end - 1], (p.id, p.text[:40])
        assert _subsequence(re.sub(r"\s", "", p.text), re.sub(r"\s", "", raw[p.start : p.end])), p.id
        for n in p.markers:
            assert any(m.number == n and p.start <= m.start < p.end for m in doc.markers), (p.id, n)
    for m in doc.markers:
        assert 0 <= m.start < m.end <= len(raw)
        span = raw[m.start : m.end]
        if span[0] in SUPERSCRIPT_DIGITS:
            assert superscript_value(span) == m.number
        elif span.startswith("[^"):
            assert int(span[2:-1]) == m.number
        else:
            assert span.isdigit() and int(span) == m.number, span
    for note in doc.notes.values():
        assert 0 <= note.start <= note.end <= len(raw)
        assert note.refers_to is None or note.refers_to in doc.notes
    spans = sorted((n.start, n.end) for n in structure.notes.values())
    for paragraph in structure.paragraphs:
        assert len(paragraph.text.origin) == len(paragraph.text.text)
        for offset, char in zip(paragraph.text.origin, paragraph.text.text):
            assert 0 <= offset <= len(raw)
            if not char.isspace():
                assert raw[offset] == char, (offset, char)
                assert not any(s <= offset < e for s, e in spans), f"note text at {offset} inside a body paragraph"
    assert set(doc.missing_notes) <= {m.number for m in doc.markers}
    return doc


# --- strategies ------------------------------------------------------------------------------------
SUPERSCRIPT = st.text(alphabet=SUPERSCRIPT_DIGITS, min_size=1, max_size=4)
WORDS = st.one_of(
    st.sampled_from(["Japan", "ASEAN", "the", "defense", "2013", "G20", "F-35", "p.", "Ibid.", "Ibid.,", "pp. 135-156",
                     "www.mod.go.jp/a.", "https://x.org/a-", "“peace.”", "word.3", "Asia.12", "co-", "operation",
                     "[^3]", "e.g.", "U.S.", "…", "—", "NSS,", "(NSS)", "“Strategic Possibilities and Limits,”",
                     "1.5", "Vision", "2.0", "*Ibid.*", "(ISEAS,", "Singapore).", "H.E.", "Table:", "Source:", "\t"]),
    SUPERSCRIPT,
    st.builds(lambda w, s: w + s, st.sampled_from(["peace.", "word", "Asia.", "”", "deal,"]), SUPERSCRIPT),
    st.builds(lambda w, n: f"{w}{n}", st.sampled_from(["Asia.", "word", "deal,", "”", "end)"]), st.integers(0, 1200)),
    st.text(min_size=1, max_size=12),
)
PREFIX = st.sampled_from(["", "", "", "# ", "## ", "#### ", "###### ", "####### ", "> ", "> > > ", "- ", "  - ",
                          "    - ", "* ", "1. ", "12. ", "(2) ", " ", "  ", "¹ ", "- ² ", "3 ", "[^4]: ", "**", "---"])
SUFFIX = st.sampled_from(["", "", ".", ":", ",", " ", ".5", "¹", "²³", " #", "**", ")."])
LINE = st.builds(lambda p, ws, s: p + " ".join(ws) + s, PREFIX, st.lists(WORDS, max_size=25), SUFFIX)
MARKDOWNISH = st.lists(st.one_of(LINE, st.just(""), st.just("")), max_size=80).map("\n".join)


def _pdf_line(words: list[str], width: int) -> str:
    line = " ".join(words)
    return (line + " " * max(0, width - len(line)))[: width + 10].rstrip() + " "


PDF_LINE = st.builds(_pdf_line, st.lists(WORDS, min_size=8, max_size=20), st.integers(80, 100))
PDF_LIKE = st.lists(
    st.one_of(PDF_LINE, PDF_LINE, PDF_LINE, st.just(""),
              st.builds(lambda n, l: f"{n} {l}", st.integers(1, 40), PDF_LINE),  # a page-bottom note
              st.builds(lambda l: " " + l, PDF_LINE),  # a page resuming
              st.builds(lambda l: "* " + l, PDF_LINE)),
    min_size=20, max_size=90).map("\n".join)


@FUZZ
@given(st.text(max_size=3000))
def test_any_text_parses_within_contract(raw):
    check_document(raw)


@FUZZ
@given(MARKDOWNISH)
def test_markdown_like_text_parses_within_contract(raw):
    check_document(raw)


@FUZZ
@given(PDF_LIKE)
def test_pdf_dump_like_text_parses_within_contract(raw):
    check_document(raw)


@settings(max_examples=max(20, EXAMPLES // 3), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(MARKDOWNISH, st.integers(1, 400))
def test_any_passage_size_keeps_contract(raw, words):
    check_document(raw, words=words)


@FUZZ
@given(st.text(max_size=2000), st.booleans(), st.integers(0, 1000))
def test_find_markers_spans_and_sequence(text, glued, last):
    with time_limit(EXAMPLE_LIMIT_S):
        found, new_last = find_markers(text, glued=glued, last=last)
    assert [f[1] for f in found] == sorted(f[1] for f in found)
    assert new_last >= last
    plain = []
    for number, start, end in found:
        span = text[start:end]
        assert 0 <= start < end <= len(text)
        if span[0] in SUPERSCRIPT_DIGITS:
            assert superscript_value(span) == number and 0 < number <= 999
        elif span.startswith("[^"):
            assert int(span[2:-1]) == number
        else:
            assert glued and span.isdigit() and int(span) == number
            plain.append(number)
    previous = last
    for number in plain:  # glued digits are accepted only as the continuing sequence
        assert previous < number <= previous + 3, (previous, number)
        previous = number


@FUZZ
@given(st.binary(max_size=4000))
def test_decode_random_bytes(data):
    assume(not data.startswith(BOMS))  # pinned separately: test_utf16_bom_with_broken_body_is_an_ingest_error
    with time_limit(EXAMPLE_LIMIT_S):
        try:
            text = decode("fuzz.txt", data)
        except IngestError as exc:
            assert exc.file == "fuzz.txt" and exc.reason
            return
    assert isinstance(text, str)
    try:
        assert text == data.decode("utf-8")
    except UnicodeDecodeError:
        pass  # a legacy encoding was detected with confidence


# Exceptions pypdf raises on a broken file that `ingest.loaders._pdf` does not turn into an
# IngestError (pinned by test_broken_pdf_is_an_ingest_error). Empty this tuple once fixed.
KNOWN_PDF_ESCAPES: tuple[type[BaseException], ...] = (AssertionError, AttributeError)
try:
    from pypdf.errors import LimitReachedError

    KNOWN_PDF_ESCAPES += (LimitReachedError,)
except ImportError:  # pragma: no cover - older pypdf
    pass


@FUZZ
@given(st.sampled_from(SUPPORTED), st.binary(max_size=3000), st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>"]))
def test_load_text_random_bytes(tmp_path_factory, suffix, data, prefix):
    data = prefix + data
    assume(not data.startswith(BOMS))
    path = tmp_path_factory.mktemp("fuzz", numbered=True) / f"doc{suffix}"
    path.write_bytes(data)
    with time_limit(EXAMPLE_LIMIT_S):
        try:
            text = load_text(path)
        except IngestError as exc:
            assert exc.file == path.name and exc.reason
            return
        except KNOWN_PDF_ESCAPES:
            assert suffix == ".pdf"
            return
    assert isinstance(text, str) and text.strip()


def minimal_pdf(text: str = "Japan expanded capacity building in 2013.3 Tokyo agreed.") -> bytes:
    """A one-page PDF with a text content stream, written by hand (valid xref offsets)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@settings(max_examples=max(20, EXAMPLES * 2 // 3), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["flip", "drop", "insert"]),
                          st.sampled_from([b"0", b"9999999", b" R ", b"<<", b">>", b"[", b"]", b"-1", b"1 0 R",
                                           b"/Kids", b"(", b")", b"\\", b"\x00", b"stream", b"endobj"])),
                min_size=1, max_size=4))
def test_mutated_pdf_is_text_or_ingest_error(tmp_path_factory, edits):
    data = bytearray(minimal_pdf())
    for position, kind, token in edits:
        at = position % len(data)
        if kind == "flip":
            data[at] ^= 0xFF
        elif kind == "drop":
            del data[at : at + 8]
        else:
            data[at:at] = token
    path = tmp_path_factory.mktemp("pdf", numbered=True) / "doc.pdf"
    path.write_bytes(bytes(data))
    with time_limit(EXAMPLE_LIMIT_S):
        try:
            text = load_text(path)
        except (IngestError, *KNOWN_PDF_ESCAPES):
            return
    check_document(text)


def test_minimal_pdf_loads():
    assert "capacity building" in load_text_bytes(minimal_pdf(), ".pdf")


def load_text_bytes(data: bytes, suffix: str) -> str:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(data)
        return load_text(path)


# --- giant and deep inputs ---------------------------------------------------------------------------
MB = 1 << 20


@pytest.mark.parametrize("raw", [
    pytest.param(("Japan expanded capacity building with Vietnam in 2013 and beyond. " * (MB // 68 + 1))[:MB],
                 id="1MB-line-of-sentences"),
    pytest.param("x" * MB, id="1MB-one-word"),
    pytest.param(("word¹ deal² peace.³ " * (MB // 20))[:MB], id="1MB-line-superscripts-everywhere"),
    pytest.param("".join(SUPERSCRIPT_DIGITS[i % 10] for i in range(4000)) + " x", id="4000-superscript-run"),
    pytest.param("Body text.\n" + "¹²³ " * 50_000, id="50k-superscript-runs"),
    pytest.param("# " + "#" * 2000 + " heading\n\nbody text here.", id="2k-hashes"),
    pytest.param("> " * 5000 + "a quoted line.\n\nAfter.", id="5000-nested-quotes"),
    pytest.param("\n".join("  " * d + "- item at depth %d." % d for d in range(3000)), id="3000-nested-list"),
    pytest.param("\n".join("#" * (1 + d % 6) + f" Heading {d}\n\nBody {d}." for d in range(5000)), id="5000-headings"),
    pytest.param(" ".join(f"claim{n}.{SUPERSCRIPT_DIGITS[n % 10]}" for n in range(20_000)), id="20k-superscript-markers"),
])
def test_giant_and_deep_inputs(raw):
    check_document(raw, limit=30)


def test_thousands_of_markers_each_linked_to_its_note():
    sup = lambda n: str(n).translate(str.maketrans("0123456789", SUPERSCRIPT_DIGITS))  # noqa: E731
    body = " ".join(f"Claim number {n} stands.{sup(n)}" for n in range(1, 1000))
    notes = "\n".join(f"{sup(n)} Author {n}, “Title {n},” 2014, p. {n}." for n in range(1, 1000))
    doc = check_document(f"# Title\n\n{body}\n\n## Notes\n\n{notes}\n", limit=30)
    assert [m.number for m in doc.markers] == list(range(1, 1000))
    assert doc.missing_notes == [] and len(doc.notes) == 999


def test_thousands_of_glued_markers_in_pdf_text():
    lines = []
    for n in range(1, 601):
        lines += ["Japan expanded capacity building with Vietnam across the region in the years after the summit ",
                  f"that the leaders held in Tokyo in December 2013.{n} Then the ministry added more training for ",
                  "the coast guards of the region and for the navies of its partners in maritime security and "]
        if n % 5 == 0:
            lines += ["", *[f"{k} Author {k}, “Title {k},” 2014, p. {k}." for k in range(n - 4, n + 1)], ""]
            lines.append(" it resumed on the next page of the document, which says more about the region ")
    raw = "\n".join(lines) + "\n"
    assert parse(raw).hard_wrapped
    doc = check_document(raw, limit=30)
    assert [m.number for m in doc.markers] == list(range(1, 601))
    assert doc.missing_notes == []


# --- bugs this fuzzing found (fixed in ingest/; kept as regression tests) --------------------------
@pytest.mark.parametrize("data", [b"\xff\xfe\x00", b"\xff\xfe\x00\xd8", b"\xfe\xff\xd8\x00ab"])
def test_utf16_bom_with_broken_body_is_an_ingest_error(data):
    with pytest.raises(IngestError):
        decode("notes.txt", data)


@pytest.mark.parametrize("old,new", [
    (b"72 720 Td", b"72 7 R 20 Td"),  # pypdf: AssertionError in the content-stream parser
    (b"xref\n0 6\n", b"xref\n0 6-1\n"),  # pypdf.errors.LimitReachedError
    (b"trailer\n<< /Size 6 /Root 1 0 R >>", b"trailer\n1 0 R >>"),  # AttributeError: trailer not a dict
], ids=["assertion", "limit-reached", "attribute"])
def test_broken_pdf_is_an_ingest_error(old, new):
    data = minimal_pdf().replace(old, new)
    assert data != minimal_pdf()
    with pytest.raises(IngestError):
        load_text_bytes(data, ".pdf")


@pytest.mark.parametrize("raw", ["¹" * 5000, "Body text." + "²" * 5000 + " more."], ids=["note-line", "body"])
def test_very_long_superscript_run_is_not_a_crash(raw):
    try:
        check_document(raw)
    except IngestError:
        pass


def test_long_run_of_hashes_in_a_heading_does_not_hang():
    check_document("# " + "#" * 20_000 + " heading\n\nbody text here.", limit=3)


def test_long_dot_run_does_not_hang():
    check_document("Contents" + "." * 20_000 + " page five", limit=3)


def test_long_token_in_hard_wrapped_block_does_not_hang():
    body = "The ministry expanded capacity building assistance with Vietnam in the region and beyond it \n" * 30
    check_document(body + "x" * 20_000 + "\nmore text here\n" + body, limit=3)


def test_long_hard_wrapped_block_is_linear():
    line = "The ministry expanded capacity building assistance with Vietnam in the region and beyond it \n"
    check_document(line * 4000, limit=4)
