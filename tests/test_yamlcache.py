"""The catalog's parse cache: hits only for unchanged text, never required."""

from __future__ import annotations

from pathlib import Path

import pytest

from eilint import yamlcache
from eilint.catalog import load_catalog
from eilint.data import data_dir


def test_round_trip_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EILINT_CACHE_DIR", str(tmp_path))
    yamlcache.put("x", "a: 1\n", {"a": 1})
    assert yamlcache.get("x", "a: 1\n") == {"a": 1}
    assert yamlcache.get("x", "a: 2\n") is None


def test_disabled_and_corrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EILINT_CACHE_DIR", "")
    yamlcache.put("x", "t", [1])
    assert yamlcache.get("x", "t") is None
    monkeypatch.setenv("EILINT_CACHE_DIR", str(tmp_path))
    (tmp_path / "x.json").write_text("{not json")
    assert yamlcache.get("x", "t") is None


def test_catalog_same_with_and_without_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = data_dir("rules")
    monkeypatch.setenv("EILINT_CACHE_DIR", "")
    plain = load_catalog.__wrapped__(folder)
    monkeypatch.setenv("EILINT_CACHE_DIR", str(tmp_path))
    first = load_catalog.__wrapped__(folder)
    assert list(tmp_path.glob("catalog-*.json"))
    cached = load_catalog.__wrapped__(folder)
    assert plain == first == cached
