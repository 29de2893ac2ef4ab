"""`footnotes eval`: answer a question file the way a reader would, write the judge's answers file.

Follow-ups are asked after their `previous` question in the same conversation. One warm-up
question runs first, so latencies are warm ones (model loading is not an answer's cost).
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.engine import Assistant
from assistant.metrics import summarize
from assistant.types import Answer


def answer_record(qid: str, answer: Answer) -> dict:
    """One line of the answers file (format: shared/eval/README.md)."""
    return {
        "id": qid,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [
            {"marker": c.marker, "file": c.file, "quote": c.quote, "start": c.start, "end": c.end,
             "section": c.section, "page": c.page,
             "footnotes": [{"number": n.number, "text": n.text, "missing": n.missing, "urls": n.urls}
                           for n in c.footnotes]}
            for c in answer.citations
        ],
        "retrieved": [{"file": r["file"], "text": r["text"], "score": r["score"]} for r in answer.retrieved],
        "latency_ms": answer.latency_ms,
        "generator": answer.generator,
        "notice": answer.notice,
    }


def run_eval(assistant: Assistant, questions: list[dict], out: Path, generator: str | None = None,
             k: int | None = None) -> list[dict]:
    records = []
    assistant.warm()
    if questions:
        assistant.ask(questions[0]["question"], generator=generator, k=k)  # warm-up, not recorded
    with out.open("w", encoding="utf-8") as fh:
        for q in questions:
            history = []
            if q.get("previous"):
                history = [assistant.ask(q["previous"], generator=generator, k=k)]
            answer = assistant.ask(q["question"], history, generator=generator, k=k)
            record = answer_record(q["id"], answer)
            records.append(record)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
    return records


class QuestionFileError(ValueError):
    """A question file that cannot be read; the message names the file, the line and the fix."""


_FORMAT = 'one JSON object per line with at least "id" and "question" (see shared/eval/README.md)'


def load_questions(path: Path) -> list[dict]:
    """The questions of a `.jsonl` file, checked before any is asked: an eval that fails on line 40
    after twenty minutes of answering has wasted them."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise QuestionFileError(f"{path}: no such question file; pass --questions with a .jsonl file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionFileError(f"{path}: cannot be read as UTF-8 text ({error}); it must hold {_FORMAT}") from None
    questions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            question = json.loads(line)
        except json.JSONDecodeError as error:
            raise QuestionFileError(f"{path}, line {number}: not valid JSON ({error.msg}); the file must hold "
                                    f"{_FORMAT}") from None
        if not isinstance(question, dict) or not isinstance(question.get("id"), str) or not isinstance(
                question.get("question"), str) or not question["question"].strip():
            raise QuestionFileError(f"{path}, line {number}: a question needs a string \"id\" and a non-empty "
                                    f"\"question\"; the file must hold {_FORMAT}")
        questions.append(question)
    if not questions:
        raise QuestionFileError(f"{path}: holds no questions; it must hold {_FORMAT}")
    return questions


def summary(questions: list[dict], records: list[dict], corpus: Path, k: int = 5) -> dict:
    return summarize(questions, records, corpus, k)
