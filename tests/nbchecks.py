"""What a smoke Run All of a notebook must show, checked alike on a headless run (``tests/test_notebooks.py``)
and on a Run All in JupyterLab (``tests/browser``): every figure linted and clean (issue 27), no Python warning
in the notebooks that must show none (issue 30).

A browser test that runs a notebook's whole smoke profile marks itself ``@pytest.mark.smoke_run(name)``; when it
is selected and Chromium is there, the headless run of that notebook is skipped (``tests/conftest.py``): the same
checks, applied to the notebook JupyterLab saved, stand for it, and the notebook is executed once, not twice.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import nbformat

from workbench.runs import extract_figures, load_lint

LINT_PENDING: dict[str, str] = {}
"""Notebooks whose figures still have lint findings, with why.  Their findings must still be recorded, and a
pending notebook that has become clean fails the test until it is removed from here (the check fails both ways)."""


WARNING_FREE = {"02_esd_real_networks", "05_edjm"}
"""Notebooks whose smoke Run All must show no Python warning (issue 30: 02 showed "the sampled Jacobian is all
zeros", 05 "Converting a tensor with requires_grad=True to a scalar"; a reader should not see either)."""

WARNINGS_PENDING: dict[str, tuple[str, str]] = {}
"""A warning a WARNING_FREE notebook still shows, with why; it must still appear (the check fails both ways)."""

_WARNING = re.compile(r"\b\w*Warning: .*")


def warnings_shown(executed: Path) -> list[str]:
    """The lines of an executed notebook's stream outputs that are Python warnings (``...Warning: message``)."""
    nb = json.loads(Path(executed).read_text())
    found = []
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = "".join(out.get("text", ""))
                found += [f"cell {i}: {m.group(0)[:300]}" for m in _WARNING.finditer(text)]
    return found


def check_figure_lint(name: str, run) -> None:
    """Every figure of the run linted, and clean, unless the notebook is pending (then: findings recorded)."""
    assert run.lint is not None, (f"{name}: no figure-lint record ({run.lint_file}): the kernel's lint hook did "
                                  "not start (workbench.runs.install_kernel_lint)")
    drawn = {int(p.stem.rsplit("_cell", 1)[1]) for p in run.figures}
    unlinted = sorted(drawn - set(run.linted))
    assert not unlinted, f"{name}: cells {unlinted} show a picture the linter did not check"
    if name in LINT_PENDING:
        assert run.lint, (f"{name} is lint-clean now: remove it from LINT_PENDING in tests/nbchecks.py "
                          f"(it was pending: {LINT_PENDING[name]})")
        return
    lines = [f"  {f}" for f in run.lint]
    assert not run.lint, (f"{name}: {len(run.lint)} figure-lint finding(s) (notebook, cell, figure: [rule] "
                          "artist: message):\n" + "\n".join(lines))


def check_no_warnings(name: str, shown: list[str]) -> None:
    """No warning in the notebook's outputs but its pending one, which must still be there."""
    pending = WARNINGS_PENDING.get(name)
    if pending is not None:
        assert any(pending[0] in w for w in shown), (f"{name} no longer shows {pending[0]!r}: remove it from "
                                                     f"WARNINGS_PENDING in tests/nbchecks.py ({pending[1]})")
        shown = [w for w in shown if pending[0] not in w]
    assert not shown, f"{name} shows warnings a reader should not see:\n" + "\n".join(shown)


def check_saved_notebook(name: str, saved: Path, lint_file: Path, fig_dir: Path) -> list[Path]:
    """The checks of a headless smoke run, on a notebook executed elsewhere and saved to ``saved`` (its kernel
    wrote ``lint_file`` through :func:`workbench.runs.install_kernel_lint`); returns the figures it shows."""
    nb = nbformat.read(str(saved), as_version=4)
    figures = extract_figures(nb, fig_dir, name)
    lint, linted = load_lint(lint_file, nb, name) if lint_file.exists() else (None, {})
    check_smoke_outputs(name, SimpleNamespace(lint=lint, linted=linted, figures=figures, lint_file=lint_file), saved)
    return figures


def check_smoke_outputs(name: str, run, executed: Path) -> None:
    """What every smoke Run All must show, wherever it ran: a figure, every figure linted and clean, and no
    warning in a notebook of ``WARNING_FREE``."""
    assert run.figures, f"{name} drew no figure"
    check_figure_lint(name, run)
    if name in WARNING_FREE:
        check_no_warnings(name, warnings_shown(executed))
