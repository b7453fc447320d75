"""Execute notebooks headless, save them and every figure they draw (PNG).

Used by ``workbench reproduce`` and by the test suite.  Notebooks follow the
papermill convention: a cell tagged ``parameters`` holds ``PROFILE = "quick"``;
papermill injects ``PROFILE = "smoke"`` (or another profile of
:data:`workbench.experiments.profiles.PROFILES`) after it.
"""
from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from workbench.report import write_reports
from workbench.runs import (
    ENV_LINT_FILE,
    KERNEL_LINT_LINE,
    NotebookRun,
    extract_figures,
    git_commit,
    load_lint,
    machine,
    resumed_notes,
    unrun_cells_error,
)

__all__ = ["NotebookRun", "notebook_paths", "run_notebook", "reproduce", "extract_figures", "machine", "PROFILES"]

from workbench.experiments.distributed import ENV_STORE
from workbench.experiments.profiles import ENV_ALLOW_LONG, PROFILES, cell_timeout, notebook_profile


def repo_notebooks_dir() -> Path:
    """``notebooks/`` of the source checkout (next to the ``workbench`` package)."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def notebook_paths(names: Sequence[str] | None = None, folder: Path | None = None) -> list[Path]:
    """Resolve notebook names (paths, file names or stems like ``00_tour``) to paths.

    With no names: every ``*.ipynb`` in ``folder`` (default: the repository's
    ``notebooks/``), sorted.
    """
    folder = Path(folder) if folder else repo_notebooks_dir()
    if not names:
        found = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("_"))
        if not found:
            raise FileNotFoundError(f"no notebooks found in {folder}")
        return found
    out = []
    for name in names:
        p = Path(name)
        candidates = [p, folder / p, folder / f"{p}.ipynb"]
        hit = next((c for c in candidates if c.is_file()), None)
        if hit is None:
            matches = sorted(folder.glob(f"{p.stem}*.ipynb"))
            if len(matches) == 1:
                hit = matches[0]
        if hit is None:
            available = ", ".join(q.stem for q in sorted(folder.glob("*.ipynb")))
            raise FileNotFoundError(f"notebook {name!r} not found; available: {available}")
        out.append(hit.resolve())
    return out


def run_notebook(
    path: Path | str,
    *,
    profile: str = "smoke",
    out_dir: Path | str | None = None,
    timeout: int | None = None,
    allow_long: bool = False,
    kernel_name: str | None = None,
    progress: bool = False,
    fresh: bool = False,
) -> NotebookRun:
    """Execute one notebook with ``PROFILE = profile`` injected (``cpu`` runs ``paper`` where a notebook has no
    ``cpu`` sizes).

    ``timeout``: seconds one cell may run (default :func:`~workbench.experiments.profiles.cell_timeout`, from the
    notebook's measured cost in that profile); ``allow_long``: let a ``paper`` run estimated over an hour start.

    The executed notebook goes to ``out_dir/<name>.ipynb`` and its figures to
    ``out_dir/figures/``.  Errors are captured in the returned
    :class:`NotebookRun` (``.error``), never swallowed silently.

    Every figure a cell draws is checked by :func:`workbench.plots.lint_figure` inside the kernel (a hook the
    kernel installs at start-up, :func:`workbench.runs.install_kernel_lint`); the findings go to
    ``out_dir/<name>.lint.json`` and to ``NotebookRun.lint`` (notebook, cell, rule, message).  They do not fail
    the run: the tests decide (``tests/test_notebooks.py``).

    A ``paper`` or ``cpu`` run keeps the finished cells of its long sweeps in ``out_dir/stores/<profile>/<name>/``
    (:func:`workbench.experiments.sweep_store`): run the same notebook into the same ``out_dir`` again after a
    stop and those sweeps resume where they stopped; ``fresh=True`` deletes that folder first.
    """
    import nbformat
    import papermill as pm

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; allowed values: {PROFILES}")
    path = Path(path).resolve()
    try:
        profile = notebook_profile(path.stem, profile)
        timeout = timeout if timeout is not None else cell_timeout(path.stem, profile)
    except ValueError:  # a notebook outside the project's table (tests, users' own): the generic limit
        timeout = timeout if timeout is not None else 1800
    out_dir = Path(out_dir) if out_dir is not None else Path.cwd() / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    out_nb = out_dir / path.name
    claims_file = out_dir / f"{path.stem}.claims.json"
    claims_file.unlink(missing_ok=True)  # never report the claims of an earlier run
    lint_file = out_dir / f"{path.stem}.lint.json"
    lint_file.unlink(missing_ok=True)
    # long sweeps keep their finished cells here (paper and cpu runs only: the others take minutes); one folder
    # per profile, since the profiles' sizes differ and a store refuses another sweep
    store = out_dir.resolve() / "stores" / profile / path.stem if profile in ("paper", "cpu") else None
    if fresh and store is not None and store.exists():
        shutil.rmtree(store)
    # The kernel inherits these.  Inline figures; no tqdm widget bars inside the
    # headless kernel (the outer progress bar is ours): progress widgets streaming
    # comm messages were seen to stall nbclient intermittently on a loaded machine.
    from workbench import claims as _claims_mod

    env = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "TQDM_DISABLE": "1",
           _claims_mod.ENV_FILE: str(claims_file.resolve()), _claims_mod.ENV_PROFILE: profile,
           _claims_mod.ENV_NOTEBOOK: path.stem, ENV_ALLOW_LONG: "1" if allow_long else "",
           ENV_LINT_FILE: str(lint_file.resolve()),
           ENV_STORE: str(store) if store is not None else "",
           # passive OpenMP waits (see workbench/__init__.py); the kernel imports torch before workbench
           "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")

    commit_before = git_commit(path.parent)  # what runs is what was checked out at the start
    t0 = time.perf_counter()
    error = None
    try:
        pm.execute_notebook(
            str(path),
            str(out_nb),
            parameters={"PROFILE": profile},
            cwd=str(path.parent),
            kernel_name=kernel_name or "python3",
            progress_bar=progress,
            execution_timeout=timeout,
            log_output=False,
            # the kernel lints each cell's figures (a start-up line; the notebook's cells are untouched)
            extra_arguments=[f"--IPKernelApp.exec_lines={[KERNEL_LINT_LINE]!r}"],
        )
    except Exception as exc:  # papermill raises PapermillExecutionError with the cell's traceback
        error = f"{type(exc).__name__}: {exc}"
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    seconds = time.perf_counter() - t0
    figures: list[Path] = []
    here = machine()
    commit_after = git_commit(path.parent)
    commit = commit_before if commit_after == commit_before else (
        f"{commit_before} at the start, {commit_after} at the end (the checkout changed during the run)")
    if commit_before or commit_after:
        here["commit"] = commit
    nb = None
    if out_nb.exists():
        nb = nbformat.read(str(out_nb), as_version=4)
        # provenance in the executed notebook itself, so `workbench report` of a folder says where and at which
        # commit each notebook ran, even when they ran on different days or machines
        nb.metadata["workbench"] = {"machine": here, "profile": profile}
        nbformat.write(nb, str(out_nb))
        figures = extract_figures(nb, out_dir / "figures", path.stem)
        if error is None:
            error = unrun_cells_error(nb)
    found = _claims_mod.load(claims_file) if claims_file.exists() else []
    lint, linted = load_lint(lint_file, nb, path.stem) if lint_file.exists() else (None, {})
    return NotebookRun(path, out_nb if out_nb.exists() else None, figures, seconds, error, profile=profile,
                       claims=found, claims_file=claims_file if claims_file.exists() else None, started=started,
                       machine=here, lint=lint, lint_file=lint_file if lint_file.exists() else None,
                       linted=linted, resumed=resumed_notes(nb) if nb is not None else [])


def reproduce(
    names: Iterable[str] | None = None,
    *,
    profile: str = "smoke",
    out_dir: Path | str = "results",
    folder: Path | None = None,
    scheduler: str | None = None,
    report: bool = True,
    timeout: int | None = None,
    allow_long: bool = False,
    fresh: bool = False,
) -> list[NotebookRun]:
    """Execute notebooks one after another with a progress bar; returns their runs.

    ``scheduler``: a Dask scheduler address the notebooks' sweeps run on
    (through ``$WORKBENCH_DASK_SCHEDULER``); checked before any notebook runs.
    ``report``: write ``report.html`` and ``report.md`` into ``out_dir``.
    ``timeout``: seconds one cell may run (None: each notebook's limit from its measured cost, see
    :func:`~workbench.experiments.profiles.cell_timeout`); ``allow_long``: start ``paper`` runs estimated over an
    hour on this machine.  ``fresh``: start the long sweeps over instead of resuming what an earlier run into
    the same ``out_dir`` kept (see :func:`run_notebook`).
    """
    from tqdm.auto import tqdm

    from workbench.experiments.distributed import ENV_SCHEDULER, connect

    paths = notebook_paths(list(names) if names else None, folder)
    saved = os.environ.get(ENV_SCHEDULER)
    if scheduler is not None:
        connect(scheduler).close()  # a clear ConnectionError now rather than inside every notebook
        os.environ[ENV_SCHEDULER] = scheduler
    runs = []
    try:
        bar = tqdm(paths, desc=f"notebooks ({profile})", unit="nb")
        for p in bar:
            bar.set_postfix_str(p.stem)
            runs.append(run_notebook(p, profile=profile, out_dir=out_dir, timeout=timeout, allow_long=allow_long,
                                     fresh=fresh))
    finally:
        if scheduler is not None:
            if saved is None:
                os.environ.pop(ENV_SCHEDULER, None)
            else:
                os.environ[ENV_SCHEDULER] = saved
    if report:
        write_reports(runs, out_dir, profile=profile, scheduler=scheduler)
    return runs
