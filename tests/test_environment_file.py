"""environment.yml (conda) lists every requirement of pyproject.toml: core and every extra."""
from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_every_pyproject_requirement():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for reqs in project.get("optional-dependencies", {}).values():
        wanted |= {_name(r) for r in reqs if not r.startswith("workbench")}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    have = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            have |= {_name(r) for r in dep.get("pip", []) if not r.startswith("-")}
        else:
            have.add(_name(dep))
    have |= {"dask"} if "distributed" in have else set()  # conda splits dask[distributed] in two
    missing = sorted(wanted - have)
    assert not missing, f"environment.yml lacks {missing} (pyproject.toml requires them)"
