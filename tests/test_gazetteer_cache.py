"""The gazetteer's on-disk cache: a fresh process reads the pickled indexes instead of building
them, only when they were built by the same package and code version."""

from __future__ import annotations

import pickle

import pytest

from pipelines.gazetteer import Gazetteer
from pipelines.gazetteer import index as gazetteer_index


@pytest.fixture
def fresh_process(monkeypatch):
    """Forget the process-wide instance, as a new process would."""
    monkeypatch.setattr(Gazetteer, "_instance", None)


def test_the_cache_is_written_then_read(tmp_path, fresh_process, monkeypatch):
    cache = tmp_path / "index.pickle"
    built = Gazetteer.load(cache=cache)
    assert cache.exists()
    stamp, stored = pickle.loads(cache.read_bytes())
    assert stamp == gazetteer_index.version() and isinstance(stored, Gazetteer)

    monkeypatch.setattr(Gazetteer, "_instance", None)
    monkeypatch.setattr(Gazetteer, "__init__", lambda self: pytest.fail("built instead of read"))
    read = Gazetteer.load(cache=cache)
    assert read is not built and read.units.keys() == built.units.keys()
    assert read.province_of("Mai Chau", "district") == built.province_of("Mai Chau", "district") == "Hoa Binh"
    assert Gazetteer.load() is read  # the process-wide instance from then on


def test_a_cache_of_another_version_is_rebuilt(tmp_path, fresh_process, monkeypatch):
    cache = tmp_path / "index.pickle"
    cache.write_bytes(pickle.dumps(("0.0+older", "not a gazetteer")))
    gz = Gazetteer.load(cache=cache)
    assert isinstance(gz, Gazetteer) and len(gz.units) > 10_000
    assert pickle.loads(cache.read_bytes())[0] == gazetteer_index.version()  # rewritten

    monkeypatch.setattr(Gazetteer, "_instance", None)
    cache.write_bytes(b"damaged")
    assert len(Gazetteer.load(cache=cache).units) == len(gz.units)
