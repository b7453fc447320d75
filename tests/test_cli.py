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
