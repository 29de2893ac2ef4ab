"""The bundled local model (Qwen2.5-Coder 1.5B or 0.5B, GGUF) run in-process by llama.cpp.

Loading takes seconds and ~2 GB, so a model is loaded once per process, on first use, and shared
by every `LocalGenerator`; a llama.cpp context is not thread-safe, so one answer is generated at
a time. The output is constrained by a grammar built from the answer's JSON schema: the model
can only write sentences that cite evidence ids the app enumerated.
"""

from __future__ import annotations

import ctypes
import json
import threading
from collections.abc import Iterator
from pathlib import Path

from assistant.generators import model_files
from assistant.generators.base import Generator, GeneratorError, OnText, stream_sentences
from assistant.generators.prompting import answer_schema, build_messages
from assistant.types import Evidence, Sentence

N_CTX = 4096  # prompt ≈ 350 tokens for 5 evidence, but top_k may be raised; KV cache ≈ 115 MB
MAX_TOKENS = 130  # ~3 short sentences of JSON; bounds the worst case


class LazyGrammar:
    """Greedy decoding under a GBNF grammar that checks only the model's own first choice.

    llama-cpp-python applies a grammar to every one of Qwen's 151,936 tokens at every step, which
    made answers over twice as slow here. Like llama.cpp's own `common_sampler`, this checks the
    greedy token alone and masks the whole vocabulary only when that token breaks the grammar.
    Used as a `logits_processor`, so it needs greedy sampling (temperature 0, no penalties): it
    must know which token will be chosen to advance the grammar.
    """

    def __init__(self, llm, gbnf: str) -> None:
        import llama_cpp
        import numpy as np

        self._api, self._np = llama_cpp, np
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        self._sampler = llama_cpp.llama_sampler_init_grammar(vocab, gbnf.encode(), b"root")
        if not self._sampler:
            raise GeneratorError("llama.cpp could not compile the answer grammar")
        self._one = (llama_cpp.llama_token_data * 1)()
        self._all = None  # per-vocabulary buffer, made on the first full check
        self.broken = False  # no token fits the grammar: decode unconstrained, the parser copes
        self.masks = 0  # how often the whole vocabulary had to be checked

    def __call__(self, input_ids, scores):
        if self.broken:
            return scores
        np = self._np
        token = int(np.argmax(scores))
        if not self._fits(token, float(scores[token])):
            scores = self._mask(scores)
            token = int(np.argmax(scores))
            if scores[token] == -np.inf:
                self.broken = True  # accepting a rejected token would abort the process
                return scores
        self._api.llama_sampler_accept(self._sampler, token)
        return scores

    def _apply(self, data, size: int) -> None:
        array = self._api.llama_token_data_array(data=data, size=size, selected=-1, sorted=False)
        self._api.llama_sampler_apply(self._sampler, ctypes.byref(array))

    def _fits(self, token: int, logit: float) -> bool:
        self._one[0].id, self._one[0].logit, self._one[0].p = token, logit, 0.0
        self._apply(self._one, 1)
        return self._one[0].logit != float("-inf")

    def _mask(self, scores):
        np = self._np
        self.masks += 1
        if self._all is None or len(self._all) != len(scores):
            self._all = np.zeros(len(scores), dtype=np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)]))
            self._all["id"] = np.arange(len(scores), dtype=np.int32)
        self._all["logit"] = scores
        pointer = self._all.ctypes.data_as(ctypes.POINTER(self._api.llama_token_data))
        self._apply(pointer, len(scores))
        return self._all["logit"].copy()

    def close(self) -> None:
        if self._sampler:
            self._api.llama_sampler_free(self._sampler)
            self._sampler = None


class _Loaded:
    """A loaded model and the lock that serialises its use."""

    def __init__(self, llm) -> None:
        self.llm = llm
        self.lock = threading.Lock()


_models: dict[tuple[str, int, int], _Loaded] = {}
_loading = threading.Lock()


def load_model(path: Path, n_threads: int, n_ctx: int = N_CTX) -> _Loaded:
    """The process-wide model for `path`, loaded on first call."""
    key = (str(path), n_threads, n_ctx)
    with _loading:
        if key not in _models:
            try:
                from llama_cpp import Llama
            except ImportError as error:
                raise GeneratorError(
                    "The local generator needs llama-cpp-python: pip install 'llama-cpp-python==0.3.36'"
                ) from error
            try:
                # flash attention: the same answers, ~4 % faster on this CPU (docs/benchmarks.md)
                llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads,
                            flash_attn=True, verbose=False)
            except (ValueError, RuntimeError) as error:
                raise GeneratorError(f"Could not load the model {path}: {error}") from error
            _models[key] = _Loaded(llm)
        return _models[key]


class LocalGenerator(Generator):
    """Answers with the bundled model chosen by `settings.local_model`."""

    name = "local"

    def __init__(self, settings) -> None:
        self.settings = settings
        self.spec = model_files.spec_for(settings)

    def model(self) -> _Loaded:
        """Assemble/verify the model file if needed and load it (both once per process).
        Call it at startup to keep the first answer within its time budget."""
        path = model_files.model_path(self.settings)
        return load_model(path, self.settings.llm_threads)

    def compose(self, question: str, evidence: list[Evidence], on_text: OnText | None = None) -> list[Sentence]:
        if not evidence:
            return []
        from llama_cpp.llama_grammar import json_schema_to_gbnf

        loaded = self.model()
        ids = [item.id for item in evidence]
        messages = build_messages(question, evidence)
        gbnf = json_schema_to_gbnf(json.dumps(answer_schema(ids)))

        def open_stream(stop: threading.Event) -> Iterator[str]:
            # Runs in a worker thread, which holds the model until its stream is closed.
            with loaded.lock:
                if stop.is_set():  # the caller gave up while an earlier answer held the model
                    return
                grammar = LazyGrammar(loaded.llm, gbnf)
                stream = loaded.llm.create_chat_completion(
                    messages=messages,
                    logits_processor=[grammar],
                    stream=True,
                    temperature=0.0,
                    repeat_penalty=1.0,  # names and numbers must be copied, not varied
                    max_tokens=MAX_TOKENS,
                )
                try:
                    for chunk in stream:
                        yield chunk["choices"][0]["delta"].get("content") or ""
                finally:
                    stream.close()
                    grammar.close()

        try:
            return stream_sentences(open_stream, ids, on_text, self.settings.llm_timeout_s, f"The local model ({self.spec.key})")
        except (ValueError, RuntimeError) as error:  # e.g. a prompt longer than the context
            raise GeneratorError(f"The local model ({self.spec.key}) failed: {error}") from error
