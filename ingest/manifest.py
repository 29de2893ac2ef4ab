"""What has been ingested: per document its content hash, passage ids and when.

The manifest is the commit point of an ingest. Queries only read passages the manifest lists, so
a document is always entirely its old or its new version: new passages are stored first, then the
manifest is atomically replaced, then the old passages are deleted. A crash in between leaves
unlisted records in the store, which the next run removes (`dirty` marks that it must look).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.settings import Settings

VERSION = 1


@dataclass
class Manifest:
    path: Path
    collection: str
    documents: dict[str, dict] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def path_for(cls, settings: Settings) -> Path:
        return settings.data_path / f"manifest-{settings.collection_name}.json"

    @classmethod
    def load(cls, settings: Settings) -> "Manifest":
        path = cls.path_for(settings)
        if not path.exists():
            return cls(path, settings.collection_name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION or data.get("collection") != settings.collection_name:
                raise ValueError("written by another version or for another collection")
            docs = data["documents"]
            if not isinstance(docs, dict) or not all(isinstance(d.get("passage_ids"), list) for d in docs.values()):
                raise ValueError("documents table malformed")
            return cls(path, settings.collection_name, docs, bool(data.get("dirty")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IngestError(
                path.name, f"manifest is unreadable or corrupt ({exc}); run `footnotes ingest --rebuild` to rebuild the index"
            ) from exc

    def save(self) -> None:
        """Atomically replace the manifest file (write, fsync, rename)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "collection": self.collection, "dirty": self.dirty, "documents": self.documents}
        fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise IngestError(self.path.name, f"cannot write the manifest ({exc.strerror or exc}); free disk space and retry") from exc

    def live_ids(self) -> set[str]:
        """Every record id a query may read."""
        return {i for d in self.documents.values() for i in d["passage_ids"] + d.get("note_ids", [])}
