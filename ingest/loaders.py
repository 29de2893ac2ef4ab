"""Read a document file into text, one loader per suffix.

The text a loader returns is "the file as read from disk" for every offset Footnotes reports:
for .md/.txt it is the file's characters; for .pdf/.html/.docx it is the extracted text, which the
loader reproduces identically on every call (the document viewer calls it again).
Every refusal is an `IngestError` naming the file and what to do.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ingest.errors import IngestError

SUPPORTED = (".md", ".txt", ".pdf", ".html", ".htm", ".docx")
# Encodings we accept besides UTF-8, each decoded strictly. Anything else is refused rather than
# guessed, because a wrong guess produces mojibake that would then be quoted in citations.
_LEGACY = ("cp1252", "shift_jis", "cp932", "euc_jp")
_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "iso8859_15": "cp1252", "windows_1252": "cp1252",
            "shift_jis_2004": "shift_jis", "shift_jisx0213": "shift_jis", "sjis": "shift_jis"}


def load_text(path: Path, max_mb: float = 20.0) -> str:
    """The text of `path`, or an IngestError saying why it cannot be used."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(path.name, f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED)}")
    try:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise IngestError(
                path.name,
                f"file is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit; split it or raise FOOTNOTES_MAX_FILE_MB",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path.name, f"cannot read the file ({exc.strerror or exc}); check its permissions") from exc
    if not data.strip():
        raise IngestError(path.name, "file is empty; add text or remove it from the corpus")
    loader = {".pdf": _pdf, ".html": _html, ".htm": _html, ".docx": _docx}.get(suffix, _plain)
    text = loader(path, data)
    if not text.strip():
        raise IngestError(path.name, "no text could be extracted (a scanned PDF or an empty document?)")
    return text


def decode(name: str, data: bytes) -> str:
    """UTF-8, or a legacy Japanese/Western encoding detected with confidence; never mojibake."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(name, "looks like binary data, not text; convert it to .txt/.md/.pdf first")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(name, f"UTF-16 text is damaged ({exc.reason}); save it again as UTF-8") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = [_ALIASES.get(m.encoding, m.encoding) for m in from_bytes(data) if m.chaos < 0.2]
    encoding = next((e for e in matches if e in _LEGACY), "")
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = ""
        if text and _plausible(text):
            return text
    raise IngestError(name, "text is not UTF-8 and its encoding could not be determined; save it as UTF-8")


def _plausible(text: str) -> bool:
    """Reject decodings full of control characters or stray symbols (a sign of a wrong guess)."""
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t\f") or 0x80 <= ord(c) < 0xA0)
    return bad / max(1, len(text)) < 0.001


def _plain(path: Path, data: bytes) -> str:
    # Universal newlines, as Python's own `read_text` gives: offsets then agree with any reader.
    text = decode(path.name, data).replace("\r\n", "\n").replace("\r", "\n")
    control = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\n\r\t\f")
    if control > 0.01 * min(len(text), 20000):
        raise IngestError(path.name, "looks like binary data, not text; convert it to .txt/.md/.pdf first")
    return text


def _pdf(path: Path, data: bytes) -> str:
    """Pages joined by form feeds, so a passage knows its page number."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestError(path.name, "PDF is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds (AssertionError, LimitReachedError…) on damaged files
        raise IngestError(path.name, f"broken PDF ({exc.__class__.__name__}: {exc}); re-export it or convert it to text") from exc
    return "\n\f\n".join(pages)  # a form feed on its own line: a paragraph break that counts pages


def _html(path: Path, data: bytes) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(path.name, data), "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    for level in range(1, 7):
        for tag in soup.find_all(f"h{level}"):
            tag.insert_before("\n\n" + "#" * level + " ")
            tag.insert_after("\n\n")
    for tag in soup.find_all(["p", "div", "li", "br", "tr", "section", "article"]):
        tag.insert_after("\n\n")
    text = soup.get_text()
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip() + "\n"


def _docx(path: Path, data: bytes) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise IngestError(path.name, f"broken .docx ({exc}); re-save it from your word processor") from exc
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise IngestError(path.name, f"broken .docx ({exc.__class__.__name__}); re-save it") from exc
    lines = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
        m = re.match(r"Heading (\d)", style)
        text = paragraph.text.strip()
        if text:
            lines.append(("#" * int(m.group(1)) + " " if m else "") + text)
    return "\n\n".join(lines) + "\n"
