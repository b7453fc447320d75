"""Rewrite the README's paper table from the claims catalogue and the committed quick-profile report (docs/report).

    python scripts/claims_table.py            # rewrite README.md in place
    python scripts/claims_table.py --check    # exit 1 when README.md is out of date (the tests run this)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.report import README_END, README_START, readme_table  # noqa: E402


def updated(readme: str, folder: str = "docs/report") -> str:
    table = readme_table(ROOT / folder).replace(str(ROOT / folder), folder)
    if README_START not in readme or README_END not in readme:
        raise SystemExit(f"README.md has no {README_START!r} ... {README_END!r} block")
    head, rest = readme.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    return head + table + tail


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check; exit 1 when README.md is out of date")
    args = ap.parse_args()
    path = ROOT / "README.md"
    text = path.read_text()
    new = updated(text)
    if args.check:
        if new != text:
            print("README.md's paper table is out of date: run python scripts/claims_table.py")
            return 1
        return 0
    path.write_text(new)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
