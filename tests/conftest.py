"""Shared fixtures. Tests run offline: sockets may only reach loopback (a real `chroma run`,
the web app, a local model server); anything else fails loudly."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
for key in [k for k in os.environ if k.startswith("FOOTNOTES_")]:
    del os.environ[key]  # a developer's own settings must not leak into the tests

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
MINI = Path(__file__).parent / "data" / "mini"
SHARED_EVAL = ROOT.parent / "shared" / "eval"

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
        if host not in ("127.0.0.1", "::1", "localhost", "0.0.0.0"):
            raise OSError(f"tests are offline: connection to {host} blocked")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    """A private copy of the tiny test corpus (tests may edit it)."""
    target = tmp_path / "corpus"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def settings_for():
    from ingest.settings import Settings

    def make(corpus: Path, data: Path | None = None, **extra) -> Settings:
        return Settings(corpus_dir=corpus, data_dir=data or corpus.parent / "data", **extra)

    return make


@pytest.fixture(scope="session")
def real_index(tmp_path_factory):
    """The real corpus ingested once per session with the real model into real on-disk Chroma."""
    from ingest.pipeline import ingest
    from ingest.settings import Settings

    base = tmp_path_factory.mktemp("real")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, data_dir=base / "data")
    report = ingest(settings)
    assert report.ok, report.failed
    return settings


@pytest.fixture(scope="session")
def assistant(real_index):
    from assistant.engine import Assistant

    a = Assistant(real_index)
    a.warm()
    return a


def stop_process(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a server the test started: politely, then by force if it does not exit in time."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
