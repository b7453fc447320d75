"""Benchmark: exact slope and the power-iteration penalty (issue 12; Johansson 2022, Papers II and IV).

1. ``workbench.slope`` (batched ``torch.func.vmap(jacrev)`` in chunks, float64) for 10,000
   points of a 784-200-200-10 ReLU network, against one
   ``torch.autograd.functional.jacobian`` call per point followed by its largest singular
   value (same float64 network).  The per-point baseline is timed on a subset
   (``--baseline-points``) and extrapolated linearly to 10,000 points (it is a loop of
   identical independent calls); the two agree on the subset to the printed max difference
   (requirement 1e-6).  Also ``workbench.local_affine`` (the core's layer-by-layer product, timed
   on the subset and extrapolated as well) and
   the power iteration (5 iterations) for the same points, for reference.
2. Training-time overhead of ``workbench.SlopePenalty`` with 1, 2 and 5 iterations per step
   against unregularised training: ``workbench.fit`` of the same 784-200-200-10 network on
   random 784-pixel inputs, batch 32, a fixed number of steps.

Run::

    .venv/bin/python benchmarks/bench_slope.py                 # defaults below
    .venv/bin/python benchmarks/bench_slope.py --quick         # small sizes
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine, median_time  # noqa: E402

import workbench as wb  # noqa: E402


def per_point_baseline(net, X):
    out = []
    for x in X:
        J = torch.autograd.functional.jacobian(net, x)
        out.append(torch.linalg.matrix_norm(J, ord=2))
    return torch.stack(out)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=10_000)
    ap.add_argument("--baseline-points", type=int, default=500)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train-steps", type=int, default=200)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", type=str, default=None)
    ap.add_argument("--training-only", action="store_true", help="only the penalty's training-time overhead")
    a = ap.parse_args(argv)
    if a.quick:
        a.points, a.baseline_points, a.repeats, a.train_steps = 1000, 100, 1, 30
    torch.set_num_threads(a.threads)
    print(machine())
    res = {"machine": machine(), "points": a.points, "baseline_points": a.baseline_points}

    if not a.training_only:
        exact_slope(a, res)
    training_overhead(a, res)
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2))
    return res


def exact_slope(a, res) -> None:
    net = wb.mlp([784, 200, 200, 10], seed=0).double().eval()
    X = torch.rand(a.points, 784, generator=torch.Generator().manual_seed(0), dtype=torch.float64)

    t_ours, ts = median_time(lambda: wb.slope(net, X), repeats=a.repeats)
    ours = wb.slope(net, X)
    sub = X[: a.baseline_points]
    t_base_sub, tb = median_time(lambda: per_point_baseline(net, sub), repeats=a.repeats)
    base = per_point_baseline(net, sub)
    diff = float((ours[: a.baseline_points] - base).abs().max())
    t_base = t_base_sub * a.points / a.baseline_points
    # the core's layer-by-layer product pushes the 784x784 identity through the first layer: slow
    # for 784 inputs, so it is timed on the subset too and extrapolated
    t_aff_sub, _ = median_time(lambda: torch.linalg.svdvals(wb.local_affine(net, sub)[0])[:, 0], repeats=a.repeats)
    t_aff = t_aff_sub * a.points / a.baseline_points
    aff_diff = float((torch.linalg.svdvals(wb.local_affine(net, sub)[0])[:, 0] - ours[: a.baseline_points]).abs().max())
    t_pi, _ = median_time(lambda: wb.slope_power_iteration(net, X, iters=5, seed=0, differentiable=False),
                          repeats=a.repeats)
    pi_rel = float(((ours - wb.slope_power_iteration(net, X, iters=5, seed=0, differentiable=False)) / ours).median())
    res["exact"] = dict(slope_s=t_ours, slope_runs=ts, baseline_subset_s=t_base_sub, baseline_runs=tb,
                        baseline_extrapolated_s=t_base, speedup=t_base / t_ours, max_abs_diff=diff,
                        local_affine_svd_s=t_aff, local_affine_max_diff=aff_diff, power_iteration_5_s=t_pi,
                        power_iteration_5_median_rel_error=pi_rel)
    print(f"exact slope, {a.points} points: workbench.slope {t_ours:.2f} s; per-point jacobian "
          f"{t_base_sub:.2f} s on {a.baseline_points} points -> {t_base:.1f} s extrapolated; "
          f"speed-up {t_base / t_ours:.1f}x; max |diff| {diff:.1e}")
    print(f"  local_affine + svdvals {t_aff:.1f} s extrapolated from the subset (max |diff| {aff_diff:.1e}); power iteration x5 {t_pi:.2f} s "
          f"(median rel. error {pi_rel:.1e})")


def training_overhead(a, res) -> None:
    """Penalty overhead; the four variants interleaved in every repeat, so a change of load hits all alike."""
    g = torch.Generator().manual_seed(1)
    n = 32 * a.train_steps
    Xt = torch.rand(n, 784, generator=g)
    yt = torch.randint(0, 10, (n,), generator=g)
    cfg = wb.FitConfig(epochs=1, batch_size=32, lr=0.01, momentum=0.8)

    def run(it):
        m = wb.mlp([784, 200, 200, 10], seed=0)
        pen = wb.SlopePenalty(0.01, iters=it, seed=0) if it else None
        wb.fit(m, (Xt, yt), cfg, penalty=pen, seed=0, device="cpu")

    variants = (0, 1, 2, 5)
    for it in variants:  # warm-up
        run(it)
    times = {it: [] for it in variants}
    for _ in range(a.repeats):
        for it in variants:
            t0 = time.perf_counter()
            run(it)
            times[it].append(time.perf_counter() - t0)
    rows = {it: dict(seconds=statistics.median(ts), runs=ts) for it, ts in times.items()}
    for it in (1, 2, 5):
        rows[it]["overhead"] = rows[it]["seconds"] / rows[0]["seconds"]
    res["training"] = dict(steps=a.train_steps, batch=32, rows=rows)
    for it, r in rows.items():
        lab = "unregularised" if it == 0 else f"SlopePenalty iters={it}"
        extra = "" if it == 0 else f"  ({r['overhead']:.2f}x)"
        print(f"training {a.train_steps} steps, {lab}: {r['seconds']:.2f} s{extra}  runs {r['runs']}")


if __name__ == "__main__":
    main()
