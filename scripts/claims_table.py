"""Rewrite the README's paper table from the claims catalogue and the committed quick-profile report (docs/report).

    python scripts/claims_table.py            # rewrite README.md in place
    python scripts/claims_table.py --check    # exit 1 when README.md is out of date (the tests run this)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from readme_block import main, replace_block  # noqa: E402  (scripts/ is on sys.path when run as a script)

from workbench.report import README_END, README_START, readme_table  # noqa: E402


def updated(readme: str, folder: str = "docs/report") -> str:
    table = readme_table(ROOT / folder).replace(str(ROOT / folder), folder)
    return replace_block(readme, README_START, README_END, table)


if __name__ == "__main__":
    raise SystemExit(main(__doc__, updated, "paper table", "claims_table.py"))
