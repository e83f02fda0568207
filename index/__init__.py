"""crosswire's engine: ingest, the SQLite record, the Whoosh index, entities. No Textual."""
