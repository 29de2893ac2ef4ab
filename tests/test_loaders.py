"""Loaders by suffix, encodings, and bad input refused with the file's name and what to do."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.document import build_document
from ingest.errors import IngestError
from ingest.loaders import load_text

JAPANESE = "日本の防衛外交とASEAN。防衛協力の強化について述べる。\n"
WESTERN = "Café diplomacy — “naïve” résumé of the défense policy.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_markdown_read_as_is(tmp_path):
    assert load_text(write(tmp_path, "a.md", "# T\n\nText ¹\n".encode())) == "# T\n\nText ¹\n"


def test_crlf_read_with_universal_newlines(tmp_path):
    assert load_text(write(tmp_path, "a.txt", b"line one\r\nline two\r\n")) == "line one\nline two\n"


@pytest.mark.parametrize("text,encoding", [(WESTERN * 3, "cp1252"), (JAPANESE * 3, "shift_jis")])
def test_legacy_encodings_decoded_correctly(tmp_path, text, encoding):
    assert load_text(write(tmp_path, "legacy.txt", text.encode(encoding))) == text * 1


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("empty.txt", b"   \n\n", "empty"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("garbled.txt", bytes(range(0x80, 0x100)) * 8, "not UTF-8"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "broken PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip really", "broken .docx"),
        ("notes.rtf", b"{\\rtf1 hello}", "unsupported file type"),
    ],
)
def test_bad_input_refused_with_file_name_and_reason(tmp_path, name, data, reason):
    with pytest.raises(IngestError) as err:
        load_text(write(tmp_path, name, data))
    assert err.value.file == name
    assert reason in err.value.reason


def test_oversized_file_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing to read
    with pytest.raises(IngestError, match="50.0 MB, over the 20 MB limit"):
        load_text(path, max_mb=20)


def test_unreadable_file_reported(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.md", b"# x\n\ntext\n")

    def deny(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(IngestError, match="cannot read the file \\(Permission denied\\)"):
        load_text(path)


def _pdf(pages: list[str]) -> bytes:
    """A minimal valid PDF with one text line per page (no PDF library needed to write it)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_pages_become_page_numbers(tmp_path):
    path = write(tmp_path, "two.pdf", _pdf(["Japan pledged ten patrol vessels in 2013.", "The first vessel arrived in 2015."]))
    text = load_text(path)
    assert "\f" in text
    doc = build_document("two.pdf", text, {}, 5)
    pages = {p.page for p in doc.passages}
    assert pages == {1, 2}
    second = next(p for p in doc.passages if "arrived" in p.text)
    assert second.page == 2 and text[second.start:second.end].startswith("The first vessel")


def test_html_headings_become_sections_and_scripts_are_dropped(tmp_path):
    html = ("<html><head><script>alert(1)</script><style>p{}</style></head><body><h1>Memo</h1>"
            "<h2>Findings</h2><p>Japan and ASEAN agreed on a new maritime programme in 2023.</p></body></html>")
    text = load_text(write(tmp_path, "memo.html", html.encode()))
    assert "alert" not in text
    doc = build_document("memo.html", text, {}, 50)
    assert doc.passages[0].section == ("Memo", "Findings")


def test_docx_headings_become_sections(tmp_path):
    from docx import Document

    document = Document()
    document.add_heading("Policy Memo", level=1)
    document.add_heading("Background", level=2)
    document.add_paragraph("Japan expanded capacity building assistance to five ASEAN members by 2015.")
    path = tmp_path / "memo.docx"
    document.save(path)
    doc = build_document("memo.docx", load_text(path), {}, 50)
    assert doc.passages[0].section == ("Policy Memo", "Background")
    assert "five ASEAN members" in doc.passages[0].text
