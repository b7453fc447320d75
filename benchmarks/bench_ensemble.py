"""Batched ensemble (torch.func vmap over stacked inits) vs a Python loop over networks.

    python benchmarks/bench_ensemble.py [--device cpu] [--repeats 5]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine, median_time  # noqa: E402

import workbench as wb  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default=None)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    dev = wb.resolve_device(args.device)
    print(f"machine: {machine()}, device {dev}\n")
    print("| members | widths | points | loop (s) | batched (s) | speed-up |")
    print("|---:|---|---:|---:|---:|---:|")
    for n, widths, pts in [(100, [1, 16, 16, 16, 1], 1001), (100, [2, 64, 64, 1], 1000), (1000, [1, 8, 8, 1], 200)]:
        nets = [wb.mlp(widths, seed=i).to(dev) for i in range(n)]
        ens = wb.Ensemble(nets, device=dev)
        x = torch.randn(pts, widths[0], device=dev)

        def loop():
            with torch.no_grad():
                return torch.stack([m(x) for m in nets])

        def batched():
            with torch.no_grad():
                return ens(x)

        assert torch.allclose(loop(), batched(), atol=1e-5)
        tl, _ = median_time(loop, repeats=args.repeats, device=dev)
        tb, _ = median_time(batched, repeats=args.repeats, device=dev)
        print(f"| {n} | {'-'.join(map(str, widths))} | {pts} | {tl:.4f} | {tb:.4f} | {tl / tb:.1f}x |")


if __name__ == "__main__":
    main()
