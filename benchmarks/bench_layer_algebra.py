"""Layer algebra of every classifier in ``workbench.zoo()`` (Badias & Banerjee, Figs. 10-11): time, no weights.

    python benchmarks/bench_layer_algebra.py [--threads 2] [--repeats 3] [--models resnet18,vgg11]

For each model: build it on the meta device (:func:`workbench.zoo_meta_model`),
trace it with torch.fx, propagate shapes on meta and apply the rule table
(:func:`workbench.layer_algebra`), at the evaluation crop of its default
weights.  Reports the wall time and the process CPU time (``time.process_time``, which a
machine shared with other jobs inflates much less than wall time) of each pass, per-model median times (build, measure) over ``--repeats``
passes over the whole zoo, the total, the slowest model, and checks that no
parameter or buffer left the meta device and that the process's peak resident
memory stays far below the weights the zoo would need (4 bytes per parameter).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--models", default="")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    import workbench as wb

    z = wb.zoo()
    names = [m for m in args.models.split(",") if m] or list(z["name"])
    build: dict[str, list[float]] = {n: [] for n in names}
    measure: dict[str, list[float]] = {n: [] for n in names}
    totals, cpu_totals = [], []
    all_meta = True
    for rep in range(args.repeats):
        t_all, c_all = time.perf_counter(), time.process_time()
        for n in names:
            t0 = time.perf_counter()
            m = wb.zoo_meta_model(n)
            t1 = time.perf_counter()
            wb.layer_algebra(m, wb.nets.zoo_input_shape(n))
            t2 = time.perf_counter()
            build[n].append(t1 - t0)
            measure[n].append(t2 - t1)
            all_meta &= all(t.is_meta for t in list(m.parameters()) + list(m.buffers()))
        totals.append(time.perf_counter() - t_all)
        cpu_totals.append(time.process_time() - c_all)
        print(f"pass {rep + 1}/{args.repeats}: {len(names)} models in {totals[-1]:.1f} s wall, "
              f"{cpu_totals[-1]:.1f} s CPU (all threads of this process)", flush=True)
    med = {n: statistics.median(b) + statistics.median(c) for n, b, c in
           ((n, build[n], measure[n]) for n in names)}
    slow = sorted(med, key=med.get, reverse=True)[:5]
    params = int(z[z["name"].isin(names)]["params"].sum())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmachine: {machine()}")
    print(f"models: {len(names)}; total per pass: median {statistics.median(totals):.1f} s "
          f"(passes: {', '.join(f'{t:.1f}' for t in totals)}); CPU time per pass: median "
          f"{statistics.median(cpu_totals):.1f} s; load average at the end: {os.getloadavg()}")
    print(f"sum of per-model medians: build {sum(statistics.median(v) for v in build.values()):.1f} s, "
          f"measure {sum(statistics.median(v) for v in measure.values()):.1f} s")
    for n in slow:
        print(f"  slow: {n:22s} build {statistics.median(build[n]):.2f} s, measure {statistics.median(measure[n]):.2f} s")
    print(f"all parameters and buffers on meta: {all_meta}")
    print(f"peak RSS {peak_mb:.0f} MB; the weights of these models would take {4 * params / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
