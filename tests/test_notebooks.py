"""Every notebook runs in the smoke profile and every figure it draws passes the figure linter (issue 27);
committed notebooks carry no outputs.  The checks of a run live in ``nbchecks.py``: a notebook that a selected
browser test runs whole in JupyterLab is checked there, on the notebook JupyterLab saved, and its headless run
here is skipped (``tests/conftest.py``)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from nbchecks import (
    LINT_PENDING,
    WARNINGS_PENDING,
    check_figure_lint,
    check_no_warnings,
    check_smoke_outputs,
    warnings_shown,
)

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
    check_smoke_outputs(path.stem, run, run.output)


def test_warnings_shown_finds_warnings_in_streams(tmp_path: Path):
    cells = [{"cell_type": "code", "outputs": [
        {"output_type": "stream", "name": "stderr",
         "text": ["/x.py:3: UserWarning: Converting a tensor with requires_grad=True to a scalar\n", "  print(x)\n"]},
        {"output_type": "stream", "name": "stdout", "text": "no warning here; Warnings are words\n"}]},
        {"cell_type": "markdown", "source": "RuntimeWarning: in prose is not an output"},
        {"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stderr",
                                           "text": "a.py:1: RuntimeWarning: the sampled Jacobian is all zeros\n"}]}]
    f = tmp_path / "x.ipynb"
    f.write_text(json.dumps({"cells": cells}))
    shown = warnings_shown(f)
    assert len(shown) == 2
    assert shown[0].startswith("cell 0: UserWarning: Converting") and shown[1].startswith("cell 2: RuntimeWarning")
    f.write_text(json.dumps({"cells": cells[1:2]}))
    assert warnings_shown(f) == []
    check_no_warnings("x", [])
    with pytest.raises(AssertionError, match="RuntimeWarning: the sampled"):
        check_no_warnings("x", shown)
    for name, (text, _why) in WARNINGS_PENDING.items():
        check_no_warnings(name, [f"cell 3: UserWarning: {text}"])
        with pytest.raises(AssertionError, match="no longer shows"):
            check_no_warnings(name, [])
        with pytest.raises(AssertionError, match="Converting"):
            check_no_warnings(name, [f"cell 3: UserWarning: {text}", shown[0]])


def _run(lint, figures=("x_fig01_cell03.png",), linted=None):
    from types import SimpleNamespace

    return SimpleNamespace(lint=lint, lint_file=Path("x.lint.json"), figures=[Path(f) for f in figures],
                           linted={3: 1} if linted is None else linted)


def test_figure_lint_check_fails_both_ways():
    from workbench.runs import LintFinding

    finding = LintFinding("x", 3, 2, "figure 1", "legend-on-data", "legend of axes 0", "covers 8% of line 'a'")
    check_figure_lint("x", _run([]))  # clean and not pending: passes
    with pytest.raises(AssertionError, match=r"(?s)x: 1 figure-lint finding.*x, cell 3, figure 1: \[legend-on-data\]"):
        check_figure_lint("x", _run([finding]))
    pending = next(iter(LINT_PENDING), None)
    if pending is not None:
        check_figure_lint(pending, _run([finding]))  # pending with findings recorded: passes
        with pytest.raises(AssertionError, match="lint-clean now: remove it from LINT_PENDING"):
            check_figure_lint(pending, _run([]))
    with pytest.raises(AssertionError, match="no figure-lint record"):
        check_figure_lint("x", _run(None))
    with pytest.raises(AssertionError, match=r"cells \[3\] show a picture the linter did not check"):
        check_figure_lint("x", _run([], linted={}))


def test_pending_notebooks_exist():
    names = {p.stem for p in NOTEBOOKS}
    assert set(LINT_PENDING) <= names, f"LINT_PENDING names no notebook: {sorted(set(LINT_PENDING) - names)}"
