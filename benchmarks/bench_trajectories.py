"""Benchmarks for the trajectories measures (Raghu et al. 2017; issue 5).

Three tables (markdown on stdout):

1. ``images``: points per second pushed through a depth-20, width-100 network
   with every layer image kept (``workbench.layer_images``), 10^4..10^6 points,
   with peak resident memory (each size in a fresh subprocess), against the
   baseline a user would write: forward hooks on the activation modules of an
   ``nn.Sequential`` collecting the outputs.  The streaming
   ``workbench.layer_lengths`` (lengths only, no images) is shown too.
2. ``exact``: exact transition count on a circle (``method="refine"`` and the
   region-to-region ``method="walk"``) against dense sampling: the smallest
   number of samples (doubling from 100) at which sampling finds every
   transition, its time, and the ratio.
3. ``segments``: exact region counts of segments through a 784-input ReLU
   network (``count_regions_on_segment`` one by one, and ``segment_transitions``
   batched), segments per second, against dense sampling with 10^4 points per
   segment (which undercounts).

Usage::

    python benchmarks/bench_trajectories.py [--runs 3] [--only images,exact,segments] [--max-points 1000000]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import torch
from _util import median_run

import workbench as wb


# ------------------------------------------------------------------ 1. layer images
def _images_worker(n: int, mode: str, runs: int) -> dict:
    torch.manual_seed(0)
    net = wb.mlp([100] + [100] * 20 + [1], "relu", init="he", seed=0)
    g = torch.Generator().manual_seed(0)
    x0, x1 = torch.randn(100, generator=g), torch.randn(100, generator=g)
    X = wb.circle(x0, x1, n)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if mode == "layer_images":
        fn = lambda: wb.layer_images(net, X, chunk_size=65536, device="cpu")  # noqa: E731
    elif mode == "layer_images_fp16":
        fn = lambda: wb.layer_images(net, X, chunk_size=65536, device="cpu", dtype=torch.float16)  # noqa: E731
    elif mode == "layer_lengths":
        fn = lambda: wb.layer_lengths(net, X, chunk_size=65536, device="cpu")  # noqa: E731
    else:  # baseline: forward hooks on an nn.Sequential
        seq = torch.nn.Sequential(*[m for lin in net.layers[:-1] for m in (lin, torch.nn.ReLU())], net.layers[-1])
        keep = []
        for m in seq:
            if isinstance(m, torch.nn.ReLU):
                m.register_forward_hook(lambda mod, inp, out: keep.append(out))

        def fn():
            keep.clear()
            with torch.no_grad():
                out = seq(X)
            return [X, *keep, out]
    with torch.no_grad():
        t, _, out = median_run(fn, runs)
    del out
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"n": n, "mode": mode, "seconds": t, "points_per_s": n / t, "peak_rss_gib": peak / 2**20,
            "extra_rss_gib": (peak - base_rss) / 2**20}


def bench_images(runs: int, max_points: int) -> str:
    rows = []
    sizes = [n for n in (10_000, 100_000, 1_000_000) if n <= max_points]
    for n in sizes:
        # 10^6 points x 21 layers x 100 floats = 8.4 GB in float32: on this shared 24 GB machine the
        # kept images are stored in float16 there (computed in float32), and the hooks baseline is skipped
        modes = ("hooks (baseline)", "layer_images", "layer_lengths") if n < 10**6 else \
            ("layer_images_fp16", "layer_lengths")
        for mode in modes:
            m = "hooks" if mode.startswith("hooks") else mode
            r = subprocess.run([sys.executable, __file__, "--images-worker", f"{n},{m},{runs if n < 10**6 else 1}"],
                               capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "2"})
            if r.returncode != 0:
                rows.append({"n": n, "mode": mode, "error": r.stderr.strip().splitlines()[-1][:80]})
                continue
            d = json.loads(r.stdout.strip().splitlines()[-1])
            d["mode"] = mode
            rows.append(d)
    out = ["| points | method | median s | points/s | peak RSS (GiB) | ratio vs hooks |", "|---:|---|---:|---:|---:|---:|"]
    for n in sizes:
        base = next((r for r in rows if r["n"] == n and r["mode"].startswith("hooks") and "error" not in r), None)
        for r in (r for r in rows if r["n"] == n):
            if "error" in r:
                out.append(f"| {n:,} | {r['mode']} | failed: {r['error']} | | | |")
                continue
            ratio = base["seconds"] / r["seconds"] if base else float("nan")
            out.append(f"| {n:,} | {r['mode']} | {r['seconds']:.3f} | {r['points_per_s']:,.0f} | "
                       f"{r['peak_rss_gib']:.2f} | {ratio:.2f}x |")
    return "\n".join(out)


# ------------------------------------------------------------------ 2. exact vs sampling
def bench_exact(runs: int, max_samples: int = 2**21) -> str:
    cases = [("relu", 4, 50, 2.0), ("relu", 6, 100, 2.0), ("hardtanh", 4, 50, 8.0), ("hardtanh", 4, 100, 8.0)]
    out = ["| network | exact transitions | refine s | walk s | shortest piece (rad) | samples needed | "
           "sampling s at that n | sampling / refine | walk / refine |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for act, depth, width, sw2 in cases:
        net = wb.mlp([32] + [width] * depth + [1], act, init="gaussian", sigma_w2=sw2, seed=0)
        g = torch.Generator().manual_seed(1)
        x0, x1 = torch.randn(32, generator=g), torch.randn(32, generator=g)
        t_ref, _, ex = median_run(lambda: wb.circle_transitions(net, x0, x1, device="cpu"), runs)
        t_walk, _, ex2 = median_run(lambda: wb.circle_transitions(net, x0, x1, keep_patterns=False, method="walk",
                                                                 device="cpu"), 1)
        assert torch.equal(ex.per_layer, ex2.per_layer)
        bp = ex.breakpoints[0]
        gaps = torch.diff(torch.cat([bp, bp[:1] + 2 * torch.pi])) if len(bp) else torch.tensor([2 * torch.pi])
        n, found = 100, None
        while n <= max_samples:
            s = wb.sampled_transitions(net, wb.circle(x0, x1, n), device="cpu")
            if int(s.total) == int(ex.total) and int(s.n_patterns) == int(ex.n_patterns):
                found = n
                break
            n *= 2
        name = f"{act} {depth}x{width} σ_w²={sw2:g}"
        if found is None:
            t_s, _, _ = median_run(lambda: wb.sampled_transitions(net, wb.circle(x0, x1, max_samples), device="cpu"), 1)
            out.append(f"| {name} | {int(ex.total)} | {t_ref:.3f} | {t_walk:.2f} | {float(gaps.min()):.1e} | "
                       f"> {max_samples:,} (not found) | {t_s:.2f} at {max_samples:,} | > {t_s / t_ref:.0f}x | "
                       f"{t_walk / t_ref:.0f}x |")
            continue
        t_s, _, _ = median_run(lambda: wb.sampled_transitions(net, wb.circle(x0, x1, found), device="cpu"), runs)
        out.append(f"| {name} | {int(ex.total)} | {t_ref:.3f} | {t_walk:.2f} | {float(gaps.min()):.1e} | {found:,} | "
                   f"{t_s:.3f} | {t_s / t_ref:.1f}x | {t_walk / t_ref:.0f}x |")
    return "\n".join(out)


# ------------------------------------------------------------------ 3. 784-input segments
def bench_segments(runs: int) -> str:
    out = ["| network | segments | method | median s | segments/s | mean regions per segment |",
           "|---|---:|---|---:|---:|---:|"]
    for widths in ([784, 64, 64, 64, 10], [784, 256, 256, 256, 10]):
        net = wb.mlp(widths, "relu", init="he", seed=0)
        g = torch.Generator().manual_seed(2)
        B = 64
        A, Bv = torch.randn(B, 784, generator=g), torch.randn(B, 784, generator=g)
        name = "-".join(map(str, widths))
        k = 8
        t1, _, counts = median_run(lambda: [wb.count_regions_on_segment(net, A[i], Bv[i], device="cpu")
                                            for i in range(k)], runs)
        out.append(f"| {name} | {k} | count_regions_on_segment, one by one | {t1:.3f} | {k / t1:.1f} | "
                   f"{sum(counts) / k:.1f} |")
        tb, _, res = median_run(lambda: wb.segment_transitions(net, A, Bv, keep_patterns=False, device="cpu"), runs)
        out.append(f"| {name} | {B} | segment_transitions, batched | {tb:.3f} | {B / tb:.1f} | "
                   f"{float(res.n_pieces.float().mean()):.1f} |")
        assert res.n_pieces[:k].tolist() == counts

        def sampled():
            vals = []
            for i in range(k):
                s = wb.sampled_transitions(net, wb.segment(A[i], Bv[i], 10_000), closed=False, device="cpu")
                vals.append(int(s.n_patterns))
            return vals
        ts, _, vals = median_run(sampled, runs)
        out.append(f"| {name} | {k} | dense sampling, 10^4 points each (baseline) | {ts:.3f} | {k / ts:.1f} | "
                   f"{sum(vals) / k:.1f} (undercounts) |")
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--only", default="images,exact,segments")
    p.add_argument("--max-points", type=int, default=1_000_000)
    p.add_argument("--images-worker", default=None, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.images_worker:
        n, mode, runs = a.images_worker.split(",")
        print(json.dumps(_images_worker(int(n), mode, int(runs))))
        return
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, device cpu, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    only = set(a.only.split(","))
    if "images" in only:
        print("### Layer images: depth-20 width-100 ReLU net, all layer images kept\n")
        print(bench_images(a.runs, a.max_points), "\n", flush=True)
    if "exact" in only:
        print("### Exact transitions on a circle vs dense sampling (same count)\n")
        print(bench_exact(a.runs), "\n", flush=True)
    if "segments" in only:
        print("### Exact region counts along segments, 784-input ReLU networks\n")
        print(bench_segments(a.runs), "\n", flush=True)


if __name__ == "__main__":
    main()
