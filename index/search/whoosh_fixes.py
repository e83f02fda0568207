"""One fix to Whoosh's writer, applied when the search package is imported.

While a segment is written, Whoosh looks up each posting's field length through
W3PerDocReader._cached_reader, which caches the length column of a field that has one but not
the answer "no column" for one that has none: crosswire's unscored fields (`source`,
`entities`) and the spelling fields Whoosh adds (`spell_title`, `spell_body`). Every one of
their postings then cost a stat() of the index directory: 22% of a text-only add's CPU here
(280k stat calls for 500 articles). The fix caches that answer too; the lengths read are
unchanged (tests/engine/test_scale.py checks scores and counts against an unpatched write).
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

_NO_COLUMN = object()


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    """W3PerDocReader._cached_reader, remembering a missing column as well."""
    readers = self._readers
    reader = readers.get(fieldname)
    if reader is None:
        has = self.has_column(fieldname)
        reader = self.column_reader(fieldname, column) if has else _NO_COLUMN
        readers[fieldname] = reader
    return None if reader is _NO_COLUMN else reader


def apply() -> None:
    """Install the fix (idempotent); a Whoosh without the method is left as it is."""
    target = whoosh3.W3PerDocReader
    if getattr(target, "_cached_reader", None) is not None:
        target._cached_reader = _cached_reader
