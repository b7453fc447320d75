"""Benchmark: the EDJM (Wang et al. 2016) batched with torch.func against one Jacobian call per input.

Cases
-----
digits : 1,797 inputs of dimension 64 (the bundled digits) through a 64-256-256-10 ReLU MLP.
         Baseline = one ``torch.autograd.functional.jacobian`` call per input, then the same
         ``svdvals``; ours = ``workbench.edjm`` (exact route: batched Jacobians, the eq. 11 check,
         SVD) and ``exact=False`` (Jacobians + SVD only). Singular values compared.
paper  : the paper's size, 10,000 inputs x 784 dimensions, 10 outputs (random inputs in [0, 1]
         when MNIST is absent) through 784-1000-1000-10 (Table 1's MNIST net): time and peak
         memory of ``store="matrices"`` and ``store="gram"``, each in a fresh subprocess
         (peak RSS on the CPU, ``torch.cuda.max_memory_allocated`` on a GPU).

Usage::

    python benchmarks/bench_edjm.py --threads 1 --repeats 3            # CPU, both cases
    python benchmarks/bench_edjm.py --device cuda --repeats 5           # on a lent GPU
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _util import machine, median_time, sync  # noqa: E402

import workbench as wb  # noqa: E402
from workbench.nets import dense_net  # noqa: E402


def per_input_baseline(net, X):
    net.eval()
    J = torch.stack([torch.autograd.functional.jacobian(lambda x: net(x[None])[0], x) for x in X])
    return torch.linalg.svdvals(J.permute(1, 0, 2))


def digits_case(device, repeats, dtype):
    X = wb.data.digits().X.to(device, dtype)
    net = dense_net(64, [256, 256], 10, seed=0).to(device, dtype).eval()
    t_base, _ = median_time(lambda: per_input_baseline(net, X), repeats=repeats, warmup=1, device=device)
    t_ours, _ = median_time(lambda: wb.edjm(net, X, device=device), repeats=repeats, warmup=1, device=device)
    t_jac, _ = median_time(lambda: wb.edjm(net, X, exact=False, device=device), repeats=repeats, warmup=1,
                           device=device)
    s_base = per_input_baseline(net, X).double()
    r = wb.edjm(net, X, device=device)
    s = r.singular_values.double()
    rel_max = float(((s - s_base).abs() / s_base[:, :1]).max())
    big = s_base > 1e-3 * s_base[:, :1]
    rel_each = float(((s - s_base).abs() / s_base)[big].max())
    return dict(case="digits 1797 x 64, 64-256-256-10", dtype=str(dtype), baseline_s=t_base, edjm_s=t_ours,
                edjm_jacobian_only_s=t_jac, speedup=t_base / t_ours, speedup_jacobian_only=t_base / t_jac,
                max_rel_to_sigma_max=rel_max, max_rel_each_above_1e3_of_max=rel_each, exact=r.exact,
                residual=r.residual, score=r.score)


def paper_case(device, store):
    """One run in this process (call it in a fresh subprocess for a clean peak)."""
    try:
        X = wb.data.mnist(train=False, n=10_000).flat()
        source = "MNIST test images"
    except wb.data.DataNotFoundError:
        X = torch.rand(10_000, 784, generator=torch.Generator().manual_seed(0))
        source = "random inputs in [0, 1] (MNIST not on disk)"
    X = X.to(device)
    net = dense_net(784, [1000, 1000], 10, seed=0).to(device).eval()
    if torch.device(device).type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sync(device)
    t0 = time.perf_counter()
    r = wb.edjm(net, X, store=store, device=device)
    sync(device)
    secs = time.perf_counter() - t0
    peak = (torch.cuda.max_memory_allocated() / 2**20 if torch.device(device).type == "cuda"
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return dict(case="paper size 10000 x 784, 784-1000-1000-10", store=store, inputs=source, seconds=secs,
                peak_mib=peak, rss_before_mib=rss0 / 1024, score=r.score, exact=r.exact, residual=r.residual,
                memory="cuda max_memory_allocated" if torch.device(device).type == "cuda" else "process peak RSS")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-paper", action="store_true")
    ap.add_argument("--paper-one", choices=["matrices", "gram"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.paper_one:
        print(json.dumps(paper_case(args.device, args.paper_one)))
        return
    print(machine())
    rows = [digits_case(args.device, args.repeats, torch.float32), digits_case(args.device, args.repeats,
                                                                                 torch.float64)]
    for r in rows:
        print(json.dumps(r), flush=True)
    if not args.skip_paper:
        for store in ("matrices", "gram"):
            times = []
            for _ in range(max(1, min(args.repeats, 3))):
                out = subprocess.run([sys.executable, __file__, "--device", args.device, "--threads", str(args.threads),
                                      "--paper-one", store], capture_output=True, text=True, check=True)
                times.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print("  run:", round(times[-1]["seconds"], 2), "s", flush=True)
            times.sort(key=lambda d: d["seconds"])
            med = times[len(times) // 2]
            med["runs_seconds"] = [round(t["seconds"], 2) for t in times]
            print(json.dumps(med))


if __name__ == "__main__":
    main()
