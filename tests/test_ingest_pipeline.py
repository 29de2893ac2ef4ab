"""Incremental ingest with the real embedding model into real Chroma on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from ingest.errors import IngestError
from ingest.manifest import Manifest
from ingest.pipeline import ingest
from ingest.store import Store
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def store_state(settings):
    store = Store(settings)
    records = store.get()
    return store, records


def assert_consistent(settings):
    """Manifest and store agree: same ids, no duplicates, no orphans."""
    manifest = Manifest.load(settings)
    store, records = store_state(settings)
    ids = [r[0] for r in records]
    assert len(ids) == len(set(ids))
    assert set(ids) == manifest.live_ids()
    spans = Counter((m["doc_id"], m.get("start"), m.get("end"), m["kind"]) for _, _, m in records)
    assert max(spans.values()) == 1, "two copies of one passage"
    return manifest, records


def test_add_then_unchanged_computes_no_embedding(mini_corpus, settings_for):
    settings = settings_for(mini_corpus)
    first = ingest(settings)
    assert sorted(first.added) == ["alpha-notes.md", "beta-pdf-like.txt"] and first.ok
    assert first.embedded > 0
    second = ingest(settings)
    assert sorted(second.unchanged) == ["alpha-notes.md", "beta-pdf-like.txt"]
    assert second.embedded == 0 and not second.added and not second.updated
    manifest, records = assert_consistent(settings)
    assert manifest.documents["alpha-notes.md"]["footnotes"] == 5
    assert any(m["kind"] == "note" and m["number"] == 4 for _, _, m in records)


def test_edit_replaces_only_changed_passages_and_delete_removes(mini_corpus, settings_for):
    settings = settings_for(mini_corpus)
    ingest(settings)
    before = Manifest.load(settings).documents["alpha-notes.md"]["passage_ids"]
    path = mini_corpus / "alpha-notes.md"
    path.write_text(path.read_text().replace("a permanent secretariat in Jakarta", "a rotating secretariat in Manila"))
    report = ingest(settings)
    assert report.updated == ["alpha-notes.md"]
    after = Manifest.load(settings).documents["alpha-notes.md"]["passage_ids"]
    assert after[0] == before[0]  # the unchanged section keeps its passage (and its vector)
    assert report.embedded < len(after) + 5  # not the whole document again
    _, records = assert_consistent(settings)
    texts = " ".join(t for _, t, m in records if m["kind"] == "passage")
    assert "rotating secretariat in Manila" in texts and "permanent secretariat" not in texts
    (mini_corpus / "beta-pdf-like.txt").unlink()
    report = ingest(settings)
    assert report.removed == ["beta-pdf-like.txt"]
    _, records = assert_consistent(settings)
    assert {m["doc_id"] for _, _, m in records} == {"alpha-notes.md"}


def test_bad_files_reported_others_ingested_index_consistent(mini_corpus, settings_for):
    settings = settings_for(mini_corpus)
    ingest(settings)
    (mini_corpus / "empty.md").write_text("")
    (mini_corpus / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (mini_corpus / "garbled.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    (mini_corpus / "broken.pdf").write_bytes(b"%PDF-1.7 nothing here")
    with (mini_corpus / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (mini_corpus / "good.md").write_text("# Good\n\nJapan and Vietnam signed a memorandum on maritime safety in 2015.\n")
    report = ingest(settings)
    failed = {f["file"]: f["reason"] for f in report.failed}
    assert set(failed) == {"empty.md", "binary.txt", "garbled.txt", "broken.pdf", "huge.txt"}
    assert "empty" in failed["empty.md"] and "MB" in failed["huge.txt"]
    assert report.added == ["good.md"] and sorted(report.unchanged) == ["alpha-notes.md", "beta-pdf-like.txt"]
    assert_consistent(settings)


def test_changed_file_that_turns_bad_keeps_its_old_version(mini_corpus, settings_for):
    settings = settings_for(mini_corpus)
    ingest(settings)
    (mini_corpus / "alpha-notes.md").write_bytes(b"\x00\x01\x02" * 1000)
    report = ingest(settings)
    assert report.failed[0]["file"] == "alpha-notes.md"
    manifest, records = assert_consistent(settings)
    assert "alpha-notes.md" in manifest.documents  # nothing already ingested is lost


def test_crash_between_store_and_manifest_leaves_old_version_then_repairs(mini_corpus, settings_for, monkeypatch):
    settings = settings_for(mini_corpus)
    ingest(settings)
    old_ids = set(Manifest.load(settings).documents["alpha-notes.md"]["passage_ids"])
    path = mini_corpus / "alpha-notes.md"
    path.write_text(path.read_text().replace("42 exercises", "57 exercises"))

    import ingest.pipeline as pipeline

    real_upsert = Store.upsert
    state = {"stored": False}

    def upsert_then_crash(self, *args, **kwargs):
        real_upsert(self, *args, **kwargs)
        state["stored"] = True
        raise RuntimeError("crash after storing new passages, before committing the manifest")

    monkeypatch.setattr(Store, "upsert", upsert_then_crash)
    with pytest.raises(RuntimeError):
        pipeline.ingest(settings)
    monkeypatch.undo()
    assert state["stored"]
    manifest = Manifest.load(settings)
    assert set(manifest.documents["alpha-notes.md"]["passage_ids"]) == old_ids  # queries still see the old version
    assert manifest.dirty
    report = ingest(settings)  # the next run repairs: removes the orphans, stores the new version
    assert report.updated == ["alpha-notes.md"]
    assert_consistent(settings)


def test_rebuild_and_settings_collection(mini_corpus, settings_for):
    settings = settings_for(mini_corpus)
    ingest(settings)
    report = ingest(settings, rebuild=True)
    assert sorted(report.added) == ["alpha-notes.md", "beta-pdf-like.txt"]
    assert_consistent(settings)
    other = settings_for(mini_corpus, passage_words=40)
    assert other.collection_name != settings.collection_name
    assert Store(other).count() == 0  # a query with other settings never reads this index


def test_chroma_default_embedding_function_never_used(mini_corpus, settings_for):
    settings = settings_for(mini_corpus)
    ingest(settings)
    store = Store(settings)
    assert store.collection._embedding_function is None  # every vector is ours


def test_corrupt_manifest_is_a_clear_error_and_rebuild_recovers(mini_corpus, settings_for):
    settings = settings_for(mini_corpus)
    ingest(settings)
    Manifest.path_for(settings).write_text("{ not json")
    with pytest.raises(IngestError, match="ingest --rebuild"):
        ingest(settings)
    assert ingest(settings, rebuild=True).ok
    assert_consistent(settings)


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_cli_ingest_json_docs_json_and_exit_codes(mini_corpus, tmp_path):
    data = tmp_path / "data"
    out = run_cli("ingest", "--json", "--corpus", str(mini_corpus), "--data-dir", str(data))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report) == {"added", "updated", "removed", "unchanged", "failed", "embedded"}
    assert report["embedded"] > 0
    docs = json.loads(run_cli("docs", "--json", "--corpus", str(mini_corpus), "--data-dir", str(data)).stdout)
    beta = next(d for d in docs if d["file"] == "beta-pdf-like.txt")
    assert beta["missing_notes"] == [4, 5, 6] and beta["footnotes"] == 3 and beta["markers"] == 6
    assert set(beta) >= {"file", "title", "date", "passages", "footnotes", "markers", "missing_notes", "sha256"}
    (mini_corpus / "empty.txt").write_text("")
    out = run_cli("ingest", "--corpus", str(mini_corpus), "--data-dir", str(data))
    assert out.returncode == 1
    assert "empty.txt" in out.stderr and "empty" in out.stderr
    assert "unchanged: 2" in out.stdout


def test_cli_settings_from_environment(mini_corpus, tmp_path):
    out = run_cli("docs", "--json", env={"FOOTNOTES_CORPUS_DIR": str(mini_corpus), "FOOTNOTES_DATA_DIR": str(tmp_path / "d")})
    assert out.returncode == 0 and json.loads(out.stdout) == []


def test_edit_near_the_top_re_embeds_only_what_changed(mini_corpus, settings_for):
    settings = settings_for(mini_corpus)
    ingest(settings)
    path = mini_corpus / "alpha-notes.md"
    path.write_text(path.read_text().replace("studied maritime", "carefully studied maritime"))  # shifts every offset
    report = ingest(settings)
    assert report.updated == ["alpha-notes.md"]
    assert report.embedded <= 2  # the passages and notes after the edit keep their vectors
    assert_consistent(settings)


def test_documents_embedded_together_are_still_committed_one_by_one(mini_corpus, settings_for, monkeypatch):
    """Changed documents share one encoder call (it pads far less than one small call per file), yet
    each is committed on its own: a crash while storing the second leaves the first entirely new
    and the second entirely old, and the next run finishes the second."""
    import ingest.pipeline as pipeline

    settings = settings_for(mini_corpus)
    ingest(settings)
    before = Manifest.load(settings).documents
    for name, old, new in [("alpha-notes.md", "42 exercises", "57 exercises"),
                           ("beta-pdf-like.txt", "examines how Japan", "examines closely how Japan")]:
        path = mini_corpus / name
        path.write_text(path.read_text().replace(old, new))

    encoder_calls, real_embed = [], pipeline._Run._embed
    monkeypatch.setattr(pipeline._Run, "_embed", lambda self, texts: encoder_calls.append(len(texts)) or real_embed(self, texts))
    real_upsert, upserts = Store.upsert, []

    def crash_on_second_document(self, ids, *args):
        upserts.append(ids)
        if len(upserts) == 2:
            raise RuntimeError("killed while storing the second document")
        real_upsert(self, ids, *args)

    monkeypatch.setattr(Store, "upsert", crash_on_second_document)
    with pytest.raises(RuntimeError):
        ingest(settings)
    monkeypatch.undo()
    assert len(encoder_calls) == 1, "both changed documents go through one encoder call"
    after = Manifest.load(settings).documents
    assert after["alpha-notes.md"]["sha256"] != before["alpha-notes.md"]["sha256"]  # committed: new
    assert after["beta-pdf-like.txt"] == before["beta-pdf-like.txt"]  # not committed: still old
    report = ingest(settings)
    assert report.updated == ["beta-pdf-like.txt"] and report.unchanged == ["alpha-notes.md"]
    assert_consistent(settings)
