"""Benchmark: the batched spanning-dimension engine against the paper's per-point autograd loop.

Run: ``.venv/bin/python benchmarks/bench_spanning.py [--repeats 3] [--samples 20] [--sweep-networks 24]``

1. **Jacobian** of one network at ``n_points = n_params`` points: ``parameter_jacobian``
   (``torch.func`` ``vmap(grad)``, one call) against one ``torch.autograd.grad``
   call per point (the paper's method, §6), same network and points, float64;
   max abs difference reported (must be <= 1e-6).
2. **ESD end to end** for ``--samples`` random (weights, inputs) draws:
   ``workbench.esd`` (stacked ensemble, nested vmap, one batched SVD) against the
   paper's loop (per draw: build the net, one ``autograd.grad`` per point, SVD,
   effective rank); same draws (same seeds), max difference of the SDs.
3. **Fig. 4 sweep routes** (4,800 networks ``[1, i, j, 1]``, ``i, j in 1..40``, three
   activations): on ``--sweep-networks`` networks spread over the sizes, with
   ``--sweep-samples`` samples each, time float32 ``svdvals`` (the baseline,
   ``esd``'s default), float64 ``svdvals`` (the accuracy reference), the float32
   Gram route and the certified float64 ``lowrank`` route that ``esd_grid`` uses;
   the SDs' max difference from the float64 SVD; and ``t(P) = a + b P^2 + c P^3``
   fitted per route and summed over the grid (an extrapolation, so labelled).
4. ``--full-sweep``: the whole grid once with ``esd_grid``'s defaults (measured).

Prints markdown tables.  Timings are medians over ``--repeats`` runs.
"""
from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import torch
from _util import median_run

import workbench as wb
from workbench.measures.spanning.dimension import parameter_jacobian, per_point_gradient_loop
from workbench.measures.spanning.rank import effective_rank
from workbench.papers.esd.sampling import INPUT_SEED_OFFSET, draw_inputs, esd


def n_params(widths):
    return sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))


def paper_esd(widths, activation, samples, seed, dtype, method):
    """The paper's route: per draw, one autograd.grad per point, then SVD + effective rank."""
    vals = []
    for i in range(samples):
        net = wb.mlp(widths, activation, seed=seed + i).to(dtype)
        X = draw_inputs(n_params(widths), widths[0], seed=seed + i + INPUT_SEED_OFFSET, dtype=dtype)
        J = per_point_gradient_loop(net, X, "pick_first")
        vals.append(effective_rank(J))
    return np.array(vals)


def bench_jacobian(nets, repeats):
    print("\n### Jacobian of one network at n_points = n_params points (float64)\n")
    print("| network | params | per-point autograd.grad (s) | batched torch.func (s) | speed-up | max abs diff |")
    print("|---|---:|---:|---:|---:|---:|")
    for widths, act in nets:
        net = wb.mlp(widths, act, seed=0).double()
        P = n_params(widths)
        X = draw_inputs(P, widths[0], seed=1, dtype=torch.float64)
        parameter_jacobian(net, X, device="cpu")  # warm-up
        t_loop, _, J0 = median_run(lambda: per_point_gradient_loop(net, X), repeats)
        t_vec, _, J1 = median_run(lambda: parameter_jacobian(net, X, device="cpu"), repeats)
        diff = float((J0 - J1).abs().max())
        print(f"| {'-'.join(map(str, widths))} {act} | {P} | {t_loop:.4f} | {t_vec:.4f} | {t_loop / t_vec:.1f}x | {diff:.1e} |")


def bench_esd(nets, samples, repeats):
    print(f"\n### ESD end to end, {samples} samples per network (float64, n_points = n_params)\n")
    print("| network | params | paper loop (s) | workbench.esd svd (s) | speed-up | workbench.esd gram (s) | speed-up | max SD diff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for widths, act in nets:
        esd(widths, act, samples=2, device="cpu", dtype=torch.float64)  # warm-up
        t_loop, _, v0 = median_run(lambda: paper_esd(widths, act, samples, 0, torch.float64, "svd"), repeats)
        t_svd, _, r1 = median_run(lambda: esd(widths, act, samples=samples, device="cpu", dtype=torch.float64), repeats)
        t_gram, _, r2 = median_run(lambda: esd(widths, act, samples=samples, device="cpu", dtype=torch.float64,
                                             method="gram"), repeats)
        diff = float(np.abs(v0 - r1.values).max())
        print(f"| {'-'.join(map(str, widths))} {act} | {n_params(widths)} | {t_loop:.3f} | {t_svd:.3f} | "
              f"{t_loop / t_svd:.1f}x | {t_gram:.3f} | {t_loop / t_gram:.1f}x | {diff:.1e} |")


SWEEP_ROUTES = (  # (label, method, dtype); the first is the baseline, the second the accuracy reference
    ("svd float32 (old default)", "svd", torch.float32),
    ("svd float64", "svd", torch.float64),
    ("gram float32 (old notebook)", "gram", torch.float32),
    ("lowrank float64 (esd_grid now)", "lowrank", torch.float64),
)


def sweep_subset(n_networks, seed=0):
    """``n_networks`` Fig. 4 networks spread evenly over the parameter counts (with a little jitter)."""
    rng = np.random.default_rng(seed)
    all_nets = [(a, i, j) for a in ("relu", "sigmoid", "tanh") for i in range(1, 41) for j in range(1, 41)]
    order = sorted(all_nets, key=lambda t: n_params([1, t[1], t[2], 1]))
    idx = np.unique(np.clip(np.linspace(0, len(order) - 1, n_networks).astype(int)
                            + rng.integers(-20, 21, n_networks), 0, len(order) - 1))
    return [order[k] for k in idx], all_nets


def bench_sweep(n_networks, samples, repeats):
    """Time every route on the same stratified subset (routes interleaved per network, median of
    ``repeats``), compare the SDs with the float64 SVD, and extrapolate each route to the grid."""
    chosen, all_nets = sweep_subset(n_networks)
    esd([1, 2, 2, 1], "relu", samples=2, device="cpu")  # warm-up
    times = {lab: [] for lab, _, _ in SWEEP_ROUTES}
    diffs = {lab: 0.0 for lab, _, _ in SWEEP_ROUTES}
    Ps = []
    for a, i, j in chosen:
        vals = {}
        for lab, method, dtype in SWEEP_ROUTES:
            t, _, r = median_run(lambda: esd([1, i, j, 1], a, samples=samples, device="cpu", dtype=dtype,
                                           method=method), repeats)
            times[lab].append(t)
            vals[lab] = r.values
        ref = vals[SWEEP_ROUTES[1][0]]
        for lab in vals:
            diffs[lab] = max(diffs[lab], float(np.abs(vals[lab] - ref).max()))
        Ps.append(n_params([1, i, j, 1]))
    Ps = np.array(Ps, float)
    allP = np.array([n_params([1, i, j, 1]) for _, i, j in all_nets], float)
    out = {}
    for lab in times:
        ts = np.array(times[lab])
        A = np.stack([np.ones_like(Ps), Ps**2, Ps**3], 1)
        coef, *_ = np.linalg.lstsq(A, ts, rcond=None)
        pred = np.maximum(np.stack([np.ones_like(allP), allP**2, allP**3], 1) @ coef, ts.min())
        out[lab] = dict(subset_s=float(ts.sum()), largest=float(ts[Ps.argmax()]), total_s=float(pred.sum()),
                        diff=diffs[lab])
    return len(chosen), int(Ps.max()), out


def full_sweep(samples):
    """The whole Fig. 4 grid (4,800 networks) once, with esd_grid's defaults (lowrank, float64)."""
    t = time.perf_counter()
    grid = wb.papers.esd.esd_grid(samples=samples, device="cpu", progress=True)
    return time.perf_counter() - t, grid


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--samples", type=int, default=20, help="samples per network for the end-to-end ESD")
    ap.add_argument("--sweep-networks", type=int, default=24, help="Fig. 4 networks actually timed")
    ap.add_argument("--sweep-samples", type=int, default=10, help="samples per Fig. 4 network")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--skip-sweep", action="store_true")
    ap.add_argument("--full-sweep", action="store_true", help="also run the whole 4,800-network grid once")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"machine: {platform.processor() or platform.machine()}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, device cpu; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    fig1 = ([1, 8, 8, 10, 1], "relu")
    fig4 = [([1, 10, 10, 1], "relu"), ([1, 20, 20, 1], "sigmoid"), ([1, 40, 40, 1], "tanh")]
    bench_jacobian([fig1, ([1, 8, 8, 10, 1], "sigmoid")] + fig4, args.repeats)
    bench_esd([fig1, ([1, 8, 8, 10, 1], "sigmoid"), ([1, 10, 10, 1], "relu"), ([1, 20, 20, 1], "sigmoid")],
              args.samples, args.repeats)
    if not args.skip_sweep:
        n, Pmax, res = bench_sweep(args.sweep_networks, args.sweep_samples, args.repeats)
        base = res[SWEEP_ROUTES[0][0]]
        print(f"\n### Fig. 4 sweep routes on {n} networks spread over P = 5..{Pmax} "
              f"({args.sweep_samples} samples each, n_points = n_params; median of {args.repeats})\n")
        print("| route | subset time (s) | speed-up vs baseline | largest net (s) | extrapolated grid | "
              "max SD diff vs svd float64 |")
        print("|---|---:|---:|---:|---:|---:|")
        for lab, r in res.items():
            print(f"| {lab} | {r['subset_s']:.1f} | {base['subset_s'] / r['subset_s']:.1f}x | {r['largest']:.2f} | "
                  f"{r['total_s'] / 60:.1f} min | {r['diff']:.1e} |")
    if args.full_sweep:
        secs, grid = full_sweep(args.sweep_samples)
        print(f"\n**Full Fig. 4 sweep, measured**: {len(grid)} networks x {args.sweep_samples} samples, "
              f"lowrank float64: {secs:.0f} s ({secs / 60:.1f} min); per activation (s): "
              + ", ".join(f"{a} {t:.0f}" for a, t in grid.groupby("activation").seconds.sum().items()))

if __name__ == "__main__":
    main()
