"""Peak memory and time of the ESD of real-world networks (ESD paper §6) at the paper's sizes.

    python benchmarks/bench_esd_real.py [--model resnet152] [--inputs 3] [--coords 1000000]
                                        [--runs 3] [--device cpu] [--configs ours,ours_vmap2,naive,gram,svd]

Each configuration runs in a *fresh subprocess* and reports its peak resident
memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``; on CUDA also
``torch.cuda.max_memory_allocated``), so one configuration's allocations never
hide another's.  Configurations:

* ``ours``: :func:`workbench.measures.sampled_gradient_rows` with ``chunk_size=1`` (one
  backward per input, only the K sampled entries kept) writing into the *full*
  ``n_total x K`` float32 matrix J of the paper run (allocated and touched, so
  its 2 GB are in the peak), then :func:`workbench.measures.gram_singular_values` of
  that full J.  Only ``--inputs`` rows are computed (the CPU cannot do 500 x 10
  ResNet-152 backward passes in minutes); time is extrapolated linearly to
  ``n_total`` inputs x ``repeats_total`` repeats x 2 reduces.
* ``ours_vmap2``: the same with ``chunk_size=2`` (torch.func.vmap over 2 inputs).
* ``naive``: the baseline: one full flat gradient per input kept in memory
  (``n x P`` floats), then indexed at the K coordinates.  Its peak grows by
  ``4 P`` bytes per input; the table extrapolates it to ``n_total``.
* ``gram`` / ``svd``: singular values of a random ``n_total x K`` float32 J
  through the Gram matrix (ours) vs ``torch.linalg.svdvals(J)`` directly.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine, sync  # noqa: E402

CONFIGS = ("ours", "ours_vmap2", "naive", "gram", "svd")


def _rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # kB -> GiB (Linux)


def worker(args) -> dict:
    import workbench as wb
    from workbench.papers.esd.real_networks import real_inputs

    torch.set_num_threads(args.threads)
    dev = wb.resolve_device(args.device)
    out = dict(config=args.worker)
    if args.worker in ("gram", "svd"):
        J = torch.randn(args.n_total, args.coords, generator=torch.Generator().manual_seed(0)).to(dev)
        out["rss_before_gb"] = _rss_gb()
        sync(dev)
        t0 = time.perf_counter()
        if args.worker == "gram":
            sv = wb.measures.gram_singular_values(J)
        else:
            sv = torch.linalg.svdvals(J)
        sync(dev)
        out["seconds"] = time.perf_counter() - t0
        out["sv0"] = float(sv[0])
    else:
        model = wb.zoo_model(args.model, seed=0)
        P = wb.count_parameters(model)
        coords = wb.measures.sample_coordinates(P, args.coords, seed=0)
        warm = 2 if args.worker == "ours_vmap2" else 1
        X = real_inputs(args.inputs + warm, (3, args.size, args.size), "sign", seed=0)
        out["params"] = P
        model.to(dev)
        if args.worker == "naive":
            def rows(Xs):
                full = []
                for x in Xs:
                    model.zero_grad(set_to_none=True)
                    g = (model(x.unsqueeze(0).to(dev))[0] ** 2).sum()
                    g.backward()
                    full.append(torch.cat([p.grad.reshape(-1) for p in model.parameters()]))
                return torch.stack(full)[:, coords.to(dev)]

            rows(X[:warm])  # warm-up input (allocator, kernels), not timed
            out["rss_before_gb"] = _rss_gb()
            sync(dev)
            t0 = time.perf_counter()
            J = rows(X[warm:])
            sync(dev)
            out["seconds_per_input"] = (time.perf_counter() - t0) / args.inputs
        else:
            chunk = 1 if args.worker == "ours" else 2
            Jfull = torch.zeros(args.n_total, args.coords, device=dev)  # the paper-sized J, touched
            # warm-up with the timed chunking (allocator, kernels, vmap tracing), not timed
            wb.measures.sampled_gradient_rows(model, X[:warm], coords, reduce="sum_squares", chunk_size=chunk, device=dev)
            out["rss_before_gb"] = _rss_gb()
            sync(dev)
            t0 = time.perf_counter()
            Jfull[: args.inputs] = wb.measures.sampled_gradient_rows(model, X[warm:], coords, reduce="sum_squares",
                                                             chunk_size=chunk, device=dev)
            sync(dev)
            t1 = time.perf_counter()
            sv = wb.measures.gram_singular_values(Jfull)
            sync(dev)
            out["seconds_per_input"] = (t1 - t0) / args.inputs
            out["gram_seconds"] = time.perf_counter() - t1
            out["erank_partial"] = float(wb.effective_rank(sv))
    out["peak_rss_gb"] = _rss_gb()
    if dev.type == "cuda":
        out["cuda_peak_gb"] = torch.cuda.max_memory_allocated() / 2**30
    return out


def run_config(cfg: str, args) -> dict:
    cmd = [sys.executable, __file__, "--worker", cfg, "--model", args.model, "--inputs", str(args.inputs),
           "--coords", str(args.coords), "--n-total", str(args.n_total), "--size", str(args.size),
           "--threads", str(args.threads)]
    if args.device:
        cmd += ["--device", args.device]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    if res.returncode != 0:
        return dict(config=cfg, error=(res.stderr.strip().splitlines() or ["?"])[-1])
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="resnet152")
    ap.add_argument("--inputs", type=int, default=3, help="inputs actually computed per run (after one warm-up)")
    ap.add_argument("--coords", type=int, default=1_000_000)
    ap.add_argument("--n-total", type=int, default=500, help="inputs of the paper run (rows of J)")
    ap.add_argument("--repeats-total", type=int, default=10)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--runs", type=int, default=3, help="fresh subprocesses per configuration (median)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default=None)
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return

    print(f"machine: {machine()}; device {args.device or 'default'}")
    print(f"model {args.model}, inputs 3x{args.size}x{args.size} in {{-1,1}}, K = {args.coords:,} coordinates, "
          f"J of the paper run = {args.n_total} x {args.coords:,} float32 = {4 * args.n_total * args.coords / 2**30:.2f} GiB; "
          f"{args.inputs} inputs computed per run, {args.runs} runs per configuration (median)\n")
    results = {}
    cfgs = args.configs.split(",")
    # interleaved (run 1 of every configuration, then run 2, ...): a shared machine's load hits all alike
    all_runs = {cfg: [] for cfg in cfgs}
    for _ in range(args.runs):
        for cfg in cfgs:
            all_runs[cfg].append(run_config(cfg, args))
    for cfg in cfgs:
        runs = all_runs[cfg]
        ok = [r for r in runs if "error" not in r]
        if not ok:
            print(f"{cfg}: failed: {runs[0]['error']}")
            continue
        med = {k: statistics.median(r[k] for r in ok) for k in ok[0] if isinstance(ok[0][k], (int, float))}
        med["runs"] = len(ok)
        results[cfg] = med

    n_evals = args.n_total * args.repeats_total * 2
    print("| configuration | RSS before timed stage (GiB) | peak RSS (GiB) | time per input (s) | Gram / SVD (s) | "
          f"extrapolated: {args.n_total} inputs x {args.repeats_total} repeats x 2 reduces |")
    print("|---|---|---|---|---|---|")
    for cfg, m in results.items():
        if cfg in ("gram", "svd"):
            print(f"| {cfg} singular values of {args.n_total} x {args.coords:,} | {m['rss_before_gb']:.2f} | "
                  f"{m['peak_rss_gb']:.2f} | "
                  f"| {m['seconds']:.2f} | |")
            continue
        per = m["seconds_per_input"]
        peak = m["peak_rss_gb"]
        if cfg == "naive":
            P = m["params"]
            extra = (args.n_total - args.inputs) * 4 * P / 2**30
            mem = f"{peak:.2f} measured with {args.inputs} inputs; {peak + extra:.0f} extrapolated to {args.n_total}"
        else:
            mem = f"{peak:.2f}"
        hours = per * n_evals / 3600
        gram = f"{m['gram_seconds']:.2f}" if "gram_seconds" in m else ""
        print(f"| {cfg} | {m['rss_before_gb']:.2f} | {mem} | {per:.2f} | {gram} | {hours:.1f} h |")
    if "ours" in results and "naive" in results:
        r = results["naive"]["seconds_per_input"] / results["ours"]["seconds_per_input"]
        print(f"\nnaive / ours time per input: {r:.2f}x")
    if "gram" in results and "svd" in results:
        print(f"svdvals(J) / Gram route: {results['svd']['seconds'] / results['gram']['seconds']:.1f}x time, "
              f"{results['svd']['peak_rss_gb'] / results['gram']['peak_rss_gb']:.2f}x peak RSS")


if __name__ == "__main__":
    main()
