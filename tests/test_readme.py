"""The README as a user reads it: its paper table comes from the claims catalogue and the committed report."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_paper_table_is_generated_from_the_catalogue():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "claims_table.py"), "--check"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_readme_links_nothing_outside_the_repository():
    text = (ROOT / "README.md").read_text()
    assert "../shared" not in text, "README.md links ../shared, which a user's clone does not have"


def _python_blocks() -> list[str]:
    import re

    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


def test_readme_has_python_blocks():
    assert len(_python_blocks()) >= 4


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(_python_blocks())))
def test_readme_python_block_runs_verbatim(index, tmp_path):
    """Every ```python block of the README runs as printed, in a fresh interpreter (a newcomer's first contact)."""
    import os

    code = _python_blocks()[index]
    env = dict(os.environ, WORKBENCH_DEVICE="cpu", MPLBACKEND="Agg", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                       env=env)
    assert r.returncode == 0, f"README block {index + 1} failed:\n{code}\n--- stderr ---\n{r.stderr[-3000:]}"


def test_readme_run_time_table_is_generated_from_profile_costs():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "profile_table.py"), "--check"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_readme_names_only_profiles_that_exist():
    import re

    from workbench.experiments.profiles import PROFILES

    text = (ROOT / "README.md").read_text()
    named = set(re.findall(r"--profile (\w+)", text)) | set(re.findall(r'PROFILE = "(\w+)"', text))
    assert named and named <= set(PROFILES), f"README names profiles that do not exist: {named - set(PROFILES)}"
