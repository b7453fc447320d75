"""Benchmark: the fast exact 2-D partition engine (issue 17) against the reference engine
and the region-by-region shapely splitting.

For every network size, each engine runs in a fresh subprocess (so peak RSS is that
run's own): regions, wall and CPU seconds, regions per second, peak memory and bytes
per region; the fast and reference results are checked to be the same partition
(count, sorted patterns digest, total and per-region areas digest).

Run::

    .venv/bin/python benchmarks/bench_partition_engine.py                  # CPU table
    .venv/bin/python benchmarks/bench_partition_engine.py --quick          # small sizes
    .venv/bin/python benchmarks/bench_partition_engine.py --profile "2,256,256,256,1" --radius 1
    .venv/bin/python benchmarks/bench_partition_engine.py --gpu --json out.json   # on a GPU machine:
                                                                         # ~1e5, 1e6, 1e7 regions

The machine of record (BENCHMARKS.md) is a shared 2-core box: wall times include
other jobs' load; CPU seconds are this process's own.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _digest(P) -> dict:
    pats = P.patterns.cpu().numpy().astype(np.uint8)
    order = np.lexsort(pats.T[::-1]) if pats.shape[1] else np.arange(len(P))
    packed = np.packbits(pats[order], axis=1)
    area = P.area().cpu().numpy()[order]
    return {
        "patterns_sha1": hashlib.sha1(packed.tobytes()).hexdigest()[:16],
        "area_sum": float(area.sum()),
        "areas_rounded_sha1": hashlib.sha1(np.round(area / P.domain_area, 9).tobytes()).hexdigest()[:16],
    }


def _one(spec: str) -> None:
    """Child process: one partition; prints JSON."""
    import workbench as wb
    import workbench.measures.partition.engine as pe

    cfg = json.loads(spec)
    torch.set_num_threads(cfg.get("threads", 2))
    dev = cfg.get("device", "cpu")
    if cfg.get("init") == "default":  # wb.mlp's default initialisation (issue 29's 2-512x3: 358,790 regions)
        net = wb.mlp(cfg["widths"], "relu", seed=cfg.get("seed", 0))
    else:
        net = wb.mlp(cfg["widths"], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=cfg.get("seed", 0))
    r = cfg["radius"]
    bounds = (-r, r, -r, r)
    eng = cfg["engine"]
    if eng in ("fast", "reference"):
        wb.partition_2d(wb.mlp([2, 16, 16, 1], seed=0), device=dev, engine=eng)  # warm-up (numba compile/cache)
    if cfg.get("profile"):
        pe.PROFILE = {}
    if dev.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    if eng == "shapely":
        from bench_regions import baseline_partition

        R = baseline_partition(net, bounds)
        res = {"regions": len(R)}
    else:
        P = wb.partition_2d(net, bounds=bounds, device=dev, engine=eng, max_regions=50_000_000,
                            max_bytes=cfg.get("max_bytes"))
        if dev.startswith("cuda"):
            torch.cuda.synchronize()
        res = {"regions": len(P), "counts_per_layer": list(P.counts_per_layer)}
    res["wall_s"] = time.perf_counter() - t0
    res["cpu_s"] = time.process_time() - c0
    res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res["rss_before_mb"] = rss0
    if eng != "shapely":
        res.update(_digest(P))
        if cfg.get("profile"):
            res["profile"] = {f"{k[0]}:{k[1]}": v for k, v in sorted(pe.PROFILE.items())}
        packed = P.__dict__.get("_patterns_packed")  # the fast engine's packed bits (issue 29), else the bools
        res["result_mb"] = sum(t.element_size() * t.numel() for t in (P.vertices, P.n_vertices, P.edge_boundary,
                               packed.bits if packed is not None else P.patterns, P.active, P.W, P.b)) / 2**20
    if dev.startswith("cuda"):
        res["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
    print(json.dumps(res))


def run_child(cfg: dict, timeout: float | None = None) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", json.dumps(cfg)], capture_output=True, text=True,
                         timeout=timeout)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


CPU_SIZES = [
    ([2, 64, 64, 64, 1], 1.0), ([2, 64, 64, 64, 64, 64, 64, 1], 1.0), ([2, 128, 128, 128, 1], 1.0),
    ([2, 128, 128, 128, 128, 1], 2.0), ([2, 256, 256, 256, 1], 1.0), ([2, 256, 256, 256, 1], 2.0),
    ([2, 512, 512, 512, 1], 1.0),
]
QUICK_SIZES = [([2, 32, 32, 32, 1], 1.0), ([2, 64, 64, 64, 1], 1.0), ([2, 128, 128, 128, 1], 1.0)]
GPU_SIZES = [([2, 256, 256, 256, 1], 1.0), ([2, 512, 512, 512, 1], 1.5), ([2, 1024, 1024, 1024, 1], 2.0)]


def _row(ws, r, eng, res, ref=None) -> str:
    name = "-".join(map(str, ws))
    if "error" in res:
        return f"| {name} | ±{r:g} | {eng} | failed: {res['error'][:120]} |"
    n = res["regions"]
    peak = res["peak_rss_mb"]
    per = (peak - res["rss_before_mb"]) * 2**20 / max(n, 1)
    same = ""
    if ref is not None and "error" not in ref and eng != "shapely":
        ok = (ref["regions"] == n and ref.get("patterns_sha1") == res.get("patterns_sha1")
              and abs(ref["area_sum"] - res["area_sum"]) < 1e-9 * abs(ref["area_sum"]))
        same = "same" if ok else "**DIFFERENT**"
    elif ref is not None and eng == "shapely":
        same = "same count" if ref["regions"] == n else "**DIFFERENT COUNT**"
    gpu = f" {res['peak_gpu_mb']:.0f} |" if "peak_gpu_mb" in res else ""
    return (f"| {name} | ±{r:g} | {eng} | {n:,} | {res['wall_s']:.2f} | {res['cpu_s']:.2f} | "
            f"{n / res['wall_s']:,.0f} | {n / res['cpu_s']:,.0f} | {peak:,.0f} | {per:,.0f} | {same} |{gpu}")


def widget(args) -> None:
    """Redraw time of the regions panel on 2-128-128-128-1: compute, draw, PNG render, and the panel's own path.

    The panel's default budget (256 hidden neurons) would ask before computing 3 x 128: the benchmark lifts it,
    as a lecturer does with "compute anyway".  ``panel.timings``: the first picture (layer 1's arrangement) and
    the final one, through the panel's real path (compute generator, draw, PNG into the Output widget), for a
    size the panel has not drawn yet (it refines) and for the same size again (a new seed: the last final
    partition took under ``direct_s``, so it goes straight to the final picture).
    """
    import statistics

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from workbench.widgets._base import _png
    from workbench.widgets.regions_panel import RegionsPanel

    panel = RegionsPanel(width=128, depth=3, layers=3, seed=0, auto=False, background=False,
                         budget={"neurons": 10**9})
    panel.update(seed=0)  # warm-up
    rows = []
    for seed in (1, 2, 3):
        p = dict(panel.params, seed=seed)
        t0 = time.perf_counter()
        res = None
        for res in panel.compute(**p):  # noqa: B007  # a generator: the final answer (after the warm-up: no coarse ones)
            pass
        t1 = time.perf_counter()
        fig = panel.draw(res, **p)
        t2 = time.perf_counter()
        _png(fig, panel.dpi)
        t3 = time.perf_counter()
        plt.close(fig)
        panel.final_s.clear()  # a size never drawn: the panel refines (layer 1's picture first)
        panel.update(seed=seed)  # the panel's own path (compute + draw + PNG)
        plt.close(panel.figure)
        new_size = panel.timings["first"], panel.timings["final"]
        panel.update(seed=seed + 10)  # the same size again (dragging the seed): straight to the final picture
        plt.close(panel.figure)
        rows.append((len(res), t1 - t0, t2 - t1, t3 - t2, t3 - t0, *new_size, panel.timings["final"]))
    med = [statistics.median(c) for c in zip(*rows)]
    print("| network | regions | partition s | plot_partition s | PNG render s | redraw total s | "
          "panel, new size: first picture s | panel, new size: final picture s | panel, same size: picture s |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| 2-128-128-128-1 (σ_w²=2, σ_b²=0.1), median of seeds 1-3 | {med[0]:,.0f} | {med[1]:.2f} | "
          f"{med[2]:.2f} | {med[3]:.2f} | {med[4]:.2f} | {med[5]:.2f} | {med[6]:.2f} | {med[7]:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--gpu", action="store_true", help="GPU sizes (about 1e5, 1e6, 1e7 regions) on --device cuda")
    ap.add_argument("--reference-max", type=int, default=300,
                    help="run the reference engine only for widths up to this (it is slow)")
    ap.add_argument("--shapely-max", type=int, default=32, help="run the shapely baseline up to this width")
    ap.add_argument("--repeats", type=int, default=1, help="fast-engine runs per size (median reported)")
    ap.add_argument("--profile", help="comma-separated widths: print the per-layer section profile only")
    ap.add_argument("--radius", type=float, default=1.0)
    ap.add_argument("--json", help="also write all rows as JSON here")
    ap.add_argument("--widget", action="store_true", help="regions panel redraw time on 2-128-128-128-1")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        _one(args.one)
        return
    from _util import machine

    torch.set_num_threads(args.threads)
    print(machine(), flush=True)
    if args.widget:
        widget(args)
        return
    if args.profile:
        ws = [int(t) for t in args.profile.split(",")]
        res = run_child({"widths": ws, "radius": args.radius, "engine": "fast", "threads": args.threads,
                         "device": args.device, "profile": True})
        print(json.dumps(res, indent=1))
        return
    dev = "cuda" if args.gpu and args.device == "cpu" else args.device
    sizes = GPU_SIZES if args.gpu else (QUICK_SIZES if args.quick else CPU_SIZES)
    print("\n| network | bounds | engine | regions | wall s | CPU s | regions/s (wall) | regions/CPU-s | "
          "peak RSS MB | bytes/region (RSS growth) | same partition as reference |"
          + (" peak GPU MB |" if dev.startswith("cuda") else ""))
    print("|---|---|---|---|---|---|---|---|---|---|---|" + ("---|" if dev.startswith("cuda") else ""))
    rows = []
    for ws, r in sizes:
        base = {"widths": ws, "radius": r, "threads": args.threads, "device": dev}
        runs = [run_child({**base, "engine": "fast"}) for _ in range(args.repeats)]
        ok = [x for x in runs if "error" not in x]
        fast = sorted(ok, key=lambda x: x["wall_s"])[len(ok) // 2] if ok else runs[0]
        ref = None
        if max(ws[1:-1]) <= args.reference_max and not args.gpu:
            ref = run_child({**base, "engine": "reference"})
        print(_row(ws, r, "fast", fast, ref), flush=True)
        rows.append({"widths": ws, "radius": r, "engine": "fast", **fast})
        if ref is not None:
            print(_row(ws, r, "reference", ref), flush=True)
            rows.append({"widths": ws, "radius": r, "engine": "reference", **ref})
        if max(ws[1:-1]) <= args.shapely_max and len(ws) <= 5 and not args.gpu:
            sh = run_child({**base, "engine": "shapely"})
            print(_row(ws, r, "shapely", sh, fast), flush=True)
            rows.append({"widths": ws, "radius": r, "engine": "shapely", **sh})
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine(), "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
