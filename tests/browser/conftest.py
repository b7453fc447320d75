"""Real-browser fixtures: a JupyterLab (and a Voilà) server on a free localhost port, driven by Chromium.

Chromium is the Debian package (``/usr/bin/chromium``, or ``$WORKBENCH_CHROMIUM``)
launched through playwright with ``executable_path``: nothing is downloaded.
Outside CI a missing Chromium or playwright skips these tests with the reason;
in CI (``$CI`` set) it is an error, since ``scripts/browser_setup.sh`` installs them.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from labtools import (  # noqa: F401
    REPO,
    TIMES,
    _missing,
    _wait_http,
    chromium_path,
    free_port,
    lint_env,
    server_env,
)


@pytest.fixture(scope="session")
def chromium():
    exe = chromium_path()
    if exe is None:
        _missing("Chromium not found (apt-get install chromium, or set WORKBENCH_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install playwright; no browser download needed)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab on a free localhost port, token disabled, rooted in a temp dir; yields (url, root).

    Its kernels lint every figure they draw into ``labtools.lint_dir(root)`` (see ``tests/nbchecks.py``)."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    root.mkdir()
    for ext, name, value in (("apputils-extension", "notification", {"fetchNews": "false", "checkForUpdates": False}),
                             ("notebook-extension", "tracker", {"windowingMode": "none"})):
        d = tmp / "settings" / "@jupyterlab" / ext  # no news pop-up; every cell in the DOM
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{name}.jupyterlab-settings").write_text(json.dumps(value))
    port = free_port()
    log = tmp / "lab.log"
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
           f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={tmp / 'settings'}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}", "--allow-root"]
    with open(log, "w") as fh:
        env = {**server_env(tmp), **lint_env(tmp, root)}
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=root)
    try:
        _wait_http(f"http://127.0.0.1:{port}/api/status", proc, 90, log)
        yield f"http://127.0.0.1:{port}", root
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session", autouse=True)
def record_times():
    """Collect the measured redraw times; written to ``$WORKBENCH_BROWSER_TIMES`` (JSON) when set."""
    yield TIMES
    if TIMES:
        out = os.environ.get("WORKBENCH_BROWSER_TIMES")
        if out:
            Path(out).write_text(json.dumps(TIMES, indent=1))
        print("\nbrowser redraw times (s):")
        for t in TIMES:
            print("  ", json.dumps(t))
