"""The encoder's precision setting: bfloat16 (the default on AMX CPUs) must not change what is found."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.embeddings import get_embeddings
from ingest.settings import Settings

pytestmark = pytest.mark.slow

PASSAGES = [
    "Japan and ASEAN agreed on the Vientiane Vision, the first guideline for defence cooperation.",
    "The Japan Coast Guard provided patrol vessels to the Philippines under a yen loan.",
    "The Pacific Islands Defense Dialogue brought together ministers from the region in Tokyo.",
    "Capacity building programmes covered humanitarian assistance and disaster relief.",
]


def test_bfloat16_vectors_live_in_the_float32_space(tmp_path):
    """An index built at one precision is queried at the other (a laptop and an AMX server sharing
    a Chroma server): the vectors must agree closely and rank passages the same way."""
    vectors = {}
    for precision in ("float32", "bfloat16"):
        model = get_embeddings(Settings(corpus_dir=tmp_path, embedding_precision=precision))
        vectors[precision] = (np.array(model.embed_documents(PASSAGES)),
                              np.array(model.embed_query("Who received patrol boats from Japan?")))
    (p32, q32), (p16, q16) = vectors["float32"], vectors["bfloat16"]
    assert np.min(np.sum(p32 * p16, axis=1)) > 0.99
    for query in (q32, q16):  # either query against either index: the same order
        assert list(np.argsort(-(p32 @ query))) == list(np.argsort(-(p16 @ query)))
    assert int(np.argmax(p32 @ q16)) == 1
