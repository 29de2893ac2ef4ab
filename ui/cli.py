"""The `footnotes` command: ingest, docs, ask, eval, serve, run, bench, settings.

Errors from the packages below are converted here, once: a one-line message on stderr naming the
file and what to do, and a non-zero exit code. No stack traces for expected failures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.evaluate import QuestionFileError  # noqa: E402
from ingest.errors import IngestError  # noqa: E402
from ingest.settings import Settings, settings_markdown  # noqa: E402


def make_settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "corpus", None):
        overrides["corpus_dir"] = Path(args.corpus)
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return Settings(**overrides)


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import ingest

    settings = make_settings(args)
    report = ingest(settings, rebuild=args.rebuild, show_progress=not args.json and sys.stderr.isatty())
    if args.json:
        print(json.dumps({k: v for k, v in report.to_dict().items() if k != "seconds"}))
    else:
        for label in ("added", "updated", "removed", "unchanged"):
            names = getattr(report, label)
            print(f"{label:>9}: {len(names)}" + (f"  ({', '.join(names)})" if names and label != "unchanged" else ""))
        print(f" embedded: {report.embedded} passages in {report.seconds:.1f} s")
        for failure in report.failed:
            print(f"   FAILED: {failure['file']}: {failure['reason']}", file=sys.stderr)
    return 1 if report.failed else 0


def document_rows(settings: Settings) -> list[dict]:
    """What `footnotes docs` lists: one row per ingested document, from the manifest."""
    from ingest.manifest import Manifest

    manifest = Manifest.load(settings)
    rows = []
    for name, d in sorted(manifest.documents.items()):
        rows.append({
            "file": name, "title": d["title"], "date": d.get("date"), "passages": len(d["passage_ids"]),
            "footnotes": d["footnotes"], "markers": d["markers"], "missing_notes": d["missing_notes"],
            "sha256": d["sha256"], "ingested_at": d["ingested_at"],
        })
    return rows


def cmd_docs(args: argparse.Namespace) -> int:
    rows = document_rows(make_settings(args))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("No documents ingested yet. Run `footnotes ingest`.")
    for r in rows:
        missing = f", {len(r['missing_notes'])} notes missing from the source" if r["missing_notes"] else ""
        print(f"{r['file']}\n    {r['title']}\n    {r['date'] or 'no date'} · {r['passages']} passages · "
              f"{r['footnotes']} footnotes · {r['markers']} markers{missing} · ingested {r['ingested_at']}")
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    if args.markdown:
        print(settings_markdown())
    else:
        print(make_settings(args).model_dump_json(indent=2))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """`make run`: ingest what changed, then start the web app."""
    from ingest.pipeline import ingest
    from ui.app import serve

    settings = make_settings(args)
    report = ingest(settings, show_progress=sys.stderr.isatty())
    for failure in report.failed:
        print(f"FAILED: {failure['file']}: {failure['reason']}", file=sys.stderr)
    return serve(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="footnotes", description="Answers with footnote-level citations.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", help="corpus folder (FOOTNOTES_CORPUS_DIR, default corpus/)")
    common.add_argument("--data-dir", help="data folder (FOOTNOTES_DATA_DIR, default .footnotes/ beside the corpus)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="ingest new and changed documents")
    p.add_argument("--rebuild", action="store_true", help="drop the index and ingest everything again")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("docs", parents=[common], help="list ingested documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("settings", parents=[common], help="show the settings (or the README table)")
    p.add_argument("--markdown", action="store_true")
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("run", parents=[common], help="ingest if needed, then serve the web app")
    p.set_defaults(func=cmd_run)

    for register in _extensions():
        register(sub, common)
    return parser


def _extensions():
    """Subcommands that live beside the layers they drive (ask/eval, serve, bench)."""
    from ui import cli_assistant, cli_bench, cli_serve

    return [cli_assistant.register, cli_serve.register, cli_bench.register]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (IngestError, QuestionFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
