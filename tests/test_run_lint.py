"""The notebook runner lints every figure a cell draws (issue 27): findings carry notebook, cell and rule."""
from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from workbench.runs import LintFinding, load_lint


def _write(path, cells) -> None:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i:03d}"
    nbformat.write(nb, str(path))


CLEAN = """
ax = new_axes()
ax.plot([0, 1, 2], [0, 1, 4], label="square")
ax.set_xlabel("input")
ax.set_ylabel("output")
ax.legend(loc="upper left")
show(ax)
"""
BAD = """
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot(range(20), range(20), label="sigma_w2")
ax.set_xlabel("depth")
ax.set_ylabel("length")
ax.legend(loc="center")
"""


@pytest.mark.slow
def test_runner_records_the_findings_of_a_bad_figure_and_none_of_a_clean_one(tmp_path):
    from workbench.reproduce import run_notebook

    params = new_code_cell('PROFILE = "full"')
    params.metadata["tags"] = ["parameters"]
    path = tmp_path / "tiny_lint.ipynb"
    _write(path, [new_code_cell("%matplotlib inline\nfrom workbench.plots import new_axes, show"), params,
                  new_markdown_cell("A clean figure, then a bad one."), new_code_cell(CLEAN.strip()),
                  new_code_cell(BAD.strip())])
    run = run_notebook(path, profile="smoke", out_dir=tmp_path / "out", timeout=120)
    assert run.ok, run.error
    assert run.lint_file == tmp_path / "out" / "tiny_lint.lint.json"
    nb = nbformat.read(str(run.output), as_version=4)
    clean_cell = next(i for i, c in enumerate(nb.cells) if 'label="square"' in c.source)
    bad_cell = next(i for i, c in enumerate(nb.cells) if "sigma_w2" in c.source)
    # both figures were linted, in the cells that drew them (indices of the executed notebook, as the PNG names)
    assert run.linted == {clean_cell: 1, bad_cell: 1}
    assert {f"cell{clean_cell:02d}", f"cell{bad_cell:02d}"} == {p.stem.rsplit("_", 1)[1] for p in run.figures}
    assert run.lint, "the bad figure was not flagged"
    assert {f.cell for f in run.lint} == {bad_cell}, [str(f) for f in run.lint]
    assert {f.notebook for f in run.lint} == {"tiny_lint"}
    rules = {f.rule for f in run.lint}
    assert {"legend-on-data", "raw-identifier"} <= rules
    assert any("sigma_w2" in f.message for f in run.lint if f.rule == "raw-identifier")
    assert all(f"cell {bad_cell}" in str(f) and f.rule in str(f) for f in run.lint)
    # the findings are not printed into the executed notebook: it stays as its author wrote it
    assert "figure lint" not in json.dumps([c.get("outputs", []) for c in nb.cells])


def test_load_lint_matches_execution_counts_to_cells(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("m"), new_code_cell("a", execution_count=1),
                             new_code_cell("b", execution_count=2)])
    p = tmp_path / "x.lint.json"
    p.write_text(json.dumps({"notebook": "x", "linted": {"1": 1, "2": 2, "7": 1}, "findings": [
        dict(execution_count=2, figure="figure 1", rule="empty-axes", artist="axes 0", message="no data"),
        dict(execution_count=7, figure="figure 2", rule="text-outside", artist="title", message="cut")]}))
    findings, linted = load_lint(p, nb)
    assert linted == {1: 1, 2: 2, 7: 1}  # cell 1 and 2; count 7 matched no cell: kept under its count
    assert findings == [LintFinding("x", 2, 2, "figure 1", "empty-axes", "axes 0", "no data"),
                        LintFinding("x", None, 7, "figure 2", "text-outside", "title", "cut")]
    assert str(findings[0]).startswith("x, cell 2, figure 1: [empty-axes]")
    assert "execution 7" in str(findings[1])


def test_report_lists_lint_findings_from_the_folder(tmp_path):
    """The report rebuilt from a folder shows each notebook's lint record: checked figures and findings."""
    import json
    from pathlib import Path

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from workbench.report import runs_from_folder, write_reports

    nb = new_notebook(cells=[new_code_cell("1", execution_count=1, outputs=[new_output("execute_result",
                                                                                      data={"text/plain": "1"},
                                                                                      execution_count=1)])])
    nb.metadata["papermill"] = {"duration": 1.5, "parameters": {"PROFILE": "quick"}, "exception": None}
    nbformat.write(nb, str(tmp_path / "x.ipynb"))
    (tmp_path / "x.lint.json").write_text(json.dumps({"notebook": "x", "linted": {"1": 2}, "findings": [
        {"execution_count": 1, "figure": "fig 1", "rule": "legend-on-data", "artist": "Legend",
         "message": "covers <b>30%</b> of the line vertices"}]}))
    runs = runs_from_folder(tmp_path)
    assert runs[0].lint and runs[0].lint[0].rule == "legend-on-data" and runs[0].linted == {0: 2}
    h, m = write_reports(runs, tmp_path, profile="quick")
    md, html = Path(m).read_text(), Path(h).read_text()
    assert "2 checked, **1 findings**" in md and "## Figure lint findings" in md and "legend-on-data" in md
    assert "&lt;b&gt;30%&lt;/b&gt;" in html and "<b>30%</b>" not in html  # escaped
    (tmp_path / "x.lint.json").write_text("{not json")
    with pytest.raises(ValueError, match="x.lint.json is not a figure-lint record"):
        runs_from_folder(tmp_path)
