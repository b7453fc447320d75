"""Benchmark (issue 29): the closed-form spanning-dimension routes against the torch.func routes, in one run.

Run: ``.venv/bin/python benchmarks/bench_fig4_sweep.py [--every 10] [--repeats 3] [--threads 2] [--full]``

1. **Fig. 1 network** (1-8-8-10-1 ReLU, 189 points, float64): one ``torch.autograd.grad``
   per point (the paper's method) against ``parameter_jacobian`` with the closed form (now)
   and with ``torch.func`` (before: ``closed_form_enabled(False)``); and ``spanning_dimension``
   end to end against the loop followed by ``svdvals``.  Medians of ``--fig1-repeats``.
2. **Fig. 4 subset**: every ``--every``-th network of the 4,800 ``[1, i, j, 1]``
   (``i, j in 1..40``; relu, sigmoid, tanh; ``esd_grid``'s order), 10 samples,
   ``n_points = n_params``, float64, ``method="lowrank"``: the old route (torch.func
   Jacobians + randomized range finder) and the new one (closed-form routes), interleaved
   network by network, median of ``--repeats`` per network; the largest difference of the
   spanning dimensions (requirement: 1e-9).  The sum over the subset times ``--every`` is
   an estimate of the whole sweep, labelled as such.
3. ``--full``: the whole grid once with the new route (``esd_grid``'s defaults), measured.

The load average (``os.getloadavg``) is printed beside each figure: the machine is shared.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import time

import numpy as np
import torch
from _util import median_run

import workbench as wb
from workbench.measures.spanning import structured
from workbench.measures.spanning.dimension import parameter_jacobian, per_point_gradient_loop, spanning_dimension
from workbench.measures.spanning.rank import effective_rank
from workbench.papers.esd.sampling import draw_inputs, esd


def load() -> str:
    return "load " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def old(fn):
    def run():
        with structured.closed_form_enabled(False):
            return fn()
    return run


def bench_fig1(repeats, device="cpu"):
    net = wb.mlp([1, 8, 8, 10, 1], "relu", seed=0).double().to(device)
    X = draw_inputs(189, 1, seed=1, dtype=torch.float64).to(device)
    loop = lambda: per_point_gradient_loop(net, X)  # noqa: E731
    new = lambda: parameter_jacobian(net, X, device=device)  # noqa: E731
    for f in (loop, new, old(new)):
        f()
    t_loop, _, J0 = median_run(loop, max(3, repeats // 4))
    t_new, _, J1 = median_run(new, repeats)
    t_old, _, J2 = median_run(old(new), repeats)
    print(f"\n### Fig. 1 network 1-8-8-10-1 relu, 189 points, float64 (median of {repeats}; {load()})\n")
    print("| what | per-point autograd.grad (ms) | torch.func (ms) | closed form (ms) | speed-up before | now | "
          "max abs diff |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| parameter Jacobian | {t_loop * 1e3:.2f} | {t_old * 1e3:.2f} | {t_new * 1e3:.2f} | "
          f"{t_loop / t_old:.1f}x | {t_loop / t_new:.1f}x | {float((J0 - J1).abs().max()):.1e} |")
    sd_loop = lambda: effective_rank(per_point_gradient_loop(net, X))  # noqa: E731
    sd_new = lambda: spanning_dimension(net, X, device=device)  # noqa: E731
    t_loop, _, v0 = median_run(sd_loop, max(3, repeats // 4))
    t_new, _, v1 = median_run(sd_new, repeats)
    t_old, _, _ = median_run(old(sd_new), repeats)
    print(f"| spanning dimension (+ svdvals, effective rank) | {t_loop * 1e3:.2f} | {t_old * 1e3:.2f} | "
          f"{t_new * 1e3:.2f} | {t_loop / t_old:.1f}x | {t_loop / t_new:.1f}x | {abs(v0 - v1):.1e} |")
    # validation and guards: the whole call against the same arithmetic called directly (weights, closed-form
    # Jacobian, singular values, effective rank), interleaved; goal: guards under 10 % of the call (issue 29)
    def core():
        Ws, bs = structured.mlp_weights([net], dtype=torch.float64, device=X.device)
        J = structured.mlp_jacobian(net, Ws, bs, X.unsqueeze(0), "pick_first")[0]
        return effective_rank(J)
    t_core, t_all = [], []
    for _ in range(repeats):
        t_core.append(median_run(core, 5)[0])
        t_all.append(median_run(sd_new, 5)[0])
    c, a = statistics.median(t_core), statistics.median(t_all)
    print(f"\nGuards: spanning_dimension {a * 1e3:.2f} ms, its arithmetic called directly {c * 1e3:.2f} ms "
          f"(medians of {repeats} x 5, interleaved): validation and guards {100 * (a - c) / a:.0f} % of the call "
          f"(goal < 10 %); values equal: {abs(core() - sd_new()) < 1e-12}")
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(50):
        new()
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(8)
    print("\nProfile of 50 closed-form parameter_jacobian calls (tottime):\n```\n"
          + "\n".join(s.getvalue().strip().splitlines()[-12:]) + "\n```")


def grid():
    return [(a, i, j) for a in ("relu", "sigmoid", "tanh") for i in range(1, 41) for j in range(1, 41)]


def bench_subset(every, repeats, samples, device="cpu"):
    nets = grid()[::every]
    kw = dict(samples=samples, dtype=torch.float64, method="lowrank", progress=False, device=device)
    esd([1, 2, 2, 1], "relu", **kw)
    old(lambda: esd([1, 2, 2, 1], "relu", **kw))()
    t_old, t_new, diff = {}, {}, 0.0
    l0 = load()
    start = time.perf_counter()
    for a, i, j in nets:
        f_new = lambda: esd([1, i, j, 1], a, seed=7 * i + j, **kw)  # noqa: E731
        to, _, ro = median_run(old(f_new), repeats)
        tn, _, rn = median_run(f_new, repeats)
        t_old[a] = t_old.get(a, 0.0) + to
        t_new[a] = t_new.get(a, 0.0) + tn
        diff = max(diff, float(np.abs(ro.values - rn.values).max()))
    wall = time.perf_counter() - start
    print(f"\n### Fig. 4 subset: every {every}th of the 4,800 networks ({len(nets)}), {samples} samples, float64, "
          f"lowrank; median of {repeats} per network ({l0} at the start, {load()} at the end; {wall:.0f} s wall)\n")
    print("| activation | old route: torch.func + range finder (s) | new: closed form (s) | speed-up |")
    print("|---|---:|---:|---:|")
    for a in t_old:
        print(f"| {a} | {t_old[a]:.1f} | {t_new[a]:.1f} | {t_old[a] / t_new[a]:.1f}x |")
    so, sn = sum(t_old.values()), sum(t_new.values())
    print(f"| **all** | {so:.1f} | {sn:.1f} | **{so / sn:.1f}x** |")
    print(f"\nmax |SD new - SD old| = {diff:.1e} (requirement 1e-9); x{every} estimate of the whole sweep: "
          f"old {so * every / 60:.1f} min, new {sn * every / 60:.1f} min")


def profile_subset(every, samples, device="cpu"):
    nets = grid()[::every]
    kw = dict(samples=samples, dtype=torch.float64, method="lowrank", progress=False, device=device)
    pr = cProfile.Profile()
    pr.enable()
    for a, i, j in nets:
        esd([1, i, j, 1], a, seed=7 * i + j, **kw)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(15)
    print(f"\nProfile of the new route on every {every}th network ({load()}):\n```\n"
          + "\n".join(s.getvalue().strip().splitlines()[-19:]) + "\n```")


def full_sweep(samples, device="cpu"):
    l0 = load()
    t = time.perf_counter()
    g = wb.papers.esd.esd_grid(samples=samples, device=device, progress=False)
    secs = time.perf_counter() - t
    print(f"\n**Full Fig. 4 sweep, new route, measured**: {len(g)} networks x {samples} samples, float64, lowrank: "
          f"{secs:.0f} s ({secs / 60:.1f} min; {l0} at the start, {load()} at the end); per activation (s): "
          + ", ".join(f"{a} {x:.0f}" for a, x in g.groupby("activation").seconds.sum().items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--fig1-repeats", type=int, default=41)
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--skip-fig1", action="store_true")
    ap.add_argument("--skip-subset", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile of the new route on the subset")
    ap.add_argument("--full", action="store_true", help="also run the whole grid once with the new route")
    ap.add_argument("--device", default="cpu", help="cpu or cuda (benchmarks/run_gpu.py passes cuda)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, device {args.device}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"{load()}")
    if not args.skip_fig1:
        bench_fig1(args.fig1_repeats, args.device)
    if not args.skip_subset:
        bench_subset(args.every, args.repeats, args.samples, args.device)
    if args.profile:
        profile_subset(args.every, args.samples, args.device)
    if args.full:
        full_sweep(args.samples, args.device)


if __name__ == "__main__":
    main()
