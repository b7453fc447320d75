"""What one executed notebook produced, shared by the runner (:mod:`workbench.reproduce`) and the
report (:mod:`workbench.report`): the run record, its figures, the machine and the commit it ran at.

Imports point one way: ``reproduce -> report -> runs``.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["NotebookRun", "LintFinding", "extract_figures", "machine", "git_commit", "unrun_cells_error",
           "ENV_LINT_FILE", "KERNEL_LINT_LINE", "install_kernel_lint", "load_lint"]

ENV_LINT_FILE = "WORKBENCH_FIGURE_LINT_FILE"
"""Where the kernel of a run writes the figure linter's findings (JSON); set by the runner."""

KERNEL_LINT_LINE = "__import__('workbench.runs', fromlist=['runs']).install_kernel_lint()"
"""The line the runner has the kernel execute at start-up (``IPKernelApp.exec_lines``); leaves no name behind."""


@dataclass(frozen=True)
class LintFinding:
    """One finding of :func:`workbench.plots.lint_figure` on a figure a notebook cell drew.

    ``cell``: index of the cell in the executed notebook (as in the figure files' ``cellNN``), or ``None`` when
    it could not be matched; ``execution_count``: the kernel's count for that cell; ``figure``: the hook's name for
    the figure ("figure 3")."""

    notebook: str
    cell: int | None
    execution_count: int | None
    figure: str
    rule: str
    artist: str
    message: str

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else f"execution {self.execution_count}"
        return f"{self.notebook}, {where}, {self.figure}: [{self.rule}] {self.artist}: {self.message}"


@dataclass
class NotebookRun:
    """What executing one notebook produced."""

    notebook: Path
    output: Path | None
    figures: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    profile: str = "smoke"
    claims: list = field(default_factory=list)
    claims_file: Path | None = None
    started: str = ""
    machine: dict = field(default_factory=dict)
    lint: list[LintFinding] | None = None
    """Figure-lint findings of every figure the cells drew ([] clean); None: not linted (no record)."""
    lint_file: Path | None = None
    linted: dict = field(default_factory=dict)
    """``{cell index: number of figures the linter checked}``."""
    resumed: list[str] = field(default_factory=list)
    """Notes of sweeps read back from an earlier run's store (:func:`resumed_notes`); ``seconds`` is this run's."""

    @property
    def ok(self) -> bool:
        return self.error is None


def extract_figures(nb, out_dir: Path, stem: str) -> list[Path]:
    """Write every ``image/png`` output of an executed notebook to ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    k = 0
    for ci, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                k += 1
                p = out_dir / f"{stem}_fig{k:02d}_cell{ci:02d}.png"
                p.write_bytes(base64.b64decode(data["image/png"]))
                paths.append(p)
    return paths


def resumed_notes(nb) -> list[str]:
    """The lines of an executed notebook's printed output that say a sweep was read back from an earlier run's
    store (:func:`workbench.experiments.distributed.resumed_note`): such a run's seconds are its own only, not
    those of the cells it read back."""
    from workbench.experiments.distributed import RESUMED_NOTE_RE

    notes = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") != "stream":
                continue
            text = output.get("text", "")
            text = "".join(text) if isinstance(text, list) else str(text)
            notes += [line.strip() for line in text.splitlines() if RESUMED_NOTE_RE.match(line.strip())]
    return notes


def machine() -> dict:
    """Where notebooks run: host, OS, Python, torch, CPU count and the default device (with the GPU's name).

    :func:`run_notebook` adds the git ``commit`` of the notebook's checkout and stores the whole record in the
    executed notebook's metadata (``metadata.workbench.machine``)."""
    import platform
    import socket

    import torch

    from workbench._runtime import device

    dev = device()
    info = dict(host=socket.gethostname(), os=platform.platform(), python=platform.python_version(),
                torch=torch.__version__, cpus=os.cpu_count(), device=str(dev))
    if dev.type == "cuda":
        info["gpu"] = torch.cuda.get_device_name(dev)
    return info


def git_commit(folder: Path) -> str:
    """Short commit of the checkout holding ``folder`` ("… (with uncommitted changes)" when dirty), or ""."""
    try:
        out = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "") if out.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def unrun_cells_error(nb) -> str | None:
    """A message when code cells of an executed notebook never ran (a cell hit papermill's timeout).

    Papermill can end a run whose cell exceeded ``execution_timeout`` without an exception in the
    notebook's metadata; the cells after it keep ``execution_count = None``.  Such a run is not "ok".
    """
    unrun = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and c.source.strip() and c.get("execution_count") is None]
    if not unrun:
        return None
    return (f"{len(unrun)} code cell(s) never ran (the first is cell {unrun[0]}): the run stopped early, e.g. "
            "a cell exceeded the execution timeout")


# ------------------------------------------------------------------------------------------ figure lint


def install_kernel_lint(path: str | os.PathLike | None = None, *, shell=None):
    """Inside a notebook's kernel: lint every figure each cell draws and append the findings to ``path``.

    ``path`` defaults to ``$WORKBENCH_FIGURE_LINT_FILE`` (nothing happens when it is unset).  The file is
    written at once (an empty list: linting is active) and rewritten after every cell with findings, so the
    findings of cells before a failing one are kept.  Findings are not printed into the notebook (they go to the
    kernel's stderr), so the executed notebook stays as its author wrote it.
    """
    import sys

    from workbench.plots.lint import install_notebook_hook, open_figures

    path = os.environ.get(ENV_LINT_FILE, "").strip() if path is None else str(path)
    if not path:
        return None
    from workbench.claims import ENV_NOTEBOOK

    notebook = os.environ.get(ENV_NOTEBOOK, "")
    records: list[dict] = []
    linted: dict[str, int] = {}  # execution count -> figures linted in that cell

    def write() -> None:
        tmp = f"{path}.tmp"
        with open(tmp, "w") as f:
            json.dump({"notebook": notebook, "linted": linted, "findings": records}, f, indent=1)
        os.replace(tmp, path)

    hook = install_notebook_hook(strict=False, shell=shell)
    hook.stream = sys.__stderr__
    events = hook.shell.events
    events.unregister("post_run_cell", hook.post_run_cell)

    def post_run_cell(result=None) -> None:
        n = len({id(f) for f in hook._noted.values()} | {id(f) for num, f in open_figures().items()
                                                          if num not in hook._before})
        report = hook.post_run_cell(result)
        count = getattr(result, "execution_count", None)
        if n:
            linted[str(count)] = linted.get(str(count), 0) + n
        for figure, findings in report.items():
            records.extend(dict(execution_count=count, figure=figure, rule=f.rule, artist=f.artist,
                                message=f.message) for f in findings)
        if report or n:
            write()

    events.register("post_run_cell", post_run_cell)
    write()
    return hook


def _cells_by_count(nb) -> dict:
    if nb is None:
        return {}
    return {c.get("execution_count"): i for i, c in enumerate(nb.cells)
            if c.get("cell_type") == "code" and c.get("execution_count") is not None}


def load_lint(path: Path, nb=None, notebook: str = "") -> tuple[list[LintFinding], dict]:
    """What a kernel wrote to ``path``: its findings and ``{cell: number of figures linted}``.

    Cells are indices into the executed notebook ``nb`` (matched by execution count; without ``nb``, or for a
    count no cell carries, the cell is ``None`` in a finding and the execution count is the key)."""
    data = json.loads(Path(path).read_text())
    notebook = notebook or data.get("notebook", "") or Path(path).name.split(".")[0]
    cells = _cells_by_count(nb)
    findings = [LintFinding(notebook=notebook, cell=cells.get(r.get("execution_count")),
                            execution_count=r.get("execution_count"), figure=r.get("figure", ""), rule=r["rule"],
                            artist=r.get("artist", ""), message=r.get("message", ""))
                for r in data.get("findings", [])]
    linted = {cells.get(int(k), int(k)): int(v) for k, v in data.get("linted", {}).items() if k != "None"}
    return findings, linted
