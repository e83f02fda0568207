"""The entity phase on Ray: a real local Ray on 127.0.0.1, the same record as a local run."""

import builtins
import os
import shutil
import sys
from pathlib import Path

import pytest
from crosswire.index.library import Library
from crosswire.tui import cli

from ..conftest import ECB
from .test_workers import outcome

ARTICLES = 200


@pytest.fixture
def text_only(tmp_path) -> Path:
    source = tmp_path / "articles.jsonl"
    with open(ECB / "articles.jsonl", encoding="utf-8") as f:
        source.write_text("".join(f.readline() for _ in range(ARTICLES)), encoding="utf-8")
    directory = tmp_path / "text-only"
    with Library(directory) as library:
        library.add([source], entities=False)
    return directory


@pytest.fixture
def local_ray(monkeypatch):
    """A private Ray bound to 127.0.0.1 only, shut down after the test."""
    monkeypatch.setenv("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
    )
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.mark.slow
def test_a_ray_run_stores_exactly_what_a_local_run_stores(text_only, tmp_path, local_ray):
    local = shutil.copytree(text_only, tmp_path / "local")
    with Library(local) as library:
        assert library.annotate(workers=1) == ARTICLES
        expected = outcome(library)
    on_ray = shutil.copytree(text_only, tmp_path / "ray")
    with Library(on_ray) as library:
        # The Ray this process started; the driver alone writes the library.
        assert library.annotate(ray="auto", workers=2) == ARTICLES
        # Ids normalised: which intermediate resolves ran (a clock's choice) may change an id,
        # never which mentions share one (see test_workers.outcome).
        assert outcome(library) == expected
        assert library.index_status().unindexed == 0
        assert library.search('entity:"Tara Reid"').total > 0
    assert local_ray.is_initialized(), "a Ray the caller started is the caller's to shut down"


def test_without_ray_the_flag_says_how_to_get_it(seeded, monkeypatch, capsys):
    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "ray", raising=False)
    monkeypatch.delenv("RAY_USAGE_STATS_ENABLED", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_ray)
    assert cli.main(["--library", str(seeded), "annotate", "--ray"]) == 1
    err = capsys.readouterr().err
    assert "pip install 'crosswire[cluster]'" in err
    assert len(err.strip().splitlines()) == 1
    assert os.environ.get("RAY_USAGE_STATS_ENABLED") == "0", "usage reporting stays off"
