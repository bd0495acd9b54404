"""The input listing is reused within a run only while the folder cannot have changed."""

from __future__ import annotations

import os
import time

from pipelines.defs import inputs


def _age(folder, seconds: float) -> None:
    """Set the folder's mtime `seconds` into the past (as if it had not changed since)."""
    t = time.time() - seconds
    os.utime(folder, (t, t))


def test_listing_is_reused_until_the_folder_changes(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("a")
    _age(tmp_path, 60)
    first = inputs.list_inputs(tmp_path)
    assert list(first) == ["a.txt"]

    scans = []
    real_scandir = os.scandir
    monkeypatch.setattr(inputs.os, "scandir", lambda p: scans.append(p) or real_scandir(p))
    assert inputs.list_inputs(tmp_path) == first and scans == []  # settled folder: reused
    first["x"] = tmp_path / "x"  # callers get a copy, never the cached dict
    assert "x" not in inputs.list_inputs(tmp_path)

    (tmp_path / "b.txt").write_text("b")  # adding a file moves the folder's mtime
    assert list(inputs.list_inputs(tmp_path)) == ["a.txt", "b.txt"] and len(scans) == 1


def test_a_folder_changed_just_now_is_listed_again(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("a")  # mtime = now: a second change may share its tick
    inputs.list_inputs(tmp_path)
    scans = []
    real_scandir = os.scandir
    monkeypatch.setattr(inputs.os, "scandir", lambda p: scans.append(p) or real_scandir(p))
    inputs.list_inputs(tmp_path)
    assert len(scans) == 1
