"""The entity side of the engine: NER, per-article voting, cross-source resolution, and the
SQLite record of mentions and entities."""
