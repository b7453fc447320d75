"""The reproduce command: executes notebooks, saves them and their figures, fails loudly."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import nbbuild  # noqa: E402

from workbench import cli  # noqa: E402
from workbench.reproduce import notebook_paths, run_notebook  # noqa: E402


def _write(path: Path, source: str) -> None:
    """Build ``path`` (.ipynb) from a percent-format source text, as scripts/nbbuild.py does."""
    src = path.with_suffix(".py")
    src.write_text(source)
    path.write_text(nbbuild.build(src))
    src.unlink()


@pytest.fixture
def nb_folder(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _write(folder / "good.ipynb", "# %%\n# %matplotlib inline\nfrom workbench.plots import new_axes, show\n\n"
           '# %% tags=["parameters"]\nPROFILE = "full"\n\n'
           "# %%\nax = new_axes()\nax.plot([0, 1], [0, 1 if PROFILE == 'smoke' else 2])\nshow(ax)\nprint(PROFILE)\n")
    _write(folder / "bad.ipynb", '# %% tags=["parameters"]\nPROFILE = "full"\n\n'
           "# %%\nraise RuntimeError('boom ' + PROFILE)\n")
    _write(folder / "slow.ipynb", '# %% tags=["parameters"]\nPROFILE = "full"\n\n'
           "# %%\nimport time\ntime.sleep(30)\n")
    return folder


@pytest.mark.slow
def test_run_notebook_injects_profile_and_extracts_figures(nb_folder, tmp_path):
    run = run_notebook(nb_folder / "good.ipynb", profile="smoke", out_dir=tmp_path / "out")
    assert run.ok, run.error
    assert run.output.exists() and len(run.figures) == 1
    assert run.figures[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "smoke" in run.output.read_text()


@pytest.mark.slow
def test_cli_reproduce_exit_codes_and_summary(nb_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("workbench.reproduce.repo_notebooks_dir", lambda: nb_folder)
    out = tmp_path / "res"
    assert cli.main(["reproduce", "--out", str(out), "good"]) == 0
    text = capsys.readouterr().out
    assert "good" in text and "ok" in text and str(out / "figures") in text
    assert len(list((out / "figures").glob("*.png"))) == 1
    # the default profile is quick (about 2 minutes per notebook)
    assert cli.main(["reproduce", "--out", str(out), "bad"]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "boom quick" in captured.err


@pytest.mark.slow
def test_cli_cell_timeout_stops_a_long_cell(nb_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("workbench.reproduce.repo_notebooks_dir", lambda: nb_folder)
    assert cli.main(["reproduce", "--out", str(tmp_path), "--cell-timeout", "0", "slow"]) == 2
    assert "--cell-timeout must be at least 1" in capsys.readouterr().err
    assert cli.main(["reproduce", "--out", str(tmp_path), "--cell-timeout", "3", "slow"]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "3 seconds" in captured.err  # nbclient's CellTimeoutError names the limit


def test_unknown_notebook_and_profile(nb_folder, tmp_path, capsys, monkeypatch):
    with pytest.raises(FileNotFoundError, match="available: bad, good"):
        notebook_paths(["nope"], nb_folder)
    with pytest.raises(ValueError, match="unknown profile"):
        run_notebook(nb_folder / "good.ipynb", profile="huge", out_dir=tmp_path)
    monkeypatch.setattr("workbench.reproduce.repo_notebooks_dir", lambda: nb_folder)
    assert cli.main(["reproduce", "--out", str(tmp_path), "nope"]) == 2
    assert "not found" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["reproduce", "--profile", "huge"])


def test_repo_notebooks_are_found():
    names = [p.stem for p in notebook_paths()]
    assert "00_tour" in names and names == sorted(names)


_STORED = ('# %% tags=["parameters"]\nPROFILE = "quick"\n\n'
           "# %%\nfrom workbench.experiments import resumed_note, run_cells, sweep_store\n"
           "store = sweep_store('squares')\n"
           "df = run_cells(lambda c: dict(y=c['x'] ** 2), [dict(x=x) for x in range(3)], store=store, "
           "sweep='squares', progress=False)\n"
           "print('store:', store)\nprint('note:', resumed_note(df) or 'none')\nprint('sum:', df['y'].sum())\n")


def _printed(out: Path, name: str) -> str:
    import nbformat

    nb = nbformat.read(str(out / f"{name}.ipynb"), as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.mark.slow
def test_paper_runs_keep_their_sweeps_in_a_store_and_resume(tmp_path, monkeypatch):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _write(folder / "stored.ipynb", _STORED)
    monkeypatch.setattr("workbench.reproduce.repo_notebooks_dir", lambda: folder)
    out = tmp_path / "res"
    store = out.resolve() / "stores" / "paper" / "stored" / "squares"
    assert cli.main(["reproduce", "--profile", "paper", "--out", str(out), "stored"]) == 0
    first = _printed(out, "stored")
    assert f"store: {store}" in first and "note: 3 cells computed in this run" in first and "sum: 5" in first
    assert len(list(store.glob("part-*.parquet"))) >= 1
    # the same command again: every cell is read back, none computed
    assert cli.main(["reproduce", "--profile", "paper", "--out", str(out), "stored"]) == 0
    again = _printed(out, "stored")
    assert "note: 3 of 3 cells read back" in again and "0 computed in this run" in again and "sum: 5" in again
    # --fresh deletes the store first
    assert cli.main(["reproduce", "--profile", "paper", "--fresh", "--out", str(out), "stored"]) == 0
    assert "note: 3 cells computed in this run" in _printed(out, "stored")
    # another profile has its own store (its sizes differ); --fresh there leaves the paper store alone
    assert cli.main(["reproduce", "--profile", "cpu", "--fresh", "--out", str(out), "stored"]) == 0
    assert f"store: {out.resolve() / 'stores' / 'cpu' / 'stored' / 'squares'}" in _printed(out, "stored")
    assert len(list(store.glob("part-*.parquet"))) >= 1
    # quick runs take minutes: no store, nothing kept
    assert cli.main(["reproduce", "--profile", "quick", "--out", str(tmp_path / "q"), "stored"]) == 0
    quick = _printed(tmp_path / "q", "stored")
    assert "store: None" in quick and "note: none" in quick
    assert not (tmp_path / "q" / "stores" / "stored").exists()
