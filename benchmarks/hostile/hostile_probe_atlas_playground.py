"""Hostile-input probe of the atlas and the Playground (issue 28, item 5: the surfaces issue 30 added).

The classes are those of ``hostile_probe_surfaces.py`` (its ``classify`` is reused): ``clear`` (refused with a
message naming the argument or control), ``sensible`` (accepted, right result), ``wrong`` (accepted where it
should be refused, or a wrong result), ``obscure`` (refused, naming none of the case's words), ``refused`` (a
good input refused), ``hang`` (no answer within the per-case alarm).

Run: ``PYTHONPATH=$PWD python benchmarks/hostile/hostile_probe_atlas_playground.py [--timeout S] [--verbose]``.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_probe_surfaces import CASES, bad, good, run_cases  # noqa: E402


def atlas_cases():
    import workbench as wb
    from workbench.measure_atlas import atlas_example

    net = wb.mlp([2, 8, 8, 1], seed=0)
    X = torch.rand(32, 2) * 2 - 1
    small = dict(inits=2, sd_points=16, n_points=16, circle_points=64, progress=False)
    A = "atlas"

    def rows_ok(a, want=None):
        df = a.to_frame()
        statuses = set(df["status"])
        return len(df) >= 1 and statuses <= {"ok", "refused", "partial"} and (want is None or want(df))

    bad(A, "net=None", ["net", "module"], lambda: wb.atlas(None, X, **small))
    bad(A, "net is a function", ["net", "module"], lambda: wb.atlas(lambda x: x, X, **small))
    bad(A, "X a string", ["X", "tensor"], lambda: wb.atlas(net, "abc", **small))
    bad(A, "X of the wrong width", ["X", "input", "shape", "3"], lambda: wb.atlas(net, torch.rand(16, 3), **small))
    bad(A, "X empty", ["X", "point", "empty"], lambda: wb.atlas(net, torch.empty(0, 2), **small))
    bad(A, "X two points", ["X", "point", "3"], lambda: wb.atlas(net, torch.rand(2, 2), **small))
    bad(A, "X with NaN", ["X", "finite", "nan"], lambda: wb.atlas(net, torch.tensor([[0.0, math.nan]] * 8), **small))
    bad(A, "X with inf", ["X", "finite", "inf"], lambda: wb.atlas(net, torch.full((8, 2), math.inf), **small))
    bad(A, "X 1-D", ["X", "shape", "dimension"], lambda: wb.atlas(net, torch.rand(8), **small))
    bad(A, "X integer", ["X", "float", "dtype", "integer"],
        lambda: wb.atlas(net, torch.randint(0, 3, (8, 2)), **small))
    bad(A, "inits=0", ["inits"], lambda: wb.atlas(net, X, **dict(small, inits=0)))
    bad(A, "inits=2.5", ["inits"], lambda: wb.atlas(net, X, **dict(small, inits=2.5)))
    bad(A, "sd_points=-1", ["sd_points"], lambda: wb.atlas(net, X, **dict(small, sd_points=-1)))
    bad(A, "n_points='many'", ["n_points"], lambda: wb.atlas(net, X, **dict(small, n_points="many")))
    bad(A, "circle_points=0", ["circle_points"], lambda: wb.atlas(net, X, **dict(small, circle_points=0)))
    bad(A, "max_regions=-5", ["max_regions"], lambda: wb.atlas(net, X, **dict(small, max_regions=-5)))
    bad(A, "measures=['nope']", ["measure", "nope"], lambda: wb.atlas(net, X, **dict(small, measures=["nope"])))
    bad(A, "measures='regions' (a string)", ["measures"],
        lambda: wb.atlas(net, X, **dict(small, measures="regions")))
    bad(A, "seed='x'", ["seed"], lambda: wb.atlas(net, X, **dict(small, seed="x")))
    bad(A, "device='meta'", ["device", "meta"], lambda: wb.atlas(net, X, **dict(small, device="meta")))
    bad(A, "device='cuda:7'", ["device", "cuda"], lambda: wb.atlas(net, X, **dict(small, device="cuda:7")))
    bad(A, "plane_bounds=(1, 2)", ["plane_bounds", "bounds"],
        lambda: wb.atlas(net, X, **dict(small, plane_bounds=(1, 2))))
    good(A, "tanh MLP: exact rows refused with a reason, the rest measured",
         lambda: wb.atlas(wb.mlp([2, 8, 1], "tanh", seed=0), X, **small),
         lambda a: rows_ok(a, lambda df: (df["status"] == "refused").any() and (df["status"] == "ok").any()
                           and df.loc[df["status"] == "refused", "why"].str.len().min() > 10))
    good(A, "one Linear layer", lambda: wb.atlas(nn.Linear(2, 1), X, **small), rows_ok)
    bad(A, "a net whose forward raises on X", ["net(X) fails", "this network always fails"],
        lambda: wb.atlas(_Raises(), X, **small))
    good(A, "region budget of 3: the regions row refused with the count",
         lambda: wb.atlas(net, X, **dict(small, max_regions=3)),
         lambda a: rows_ok(a, lambda df: "refused" in set(df["status"])))
    good(A, "the small conv net", lambda: wb.atlas(*atlas_example("small conv net", width=4, depth=2, n=32),
                                                   **small), rows_ok)
    good(A, "ResNet-style stack", lambda: wb.atlas(*atlas_example("ResNet-style block stack", width=8, depth=2,
                                                                  n=32), **small), rows_ok)
    good(A, "plot of an atlas whose every row is refused (tanh, exact measures only)",
         lambda: wb.atlas(wb.mlp([2, 8, 1], "tanh", seed=0), X,
                          **dict(small, measures=["exact regions", "slope"])).plot(),
         lambda axes: axes is not None)
    good(A, "X in float64 for a float32 net", lambda: wb.atlas(net, X.double(), **small), rows_ok)


class _Raises(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 1)

    def forward(self, x):
        raise RuntimeError("this network always fails")


def playground_cases():
    from workbench.papers.pl_geometry.playground import playground_data
    from workbench.widgets import PlaygroundPanel

    P = "playground"

    def panel(**kw):
        return PlaygroundPanel(**dict(dict(auto=False, background=False, n_points=60), **kw))

    bad(P, "dataset='nope'", ["dataset", "data", "nope"], lambda: panel(dataset="nope"))
    bad(P, "noise=-1", ["noise"], lambda: panel(noise=-1.0))
    bad(P, "noise=nan", ["noise"], lambda: panel(noise=math.nan))
    bad(P, "train_ratio=0", ["train ratio", "train_ratio"], lambda: panel(train_ratio=0.0))
    bad(P, "train_ratio=1.5", ["train ratio", "train_ratio"], lambda: panel(train_ratio=1.5))
    bad(P, "batch_size=0", ["batch"], lambda: panel(batch_size=0))
    bad(P, "batch_size=2.5", ["batch"], lambda: panel(batch_size=2.5))
    bad(P, "width=0", ["width"], lambda: panel(width=0))
    bad(P, "width=1000", ["width"], lambda: panel(width=1000))
    bad(P, "depth=99", ["depth"], lambda: panel(depth=99))
    bad(P, "activation='gelu'", ["activation", "gelu"], lambda: panel(activation="gelu"))
    bad(P, "lr=-1", ["learning rate", "lr"], lambda: panel(lr=-1.0))
    bad(P, "lr=0.123 (not on the slider)", ["learning rate", "lr"], lambda: panel(lr=0.123))
    bad(P, "regularization='L3'", ["regularization", "L3"], lambda: panel(regularization="L3"))
    bad(P, "rate=-0.1", ["rate"], lambda: panel(rate=-0.1))
    bad(P, "max_epochs=0", ["max_epochs"], lambda: panel(max_epochs=0))
    bad(P, "max_epochs=1.5", ["max_epochs"], lambda: panel(max_epochs=1.5))
    bad(P, "n_points=True", ["n_points"], lambda: panel(n_points=True))
    bad(P, "epoch=-1", ["epoch"], lambda: panel(epoch=-1))
    bad(P, "seed='x'", ["seed"], lambda: panel(seed="x"))
    bad(P, "neuron=(9, 9) on 2-8x2", ["neuron"], lambda: panel(neuron=(9, 9)))
    bad(P, "update(bogus=1)", ["bogus", "unknown control"], lambda: panel().update(bogus=1))
    bad(P, "update(epoch=10**9) beyond max_epochs", ["epoch"], lambda: panel(max_epochs=50).update(epoch=10**9))
    bad(P, "update(width=-3)", ["width"], lambda: panel().update(width=-3))
    bad(P, "playground_data('nope')", ["data set", "nope"], lambda: playground_data("nope"))
    bad(P, "playground_data(n=0)", ["n "], lambda: playground_data("circle", 0))
    bad(P, "playground_data(n=10.5)", ["n "], lambda: playground_data("circle", 10.5))
    bad(P, "playground_data(noise=2)", ["noise"], lambda: playground_data("xor", 50, noise=2.0))
    good(P, "lr=10 diverges: the panel says so and keeps the last finite state",
         lambda: panel(lr=10.0, width=16, depth=3).update(epoch=30),
         lambda p: p.last_error is None and p.figure is not None)
    good(P, "tanh: a sampled map with the note", lambda: panel(activation="tanh").update(epoch=2),
         lambda p: p.last_error is None and p.figure is not None and "piecewise" in p.status.value + str(
             [t.get_text() for ax in p.figure.axes for t in ax.texts] + [ax.get_title() for ax in p.figure.axes]))
    good(P, "depth 8, width 128 at epoch 0", lambda: panel(width=128, depth=8).update(epoch=0),
         lambda p: p.last_error is None and p.figure is not None)
    good(P, "every data set at noise 0.5", lambda: [playground_data(d, 40, noise=0.5) for d in
                                                     ("circle", "xor", "gauss", "spiral", "two moons")],
         lambda out: all(x.shape == (40, 2) and bool(torch.isfinite(x).all()) and set(y.tolist()) <= {0, 1}
                         for x, y in out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    atlas_cases()
    playground_cases()
    run_cases(CASES, timeout=args.timeout, verbose=args.verbose)


if __name__ == "__main__":
    main()
