"""Model-backed answer composers: the bundled local model and any OpenAI-compatible endpoint.

The extractive composer lives with the assistant; here `make_generator` returns None for it, so
callers fall back to it. Heavy imports (llama_cpp, langchain_openai) wait until a generator is
made, so listing what is available stays cheap.
"""

from __future__ import annotations

import importlib.util

from assistant.generators.base import Generator, GeneratorError
from assistant.generators.model_files import is_installed

__all__ = ["Generator", "GeneratorError", "available_generators", "make_generator"]


def _local_ready(settings) -> bool:
    """The model packages and llama-cpp-python are installed (looked up, not imported)."""
    return is_installed(settings) and importlib.util.find_spec("llama_cpp") is not None


def available_generators(settings) -> list[str]:
    """Names the UI may offer: extractive always; local when its model packages and
    llama-cpp-python are installed; openai when an endpoint is configured."""
    names = ["extractive"]
    if _local_ready(settings):
        names.append("local")
    if settings.llm_base_url:
        names.append("openai")
    return names


def make_generator(name: str, settings) -> Generator | None:
    """The generator called `name`, or None for the extractive composer.

    `auto` means local when it can run here, else extractive. Raises `GeneratorError`
    when the requested generator cannot run here, saying what to install or set.
    """
    if name == "auto":
        name = "local" if _local_ready(settings) else "extractive"
    if name == "extractive":
        return None
    if name == "local":
        from assistant.generators.local import LocalGenerator
        from assistant.generators.model_files import spec_for

        if not is_installed(settings):
            spec = spec_for(settings)
            raise GeneratorError(f"The local model {spec.key} is not installed: pip install {spec.requirements()}")
        return LocalGenerator(settings)
    if name == "openai":
        from assistant.generators.openai_compat import OpenAIGenerator

        return OpenAIGenerator(settings)
    raise GeneratorError(f"Unknown generator {name!r}: choose extractive, local, openai or auto")
