"""`footnotes serve`: start the web app (the lead wires `register` into ui/cli.py)."""

from __future__ import annotations

import argparse


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.app import serve
    from ui.cli import make_settings

    settings = make_settings(args)
    overrides = {}
    if args.host:
        overrides["host"] = args.host
    if args.port is not None:
        overrides["port"] = args.port
    if overrides:
        settings = settings.model_copy(update=overrides)
    return serve(settings)


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help="start the web app (http://127.0.0.1:7860)")
    p.add_argument("--host", help="address to bind (FOOTNOTES_HOST, default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, help="port (FOOTNOTES_PORT, default 7860)")
    p.set_defaults(func=cmd_serve)
