"""Benchmark: exact 2-D partitions (issue 4).

1. ``workbench.partition_2d`` (batched clipping of all regions per neuron) against a
   straightforward region-by-region splitting: every region is a shapely Polygon
   with its local affine map (numpy); for each neuron every region is intersected
   with the neuron's two half-planes.  Same region count on every network; the
   timing ratio for a 2-64-64-64-1 ReLU network.
2. Regions per second and peak memory (a fresh subprocess per size, peak RSS) as
   the count grows past 100,000 regions.

Run::

    .venv/bin/python benchmarks/bench_regions.py            # everything
    .venv/bin/python benchmarks/bench_regions.py --quick    # small sizes only
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time

import numpy as np
import torch
from _util import median_run


def baseline_partition(net, bounds=(-1.0, 1.0, -1.0, 1.0), min_area=1e-12):
    """Region-by-region splitting with shapely (the straightforward method)."""
    from shapely.geometry import Polygon, box

    def halfplane(a, b, c, big=1e3):
        n = math.hypot(a, b)
        a, b, c = a / n, b / n, c / n
        p0 = np.array([-a * c, -b * c])
        d, nrm = np.array([-b, a]), np.array([a, b])
        return Polygon([p0 + big * d, p0 - big * d, p0 - big * d + 2 * big * nrm, p0 + big * d + 2 * big * nrm])

    layers = [(l.weight.detach().double().numpy(), l.bias.detach().double().numpy()) for l in net.layers]
    u0, u1, v0, v1 = bounds
    # region: (polygon, A (d x 2), c (d,))
    regions = [(box(u0, v0, u1, v1), np.eye(2), np.zeros(2))]
    for W, b in layers[:-1]:
        new = []
        for poly, A, c in regions:
            G, z0 = W @ A, W @ c + b
            pieces = [(poly, ())]
            for i in range(W.shape[0]):
                nxt = []
                for q, pat in pieces:
                    if G[i, 0] == 0 and G[i, 1] == 0:
                        nxt.append((q, pat + (z0[i] > 0,)))
                        continue
                    for sign in (1.0, -1.0):
                        r = q.intersection(halfplane(sign * G[i, 0], sign * G[i, 1], sign * z0[i]))
                        if r.area > min_area:
                            nxt.append((r, pat + (sign > 0,)))
                pieces = nxt
            for q, pat in pieces:
                D = np.asarray(pat, dtype=float)
                new.append((q, D[:, None] * G, D * z0))
        regions = new
    return regions


def _one(spec: str) -> None:
    """Child process: one partition, print JSON with time and peak memory."""
    import workbench as wb

    cfg = json.loads(spec)
    torch.set_num_threads(cfg.get("threads", 2))
    net = wb.mlp(cfg["widths"], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=0)
    dev = cfg.get("device", "cpu")
    wb.partition_2d(wb.mlp([2, 8, 1], seed=0), device=dev)  # warm-up
    if dev.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    t = time.perf_counter()
    P = wb.partition_2d(net, bounds=cfg["bounds"], device=dev, max_regions=5_000_000)
    if dev.startswith("cuda"):
        torch.cuda.synchronize()
    dt = time.perf_counter() - t
    res = {"regions": len(P), "seconds": dt,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if dev.startswith("cuda"):
        res["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
    print(json.dumps(res))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes only (no 2-64-64-64-1 baseline)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--skip-compare", action="store_true")
    ap.add_argument("--segments-only", action="store_true",
                    help="only the exact segment counts of a 784-input network (workbench.count_regions_on_segment)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        _one(args.one)
        return
    import workbench as wb

    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, device {args.device}\n")
    if args.segments_only:
        segments(args)
        return
    if not args.skip_compare:
        print("| network | init | regions (engine) | regions (shapely) | engine s (median) | shapely s | ratio |")
        print("|---|---|---|---|---|---|---|")
        nets = [([2, 8, 8, 1], 0), ([2, 16, 16, 16, 1], 1), ([2, 32, 32, 2], 2), ([2, 10, 10, 10, 10, 1], 3)]
        if not args.quick:
            nets.append(([2, 64, 64, 64, 1], 0))
        for ws, seed in nets:
            net = wb.mlp(ws, "relu", seed=seed)  # PyTorch's default init
            te, _, P = median_run(lambda: wb.partition_2d(net, device=args.device), args.repeats)
            reps = 1 if ws[1] >= 64 else args.repeats
            tb, _, R = median_run(lambda: baseline_partition(net), reps)
            same = "" if len(P) == len(R) else " **MISMATCH**"
            print(f"| {'-'.join(map(str, ws))} | default | {len(P)} | {len(R)}{same} | {te:.3f} | {tb:.2f} "
                  f"({reps} run{'s' if reps > 1 else ''}) | {tb / te:.0f}x |", flush=True)
    print("\n| network (gaussian σ_w²=2, σ_b²=0.1) | bounds | regions | seconds | regions/s | peak RSS MB |"
          + (" peak GPU MB |" if args.device.startswith("cuda") else ""))
    print("|---|---|---|---|---|---|" + ("---|" if args.device.startswith("cuda") else ""))
    sizes = [([2, 32, 32, 32, 1], 1.0), ([2, 64, 64, 64, 1], 1.0), ([2, 64, 64, 64, 1], 2.0),
             ([2, 96, 96, 96, 96, 1], 2.0)]
    if not args.quick:
        sizes += [([2, 128, 128, 128, 128, 1], 2.0), ([2, 128, 128, 128, 128, 1], 3.0)]
    for ws, r in sizes:
        cfg = {"widths": ws, "bounds": [-r, r, -r, r], "threads": args.threads, "device": args.device}
        out = subprocess.run([sys.executable, __file__, "--one", json.dumps(cfg)], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"| {'-'.join(map(str, ws))} | ±{r:g} | failed: {out.stderr.strip().splitlines()[-1]} |")
            continue
        res = json.loads(out.stdout.strip().splitlines()[-1])
        gpu = f" {res['peak_gpu_mb']:.0f} |" if "peak_gpu_mb" in res else ""
        print(f"| {'-'.join(map(str, ws))} | ±{r:g} | {res['regions']:,} | {res['seconds']:.2f} | "
              f"{res['regions'] / res['seconds']:,.0f} | {res['peak_rss_mb']:.0f} |{gpu}", flush=True)


def segments(args) -> None:
    """Exact region counts along segments between random 784-D points (MNIST-sized MLPs)."""
    import workbench as wb

    print("| network | segments | regions per segment (mean) | seconds (median of runs) | segments/s |")
    print("|---|---|---|---|---|")
    g = torch.Generator().manual_seed(0)
    for ws in ([784, 200, 200, 10], [784, 512, 512, 512, 10]):
        net = wb.mlp(ws, "relu", seed=0)
        pts = torch.rand(11, 784, generator=g)
        def run():
            return [wb.count_regions_on_segment(net, pts[i], pts[i + 1], device=args.device) for i in range(10)]
        t, _, counts = median_run(run, args.repeats)
        print(f"| {'-'.join(map(str, ws))} | 10 | {np.mean(counts):.0f} | {t:.2f} | {10 / t:.1f} |", flush=True)


if __name__ == "__main__":
    main()
