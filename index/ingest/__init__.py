"""Ingest: files, folders and stdin in; `Incoming` articles or one-line `Skipped` notices out."""
