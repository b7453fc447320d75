"""The claims catalogue of Johansson (2022), PL geometry (workbench.papers.pl_geometry.catalogue)."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from workbench.catalogue import check_catalogue
from workbench.papers.pl_geometry.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
PAPER_TEXT = Path("/work/shared/papers/pl_geometry_johansson2022.txt")


def _resolve(dotted: str):
    parts = dotted.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(f"no module in {dotted!r}")


def test_catalogue_is_valid_and_large_enough():
    entries = check_catalogue(CATALOGUE, papers=["PL geometry"])
    assert len(entries) >= 22
    assert all(s.paper == "PL geometry" for s in entries)


def test_ids_and_quotes():
    for s in CATALOGUE:
        assert s.id.startswith("pl.") and s.id == s.id.lower(), s.id
        assert len(s.quote) <= 200, s.id


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.recipe is not None], ids=lambda s: s.id)
def test_recipes_resolve(s):
    assert _resolve(s.recipe) is not None


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.notebook is not None], ids=lambda s: s.id)
def test_notebooks_exist(s):
    assert (ROOT / "notebooks" / "src" / f"{s.notebook}.py").is_file(), s.notebook


def test_not_run_entries_have_no_recipe():
    for s in CATALOGUE:
        if s.not_run is not None:
            assert s.recipe is None, s.id


@pytest.mark.skipif(not PAPER_TEXT.is_file(), reason="the thesis text is not on this machine")
def test_quotes_are_verbatim():
    text = PAPER_TEXT.read_text(encoding="utf-8")
    missing = [s.id for s in CATALOGUE if s.quote not in text]
    assert not missing, missing
