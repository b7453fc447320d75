"""The Layer algebra claims catalogue (issue 25): valid entries, recipes that resolve, notebooks that exist."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from workbench.catalogue import Statement, check_catalogue
from workbench.papers.layer_algebra.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
PAPER_TEXT = Path("/work/shared/papers/layer_algebra_badias.txt")


def _resolve(dotted: str):
    """Import the longest importable module prefix of ``dotted`` and getattr the rest."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


def test_catalogue_is_valid_and_large_enough():
    entries = check_catalogue(CATALOGUE, papers=["Layer algebra"])
    assert len(entries) >= 15
    assert all(isinstance(s, Statement) and s.paper == "Layer algebra" for s in entries)
    assert all(re.fullmatch(r"la\.[a-z0-9_]+\.[a-z0-9_]+", s.id) for s in entries), [s.id for s in entries]
    assert all(len(s.quote) <= 200 for s in entries)


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.recipe], ids=lambda s: s.id)
def test_recipe_resolves(s):
    assert callable(_resolve(s.recipe)), s.recipe


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.notebook], ids=lambda s: s.id)
def test_notebook_exists(s):
    assert (ROOT / "notebooks" / "src" / f"{s.notebook}.py").is_file(), s.notebook


def test_not_run_entries_say_why_and_run_entries_have_rules():
    for s in CATALOGUE:
        if s.not_run is None:
            assert s.rule is not None and s.recipe, s.id
        else:
            assert "\n" not in s.not_run and s.not_run.strip(), s.id


def test_quotes_are_verbatim():
    if not PAPER_TEXT.is_file():
        pytest.skip("the paper's text is not on this machine")
    text = re.sub(r"\s+", " ", PAPER_TEXT.read_text())
    missing = [s.id for s in CATALOGUE if re.sub(r"\s+", " ", s.quote) not in text]
    assert not missing, missing
