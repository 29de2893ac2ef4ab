"""`footnotes ask` and `footnotes eval`."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

GENERATORS = ["auto", "extractive", "local", "openai"]


def register(sub, common) -> None:
    p = sub.add_parser("ask", parents=[common], help="answer one question with citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer object")
    p.add_argument("--generator", choices=GENERATORS)
    p.add_argument("-k", type=int, help="passages handed to the answer step")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", parents=[common], help="answer a question file, write an answers file")
    p.add_argument("--questions", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--generator", choices=GENERATORS)
    p.add_argument("-k", type=int)
    p.set_defaults(func=cmd_eval)


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.engine import Assistant
    from ui.cli import make_settings

    answer = Assistant(make_settings(args)).ask(args.question, generator=args.generator, k=args.k)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(textwrap.fill(answer.text, 100))
    if answer.notice:
        print(f"\n({answer.notice})")
    for c in answer.citations:
        page = f", p. {c.page}" if c.page else ""
        print(f"\n[{c.marker}] {c.title} — {c.section or 'front matter'}{page} ({c.file}:{c.start}-{c.end})")
        print(textwrap.indent(textwrap.fill("“" + " ".join(c.quote.split()) + "”", 96), "    "))
        for n in c.footnotes:
            print(textwrap.indent(textwrap.fill(f"note {n.number}: {n.text}", 96), "    "))
            if n.resolved_text:
                print(textwrap.indent(textwrap.fill(f"(repeats note {n.resolved_from}: {n.resolved_text})", 96), "    "))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.engine import Assistant
    from assistant.evaluate import load_questions, run_eval, summary
    from ui.cli import make_settings

    settings = make_settings(args)
    questions = load_questions(Path(args.questions))
    records = run_eval(Assistant(settings), questions, Path(args.out), args.generator, args.k)
    result = summary(questions, records, settings.corpus_dir)
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    print(f"answers written to {args.out}", file=sys.stderr)
    return 0
