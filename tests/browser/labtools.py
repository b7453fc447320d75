"""Helpers shared by the browser tests (servers, ports, environment)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMES: list[dict] = []


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it with scripts/browser_setup.sh)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    for cand in (os.environ.get("WORKBENCH_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).exists():
            return cand
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"server did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}")


LINT_STARTUP = """\
# Written by the browser tests (tests/browser/labtools.py): every notebook's kernel lints the figures of each cell
# it runs, into $WORKBENCH_BROWSER_LINT_DIR/<notebook>.lint.json, as `workbench reproduce` does (tests/nbchecks.py).
import os as _os
from pathlib import Path as _Path

_dir, _nb = _os.environ.get("WORKBENCH_BROWSER_LINT_DIR"), _os.environ.get("JPY_SESSION_NAME")
if _dir and _nb:
    __import__("workbench.runs", fromlist=["runs"]).install_kernel_lint(_Path(_dir) / f"{_Path(_nb).stem}.lint.json")
del _os, _Path, _dir, _nb
"""


def lint_dir(root: Path) -> Path:
    """Where the kernels of the JupyterLab rooted at ``root`` write their figure-lint records."""
    return root.parent / "lint"


def lint_env(tmp: Path, root: Path) -> dict:
    """The environment that makes every kernel of a server rooted at ``root`` lint its figures (an IPython
    start-up file in a profile of its own; jupyter_server gives each kernel ``$JPY_SESSION_NAME``)."""
    startup = tmp / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-workbench-lint.py").write_text(LINT_STARTUP)
    lint_dir(root).mkdir(parents=True, exist_ok=True)
    return {"IPYTHONDIR": str(tmp / "ipython"), "WORKBENCH_BROWSER_LINT_DIR": str(lint_dir(root))}


def server_env(tmp: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["JUPYTER_CONFIG_DIR"] = str(tmp / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")
    env.setdefault("WORKBENCH_DEVICE", "cpu")
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env




def wait_port(port: int, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    """Wait until something listens on ``127.0.0.1:port`` (without requesting a page that starts a kernel)."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s:\n{log.read_text()[-3000:]}")
