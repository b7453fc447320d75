"""workbench reproduce writes report.html (self-contained) and report.md with the notebooks' claims."""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook


def code(src: str):
    return new_code_cell(src.strip("\n"))


def params(src: str):
    c = code(src)
    c.metadata["tags"] = ["parameters"]
    return c


def write(path: str, cells) -> None:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i:03d}"
    nbformat.write(nb, path)


from workbench import claims, cli  # noqa: E402
from workbench.report import SMOKE_NOTICE, report_html, runs_from_folder  # noqa: E402
from workbench.runs import NotebookRun  # noqa: E402

CLAIM = """
from workbench import claims
claims.register("t.fig1", paper="ESD", where="Fig. 1", quantity="mean of 1, 2, 3", paper_value=2.0,
                ours=sum([1, 2, 3]) / 3, tolerance=0.01, profile=PROFILE)
claims.register("t.fig2", paper="Trajectories", where="Fig. 4", quantity="length grows with depth",
                paper_value="exponentially", ours="exponentially", tolerance="qualitative", verdict="reproduced",
                reason="same shape", profile=PROFILE)
print(claims.quote("t.fig1"))
"""


@pytest.fixture
def nb_folder(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    write(str(folder / "a_claims.ipynb"), [
        code("%matplotlib inline\nfrom workbench.plots import new_axes, show"),
        params('PROFILE = "full"'),
        code(CLAIM),
        code("ax = new_axes()\nax.plot([0, 1], [0, 1])\nshow(ax)"),
    ])
    write(str(folder / "b_fails.ipynb"), [
        params('PROFILE = "full"'),
        code('from workbench import claims\nclaims.register("t.late", paper="PL geometry", where="§2", '
             'quantity="q", paper_value=1.0, ours=3.0, tolerance=0.5)'),
        code("raise RuntimeError('after the claim')"),
    ])
    write(str(folder / "c_sweep.ipynb"), [
        params('PROFILE = "full"'),
        code("from workbench.experiments.distributed import run_cells, default_client\n"
             "df = run_cells(lambda c: dict(x=c['x'] ** 2), [dict(x=i) for i in range(4)], progress=False)\n"
             "print('WORKERS', sorted(df.attrs['sweep']['workers']), list(df.x))"),
    ])
    return folder


@pytest.mark.slow
def test_reproduce_writes_both_reports_with_claims(nb_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("workbench.reproduce.repo_notebooks_dir", lambda: nb_folder)
    out = tmp_path / "res"
    assert cli.main(["reproduce", "--profile", "smoke", "--out", str(out), "a_claims", "b_fails"]) == 1
    assert str(out / "report.html") in capsys.readouterr().out
    html = (out / "report.html").read_text()
    md = (out / "report.md").read_text()
    # self-contained: the figure inline, no external resources
    assert len(re.findall(r"src='data:image/png;base64,iVBOR", html)) == 1
    assert not re.search(r"""(src|href)=["']https?:""", html)
    assert escape(SMOKE_NOTICE) in html and SMOKE_NOTICE in md
    # claims of both notebooks, the failing one's too (written when registered), with their verdicts
    rows = re.findall(r"<tr class='v-([a-z-]+)' data-paper='([^']+)' data-verdict='([^']+)' "
                      r"data-notebook='([^']+)'>", html)
    assert rows == [("reproduced", "ESD", "reproduced", "a_claims"),
                    ("reproduced", "Trajectories", "reproduced", "a_claims"),
                    ("differs", "PL geometry", "differs", "b_fails")]
    assert 'id="f-paper"' in html and 'id="f-verdict"' in html and "function wbFilter" in html
    assert "| ESD | Fig. 1 | mean of 1, 2, 3 | 2 | 2 | ±0.01 | **reproduced** |" in md
    assert "| b_fails | **FAILED** |" in md and "after the claim" in md
    assert re.search(r"!\[a_claims_fig01_cell\d+\.png\]\(figures/a_claims_fig01_cell\d+\.png\)", md)
    assert "CPUs" in md and "torch" in md  # the machine per notebook
    loaded = claims.load(out / "a_claims.claims.json")
    assert [c.profile for c in loaded] == ["smoke", "smoke"]
    # the prose quote printed in the notebook is the record's text
    assert loaded[0].text() in (out / "a_claims.ipynb").read_text()
    # the same report can be rebuilt from the folder (notebooks run separately share one report)
    (out / "report.html").unlink()
    assert cli.main(["report", str(out)]) == 0
    again = runs_from_folder(out)
    assert [r.notebook.stem for r in again] == ["a_claims", "b_fails"]
    assert [len(r.claims) for r in again] == [2, 1] and [len(r.figures) for r in again] == [1, 0]
    assert again[0].ok and "after the claim" in again[1].error and again[0].profile == "smoke"
    assert again[0].seconds > 0
    html2 = (out / "report.html").read_text()
    assert escape(SMOKE_NOTICE) in html2 and html2.count("data:image/png;base64,") == 1


@pytest.mark.slow
def test_each_notebook_records_its_commit_and_the_report_shows_it(nb_folder, tmp_path, monkeypatch):
    import subprocess

    import nbformat

    git = ["git", "-C", str(nb_folder), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(nb_folder)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "notebooks"], check=True)
    head = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    monkeypatch.setattr("workbench.reproduce.repo_notebooks_dir", lambda: nb_folder)
    out = tmp_path / "res"
    assert cli.main(["reproduce", "--profile", "smoke", "--out", str(out), "a_claims"]) == 0
    meta = nbformat.read(str(out / "a_claims.ipynb"), as_version=4).metadata["workbench"]
    assert meta["machine"]["commit"] == head and meta["profile"] == "smoke"
    assert f"commit {head}" in (out / "report.md").read_text()
    # an executed notebook without the record (an older run): the report says so instead of guessing
    nb = nbformat.read(str(out / "a_claims.ipynb"), as_version=4)
    del nb.metadata["workbench"]
    nbformat.write(nb, str(out / "a_claims.ipynb"))
    assert cli.main(["report", str(out)]) == 0
    md = (out / "report.md").read_text()
    assert "commit not recorded" in md and f"commit {head}" not in md.split("## Notebooks")[1].split("##")[0]


def test_report_from_folder_errors(tmp_path, capsys):
    with pytest.raises(FileNotFoundError, match="no executed notebooks"):
        runs_from_folder(tmp_path)
    assert cli.main(["report", str(tmp_path)]) == 2
    assert "no executed notebooks" in capsys.readouterr().err
    write(str(tmp_path / "plain.ipynb"), [params('PROFILE = "full"')])
    with pytest.raises(ValueError, match="not executed by papermill"):
        runs_from_folder(tmp_path)


def test_report_html_full_profile_has_no_smoke_notice(tmp_path):
    c = claims.Claim(key="k", paper="ESD", where="Fig. 1", quantity="<q>", paper_value=1.0, ours=1.0,
                     tolerance=0.1, verdict="reproduced", reason="r", profile="full", notebook="n")
    run = NotebookRun(Path("n.ipynb"), None, [], 1.0, None, profile="full", claims=[c])
    html = report_html([run], profile="full")
    assert escape(SMOKE_NOTICE) not in html and "&lt;q&gt;" in html  # escaped text
    assert "No notebook registered" in report_html([], profile="full")


def test_reproduce_bad_scheduler_is_a_clear_error(nb_folder, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("workbench.reproduce.repo_notebooks_dir", lambda: nb_folder)
    assert cli.main(["reproduce", "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:1", "a_claims"]) == 2
    err = capsys.readouterr().err
    assert "no Dask scheduler answered at 'tcp://127.0.0.1:1'" in err
    assert not (tmp_path / "a_claims.ipynb").exists()  # nothing ran
    assert cli.main(["reproduce", "--scheduler", "tcp://x:1", "--workers", "2"]) == 2
    assert "not both" in capsys.readouterr().err
    assert cli.main(["reproduce", "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err


@pytest.mark.slow
def test_reproduce_workers_runs_the_notebooks_sweeps_on_a_local_cluster(nb_folder, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("workbench.reproduce.repo_notebooks_dir", lambda: nb_folder)
    assert cli.main(["reproduce", "--out", str(tmp_path), "--workers", "1", "c_sweep"]) == 0
    assert "started a local Dask cluster: 1 worker processes" in capsys.readouterr().out
    text = (tmp_path / "c_sweep.ipynb").read_text()
    assert re.search(r"WORKERS \[\\?'tcp://127\.0\.0\.1:\d+\\?'\] \[0, 1, 4, 9\]", text)
    assert "Dask scheduler tcp://127.0.0.1:" in (tmp_path / "report.md").read_text()


def test_a_notebook_whose_cells_did_not_all_run_is_not_ok():
    """Papermill can stop at a cell's timeout without an exception: the cells after it never ran."""
    import nbformat

    from workbench.report import unrun_cells_error

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", execution_count=1), nbformat.v4.new_markdown_cell("text"),
                nbformat.v4.new_code_cell("  ", execution_count=None)]
    assert unrun_cells_error(nb) is None  # an empty cell does not count
    nb.cells.append(nbformat.v4.new_code_cell("y = 2", execution_count=None))
    assert unrun_cells_error(nb).startswith("1 code cell(s) never ran (the first is cell 3)")


def _cat_claim(ident: str, verdict: str, ours: float) -> claims.Claim:
    return claims.Claim(key=ident, paper="ESD", where="§2.1", quantity="q", paper_value=1.0, ours=ours,
                        tolerance=None, verdict=verdict, reason="r", profile="quick", notebook="01",
                        catalogue=ident, rule="ours == 1", seeds=0, interval=None)


def test_what_changed_since_the_last_report(tmp_path, capsys):
    from workbench.report import changes_since, previous_claims, report_markdown

    a, b = [st.id for st in claims.catalogue()[:2]]
    before = [_cat_claim(a, "reproduced", 1.0)]
    now = [_cat_claim(a, "differs", 3.0), _cat_claim(b, "reproduced", 1.0)]
    ch = changes_since(now, before)
    assert [(r["id"], r["before"], r["now"], r["ours_before"], r["ours_now"]) for r in ch["changed"]] == [
        (a, "reproduced", "differs", "1", "3"), (b, "not run", "reproduced", "", "1")]
    esd = next(c for c in ch["counts"] if c["paper"] == "ESD")
    assert esd["reproduced"] == (1, 1) and esd["differs"] == (0, 1)
    assert esd["not run"][0] == esd["not run"][1] + 1  # one statement more judged now
    assert changes_since(now, now)["changed"] == []
    run = NotebookRun(Path("01.ipynb"), None, [], 1.0, None, profile="quick", claims=now)
    md = report_markdown([run], profile="quick", since=("the committed report at abc123", before))
    assert "## What changed since the last report" in md and "the committed report at abc123" in md
    assert f"| {a} | ESD, " in md and "| reproduced | **differs** |" in md
    assert "What changed" not in report_markdown([run], profile="quick")
    html = report_html([run], profile="quick", since=("<old>", before))
    assert "What changed since the last report" in html and "&lt;old&gt;" in html
    # the CLI: --since names a folder with an earlier report's claims files
    old = tmp_path / "old"
    claims.save(old / "01.claims.json", before)
    assert [c.verdict for c in previous_claims(old)] == ["reproduced"]
    with pytest.raises(FileNotFoundError, match="no such folder"):
        previous_claims(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match=r"no \*\.claims\.json"):
        previous_claims(tmp_path)
    nb = tmp_path / "run"
    nb.mkdir()
    write(str(nb / "x.ipynb"), [params('PROFILE = "full"')])
    assert cli.main(["report", str(nb), "--since", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_report_lists_the_notebooks_it_lacks_and_why(tmp_path):
    """Issue 25 item 7: a report of some notebooks names the repository's others with their recorded cost in that
    profile (and whether they need a GPU); a report of all of them has no such section."""
    from workbench.experiments import PROFILE_COSTS
    from workbench.report import missing_notebooks, report_html, report_markdown

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    for stem in ("00_tour", "02_esd_real_networks", "99_unknown"):
        (nbs / f"{stem}.ipynb").write_text("{}")
    run = NotebookRun(Path("00_tour.ipynb"), None, [], 1.0, None, profile="paper", claims=[])
    rows = missing_notebooks([run], "paper", notebooks_dir=nbs)
    assert [r["notebook"] for r in rows] == ["02_esd_real_networks", "99_unknown"]
    cost = PROFILE_COSTS[("02_esd_real_networks", "paper", "cpu")]
    assert rows[0]["minutes"] == cost.minutes and "needs a GPU" in rows[0]["reason"]
    assert f"about {cost.minutes:g} min" in rows[0]["reason"]
    assert rows[1]["minutes"] is None and "no cost recorded for the paper profile" in rows[1]["reason"]
    assert missing_notebooks([run], "paper", notebooks_dir=tmp_path / "none") == []
    # the repository's own notebooks: a one-notebook paper report names the ten others
    md = report_markdown([run], profile="paper")
    html_text = report_html([run], profile="paper")
    assert "## Not in this report" in md and "| 02_esd_real_networks |" in md and "Not in this report" in html_text
    assert "01_spanning_dimension" in md.split("## Not in this report")[1].split("##")[0]


def test_each_claim_links_its_notebooks_figures():
    """Issue 25 item 7: every claim row (and each catalogued statement judged in the run) links the section of the
    report that holds its notebook's figures; a notebook not in the report is plain text."""
    from workbench.report import report_markdown

    a = claims.catalogue()[0].id
    run = NotebookRun(Path("01.ipynb"), None, [], 1.0, None, profile="quick", claims=[_cat_claim(a, "reproduced", 1.0)])
    md = report_markdown([run], profile="quick")
    assert "| quick | [01](#01) |" in md  # Paper vs ours: the notebook cell links "## 01", its figures
    assert "## 01" in md
    html_text = report_html([run], profile="quick")
    assert "<a href='#nb-01'>01</a></td></tr>" in html_text and "id='nb-01'" in html_text
    other = NotebookRun(Path("02.ipynb"), None, [], 1.0, None, profile="quick", claims=[])
    md2 = report_markdown([other], profile="quick")
    assert "](#01)" not in md2


def test_claim_figures_maps_a_claim_to_the_figure_of_its_cell_or_section(tmp_path):
    """A claim's figure: the one its judge cell drew, else the nearest in the same section; none across a
    heading, none for a claim whose id the notebook's source does not name."""
    import nbformat

    from workbench.report import claim_figures

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A"),                        # 0
                nbformat.v4.new_code_cell('judge("x.a", 1)'),                # 1: draws fig01
                nbformat.v4.new_code_cell("judge('x.b', 2)"),                # 2: no figure, same section
                nbformat.v4.new_markdown_cell("## B"),                       # 3
                nbformat.v4.new_code_cell('judge("x.c", 3)'),                # 4: no figure in its section
                nbformat.v4.new_code_cell("plot()")]                         # 5: draws fig02 (section B)
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    figs = [tmp_path / "x_fig01_cell1.png", tmp_path / "x_fig02_cell5.png"]
    cl = [_cat_claim("x.a", "reproduced", 1.0), _cat_claim("x.b", "reproduced", 1.0),
          _cat_claim("x.c", "reproduced", 1.0), _cat_claim("x.d", "reproduced", 1.0)]
    run = NotebookRun(Path("x.ipynb"), path, figs, 1.0, None, profile="quick", claims=cl)
    got = claim_figures(run)
    assert got == {"x.a": figs[0], "x.b": figs[0], "x.c": figs[1]}  # x.c: its section's figure; x.d: unnamed
    nb.cells.insert(5, nbformat.v4.new_markdown_cell("## C"))  # fig02 is now in another section than x.c
    nbformat.write(nb, path)
    run.figures = [figs[0], tmp_path / "x_fig02_cell6.png"]
    assert claim_figures(run) == {"x.a": figs[0], "x.b": figs[0]}
    md = report_markdown_with(run)
    assert "([figure](" in md and "x_fig01_cell1.png" in md


def report_markdown_with(run):
    from workbench.report import report_markdown

    return report_markdown([run], profile="quick")


def test_a_resumed_run_says_so_beside_its_seconds(tmp_path):
    """A paper run that read part of its sweeps back from an earlier run's store: its seconds are its own only, so
    the report marks them "(resumed)" and lists the notebook's resume notes; a run without them is unmarked."""
    import nbformat

    from workbench.experiments.distributed import resumed_note, run_cells
    from workbench.report import report_html, report_markdown
    from workbench.runs import resumed_notes

    store, cells = tmp_path / "store", [dict(x=i) for i in range(4)]
    run_cells(lambda c: dict(y=c["x"] ** 2), cells[:3], store=store, sweep="s", progress=False, client=False)
    first = run_cells(lambda c: dict(y=c["x"] ** 2), cells[:3], store=tmp_path / "other", sweep="s", progress=False,
                      client=False)
    again = run_cells(lambda c: dict(y=c["x"] ** 2), cells, store=store, sweep="s", progress=False, client=False)
    note, fresh = resumed_note(again), resumed_note(first)
    assert note.startswith("3 of 4 cells read back from ") and fresh.startswith("3 cells computed in this run")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(...)", execution_count=1, outputs=[
        nbformat.v4.new_output("stream", name="stdout", text=f"a line\n{note}\n{fresh}\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": note}, execution_count=1)])]
    assert resumed_notes(nb) == [note]  # printed notes only: not a fresh sweep's, not a displayed value
    # as `workbench report DIR` reads it: an executed notebook on disk, its stream text a list split mid-line
    nb.cells[0].outputs[0]["text"] = ["a line\n", note[:10], note[10:] + "\n", fresh + "\n"]
    nb.metadata["papermill"] = {"duration": 473.5, "start_time": "2026-12-07T21:44:25", "end_time": "x",
                                "parameters": {"PROFILE": "paper"}}
    folder = tmp_path / "out"
    folder.mkdir()
    nbformat.write(nb, str(folder / "09_esd_more.ipynb"))
    (from_disk,) = runs_from_folder(folder)
    assert from_disk.resumed == [note] and from_disk.seconds == 473.5
    resumed = NotebookRun(Path("09_esd_more.ipynb"), None, [], 473.5, None, profile="paper", resumed=[note])
    plain = NotebookRun(Path("03_linear_regions.ipynb"), None, [], 185.3, None, profile="paper")
    md = report_markdown([resumed, plain], profile="paper")
    assert "| 09_esd_more | ok | 473.5 (resumed) |" in md and "| 03_linear_regions | ok | 185.3 |" in md
    assert "its seconds are this run's only" in md and "- 3 of 4 cells read back from " in md
    html = report_html([resumed, plain], profile="paper")
    assert "473.5 (resumed)" in html and "<li>3 of 4 cells read back from " in html
    assert "its seconds are this run&#x27;s only" in html or "its seconds are this run's only" in html
    assert "a resumed run counts only its own" in md
    assert "(resumed)" not in report_markdown([plain], profile="paper")
