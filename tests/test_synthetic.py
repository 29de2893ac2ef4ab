"""The synthetic corpus (benchmarks/synthetic.py) parses the way the real corpus does.

Every generated marker is found at its exact offsets and linked to its note, every note's text and
`Ibid.`/short-title link comes out as written, no year, `G20`, `F-35`, list or heading number is
taken for a marker, and no note text leaks into a passage. Fast: `build_document` only, no model.
"""

from __future__ import annotations

import functools
import re

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not an installed package
from benchmarks.synthetic import expected_docs, generate, mutate, write_corpus  # noqa: E402
from ingest.document import build_document  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from ingest.structure import parse  # noqa: E402

SETTINGS = Settings()
DOCS = 60  # both shapes, many marker placements; ~2 s


@functools.lru_cache(maxsize=None)
def _parsed(name: str, text: str):
    return build_document(name, text, {}, SETTINGS.passage_words, SETTINGS.passage_overlap_sentences)


def _build(doc):
    return _parsed(doc.name, doc.text)


@pytest.fixture(scope="module")
def generated():
    return [generate(7, i) for i in range(DOCS)]


def test_both_shapes_are_generated(generated):
    kinds = {d.kind for d in generated}
    assert kinds == {"md", "txt"}
    txt = next(d for d in generated if d.kind == "txt")
    assert parse(txt.text).hard_wrapped, "the .txt shape must read as a PDF text dump"
    assert re.search(r"\n\n(?:\* [^\n]*\n)?\d{1,3} \S", txt.text) and re.search(r"\n [A-Za-z]", txt.text), "page-bottom notes, page resumes"
    md = next(d for d in generated if d.kind == "md")
    assert not parse(md.text).hard_wrapped
    assert re.search(r"\n- [¹²³⁴⁵⁶⁷⁸⁹]", md.text) and re.search(r"\n[¹²³⁴⁵⁶⁷⁸⁹]+ ", md.text)


def test_every_marker_found_exactly_and_linked_to_its_note(generated):
    for doc in generated:
        parsed = _build(doc)
        got = [(m.number, m.start, m.end) for m in parsed.markers]
        assert got == doc.markers, f"{doc.name}: markers differ (missing {sorted(set(doc.markers) - set(got))[:3]}, " \
                                   f"extra {sorted(set(got) - set(doc.markers))[:3]})"
        assert parsed.missing_notes == [], doc.name
        assert set(parsed.notes) == set(doc.notes), doc.name
        for n, note in doc.notes.items():
            assert parsed.notes[n].text == note.text, f"{doc.name} note {n}"
            assert parsed.notes[n].refers_to == note.refers_to, f"{doc.name} note {n} ({note.text!r})"
        carried = sorted({n for p in parsed.passages for n in p.markers})
        assert carried == sorted(doc.notes), f"{doc.name}: a marker is in no passage"


def test_notes_never_in_passages_and_spans_hold(generated):
    for doc in generated:
        parsed = _build(doc)
        assert 20 <= len(parsed.passages) <= 45, f"{doc.name}: {len(parsed.passages)} passages"
        starts = [p.start for p in parsed.passages]
        assert starts == sorted(starts)
        for p in parsed.passages:
            assert 0 <= p.start < p.end <= len(doc.text)
            assert "\ue000" not in p.text
            for note in doc.notes.values():
                assert note.text[:50] not in p.text, f"{doc.name}: note {note.number} inside passage {p.id}"
            first_word = p.text.split()[0].rstrip(".,;:”’\"0123456789¹²³⁴⁵⁶⁷⁸⁹⁰")
            assert first_word in doc.text[p.start:p.end], p.id


def test_headings_are_sections_not_body(generated):
    for doc in generated:
        structure = parse(doc.text)
        assert structure.headings == [re.sub(r"\s+", " ", h) for h in doc.headings], doc.name


def test_about_thirty_passages_per_document(generated):
    total = sum(len(_build(d).passages) for d in generated)
    assert 25 <= total / len(generated) <= 35  # 1,000 documents ≈ 30,000 passages


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = write_corpus(tmp_path / "a", 8, seed=3)
    b = write_corpus(tmp_path / "b", 8, seed=3)
    c = write_corpus(tmp_path / "c", 8, seed=4)
    assert [p.name for p in a] == [p.name for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    assert mutate(tmp_path / "a", 0.5, seed=9) == mutate(tmp_path / "b", 0.5, seed=9)
    assert sorted(x.name for x in (tmp_path / "a").iterdir()) == sorted(x.name for x in (tmp_path / "b").iterdir())
    for x in (tmp_path / "a").iterdir():
        assert x.read_bytes() == (tmp_path / "b" / x.name).read_bytes()


def test_mutate_edits_adds_deletes_and_edits_still_parse(tmp_path):
    write_corpus(tmp_path, 40, seed=1)
    before = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("syn-*")}
    seen = {"edited": 0, "added": 0, "deleted": 0}
    for round_ in range(4):
        changes = mutate(tmp_path, 0.25, seed=round_)
        for kind, names in changes.items():
            seen[kind] += len(names)
        for name in changes["deleted"]:
            assert not (tmp_path / name).exists()
        for name in changes["edited"]:
            if name in before:
                assert (tmp_path / name).read_text(encoding="utf-8") != before[name]
    assert all(seen.values()), seen
    expected = expected_docs(tmp_path)
    assert sorted(expected) == sorted(p.name for p in tmp_path.glob("syn-*"))
    for name, doc in expected.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == doc.text
        parsed = _build(doc)
        assert [(m.number, m.start, m.end) for m in parsed.markers] == doc.markers, name
        assert parsed.missing_notes == []
