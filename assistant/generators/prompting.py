"""The prompt and the output schema shared by every model-backed composer.

Short on purpose: a CPU model reads the prompt at ~80 tokens/s and the whole answer should take
about 6 s, so the prompt is budgeted at ~250–350 tokens (five evidence sentences) and the answer
at ~60–90 tokens. The schema does the rest: grammar-constrained decoding can only write ids the
app enumerated, and at most three sentences (the app adds back any required evidence a model leaves out).
"""

from __future__ import annotations

from assistant.types import Evidence

MAX_SENTENCES = 3
MAX_EVIDENCE_WORDS = 70  # a long PDF "sentence" must not eat the prompt budget
MAX_TITLE_WORDS = 7  # of a title, and of a section heading

SYSTEM_PROMPT = (
    "Answer the question using only the numbered evidence. "
    "Be concise: at most 3 sentences, under 70 words. "
    "After each sentence list the ids of the evidence it uses. "
    "Copy names, numbers and dates exactly as the evidence writes them. "
    'Reply in JSON: {"sentences": [{"text": "...", "evidence": [1]}]}'
)


def _clip(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def source_label(item: Evidence) -> str:
    """`(Title — Section)`: where a sentence comes from helps the model tell sources apart. Both are
    clipped and the section is its own heading, not its path: whole labels averaged ~50 prompt
    tokens each, a quarter of the prompt, read at ~100 tokens/s on every answer."""
    section = item.section.split(" › ")[-1].strip()
    where = " — ".join(part for part in (_clip(item.title, MAX_TITLE_WORDS), _clip(section, MAX_TITLE_WORDS)) if part)
    return f"({where})" if where else "(untitled)"


def evidence_block(evidence: list[Evidence]) -> str:
    """The numbered evidence in id order, with a `(Title — Section)` line where the source changes.

    `[1] (Title — Section) sentence` on every line spent ~20 tokens a line repeating one title
    (five sentences of one document: 437 prompt tokens instead of 341), so consecutive sentences
    of a source share its label. Lines are never regrouped out of id order: the 0.5B model cites
    by position (it called the first line [1] whatever its number).
    """
    lines, label = [], None
    for item in sorted(evidence, key=lambda item: item.id):
        if source_label(item) != label:
            label = source_label(item)
            lines.append(label)
        lines.append(f"[{item.id}] {_clip(item.text, MAX_EVIDENCE_WORDS)}")
    return "\n".join(lines)


def build_messages(question: str, evidence: list[Evidence]) -> list[dict[str, str]]:
    """Chat messages in the OpenAI format both llama.cpp and OpenAI-compatible servers accept."""
    user = f"Evidence:\n{evidence_block(evidence)}\n\nQuestion: {question.strip()}"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def answer_schema(evidence_ids: list[int], max_sentences: int = MAX_SENTENCES) -> dict:
    """JSON schema of an answer whose sentences may cite only `evidence_ids`.

    Every sentence must cite at least one id: small models otherwise drop citations, and an
    uncited sentence would be thrown away by the app anyway. Deciding to abstain is the app's job
    (evidence scores, then `verify.py`), not a small model's, which refuses answerable questions.
    A length limit on `text` is left out on purpose: llama-cpp-python expands `maxLength` into
    one nested grammar rule per character; `max_tokens` bounds the answer instead.
    """
    ids = sorted(set(evidence_ids))
    return {
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "minItems": 1,
                "maxItems": max_sentences,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "minLength": 1},
                        "evidence": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": 3,
                            "items": {"type": "integer", "enum": ids},
                        },
                    },
                    "required": ["text", "evidence"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["sentences"],
        "additionalProperties": False,
    }
