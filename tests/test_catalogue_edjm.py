"""The EDJM catalogue (workbench.papers.edjm.catalogue): valid entries, recipes and notebooks that exist."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from workbench.catalogue import check_catalogue
from workbench.papers.edjm.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
PAPER_TEXT = Path("/work/shared/papers/edjm_wang2016.txt")
CLAIMS_JSON = ROOT / "docs" / "report" / "05_edjm.claims.json"  # the quick report runs 05 (report-full: a GPU job)


def _resolve(dotted: str):
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
    raise ImportError(f"no module in {dotted!r}")


def test_catalogue_is_valid():
    entries = check_catalogue(CATALOGUE, papers=["EDJM"])
    assert len(entries) >= 20


def test_ids_and_fields():
    for s in CATALOGUE:
        assert s.id.startswith("edjm.") and s.id == s.id.lower(), s.id
        assert s.paper == "EDJM"
        assert len(s.quote) <= 200, s.id
        if s.not_run is None:
            assert s.rule is not None, s.id


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.recipe is not None], ids=lambda s: s.id)
def test_recipe_resolves(s):
    assert _resolve(s.recipe) is not None


@pytest.mark.parametrize("s", [s for s in CATALOGUE if s.notebook is not None], ids=lambda s: s.id)
def test_notebook_exists(s):
    assert (ROOT / "notebooks" / "src" / f"{s.notebook}.py").is_file(), s.notebook


@pytest.mark.skipif(not PAPER_TEXT.is_file(), reason="the paper's text is not on this machine")
def test_quotes_are_verbatim():
    text = PAPER_TEXT.read_text()
    missing = [s.id for s in CATALOGUE if s.quote not in text]
    assert not missing, missing


@pytest.mark.skipif(not CLAIMS_JSON.is_file(), reason="no committed claims of notebook 05")
def test_every_runnable_statement_of_notebook_05_has_a_row_in_the_committed_report():
    """Each statement that notebook 05 computes has a row in its committed claims (matched by the row's
    ``catalogue`` id, the link between a run and the catalogue)."""
    ids = {c["catalogue"] for c in json.loads(CLAIMS_JSON.read_text())["claims"]}
    missing = [s.id for s in CATALOGUE if s.notebook == "05_edjm" and not s.not_run and s.id not in ids]
    assert not missing, missing


def test_known_review_findings_are_covered():
    ids = {s.id for s in CATALOGUE}
    for needed in ("edjm.fig2a.acc_gap", "edjm.fig3.score_convshallow_gt_ffstudent", "edjm.fig4b.acc_dropout",
                   "edjm.table1.mnist_dropout_gt_spectral", "edjm.fig5.acc_ensemble_highest"):
        assert needed in ids, needed
    timit = [s for s in CATALOGUE if "timit" in s.id]
    assert timit and all(s.not_run for s in timit)
