"""Run every GPU benchmark in one go on a lent machine and append the results to BENCHMARKS.md.

Usage::

    python benchmarks/run_gpu.py --dry-run            # list the commands, the estimates and what is skipped
    python benchmarks/run_gpu.py                      # run them (needs CUDA), total budget 470 s
    python benchmarks/run_gpu.py --budget 300 --only partition_engine,edjm

The benchmarks with a GPU mode (``--device cuda`` / ``--gpu``) run in the order of
:data:`BENCHES`, each in its own process with a time limit.  One is started only while its
estimate fits in what is left of ``--budget``; a benchmark that would overrun is skipped
and said so, and a running one is stopped when the budget is spent (its partial output is
kept).  The CPU-only benchmarks are listed as skipped with the reason
(:data:`CPU_ONLY`).  At the end one section, ``## GPU run <date>: <device>``, is appended
to ``BENCHMARKS.md`` (``--output``) with each command, its exit status, its wall time and
its output (the scripts print Markdown tables); ``--no-append`` only prints.

The total budget is capped at 480 s (8 minutes) so that one call fits in a lent machine's
device time with room to spare; estimates come from the sizes chosen below (GPU sizes of
each script, small repeat counts), not from a measurement on a GPU, which no task has had.
"""
from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MAX_BUDGET_S = 480
DEFAULT_BUDGET_S = 470


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    args: tuple[str, ...]
    estimate_s: int
    """What a run is expected to take on one modern GPU (a guess from the CPU figures; an upper end)."""
    timeout_s: int
    """Hard limit of the run (never more than what is left of the budget)."""
    what: str

    def command(self, python: str = sys.executable) -> list[str]:
        return [python, str(HERE / self.script), *self.args]


BENCHES: tuple[Bench, ...] = (
    Bench("ensemble", "bench_ensemble.py", ("--device", "cuda", "--repeats", "5"), 20, 60,
          "batched ensembles: forward of S networks stacked vs one by one"),
    Bench("edjm", "bench_edjm.py", ("--device", "cuda", "--repeats", "3"), 90, 150,
          "EDJM: batched vmap(jacrev) vs per-input jacobian; the paper's 10,000 x 784 size"),
    Bench("partition_engine", "bench_partition_engine.py", ("--gpu", "--device", "cuda", "--repeats", "1"), 120, 180,
          "fast exact 2-D partitions at ~1e5 / 1e6 / 1e7 regions, regions/s and peak GPU memory"),
    Bench("regions", "bench_regions.py", ("--device", "cuda", "--quick", "--repeats", "1", "--skip-compare"), 20, 60,
          "reference partition engine, regions/s on the GPU (small sizes)"),
    Bench("speed_table", "bench_speed_table.py",
          ("--device", "cuda", "--repeats", "1", "--rows", "refusal,segments"), 25, 60,
          "issue 29's table, the rows no other entry covers: the refusal of a partition that cannot fit, "
          "exact segment counts through 784-input networks"),
    Bench("esd_real", "bench_esd_real.py",
          ("--device", "cuda", "--runs", "1", "--inputs", "2", "--configs", "ours,gram", "--timeout", "150"), 120, 170,
          "sampled-coordinate ESD of ResNet-152 (K = 1e6): time per input and the Gram route"),
    Bench("partition_plane", "bench_partition_plane.py", ("--device", "cuda", "--repeats", "2"), 20, 60,
          "exact partition of a plane through three digits, small conv net: regions/s"),
    Bench("fig4_sweep", "bench_fig4_sweep.py",
          ("--device", "cuda", "--every", "50", "--repeats", "1", "--fig1-repeats", "21"), 50, 90,
          "spanning dimension: closed-form routes vs torch.func (Fig. 1 net; every 50th Fig. 4 network)"),
)
"""The benchmarks with a GPU mode, in the order they run (cheapest and most asked-for first)."""

CPU_ONLY: dict[str, str] = {
    "bench_spanning.py": "CPU-only: every route is timed with device='cpu' (the ESD engine's CPU figures)",
    "bench_trajectories.py": "CPU-only: times the CPU paths (device='cpu' throughout)",
    "bench_slope.py": "CPU-only: no --device (the slope and penalty figures are CPU figures)",
    "bench_layer_algebra.py": "no tensor work at all (meta device): nothing for a GPU to do",
    "bench_panels.py": "widget redraw times: matplotlib on the CPU",
    "bench_dask.py": "Dask LocalCluster vs local: a CPU scheduling benchmark",
}
"""Benchmarks this runner does not start, with the reason it prints."""


def plan(budget_s: float, only: list[str] | None = None) -> tuple[list[Bench], list[tuple[str, str]]]:
    """The benchmarks to run within ``budget_s`` and the skipped ones with their reasons.

    Benchmarks are taken in :data:`BENCHES` order while their estimates fit in what is left;
    ``only`` restricts the run to those names (unknown names are a ``ValueError``).
    """
    names = [b.name for b in BENCHES]
    if only:
        unknown = [n for n in only if n not in names]
        if unknown:
            raise ValueError(f"unknown benchmark(s) {unknown}; choose from {names}")
    run, skipped, left = [], [], float(budget_s)
    for b in BENCHES:
        if only and b.name not in only:
            skipped.append((b.script, "not in --only"))
        elif b.estimate_s > left:
            skipped.append((b.script, f"its estimate {b.estimate_s} s exceeds the {left:.0f} s left of the budget"))
        else:
            run.append(b)
            left -= b.estimate_s
    skipped += sorted(CPU_ONLY.items())
    return run, skipped


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S,
                    help=f"total seconds for all benchmarks together (at most {MAX_BUDGET_S}; default %(default)s)")
    ap.add_argument("--only", default="", help="comma-separated names: " + ", ".join(b.name for b in BENCHES))
    ap.add_argument("--dry-run", action="store_true", help="list the commands and what is skipped; run nothing")
    ap.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="the Markdown file to append to")
    ap.add_argument("--no-append", action="store_true", help="print the section instead of appending it")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the benchmarks (default: this one)")
    args = ap.parse_args(argv)
    if not 0 < args.budget <= MAX_BUDGET_S:
        ap.error(f"--budget must be in (0, {MAX_BUDGET_S}] seconds, got {args.budget:g}")
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    try:
        plan(args.budget, args.only)
    except ValueError as e:
        ap.error(str(e))
    return args


def describe(run: list[Bench], skipped: list[tuple[str, str]], budget_s: float, python: str) -> str:
    lines = [f"budget {budget_s:g} s; {len(run)} benchmark(s) to run, estimated {sum(b.estimate_s for b in run)} s:"]
    for b in run:
        lines.append(f"  [{b.name}] ~{b.estimate_s} s (limit {b.timeout_s} s): {shlex.join(b.command(python))}")
    lines.append("skipped:")
    lines += [f"  {script}: {why}" for script, why in skipped]
    return "\n".join(lines)


def _device_name() -> str:
    import torch

    if not torch.cuda.is_available():
        return ""
    return torch.cuda.get_device_name(0)


def run_all(run: list[Bench], budget_s: float, python: str) -> list[dict]:
    """Run the planned benchmarks; each result holds the command, exit status, wall time and output."""
    t_start = time.monotonic()
    results = []
    for b in run:
        left = budget_s - (time.monotonic() - t_start)
        if left < min(b.estimate_s, 10):
            results.append(dict(bench=b, skipped=f"only {left:.0f} s of the budget left"))
            print(f"[{b.name}] skipped: only {left:.0f} s of the budget left", flush=True)
            continue
        limit = min(b.timeout_s, left)
        print(f"[{b.name}] {shlex.join(b.command(python))} (limit {limit:.0f} s)", flush=True)
        t0 = time.monotonic()
        # a session of its own, so that a time-out also stops the worker processes a benchmark starts
        p = subprocess.Popen(b.command(python), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
        try:
            out, err = p.communicate(timeout=limit)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            rc = "timeout"
        wall = time.monotonic() - t0
        print(f"[{b.name}] exit {rc} after {wall:.0f} s", flush=True)
        results.append(dict(bench=b, rc=rc, wall_s=wall, stdout=out, stderr=err))
    return results


def section(results: list[dict], skipped: list[tuple[str, str]], device: str, budget_s: float, python: str) -> str:
    """The Markdown section appended to BENCHMARKS.md."""
    now = datetime.now(timezone.utc)
    md = [f"\n## GPU run {now:%Y-%m-%d %H:%M} UTC: {device or 'no CUDA device'}\n",
          f"`python benchmarks/run_gpu.py --budget {budget_s:g}`: every benchmark with a GPU mode, one after the "
          "other, each in its own process. Raw output of each script below (its own tables).\n"]
    for r in results:
        b = r["bench"]
        md.append(f"### {b.name}: {b.what}\n")
        md.append(f"`{shlex.join(b.command('python'))}`")
        if "skipped" in r:
            md.append(f"\nskipped: {r['skipped']}\n")
            continue
        md.append(f" (exit {r['rc']}, {r['wall_s']:.0f} s wall)\n")
        md.append(r["stdout"].rstrip() + "\n" if r["stdout"].strip() else "(no output)\n")
        if r["rc"] != 0 and r["stderr"].strip():
            tail = "\n".join(r["stderr"].strip().splitlines()[-15:])
            md.append(f"```\n{tail}\n```\n")
    md.append("Not run here: " + "; ".join(f"`{s}` ({why})" for s, why in skipped) + ".\n")
    return "\n".join(md)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run, skipped = plan(args.budget, args.only)
    print(describe(run, skipped, args.budget, args.python), flush=True)
    if args.dry_run:
        return 0
    device = _device_name()
    if not device:
        print("no CUDA device here: nothing run (use --dry-run to see the plan)", file=sys.stderr)
        return 2
    results = run_all(run, args.budget, args.python)
    text = section(results, skipped, device, args.budget, args.python)
    if args.no_append:
        print(text)
    else:
        with open(args.output, "a", encoding="utf-8") as f:
            f.write(text)
        print(f"appended the results to {args.output}")
    return 0 if all(r.get("rc", 0) == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
