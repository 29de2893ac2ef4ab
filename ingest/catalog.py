"""`corpus/catalog.toml`: each document's title, authors, publisher, date and URL as it states them."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ingest.errors import IngestError

FIELDS = ("title", "authors", "publisher", "date", "url")


def read_catalog(path: Path) -> dict[str, dict]:
    """Entries keyed by file name. A missing catalog is fine; a broken one is an error naming the line."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(path.name, f"catalog is not valid TOML ({exc}); fix it or delete it") from exc
    return {name: {k: v for k, v in entry.items() if k in FIELDS} for name, entry in data.items() if isinstance(entry, dict)}
