"""Benchmark (issue 29): the issue's whole speed table, refilled in one run, each row with its baseline and a profile.

Run: ``.venv/bin/python benchmarks/bench_speed_table.py [--rows a,b] [--repeats 3] [--json out.json]``
(about 15 min on the project's 2-core CPU; ``--quick`` for a smaller, faster check that the script works).

Every row runs in its own fresh process (so peak RSS is that row's own), with the plain method measured in the
same process where one exists, and prints one JSON line; this driver collects them into the Markdown table of
issue 29 (what / now / baseline / ratio / goal / met) and, for every row, the functions or engine sections
where the time goes.  Rows (issue 29's order):

``partition_small``  ``partition_2d`` 2-128x3 and 2-256x3, default init, [-1, 1]^2, fast engine against the
                     reference engine (same count, pattern and area digests); goal: hold 142k / 150k regions/s.
``partition_512``    2-512x3, default init, [-1, 1]^2 (358,790 regions); goal >= 150k regions/s and
                     <= 2 KiB per region (peak RSS growth over the run / regions).
``partition_1e6``    2-512x3, sigma_w^2 = 2, sigma_b^2 = 0.1, [-1, 1]^2 (768,411 regions); goal >= 150k regions/s.
``refusal``          2-1024x3 (sigma_w^2 = 2, sigma_b^2 = 0.1) on [-1, 1]^2 and 2-1024x3 (default init) on
                     [-100, 100]^2: seconds to the ``RegionLimitError`` with its estimate; goal <= 2 s.
``plane``            ``partition_plane`` on the small digits conv net (benchmarks/bench_partition_plane.py);
                     goal >= 50k regions/s.
``fig1``             ESD Fig. 1 network (1-8-8-10-1 ReLU, 189 points, float64): ``spanning_dimension`` against
                     one ``autograd.grad`` per point + the same effective rank; goal >= 50x; and the share of
                     validation and guards in a call (goal < 10 %).
``segments``         exact region counts along 10 segments between random 784-D points, 784-200-200-10 and
                     784-512x3-10 (default init): the batched refinement against the region-to-region walk,
                     same counts; goal >= 400 / >= 50 segments/s.
``fig4``             ESD Fig. 4 sweep, all 4,800 networks, 10 samples, float64: the whole grid once with the
                     default (closed-form) routes, and every 50th network with the old route
                     (``torch.func`` + randomized range finder) and the new, interleaved, for the ratio and the
                     largest ESD difference (requirement 1e-9); goal < 5 min.

The load average is recorded at the start and end of every row: the machine is shared.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _util import median_run  # noqa: E402

ROWS = ("partition_small", "partition_512", "partition_1e6", "refusal", "plane", "fig1", "segments", "fig4")
TIMEOUT_S = {"fig4": 1500, "partition_512": 600, "partition_1e6": 600, "partition_small": 900}


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _profile(fn, n=8) -> str:
    pr = cProfile.Profile()
    pr.enable()
    fn()
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(n)
    lines = s.getvalue().strip().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line.rstrip() for line in lines[start:])


def _sections(profile: dict) -> str:
    """The partition engine's own section timers (``engine.PROFILE``), largest first."""
    top = sorted(profile.items(), key=lambda kv: -kv[1])[:8]
    total = sum(profile.values()) or 1.0
    return "; ".join(f"{k} {v:.2f} s ({100 * v / total:.0f} %)" for k, v in top)


# ------------------------------------------------------------------------------------------------ partitions
def _partition(widths, radius, init, repeats, device, engine="fast", profile=False):
    from bench_partition_engine import run_child

    cfg = dict(widths=widths, radius=radius, engine=engine, threads=2, device=device)
    if init == "default":
        cfg["init"] = "default"
    runs = [run_child(cfg, timeout=900) for _ in range(repeats)]
    bad = [r for r in runs if "error" in r]
    if bad:
        return {"error": bad[0]["error"]}
    walls = [r["wall_s"] for r in runs]
    med = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
    out = dict(regions=med["regions"], walls=walls, wall=statistics.median(walls), cpu=med["cpu_s"],
               peak_mb=max(r["peak_rss_mb"] for r in runs),
               per_region=statistics.median((r["peak_rss_mb"] - r["rss_before_mb"]) * 2**20 / r["regions"]
                                            for r in runs),
               digest=(med["regions"], med.get("patterns_sha1"), round(med.get("area_sum", 0.0), 9)))
    if profile:
        p = run_child(dict(cfg, profile=True), timeout=900)
        out["sections"] = _sections(p.get("profile", {})) if "error" not in p else p["error"]
    return out


def row_partition_small(args):
    res = []
    for w in (128, 256):
        widths = [2, w, w, w, 1]
        fast = _partition(widths, 1.0, "default", args.repeats, args.device)
        ref = _partition(widths, 1.0, "default", 1, args.device, engine="reference")
        if "error" in fast or "error" in ref:
            res.append(dict(what=f"2-{w}x3", error=fast.get("error") or ref.get("error")))
            continue
        goal = {128: 142_000, 256: 150_000}[w]
        rate = fast["regions"] / fast["wall"]
        res.append(dict(
            what=f"`partition_2d`, 2-{w}x3 on [-1, 1]² (default init), {fast['regions']:,} regions",
            now=f"{rate / 1e3:.0f}k regions/s ({fast['wall']:.2f} s, median of {args.repeats}: "
                + ", ".join(f"{t:.2f}" for t in fast["walls"]) + f"; {fast['per_region'] / 1024:.1f} KiB/region)",
            baseline=f"reference engine {ref['wall']:.2f} s ({ref['regions'] / ref['wall'] / 1e3:.0f}k regions/s); "
                     + ("same digests" if ref["digest"] == fast["digest"] else "**DIFFERENT DIGESTS**"),
            ratio=ref["wall"] / fast["wall"], goal=f"hold {goal / 1e3:.0f}k regions/s",
            met=rate >= goal, where=None))
    return res


def row_partition_512(args):
    f = _partition([2, 512, 512, 512, 1], 1.0, "default", args.repeats, args.device, profile=True)
    if "error" in f:
        return [dict(what="2-512x3", error=f["error"])]
    rate = f["regions"] / f["wall"]
    kib = f["per_region"] / 1024
    return [dict(what=f"`partition_2d`, 2-512x3 on [-1, 1]² (default init), {f['regions']:,} regions",
                 now=f"{rate / 1e3:.0f}k regions/s ({f['wall']:.1f} s, median of {args.repeats}: "
                     + ", ".join(f"{t:.1f}" for t in f["walls"]) + f"), peak {f['peak_mb']:,.0f} MB, "
                     f"{kib:.1f} KiB per region",
                 baseline="issue 29's figure: 70k regions/s, 6.8 KiB per region (the reference engine is not run "
                          "at this size: see the 2-256x3 row for its ratio)",
                 ratio=None, goal="≥ 150k regions/s, ≤ 2 KiB per region", met=rate >= 150_000 and kib <= 2,
                 where="engine sections (CPU s of one profiled run): " + f["sections"])]


def row_partition_1e6(args):
    f = _partition([2, 512, 512, 512, 1], 1.0, "gauss", args.repeats, args.device, profile=True)
    if "error" in f:
        return [dict(what="2-512x3 σ_w²=2", error=f["error"])]
    rate = f["regions"] / f["wall"]
    return [dict(what=f"`partition_2d`, 2-512x3 (σ_w² = 2, σ_b² = 0.1) on [-1, 1]², {f['regions']:,} regions",
                 now=f"{rate / 1e3:.0f}k regions/s ({f['wall']:.1f} s, median of {args.repeats}: "
                     + ", ".join(f"{t:.1f}" for t in f["walls"]) + f"), peak {f['peak_mb']:,.0f} MB, "
                     f"{f['per_region'] / 1024:.1f} KiB per region; patterns bit-packed",
                 baseline="issue 29's figure: 36k regions/s at 768k", ratio=None, goal="≥ 150k regions/s flat",
                 met=rate >= 150_000, where="engine sections (CPU s of one profiled run): " + f["sections"])]


def row_refusal(args):
    import torch

    import workbench as wb

    torch.set_num_threads(2)
    out = []
    for label, net, r in (
            ("2-1024x3 (σ_w² = 2, σ_b² = 0.1) on [-1, 1]²",
             wb.mlp([2, 1024, 1024, 1024, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=0), 1.0),
            ("2-1024x3 (default init) on [-100, 100]²", wb.mlp([2, 1024, 1024, 1024, 1], "relu", seed=0), 100.0)):
        t, c = time.perf_counter(), time.process_time()
        msg = None
        try:
            wb.partition_2d(net, bounds=(-r, r, -r, r), device=args.device, progress=False)
        except wb.measures.partition.RegionLimitError as e:
            msg = str(e)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        pr_text = _profile(lambda: _try_partition(wb, net, r, args.device), 6)
        out.append(dict(
            what=f"refusal, {label}",
            now=(f"refused after {wall:.1f} s wall ({cpu:.1f} CPU-s): " + (msg or "NOT refused")[:300]),
            baseline="issue 29's figure: 40 s and 8 GiB of int64 pattern triples before refusing", ratio=None,
            goal="refusal ≤ 2 s with the estimate", met=msg is not None and wall <= 2.0,
            where="cProfile of a second refusal (tottime):\n" + pr_text))
    return out


def _try_partition(wb, net, r, device):
    try:
        wb.partition_2d(net, bounds=(-r, r, -r, r), device=device, progress=False)
    except wb.measures.partition.RegionLimitError:
        pass


def row_plane(args):
    import torch
    from bench_partition_plane import build

    import workbench as wb

    torch.set_num_threads(2)
    net, X = build()
    net = net.to(args.device)
    run = lambda: wb.partition_plane(net, X[0], X[1], X[2], device=args.device, progress=False)  # noqa: E731
    run()
    t, ts, part = median_run(run, args.repeats)
    rate = len(part) / t
    return [dict(what="`partition_plane`, digits conv net 1-8-8 (3x3) + Linear(128, 10), plane through 3 images",
                 now=f"{len(part):,} regions in {t:.2f} s ({rate / 1e3:.1f}k regions/s; median of {args.repeats}: "
                     + ", ".join(f"{x:.2f}" for x in ts) + "); progress bar on by default",
                 baseline="issue 29's figure: 7k regions/s (281,654 regions in 39 s on its larger plane)",
                 ratio=None, goal="≥ 50k regions/s, with progress", met=rate >= 50_000,
                 where="cProfile of one run (tottime):\n" + _profile(run))]


def row_fig1(args):
    import torch

    import workbench as wb
    from workbench.measures.spanning import structured
    from workbench.measures.spanning.dimension import per_point_gradient_loop, spanning_dimension
    from workbench.measures.spanning.rank import effective_rank
    from workbench.papers.esd.sampling import draw_inputs

    torch.set_num_threads(1)  # a few-ms call: one thread (two only add synchronisation at these sizes)
    net = wb.mlp([1, 8, 8, 10, 1], "relu", seed=0).double().to(args.device)
    X = draw_inputs(189, 1, seed=1, dtype=torch.float64).to(args.device)
    loop = lambda: effective_rank(per_point_gradient_loop(net, X))  # noqa: E731
    new = lambda: spanning_dimension(net, X, device=args.device)  # noqa: E731

    def core():
        Ws, bs = structured.mlp_weights([net], dtype=torch.float64, device=X.device)
        return effective_rank(structured.mlp_jacobian(net, Ws, bs, X.unsqueeze(0), "pick_first")[0])

    for f in (loop, new, core):
        f()
    reps = max(args.repeats, 3)
    t_loop, _, v0 = median_run(loop, reps)
    t_new, _, v1 = median_run(new, 15 * reps)
    t_core, t_all = [], []
    for _ in range(15 * reps):
        t_core.append(median_run(core, 5)[0])
        t_all.append(median_run(new, 5)[0])
    c, a = statistics.median(t_core), statistics.median(t_all)
    share = (a - c) / a

    def many():
        for _ in range(200):
            new()
    return [
        dict(what="spanning dimension vs one gradient per point, Fig. 1 net (1-8-8-10-1 ReLU, 189 points, float64)",
             now=f"`spanning_dimension` {t_new * 1e3:.2f} ms (median of {15 * reps}, 1 torch thread); same value to "
                 f"{abs(v0 - v1):.0e}",
             baseline=f"one `autograd.grad` per point + `effective_rank`: {t_loop * 1e3:.1f} ms (median of {reps})",
             ratio=t_loop / t_new, goal="≥ 50x", met=t_loop / t_new >= 50,
             where="cProfile of 200 calls (tottime):\n" + _profile(many, 10)),
        dict(what="validation and guards in a `spanning_dimension` call at the Fig. 1 size",
             now=f"{100 * share:.0f} % ({a * 1e3:.2f} ms per call against {c * 1e3:.2f} ms for the same arithmetic "
                 f"called directly; medians of {15 * reps} x 5, interleaved)",
             baseline="issue 29's figure: 20 %", ratio=None, goal="< 10 %", met=share < 0.10, where=None)]


def row_segments(args):
    import numpy as np
    import torch

    import workbench as wb

    torch.set_num_threads(2)
    g = torch.Generator().manual_seed(0)
    out = []
    for ws, goal in (([784, 200, 200, 10], 400), ([784, 512, 512, 512, 10], 50)):
        net = wb.mlp(ws, "relu", seed=0)
        pts = torch.rand(11, 784, generator=g)

        def run(method, net=net, pts=pts):
            return [wb.count_regions_on_segment(net, pts[i], pts[i + 1], method=method, device=args.device)
                    for i in range(10)]
        run("refine")
        t, ts, counts = median_run(lambda: run("refine"), args.repeats)  # noqa: B023
        tw, _, cw = median_run(lambda: run("walk"), max(1, args.repeats // 2))  # noqa: B023
        name = "-".join(map(str, ws))
        out.append(dict(
            what=f"exact segment counts, {name} (10 segments, {np.mean(counts):.0f} regions each on average)",
            now=f"{10 / t:.1f} segments/s ({t:.3f} s for 10, median of {args.repeats})",
            baseline=f"the region-to-region walk: {10 / tw:.1f} segments/s; "
                     + ("same counts" if cw == counts else "**DIFFERENT COUNTS**"),
            ratio=tw / t, goal=f"≥ {goal} segments/s", met=10 / t >= goal,
            where="cProfile of 10 segments (tottime):\n" + _profile(lambda: run("refine"))))  # noqa: B023
    return out


def row_fig4(args):
    import numpy as np
    import torch

    import workbench as wb
    from workbench.measures.spanning import structured
    from workbench.papers.esd.sampling import esd

    torch.set_num_threads(2)
    every = args.fig4_every
    nets = [(a, i, j) for a in ("relu", "sigmoid", "tanh") for i in range(1, 41) for j in range(1, 41)][::every]
    kw = dict(samples=10, dtype=torch.float64, method="lowrank", progress=False, device=args.device)
    esd([1, 2, 2, 1], "relu", **kw)
    t_old = t_new = diff = 0.0
    for a, i, j in nets:
        t = time.perf_counter()
        with structured.closed_form_enabled(False):
            ro = esd([1, i, j, 1], a, seed=7 * i + j, **kw)
        t_old += time.perf_counter() - t
        t = time.perf_counter()
        rn = esd([1, i, j, 1], a, seed=7 * i + j, **kw)
        t_new += time.perf_counter() - t
        diff = max(diff, float(np.abs(ro.values - rn.values).max()))
    n1 = range(1, 41) if not args.quick else range(1, 41, 8)
    t = time.perf_counter()
    g = wb.papers.esd.esd_grid(n1, range(1, 41), samples=10, device=args.device, progress=False)
    full = time.perf_counter() - t
    per = ", ".join(f"{a} {x:.0f} s" for a, x in g.groupby("activation").seconds.sum().items())
    nets_smooth = [n for n in nets if n[0] != "relu"]

    def smooth():
        for a, i, j in nets_smooth:
            esd([1, i, j, 1], a, seed=7 * i + j, **kw)
    return [dict(
        what=f"ESD Fig. 4 sweep, {len(g):,} networks `[1, i, j, 1]`, 10 samples, `n_points = n_params`, float64",
        now=f"{full:.0f} s ({full / 60:.2f} min) for the whole grid, one run ({per})",
        baseline=f"every {every}th network ({len(nets)}): old route (torch.func + randomized range finder) "
                 f"{t_old:.1f} s against {t_new:.1f} s; max |ESD new - ESD old| = {diff:.1e} (requirement 1e-9)",
        ratio=t_old / t_new, goal="< 5 min", met=full < 300,
        where=f"cProfile of the smooth networks of the subset ({len(nets_smooth)}; tottime):\n" + _profile(smooth))]


# ------------------------------------------------------------------------------------------------ driver
def _child(name: str, args) -> None:
    t0, l0 = time.perf_counter(), _load()
    rows = globals()[f"row_{name}"](args)
    for r in rows:
        r.update(row=name, load=f"{l0} -> {_load()}", seconds=time.perf_counter() - t0,
                 peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(rows))


def _table(rows) -> str:
    out = ["| what | now | baseline (same run) | ratio | goal | met | load (1/5/15 min, start -> end) |",
           "| --- | --- | --- | ---: | --- | --- | --- |"]
    for r in rows:
        if "error" in r:
            out.append(f"| {r.get('what', r['row'])} | failed: {r['error'][:200]} | | | | no | |")
            continue
        ratio = f"{r['ratio']:.1f}x" if r.get("ratio") else ""
        out.append(f"| {r['what']} | {r['now']} | {r['baseline']} | {ratio} | {r['goal']} | "
                   f"{'**yes**' if r['met'] else 'no'} | {r['load']} |")
    out.append("\nWhere the time goes:\n")
    for r in rows:
        if r.get("where"):
            body = r["where"]
            if "\n" in body:
                head, rest = body.split("\n", 1)
                out.append(f"- **{r['what']}**: {head}\n\n```\n{rest}\n```\n")
            else:
                out.append(f"- **{r['what']}**: {body}\n")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default=",".join(ROWS), help="comma-separated rows, of: " + ", ".join(ROWS))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--fig4-every", type=int, default=50)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--quick", action="store_true", help="the Fig. 4 grid on every 8th n1 only (a smoke check)")
    ap.add_argument("--json", help="also write the rows as JSON here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child, args)
        return
    import torch

    names = [n.strip() for n in args.rows.split(",") if n.strip()]
    unknown = sorted(set(names) - set(ROWS))
    if unknown:
        ap.error(f"unknown rows {unknown}; choose from {', '.join(ROWS)}")
    print(f"machine: {os.uname().machine}, {os.cpu_count()} CPUs, torch {torch.__version__}, device {args.device}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load {_load()}", flush=True)
    rows, t0 = [], time.perf_counter()
    for name in names:
        cmd = [sys.executable, __file__, "--child", name, "--repeats", str(args.repeats), "--device", args.device,
               "--fig4-every", str(args.fig4_every)] + (["--quick"] if args.quick else [])
        t = time.perf_counter()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S.get(name, 600))
            got = (json.loads(p.stdout.strip().splitlines()[-1]) if p.returncode == 0
                   else [dict(row=name, error=(p.stderr.strip().splitlines() or ["?"])[-1])])
        except subprocess.TimeoutExpired:
            got = [dict(row=name, error=f"timed out after {TIMEOUT_S.get(name, 600)} s")]
        rows += got
        print(f"  {name}: {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    print(f"\n{_table(rows)}\n\nWhole run: {time.perf_counter() - t0:.0f} s; load at the end {_load()}.")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
