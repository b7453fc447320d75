"""Notebook sources are jupytext percent-format code, and the committed .ipynb match them."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import nbbuild  # noqa: E402

SOURCES = nbbuild.sources()


def test_every_notebook_has_a_source():
    built = {p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb")}
    missing = sorted(built - {s.stem for s in SOURCES})
    assert not missing, f"notebooks without a source: {missing}"


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_committed_notebook_matches_its_source(source: Path):
    assert nbbuild.target(source).exists(), f"{source.name} is not built: run python scripts/nbbuild.py {source.stem}"
    assert nbbuild.target(source).read_text() == nbbuild.build(source), (
        f"notebooks/{source.stem}.ipynb differs from its source; run python scripts/nbbuild.py {source.stem}")


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_source_is_percent_format_with_one_parameters_cell(source: Path):
    text = re.sub(r"\A# ---\n(#.*\n)*?# ---\n+", "", source.read_text())  # an optional jupytext header
    assert text.startswith("# %%"), f"{source.name} must start with a '# %%' cell marker (percent format)"
    assert "nbbuild" not in text, f"{source.name} still builds the notebook from strings"
    tagged = [chunk for chunk in text.split("\n# %%")[1:] if chunk.startswith(' tags=["parameters"]')]
    assert len(tagged) == 1, f"{source.name}: needs exactly one '# %% tags=[\"parameters\"]' cell"
    assert 'PROFILE = "quick"' in tagged[0]


def test_build_is_stable_and_check_reports_stale(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    (src / "99_demo.py").write_text('# %% [markdown]\n# # Demo\n\n# %% tags=["parameters"]\nPROFILE = "full"\n\n'
                                    "# %%\nx = 1\n")
    monkeypatch.setattr(nbbuild, "SRC", src)
    monkeypatch.setattr(nbbuild, "OUT", tmp_path)
    monkeypatch.setattr(nbbuild, "ROOT", tmp_path)
    assert nbbuild.main(["--check"]) == 1
    assert nbbuild.main([]) == 0
    first = (tmp_path / "99_demo.ipynb").read_text()
    assert nbbuild.main(["--check"]) == 0
    assert nbbuild.build(src / "99_demo.py") == first
    assert '"id": "c002"' in first and '"tags": [\n     "parameters"' in first and '"outputs": []' in first
    with pytest.raises(SystemExit, match="no notebook source"):
        nbbuild.sources(["nope"])
