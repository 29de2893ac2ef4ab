"""Acceptance cases of the ingest issue, on the real corpus: footnotes, markers, repair, sections, offsets."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

import pytest

from ingest.catalog import read_catalog
from ingest.document import build_document, document_sentences
from ingest.settings import Settings
from tests.conftest import CORPUS

AIZAWA = "aizawa-2024-jmod-defense-diplomacy.md"
SHOJI = "shoji-japan-asean-security-cooperation.txt"
SPF = "spf-2022-strengthening-defense-diplomacy.md"
MOD = "mod-2023-kihara-asean-informal-meeting.txt"
ALLIANCE = "alliance-insights-2025-jasmine-forum.txt"


@lru_cache
def doc(name: str):
    raw = (CORPUS / name).read_text(encoding="utf-8")
    return build_document(name, raw, read_catalog(CORPUS / "catalog.toml").get(name, {}), 120, 1)


def marker_numbers(d) -> list[int]:
    return [m.number for m in d.markers]


def test_aizawa_has_32_notes_and_every_marker_links_to_its_note():
    d = doc(AIZAWA)
    assert sorted(d.notes) == list(range(1, 33))
    assert marker_numbers(d) == list(range(1, 33))
    assert d.missing_notes == []
    assert "Politics among Nations" in d.notes[32].text


def test_shoji_notes_1_to_36_parsed_and_37_to_65_are_missing_notes():
    d = doc(SHOJI)
    assert sorted(d.notes) == list(range(1, 37))
    assert marker_numbers(d) == list(range(1, 66))
    assert d.missing_notes == list(range(37, 66))


@pytest.mark.parametrize("name", [AIZAWA, SHOJI])
def test_no_note_text_inside_any_body_passage(name):
    d = doc(name)
    for note in d.notes.values():
        probe = note.text[:40]
        assert not any(probe in p.text for p in d.passages), (note.number, probe)


def test_note_lines_lifted_out_even_when_wrapped_across_blank_lines():
    d = doc(SHOJI)
    joined = " ".join(p.text for p in d.passages)
    assert "accessed on" not in joined  # every shoji note has one; none may leak into the body
    assert "http" not in joined


@pytest.mark.parametrize(
    "name,context,number",
    [
        (SHOJI, "by showing its willingness to be an equal and relevant partner", None),  # no marker in plain text
        (SHOJI, "Prime Minster Abe’s proactive approach toward security and Southeast Asia.", 2),
        (SHOJI, "commemorative Japan-ASEAN summit in December 2013.", 14),  # a marker glued to a year
        (SHOJI, "information sharing center was launched in Singapore.", 6),
    ],
)
def test_glued_markers_found_and_years_kept(name, context, number):
    d = doc(name)
    text = " ".join(p.text for p in d.passages)
    assert context in text
    if number is not None:
        after = text[text.index(context) + len(context):]
        assert after.startswith(str(number)), after[:10]
        assert any(m.number == number for m in d.markers)


def test_years_dates_list_numbers_and_figures_are_not_markers():
    assert doc(MOD).markers == []  # "1. On November 15, 2023" list items and dates
    assert doc(ALLIANCE).markers == []  # "(58.9%)", "February 11, 2025", "Vision 2.0"
    assert doc(SPF).markers == []  # "Proposal 1.", "ISBN: 978-4-326-30307-6"
    shoji = doc(SHOJI)
    raw = shoji.raw
    for m in shoji.markers:  # every shoji marker is a short digit run glued to a word or punctuation
        assert re.fullmatch(r"\d{1,2}", raw[m.start:m.end])
        assert not raw[m.start - 1].isspace()
        assert not raw[m.start - 1].isdigit() or raw[m.start - 1] == "."


def test_circled_numbers_and_superscript_in_title_handled():
    d = doc(AIZAWA)
    assert d.markers[0].number == 1  # the title's ¹ ("…Pacific Island Countries¹")
    assert all(m.number != 0 for m in d.markers)  # ① ② are list bullets, not markers


def test_pdf_repair_keeps_real_hyphens_and_joins_sentence_cut_by_notes():
    text = " ".join(p.text for p in doc(SHOJI).passages)
    assert "ADMM-Plus" in text and "ADMM- Plus" not in text
    assert "11th Shangri-La Dialogue" in text
    assert "co-chairmanships" in text
    assert "Defense Ministers’ Roundtable Meeting in November 2014" in text
    assert "address China’s assertiveness." in text


def test_ibid_and_short_title_notes_resolve_to_the_note_they_repeat():
    aizawa, shoji = doc(AIZAWA), doc(SHOJI)
    assert aizawa.notes[5].text.replace("*", "").startswith("Ibid., 68")
    assert aizawa.notes[5].refers_to == 4
    assert aizawa.notes[11].refers_to == 8  # Ibid. → note 10, itself a short form of note 8
    assert shoji.notes[6].refers_to == 3  # Ibid. → 5 ("Shoji, “Pursuing…,”") → 3
    assert shoji.notes[12].refers_to == 2  # "Lee, “Strategic Possibilities…,” p. 4."
    assert shoji.notes[9].refers_to == 8  # "NSS, pp. 23-24." → the note defining "(NSS)"
    assert shoji.notes[1].refers_to is None


def test_note_urls_rejoined_across_wrapped_lines():
    shoji = doc(SHOJI)
    assert "http://www.mofa.go.jp/region/asia-paci/asean/year2003/summit/tokyo_dec.pdf" in shoji.notes[1].urls
    assert doc(AIZAWA).notes[8].urls == ("https://www.mod.go.jp/en/d_act/exc/admm/admm_8.html",)


@pytest.mark.parametrize("name", [AIZAWA, SHOJI, SPF, MOD, ALLIANCE])
def test_passage_offsets_point_at_their_words_in_the_file(name):
    d = doc(name)
    raw = (CORPUS / name).read_text(encoding="utf-8")
    for p in d.passages:
        span = raw[p.start:p.end]
        words = re.findall(r"\w+", p.text)
        assert words[0] in span[:80] and words[-1] in span[-80:], p.id
        pos = 0
        for w in words:  # every repaired word stands, in order, in the original span
            found = span.find(w, pos)
            assert found >= 0, (p.id, w)
            pos = found


@pytest.mark.parametrize("name", [AIZAWA, SHOJI])
def test_sentence_offsets_round_trip(name):
    raw = (CORPUS / name).read_text(encoding="utf-8")
    sentences, _ = document_sentences(raw)
    assert len(sentences) > 50
    for start, end, text in sentences:
        assert raw[start] == text[0] and raw[end - 1] == text[-1]


def test_passages_carry_marker_numbers_and_stay_in_one_section():
    d = doc(AIZAWA)
    morgenthau = next(p for p in d.passages if "promotion of the national interest" in p.text)
    assert 32 in morgenthau.markers
    assert morgenthau.section == ("Conclusion",)
    sections = {p.section for p in d.passages}
    assert ("Revitalized Engagement with ASEAN and Pacific Island Countries", "(1) Towards ASEAN: “JASMINE”",
            "Overview: Shared Vision for the Region and Four Pillars of Cooperation") in sections


def test_spf_closing_author_line_makes_the_author_of_its_section():
    d = doc(SPF)
    strategy = [p for p in d.passages if p.section[-1:] == ("Adopt a Defense Diplomacy Strategy",)]
    assert strategy and all(p.author == "Michito Tsuruoka" for p in strategy)
    exports = [p for p in d.passages if "Overseas Transfers" in " ".join(p.section) or "Intellectual Foundation" in " ".join(p.section)]
    assert exports and all(p.author == "Kohtaro Ito" for p in exports)


def test_shoji_sections_and_pages():
    d = doc(SHOJI)
    names = {s for p in d.passages for s in p.section}
    assert "Pursuing a “Comprehensive” Partnership: The ADMM-Plus and Capacity Building Assistance" in names
    assert "Bilateral Support Centering on Vietnam and the Philippines" in names
    pages = [p.page for p in d.passages]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] >= 12


def test_catalog_states_only_what_documents_say():
    catalog = tomllib.loads((CORPUS / "catalog.toml").read_text(encoding="utf-8"))
    assert set(catalog) == {p.name for p in CORPUS.iterdir() if p.suffix in (".md", ".txt")}
    for name, entry in catalog.items():
        text = (CORPUS / name).read_text(encoding="utf-8")
        for author in entry.get("authors", []):
            assert author.split()[-1] in text, (name, author)
        if "date" in entry:
            assert entry["date"] in text, (name, entry["date"])


def test_document_without_catalog_entry_takes_first_heading_as_title():
    raw = "\n\n# A Fresh Memo\n\nBody text that says something useful about maritime security.\n"
    assert build_document("memo.md", raw, {}, 120).title == "A Fresh Memo"


def test_settings_data_dir_defaults_beside_the_corpus_never_inside(tmp_path):
    s = Settings(corpus_dir=tmp_path / "corpus")
    assert s.data_path == tmp_path / ".footnotes"
    assert s.collection_name != Settings(corpus_dir=tmp_path / "corpus", passage_words=80).collection_name
    assert s.collection_name != Settings(embedding_model="/some/other/model").collection_name


def test_a_references_fields_run_on_after_its_title_stay_with_it():
    """"…in Peacetime). Keiso Shobo. October 2021. ISBN: …" is one reference: the publisher, month and
    ISBN are not sentences of their own (each too short to be evidence, so the date and ISBN would be
    lost); a numbered list item on the next line, and a sentence of four words, stand alone."""
    from ingest.sentences import split_sentences

    text = ("The project also published a book. 「防衛外交とは何か」(Defense Diplomacy – A Role of the Military Force "
            "in Peacetime). Keiso Shobo. October 2021. ISBN: 978-4-326-30307-6")
    assert [text[s:e] for s, e in split_sentences(text)] == [text]
    listed = "He met the chair.\n2. At the beginning of the meeting, he spoke."
    assert len(split_sentences(listed)) == 2
    plain = "Japan proposed a forum. None opposed it. No agreement was reached at all."
    assert [plain[s:e] for s, e in split_sentences(plain)] == ["Japan proposed a forum. None opposed it.",
                                                              "No agreement was reached at all."]
