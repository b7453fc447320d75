"""The README as a user reads it: its paper table comes from the claims catalogue and the committed report."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_paper_table_is_generated_from_the_catalogue():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "claims_table.py"), "--check"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_readme_links_nothing_outside_the_repository():
    text = (ROOT / "README.md").read_text()
    assert "../shared" not in text, "README.md links ../shared, which a user's clone does not have"
