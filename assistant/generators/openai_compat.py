"""Answers from any OpenAI-compatible chat endpoint (llama.cpp's servers, vLLM, Ollama, OpenAI).

Servers disagree on structured output, so the request format steps down until one is accepted,
and the first accepted one is remembered for the process:

1. `response_format: {"type": "json_schema", …}` — OpenAI's structured outputs; llama.cpp's
   `llama-server`, vLLM and Ollama accept it too;
2. `response_format: {"type": "json_object", "schema": …}` — what llama-cpp-python's server takes;
3. no response format: the prompt asks for JSON and the tolerant parser in `base.py` reads it
   (it skips prose or ``` fences before the object, and ids written as strings).

`max_tokens` goes in `extra_body` because LangChain renames its own `max_tokens` to OpenAI's newer
`max_completion_tokens`, which llama-cpp-python's server ignores (the answer would be unbounded);
every compatible server, and OpenAI's non-reasoning models, take `max_tokens`.

`repeat_penalty: 1.0` goes with every request because llama.cpp's servers (llama-server and
llama-cpp-python's) default to 1.1, which penalises copying the evidence's names and numbers, the
very thing an answer must do; vLLM and Ollama ignore it. An endpoint that refuses the field
(OpenAI's own) is asked again without it, and that too is remembered.

The response format goes in `extra_body` rather than LangChain's `response_format` argument on
purpose: LangChain sends a stream with `response_format` through the OpenAI SDK's parsing helper,
which raises on an answer cut at `max_tokens` (here we keep its complete sentences) and cannot
send llama-cpp-python's `json_object` + `schema` form. With `extra_body` the request is exactly
the one listed above and the stream is plain text deltas.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from assistant.generators.base import Generator, GeneratorError, OnText, stream_sentences
from assistant.generators.prompting import answer_schema, build_messages
from assistant.types import Evidence, Sentence

MAX_TOKENS = 200  # ~4 short sentences of JSON, with room for a server that pads whitespace
SAMPLING = {"repeat_penalty": 1.0}  # as the local generator decodes: names and numbers copied, not varied


def _formats(schema: dict) -> list[tuple[str, dict | None]]:
    return [
        ("json_schema", {"type": "json_schema", "json_schema": {"name": "answer", "strict": True, "schema": schema}}),
        ("json_object", {"type": "json_object", "schema": schema}),
        ("prompt only", None),
    ]


class OpenAIGenerator(Generator):
    """Answers with `settings.llm_model` at `settings.llm_base_url`."""

    name = "openai"

    def __init__(self, settings) -> None:
        if not settings.llm_base_url:
            raise GeneratorError("No OpenAI-compatible endpoint is set: set FOOTNOTES_LLM_BASE_URL, e.g. http://127.0.0.1:8080/v1")
        from langchain_openai import ChatOpenAI

        self.settings = settings
        self.base_url = settings.llm_base_url
        self.chat = ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            temperature=0.0,
            timeout=settings.llm_timeout_s,
            max_retries=0,  # a retry would double the wait the user already sees; the app falls back
            streaming=True,
        )
        self._format = 0  # index into `_formats`: the first format this endpoint accepted
        self._sampling = dict(SAMPLING)  # emptied when the endpoint refuses these fields

    def compose(self, question: str, evidence: list[Evidence], on_text: OnText | None = None) -> list[Sentence]:
        import openai

        if not evidence:
            return []
        ids = [item.id for item in evidence]
        messages = build_messages(question, evidence)
        formats = _formats(answer_schema(ids))
        deadline = time.monotonic() + self.settings.llm_timeout_s
        while True:
            label, response_format = formats[self._format]
            started = threading.Event()  # set once the server streamed something

            def open_stream(stop: threading.Event, response_format=response_format, started=started) -> Iterator[str]:
                body: dict = {"max_tokens": MAX_TOKENS, **self._sampling}
                if response_format:
                    body["response_format"] = response_format
                for chunk in self.chat.stream(messages, extra_body=body):
                    started.set()
                    yield chunk.content if isinstance(chunk.content, str) else chunk.text

            try:
                remaining = max(deadline - time.monotonic(), 0.0)
                return stream_sentences(open_stream, ids, on_text, remaining, f"The model at {self.base_url}")
            except openai.APITimeoutError as error:
                raise GeneratorError(
                    f"The model at {self.base_url} did not answer within {self.settings.llm_timeout_s:g} s "
                    "(raise FOOTNOTES_LLM_TIMEOUT_S)"
                ) from error
            except openai.APIConnectionError as error:
                raise GeneratorError(
                    f"Could not reach the OpenAI-compatible endpoint at URL: {self.base_url} — "
                    "check FOOTNOTES_LLM_BASE_URL (is the server running?)"
                ) from error
            except openai.AuthenticationError as error:
                raise GeneratorError(f"The endpoint at {self.base_url} refused the API key — check FOOTNOTES_LLM_API_KEY") from error
            except openai.NotFoundError as error:
                raise GeneratorError(
                    f"The endpoint at {self.base_url} has no model {self.settings.llm_model!r} (or the URL lacks /v1) — "
                    "check FOOTNOTES_LLM_MODEL and FOOTNOTES_LLM_BASE_URL"
                ) from error
            except openai.RateLimitError as error:
                raise GeneratorError(f"The endpoint at {self.base_url} is rate-limiting requests; try again later") from error
            except openai.APIStatusError as error:
                if not started.is_set() and self._sampling and any(key in str(error) for key in self._sampling):
                    self._sampling = {}  # "Unrecognized request argument supplied: repeat_penalty"
                    continue
                # A server that does not know this response format says so with 400, 422 or, like
                # llama-cpp-python's, 500: try the next format, unless text already streamed.
                if started.is_set() or self._format + 1 >= len(formats):
                    raise GeneratorError(f"The endpoint at {self.base_url} failed ({label}): {error}") from error
                self._format += 1
            except openai.APIError as error:
                raise GeneratorError(f"The endpoint at {self.base_url} failed: {error}") from error
