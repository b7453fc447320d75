"""Raghu et al. (2017)'s claims catalogue (workbench.papers.raghu.catalogue): well formed, recipes resolve."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from workbench.catalogue import check_catalogue
from workbench.papers.raghu.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
PAPER_TEXT = Path("/work/shared/papers/trajectories_raghu2017.txt")


def resolve(dotted: str):
    """The object a dotted path names: the longest importable module prefix, then attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(f"no importable prefix in {dotted!r}")


def test_catalogue_is_well_formed():
    entries = check_catalogue(CATALOGUE, papers=["Trajectories"])
    assert len(entries) >= 20
    for s in entries:
        assert s.id.startswith("raghu.") and s.id == s.id.lower(), s.id
        assert len(s.quote) <= 200, s.id
        if s.rule is None:
            assert s.not_run, s.id


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.recipe is not None], ids=lambda s: s.id)
def test_recipe_resolves(s):
    assert callable(resolve(s.recipe)), s.recipe


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.notebook is not None], ids=lambda s: s.id)
def test_notebook_exists(s):
    assert (ROOT / "notebooks" / "src" / f"{s.notebook}.py").is_file(), s.notebook


@pytest.mark.skipif(not PAPER_TEXT.is_file(), reason="the paper's stored text is not on this machine")
def test_quotes_are_verbatim():
    text = PAPER_TEXT.read_text()
    missing = [s.id for s in CATALOGUE if s.quote not in text]
    assert not missing, missing
