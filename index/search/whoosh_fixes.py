"""Two fixes to Whoosh's per-document reader, applied when the search package is imported.

While a segment is written, Whoosh looks up each posting's field length through
W3PerDocReader._cached_reader, which caches the length column of a field that has one but not
the answer "no column" for one that has none: crosswire's unscored fields (`source`,
`entities`) and the spelling fields Whoosh adds (`spell_title`, `spell_body`). Every one of
their postings then cost a stat() of the index directory: 22% of a text-only add's CPU here
(280k stat calls for 500 articles). The fix caches that answer too; the lengths read are
unchanged (tests/engine/test_segments.py checks them against an unpatched write).

The second reads a segment's field lengths (one byte a document) in one piece on first use
instead of a seek and a read a posting: the writer asks for a length for every posting it
writes (1.46M calls for 5,000 articles, 15% of a text-only add), and a search scoring with BM25
asks for one a matching document. The answers are the same, including Whoosh's None for a
length of 0.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length

_NO_COLUMN = object()
# Whoosh's own methods, as shipped, for the tests that compare against them.
ORIGINALS: dict[str, Any] = {}


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    """W3PerDocReader._cached_reader, remembering a missing column as well."""
    readers = self._readers
    reader = readers.get(fieldname)
    if reader is None:
        has = self.has_column(fieldname)
        reader = self.column_reader(fieldname, column) if has else _NO_COLUMN
        readers[fieldname] = reader
    return None if reader is _NO_COLUMN else reader


def column_bytes(column: Any, typecode: str) -> bytes | None:
    """A fixed-width numeric column reader's stored values in one read (one value a document
    up to the last one written; Whoosh's big-endian packing), or None for another layout."""
    dbfile = getattr(column, "_dbfile", None)
    if dbfile is None or getattr(column, "_typecode", None) != typecode:
        return None
    return bytes(dbfile.get(column._basepos, column._count * column._fixedlen))


def length_bytes(perdoc: Any, fieldname: str) -> Any:
    """A segment's length byte of every document for one field (read once and kept on its
    W3PerDocReader), or _NO_COLUMN for a field without lengths."""
    cache = perdoc.__dict__.setdefault("_crosswire_lengths", {})
    lengths = cache.get(fieldname)
    if lengths is None:
        reader = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        found = None if reader is None else column_bytes(reader, "B")
        lengths = _NO_COLUMN if found is None else found
        cache[fieldname] = lengths
    return lengths


def segment_lengths(reader: Any, fieldname: str) -> bytes | None:
    """The length bytes of a segment reader's field (byte_to_length decodes one), padded
    with zeros to every document; None when the fixes are not installed or there are none."""
    perdoc: Any = getattr(reader, "_perdoc", None)
    if getattr(type(perdoc), "doc_field_length", None) is not doc_field_length:
        return None
    lengths = length_bytes(perdoc, fieldname)
    if lengths is _NO_COLUMN:
        return None
    assert isinstance(lengths, bytes)
    missing = reader.doc_count_all() - len(lengths)
    return lengths + bytes(missing) if missing > 0 else lengths


def doc_field_length(self: Any, docnum: int, fieldname: str, default: Any = 0) -> Any:
    """W3PerDocReader.doc_field_length from the segment's length bytes read once."""
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    # Inline on the hit path: the writer asks once a posting (1.5M calls for 5,000 articles).
    lengths = self.__dict__.get("_crosswire_lengths", {}).get(fieldname)
    if lengths is None:
        lengths = length_bytes(self, fieldname)
    if lengths is _NO_COLUMN:
        return default
    lbyte = lengths[docnum] if docnum < len(lengths) else 0
    if lbyte:
        return byte_to_length(lbyte)
    return None


def apply() -> None:
    """Install the fixes (idempotent); a Whoosh without the methods, or whose length column
    is not one byte a document, is left as it is."""
    target = whoosh3.W3PerDocReader
    for name in ("_cached_reader", "doc_field_length"):
        ORIGINALS.setdefault(name, getattr(target, name, None))
    if getattr(target, "_cached_reader", None) is not None:
        target._cached_reader = _cached_reader
    column = getattr(whoosh3, "LENGTHS_COLUMN", None)
    if (
        getattr(target, "doc_field_length", None) is not None
        and getattr(column, "_typecode", None) == "B"
        and hasattr(whoosh3, "_lenfield")
    ):
        target.doc_field_length = doc_field_length
