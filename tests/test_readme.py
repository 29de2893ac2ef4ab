"""The README is the newcomer's contract: its commands and its settings table must be true."""

from __future__ import annotations

import re

from ingest.settings import settings_markdown
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make run", "make test"]


def test_settings_table_matches_the_settings_object():
    table = re.search(r"<!-- settings:start -->\n(.*?)\n<!-- settings:end -->", README, re.S).group(1)
    assert table.strip() == settings_markdown().strip()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: install\n\t\$\(PY\) -m pytest", makefile, re.M)
    assert "torch==2.13.0" in makefile
