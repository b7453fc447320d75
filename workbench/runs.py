"""What one executed notebook produced, shared by the runner (:mod:`workbench.reproduce`) and the
report (:mod:`workbench.report`): the run record, its figures, the machine and the commit it ran at.

Imports point one way: ``reproduce -> report -> runs``.
"""
from __future__ import annotations

import base64
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["NotebookRun", "extract_figures", "machine", "git_commit", "unrun_cells_error"]


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
