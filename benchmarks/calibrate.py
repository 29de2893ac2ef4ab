"""`footnotes bench calibrate`: the abstain threshold against both error rates on a question set.

For every question the evidence step runs once with no threshold; its best support score and its
other abstain reasons (missing asked-for fact, unknown year…) are kept. Each candidate threshold
then gives a false-abstain rate (answerable questions refused) and a false-answer rate
(unanswerable questions answered) without re-running anything.
"""

from __future__ import annotations

from pathlib import Path

from assistant.engine import Assistant
from assistant.evaluate import load_questions
from ingest.settings import Settings

THRESHOLDS = [round(0.20 + 0.05 * i, 2) for i in range(9)]


def observe(settings: Settings, questions: list[dict]) -> list[tuple[bool, float, bool]]:
    """(answerable, best support score, abstains for another reason) per question."""
    assistant = Assistant(settings)
    assistant.warm()
    rows = []
    for q in questions:  # the assistant's own retrieval and evidence step, with no threshold
        history = [assistant.ask(q["previous"], generator="extractive")] if q.get("previous") else []
        _, _, _, selection = assistant.find_evidence(q["question"], history, threshold=-1.0)
        rows.append((q.get("type") != "unanswerable", selection.confidence, selection.abstain_reason is not None))
    return rows


def run(settings: Settings, questions_file: str | None) -> str:
    path = Path(questions_file) if questions_file else Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
    rows = observe(settings, load_questions(path))
    answerable = [r for r in rows if r[0]]
    unanswerable = [r for r in rows if not r[0]]
    lines = [f"questions: {path} ({len(answerable)} answerable, {len(unanswerable)} unanswerable)", "",
             "| threshold | false abstain (answerable refused) | false answer (unanswerable answered) |", "|---|---|---|"]
    for t in THRESHOLDS:
        false_abstain = sum(1 for _, score, other in answerable if score < t or other) / max(1, len(answerable))
        false_answer = sum(1 for _, score, other in unanswerable if score >= t and not other) / max(1, len(unanswerable))
        mark = " ← current" if abs(t - settings.abstain_threshold) < 1e-9 else ""
        lines.append(f"| {t:.2f}{mark} | {false_abstain:.3f} | {false_answer:.3f} |")
    return "\n".join(lines)
