"""Shared fixtures: libraries built once per session and copied, never the user's real dirs."""

import json
import shutil
from pathlib import Path

import pytest
from crosswire.index.library import Library
from crosswire.seeds import seed_paths

DATA = Path(__file__).parent / "data"
ECB = DATA / "ecbplus-dev"


@pytest.fixture(autouse=True)
def no_user_dirs(tmp_path_factory, monkeypatch):
    """Point every default location at a throwaway dir so no test touches the user's data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CROSSWIRE_LIBRARY", str(home / "library"))
    monkeypatch.setenv("CROSSWIRE_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture(scope="session")
def seeded_master(tmp_path_factory) -> Path:
    """The five seeds with entities, built once (spaCy runs here, once per test session)."""
    directory = tmp_path_factory.mktemp("seeded") / "library"
    with Library(directory) as library:
        library.add(seed_paths(), entities=True)
    return directory


@pytest.fixture(scope="session")
def seeds_and_ecb(seeded_master, tmp_path_factory) -> Path:
    """The seeds, then the 772 ECB+ dev articles, annotated: spaCy runs on ECB+ here, once per
    session (two workers). Tests copy it, or take its NER cache (keyed by article hash) so
    their own annotate runs no model."""
    directory = tmp_path_factory.mktemp("seeds_ecb") / "library"
    shutil.copytree(seeded_master, directory)
    with Library(directory) as library:
        library.add([ECB / "articles.jsonl"], entities=False)
        library.annotate(workers=2)
    return directory


@pytest.fixture
def seeded(seeded_master, tmp_path) -> Path:
    """A private copy of the seeded library that a test may change."""
    directory = tmp_path / "library"
    shutil.copytree(seeded_master, directory)
    return directory


@pytest.fixture(scope="session")
def ecb_articles() -> dict[str, dict]:
    with open(ECB / "articles.jsonl", encoding="utf-8") as f:
        return {a["id"]: a for a in map(json.loads, f)}
