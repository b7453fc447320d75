"""Every notebook runs in the smoke profile; committed notebooks carry no outputs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.reproduce import notebook_paths, run_notebook

NOTEBOOKS = notebook_paths()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_is_clean(path: Path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "a notebook without code cells"
    dirty = [i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"{path.name}: code cells {dirty} carry outputs; strip them before committing"
    assert "widgets" not in nb.get("metadata", {}), f"{path.name}: widget state is committed"
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
    assert 'PROFILE = "quick"' in "".join(tagged[0]["source"]), \
        f"{path.name}: parameters cell must set PROFILE = \"quick\" (Run All in minutes)"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_smoke_profile(path: Path, tmp_path: Path):
    run = run_notebook(path, profile="smoke", out_dir=tmp_path, timeout=300)  # smoke cells take seconds
    assert run.ok, f"{path.name} failed in the smoke profile:\n{run.error}"
    assert run.output is not None and run.output.exists()
    assert run.figures, f"{path.name} drew no figure"
