"""Shared by the scripts that write a generated block of README.md (claims_table.py, profile_table.py)."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def replace_block(text: str, start: str, end: str, block: str) -> str:
    """``text`` with everything from ``start`` to ``end`` (both markers included) replaced by ``block``."""
    if start not in text or end not in text:
        raise SystemExit(f"README.md has no {start!r} ... {end!r} block")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + block + tail


def main(doc: str, updated: Callable[[str], str], what: str, script: str) -> int:
    """The command line of a README-block script: rewrite README.md, or ``--check`` (exit 1 when out of date)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check; exit 1 when README.md is out of date")
    args = ap.parse_args()
    path = ROOT / "README.md"
    text = path.read_text()
    new = updated(text)
    if args.check:
        if new != text:
            print(f"README.md's {what} is out of date: run python scripts/{script}")
            return 1
        return 0
    path.write_text(new)
    return 0
