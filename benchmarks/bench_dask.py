"""Fig. 4 sweep (esd_grid): here vs a LocalCluster of worker processes, and a projection to N workers.

    python benchmarks/bench_dask.py                       # stride-8 subset of the 40 x 40 grid, 3 repeats
    python benchmarks/bench_dask.py --stride 1 --repeats 1  # the full 4,800-network sweep (about 18 min here)

The subset takes every ``stride``-th width on both axes (``1, 1 + stride, ...``)
for ReLU, sigmoid and tanh, so its cells span the full range of sizes.  The
cluster is started once and warmed up (workbench imported on every worker)
before timing; its start-up time is reported separately.  The projection for
N workers divides the measured task work (sum of per-task wall times on the
workers) by N and adds the measured per-run overhead of the cluster (its wall
time minus work / workers); it assumes N real cores.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine  # noqa: E402

FULL_CELLS = 3 * 40 * 40


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stride", type=int, default=8)
    p.add_argument("--samples", type=int, default=10)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=2, help="torch threads of the local run")
    p.add_argument("--project", type=int, nargs="*", default=[1, 2, 4, 8, 16, 32, 64])
    args = p.parse_args(argv)

    from distributed import Client, LocalCluster

    from workbench.papers.esd import esd_grid

    widths = range(1, 41, args.stride)
    kw = dict(n1=widths, n2=widths, samples=args.samples, progress=False)
    n_cells = 3 * len(widths) ** 2
    print(f"# Fig. 4 sweep subset: n1, n2 in {list(widths)}, 3 activations = {n_cells} cells, "
          f"{args.samples} samples each, float64 lowrank (the defaults)")
    print(f"# machine: {machine()}")

    torch.set_num_threads(args.threads)
    local_times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        ref = esd_grid(**kw, client=False)
        local_times.append(time.perf_counter() - t0)
    local = statistics.median(local_times)
    print(f"local ({args.threads} torch threads): median {local:.1f} s of {[round(t, 1) for t in local_times]}")

    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.run(lambda: __import__("workbench.papers.esd.sampling"))
    startup = time.perf_counter() - t0
    print(f"cluster start-up ({args.workers} worker processes x 1 thread, workbench imported): {startup:.1f} s")
    times, works, max_tasks = [], [], []
    try:
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            df = esd_grid(**kw, client=client)
            times.append(time.perf_counter() - t0)
            info = df.attrs["sweep"]
            works.append(sum(info["task_seconds"]))
            max_tasks.append(max(info["task_seconds"]))
            cols = [c for c in ref.columns if c != "seconds"]
            keys = [c for c in cols if c not in ("esd", "std")]
            assert df[keys].equals(ref[keys]), "cluster cells differ from the local ones"
            diff = float((df[["esd", "std"]] - ref[["esd", "std"]]).abs().max().max())
            assert diff < 1e-12, f"cluster numbers differ from the local ones by {diff}"
        n_tasks = len(info["task_seconds"])
        ran_on = {a: n for a, n in info["workers"].items()}
    finally:
        client.close()
        cluster.close()
    wall = statistics.median(times)
    work = statistics.median(works)
    print(f"cluster: median {wall:.1f} s of {[round(t, 1) for t in times]}; {n_tasks} tasks; cells per worker "
          f"{sorted(ran_on.values())}; max |ESD difference| to local: {diff:.1e} (local {args.threads} torch "
          "threads, workers 1: reduction order; identical with equal thread counts)")
    print(f"task work (sum of task wall times): {work:.1f} s = {work / n_cells * 1e3:.0f} ms per cell on one "
          f"worker thread; longest task {statistics.median(max_tasks):.1f} s")
    overhead = max(0.0, wall - work / args.workers)
    print(f"speed-up vs local: {local / wall:.2f}x; overhead beyond work/{args.workers}: {overhead:.1f} s")
    print(f"\nprojection (N real cores, {overhead:.1f} s overhead, same per-cell cost):")
    print(f"{'workers':>8} {'this subset (s)':>16} {'full 4,800-cell sweep (min)':>28}")
    per_cell = work / n_cells
    for n in args.project:
        sub = work / n + overhead
        full = (per_cell * FULL_CELLS / n + overhead) / 60
        print(f"{n:>8} {sub:>16.1f} {full:>28.1f}")


if __name__ == "__main__":
    main()
