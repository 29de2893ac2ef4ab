"""A real `chroma run` server dies mid-ingest and mid-question; Footnotes says so and recovers.

Ingest writes to the server (FOOTNOTES_CHROMA_HOST/PORT) while the manifest stays in the data
directory. Killing the server (SIGKILL) while `footnotes ingest` is storing vectors must end the
ingest with a non-zero exit and a message naming the server and how to start it, leave nothing a
reader could see half-written, and a restart on the same `--path` must let the next ingest finish.
Killing it while a question is being answered must raise `StoreError` (an `IngestError`) with the
same kind of message, and the same running Assistant answers again once the server is back.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not an installed package
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the crash-safety checkers are shared
from benchmarks.synthetic import generate, write_corpus  # noqa: E402
from ingest.errors import IngestError  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from ingest.store import StoreError  # noqa: E402
from test_crash_safety import HOOK, Versions, check_repaired, check_visible, fresh_store  # noqa: E402
from tests.conftest import stop_process

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """`chroma run` on a folder and port; killed with SIGKILL, restarted on the same folder."""

    def __init__(self, path: Path, port: int):
        self.path, self.port = path, port
        self.proc: subprocess.Popen | None = None
        self.log = path.parent / "chroma-server.log"

    def start(self, timeout: float = 60) -> None:
        exe = Path(sys.executable).parent / "chroma"
        if not exe.exists():
            pytest.skip("the `chroma` CLI is not installed in this environment")
        env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen([str(exe), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                          "--port", str(self.port)], stdout=log, stderr=log, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"chroma run exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"chroma run did not answer on port {self.port} within {timeout} s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def rss_kb(self) -> int:
        """Peak resident memory of the server process (VmHWM), in kB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> None:
        if self.proc:
            stop_process(self.proc, timeout=15)


@pytest.fixture
def server(tmp_path):
    srv = ChromaServer(tmp_path / "chroma-server", free_port())
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def ingest_process(corpus: Path, data: Path, port: int, hook: Path | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTNOTES_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False", OMP_NUM_THREADS="1",
               FOOTNOTES_CHROMA_HOST="127.0.0.1", FOOTNOTES_CHROMA_PORT=str(port))
    if hook is not None:
        env.update(PYTHONPATH=str(hook), FOOTNOTES_FAULT_TRACE=str(hook / "trace.log"), FOOTNOTES_FAULT_KILL_AT="0")
        (hook / "trace.log").write_text("")
    exe = Path(sys.executable).parent / "footnotes"
    return subprocess.Popen([str(exe), "ingest", "--corpus", str(corpus), "--data-dir", str(data), "--json"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_event(hook: Path, event: str, count: int, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (hook / "trace.log").read_text().count(event) >= count:
            return
        if proc.poll() is not None:
            raise AssertionError(f"ingest ended before {event} x{count}: {proc.stderr.read()[-2000:]}")
        time.sleep(0.005)
    raise AssertionError(f"no {event} x{count} within {timeout} s")


def test_server_killed_mid_ingest_then_restarted(server, tmp_path):
    corpus, data, hook = tmp_path / "corpus", tmp_path / "data", tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    write_corpus(corpus, 6, seed=41, scale=0.4)
    settings = Settings(corpus_dir=corpus, data_dir=data, chroma_host="127.0.0.1", chroma_port=server.port)
    versions = Versions()
    now = versions.record(corpus)

    proc = ingest_process(corpus, data, server.port, hook)
    wait_for_event(hook, "store.upsert:before", 3, proc)  # two documents stored, the third on its way
    server.kill()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode != 0, f"ingest claimed success with its server gone: {out}"
    assert f"127.0.0.1:{server.port}" in err and "chroma run" in err, err[-2000:]
    assert "Traceback" not in err, err[-3000:]

    server.start()  # same folder, same port
    seen = check_visible(settings, versions, {}, now)  # what was committed is whole; nothing half-visible
    assert 1 <= seen["visible"] < 6, seen

    proc = ingest_process(corpus, data, server.port)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    check_repaired(settings, versions, corpus)


def test_server_killed_mid_question_raises_store_error_then_answers_again(server, tmp_path):
    from assistant.engine import Assistant

    corpus, data = tmp_path / "corpus", tmp_path / "data"
    write_corpus(corpus, 3, seed=43, scale=0.3)
    proc = ingest_process(corpus, data, server.port)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    settings = Settings(corpus_dir=corpus, data_dir=data, chroma_host="127.0.0.1", chroma_port=server.port,
                        generator="extractive")
    fresh_store(settings)
    doc = generate(43, 0, 0, 0.3)
    question = "Which programs did " + doc.text.split("\n")[0].strip(" #:").split(" and ")[0] + " involve?"

    assistant = Assistant(settings)
    first = assistant.ask(question)
    assert first.text

    index = assistant.index.get()
    original = index.store.query

    def query_after_server_dies(*args, **kwargs):
        server.kill()  # mid-question: the index is loaded, the dense search is about to run
        return original(*args, **kwargs)

    index.store.query = query_after_server_dies
    with pytest.raises(StoreError) as caught:
        assistant.ask(question)
    assert isinstance(caught.value, IngestError)
    message = str(caught.value)
    assert f"127.0.0.1:{server.port}" in message and "chroma run" in message, message
    index.store.query = original

    with pytest.raises(StoreError, match="chroma run"):  # a new app process while the server is down
        Assistant(settings).ask(question)

    server.start()
    again = assistant.ask(question)  # the same running app, no restart
    assert again.text
    assert [c.passage_id for c in again.citations] == [c.passage_id for c in first.citations]

    # With a server, the running app's dense search also reaches what another process ingests
    # (the embedded store does not: see test_crash_safety.test_long_lived_reader_sees_another_process_ingest).
    (corpus / "added-later.md").write_text(generate(44, 0, 0, 0.3).text, encoding="utf-8")
    proc = ingest_process(corpus, data, server.port)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    index = assistant.index.get()  # the manifest changed: the holder loads the new index
    new_ids = {p.id for p in index.passages if p.doc_id == "added-later.md"}
    assert new_ids
    hits = {rid for rid, _ in index.store.query([0.1] * 384, index.store.count())}
    assert new_ids <= hits
