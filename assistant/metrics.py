"""The evaluation summary `footnotes eval` prints, computed the way the judge's scorer computes it.

Same definitions as the shared `score.py` (correct = not abstained, ≤ 150 words, every
`must_include` group present; evidence recall over the first k retrieved texts; a citation is
grounded when its quote stands in the file at its offsets). A test checks both agree.
"""

from __future__ import annotations

import difflib
import re
import statistics
import unicodedata
from pathlib import Path

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
MAX_WORDS = 150


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate({ord(c): None for c in SUPERSCRIPTS}))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("*", "")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1-\2", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def covers(haystack: str, needle: str, need: float = 0.6) -> bool:
    h, n = norm(haystack), norm(needle)
    if not n:
        return False
    if n in h:
        return True
    m = difflib.SequenceMatcher(None, h, n, autojunk=False).find_longest_match(0, len(h), 0, len(n))
    return m.size >= need * len(n)


def words(answer: str) -> int:
    return len(re.sub(r"\[\d+\]", " ", answer).split())


def includes(answer: str, group: str) -> bool:
    a = norm(answer)
    return any(norm(alt) in a for alt in group.split("|"))


def summarize(questions: list[dict], answers: list[dict], corpus: Path, k: int = 5) -> dict:
    texts = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in corpus.iterdir() if p.is_file()}
    by_id = {a["id"]: a for a in answers}
    rows = []
    for q in questions:
        a = by_id.get(q["id"])
        if a is None:
            rows.append({"id": q["id"], "type": q["type"], "missing": True})
            continue
        rows.append(_row(q, a, texts, k))
    return _aggregate(rows, k)


def _row(q: dict, a: dict, texts: dict[str, str], k: int) -> dict:
    row = {"id": q["id"], "type": q["type"], "missing": False}
    answerable = q["type"] != "unanswerable"
    abstained = bool(a.get("abstained"))
    cites = a.get("citations") or []
    row["answered"] = not abstained
    if answerable:
        row["correct"] = (not abstained and words(a.get("answer", "")) <= MAX_WORDS
                          and all(includes(a.get("answer", ""), g) for g in q["must_include"]))
        retrieved = [r.get("text", "") for r in (a.get("retrieved") or [])[:k]]
        row["evidence_hit"] = all(any(covers(t, e["quote"]) for t in retrieved) for e in q["evidence"])
        row["cites_gold"] = any(covers(c.get("quote", ""), e["quote"], 0.5) or covers(e["quote"], c.get("quote", ""), 0.8)
                                for c in cites for e in q["evidence"])
    else:
        row["correct"] = abstained
    grounded = 0
    for c in cites:
        src = texts.get(c.get("file", ""), "")
        ok = bool(c.get("quote")) and covers(src, c["quote"], 0.9)
        s, e = c.get("start"), c.get("end")
        if ok and isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(src):
            ok = covers(src[max(0, s - 5):e + 5], c["quote"], 0.8)
        else:
            ok = False
        grounded += ok
    row["citations"], row["grounded"] = len(cites), grounded
    if q.get("footnotes"):
        gold = {(f["file"], int(f["number"])) for f in q["footnotes"]}
        got = {(c.get("file"), int(f["number"])) for c in cites for f in (c.get("footnotes") or [])
               if str(f.get("number", "")).isdigit()}
        row["footnote_hit"] = bool(gold & got)
    row["latency_ms"] = a.get("latency_ms")
    row["words"] = words(a.get("answer", ""))
    return row


def _aggregate(rows: list[dict], k: int) -> dict:
    def share(key, pred=lambda r: True):
        sel = [r for r in rows if not r["missing"] and key in r and pred(r)]
        return round(sum(bool(r[key]) for r in sel) / len(sel), 3) if sel else None

    done = [r for r in rows if not r["missing"]]
    answered = [r for r in done if r["answered"]]
    lat = sorted(r["latency_ms"] for r in done if isinstance(r.get("latency_ms"), (int, float)))
    n_cites = sum(r["citations"] for r in done)
    return {
        "questions": len(rows),
        "missing": sum(r["missing"] for r in rows),
        "accuracy": round(sum(r["correct"] for r in done) / len(rows), 3) if rows else None,
        "precision": round(sum(r["correct"] for r in answered) / len(answered), 3) if answered else None,
        "answerable_correct": share("correct", lambda r: r["type"] != "unanswerable"),
        "abstain_correct": share("correct", lambda r: r["type"] == "unanswerable"),
        "false_abstain": _false_abstain(done),
        f"evidence_recall@{k}": share("evidence_hit"),
        "cites_gold": share("cites_gold"),
        "citation_grounded": round(sum(r["grounded"] for r in done) / n_cites, 3) if n_cites else None,
        "footnote_hit": share("footnote_hit"),
        "latency_p50_ms": round(statistics.median(lat), 1) if lat else None,
        "latency_p95_ms": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 1) if lat else None,
        "answer_words_p50": statistics.median([r["words"] for r in answered]) if answered else None,
        "answer_words_max": max([r["words"] for r in answered], default=None),
        "by_type": {t: share("correct", lambda r, t=t: r["type"] == t) for t in sorted({r["type"] for r in rows})},
        "wrong": [r["id"] for r in done if not r["correct"]],
    }


def _false_abstain(done: list[dict]) -> float | None:
    sel = [r for r in done if r["type"] != "unanswerable"]
    return round(sum(not r["answered"] for r in sel) / len(sel), 3) if sel else None
