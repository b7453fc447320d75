"""Benchmark (issue 29): ``partition_plane`` on a small digits conv net, regions per second, with a profile.

Run: ``.venv/bin/python benchmarks/bench_partition_plane.py [--repeats 3] [--device cpu|cuda] [--profile] [--radius R]``

The network: ``Conv2d(1, 8, 3) - ReLU - Conv2d(8, 8, 3) - ReLU - Flatten - Linear(128, 10)`` (PyTorch's default
initialisation, seed 0) on the bundled 8x8 digits; the plane through the first three images, the default
bounds.  Prints the regions, the median time of ``--repeats`` runs and regions/s (goal of issue 29: at least
50,000 regions/s), and with ``--profile`` the functions that take the time.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats

import torch
from _util import machine, median_time
from torch import nn

import workbench as wb


def build():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Conv2d(8, 8, 3), nn.ReLU(), nn.Flatten(),
                        nn.Linear(8 * 4 * 4, 10)).eval()
    X = wb.data.digits().X[:3].reshape(3, 1, 8, 8)
    return net, X


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--radius", type=float, default=None,
                    help="bounds (-r, r, -r, r) in the plane's coordinates instead of partition_plane's default")
    args = ap.parse_args()
    net, X = build()
    net = net.to(args.device)
    r = args.radius
    bounds = None if r is None else (-r, r, -r, r)
    run = lambda: wb.partition_plane(net, X[0], X[1], X[2], device=args.device, progress=False,  # noqa: E731
                                     bounds=bounds, max_regions=5_000_000)
    part = run()
    t, _ = median_time(run, repeats=args.repeats, warmup=0, device=args.device)
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {machine()}; load {load}\n")
    print("| network | regions | median time (s) | regions/s |\n|---|---:|---:|---:|")
    where = "default bounds" if r is None else f"bounds ±{r:g}"
    print(f"| digits conv 1-8-8 (3x3) + Linear(128, 10), plane through 3 images, {where} | {len(part):,} | {t:.2f} | "
          f"{len(part) / t:,.0f} |")
    if args.profile:
        pr = cProfile.Profile()
        pr.enable()
        run()
        pr.disable()
        s = io.StringIO()
        pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(10)
        print("\n```\n" + "\n".join(s.getvalue().strip().splitlines()[-14:]) + "\n```")


if __name__ == "__main__":
    main()
