"""Benchmark: how fast each panel answers a control change (issue 15).

For every panel of the notebooks, one control change as a lecturer makes it;
measured in the panel's synchronous mode (the work a live kernel does on the
panel's worker thread): the time to the **first picture** (first step of the
generator, drawn and encoded as PNG) and to the **final** one (the old panels
showed nothing until then: that is the baseline). Medians over repeats.

Run::

    .venv/bin/python benchmarks/bench_panels.py --repeats 3 --threads 2
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from _util import machine  # noqa: E402

from workbench.widgets import (  # noqa: E402
    AtlasPanel,
    ESDPanel,
    FunctionPanel,
    PlaygroundPanel,
    RegionsPanel,
    TrajectoryPanel,
)

CASES = [
    ("FunctionPanel", lambda: FunctionPanel(width=16, depth=3, n_points=801, auto=False), {"depth": 6}),
    ("ESDPanel 1-16x4-1 (865 params), 100 samples",
     lambda: ESDPanel(width=8, depth=4, samples=100, device="cpu", auto=False), {"width": 16}),
    ("RegionsPanel width 8 -> 32, depth 3", lambda: RegionsPanel(width=8, depth=3, auto=False), {"width": 32}),
    ("RegionsPanel depth 3 -> 6, width 16", lambda: RegionsPanel(width=16, depth=3, layers=8, auto=False),
     {"depth": 6}),
    ("TrajectoryPanel width 100 -> 200 (depth 6, 600 points)",
     lambda: TrajectoryPanel(depth=6, width=100, n_points=600, n_seeds=4, auto=False), {"width": 200}),
    ("RegionsPanel 2-128-128-128-1, seed 0 -> 1 (issue 29: keep under 1 s)",
     lambda: RegionsPanel(width=128, depth=3, auto=False, budget={"neurons": 10_000}), {"seed": 1}),
    # issue 30: the Playground follows training (one epoch more = train it and redraw) and the atlas
    ("PlaygroundPanel 2-64x4 spiral, epoch 3 -> 4 (train + exact map)",
     lambda: PlaygroundPanel(dataset="spiral", width=64, depth=4, epoch=3, auto=False), {"epoch": 4}),
    ("PlaygroundPanel 2-64x4 spiral, neuron none -> (2, 5)",
     lambda: PlaygroundPanel(dataset="spiral", width=64, depth=4, epoch=3, auto=False), {"neuron": (2, 5)}),
    ("PlaygroundPanel 2-8x2 circle, epoch 3 -> 4", lambda: PlaygroundPanel(epoch=3, auto=False), {"epoch": 4}),
    ("AtlasPanel plain MLP 2-16x3, width 16 -> 24", lambda: AtlasPanel(auto=False), {"width": 24}),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default=None)
    ap.add_argument("--only", default="", help="run the cases whose name contains this text")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    rows = []
    for name, make, change in CASES:
        if a.only not in name:
            continue
        firsts, finals, steps = [], [], 0
        for _ in range(a.repeats):
            p = make()
            p.refresh()  # the panel as it opens
            p.update(**change)
            firsts.append(p.timings["first"])
            finals.append(p.timings["final"])
            steps = p.timings["steps"]
            assert p.last_error is None, p.last_error
        row = {"panel": name, "change": change, "first_s": statistics.median(firsts),
               "final_s": statistics.median(finals), "steps": steps, "runs_first": firsts, "runs_final": finals}
        rows.append(row)
        print(f"| {name} | {change} | {row['first_s']:.2f} | {row['final_s']:.2f} | {steps} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
