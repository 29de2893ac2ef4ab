"""`footnotes bench ingest|retrieval|answers|calibrate|scale|all`: benchmarks that print ratios against a baseline measured in the same run."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("bench", parents=[common], help="measure against the tutorial baseline, in one run")
    p.add_argument("what", choices=["ingest", "retrieval", "answers", "calibrate", "scale", "all"])
    p.add_argument("--repeat", type=int, default=1, help="runs per cold-ingest row (median)")
    p.add_argument("--questions", help="question file for `answers` (default: ../shared/eval/dev.jsonl if present)")
    p.add_argument("--generator", default="local", help="generator for `answers` (both systems use it)")
    p.add_argument("--full", action="store_true", help="`scale`: 10, 100 and 1,000 documents (slow)")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from ui.cli import make_settings

    settings = make_settings(args)
    corpus = Path(settings.corpus_dir)
    if args.what in ("ingest", "all"):
        from benchmarks.ingest_bench import run, table

        print("## Ingest\n")
        print(table(run(corpus, args.repeat)))
    if args.what in ("retrieval", "all"):
        from benchmarks.retrieval_bench import run as run_retrieval

        print("\n## Retrieval\n")
        print(run_retrieval(settings, args.questions))
    if args.what in ("answers", "all"):
        from benchmarks.answers_bench import run as run_answers

        print("\n## Answers\n")
        print(run_answers(settings, args.questions, args.generator))
    if args.what in ("calibrate", "all"):
        from benchmarks.calibrate import run as run_calibrate

        print("\n## Abstain threshold\n")
        print(run_calibrate(settings, args.questions))
    if args.what in ("scale", "all"):
        from benchmarks.scale import run_scale

        print("\n## Scale\n")
        run_scale(full=args.full)
    return 0
