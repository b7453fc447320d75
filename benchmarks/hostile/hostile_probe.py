"""Hostile-input probe of every public function of ``workbench.measures`` (issue 14, items 1 and 3).

Each case calls one public measure with a bad but realistic input and is
classified as

* ``clear``     an error whose message names the argument (one of the names given with the case);
* ``sensible``  a result, for an input that should be accepted (a list, a numpy array, an integer
                dtype, a ``torch.Generator`` seed...), equal to the result for the plain tensor input;
* ``wrong``     a result returned (no error) for an input that should be refused, or a result that
                differs from the reference / the closed form;
* ``obscure``   an error whose message names none of the case's arguments (from deep inside torch/numpy);
* ``refused``   an error for an input that should be accepted;
* ``hang``      no answer within the per-call timeout (``signal.alarm``).

Run: ``PYTHONPATH=$PWD python benchmarks/hostile/hostile_probe.py [--timeout S] [--verbose] [--json FILE]``.
"""
from __future__ import annotations

import argparse
import collections
import copy
import json
import math
import re
import signal
import sys
import warnings

import numpy as np
import torch
from hostile_probe_compare import eq_to
from torch import nn

import workbench as wb
import workbench.measures as M

CASES: list[tuple] = []  # (group, function, label, kind, names, call, check)


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def bad(group, fn, label, names, call):
    """An input that must be refused with a message naming one of ``names``."""
    CASES.append((group, fn, label, "bad", tuple(names), call, None))


def good(group, fn, label, call, check):
    """An input that must be accepted; ``check(result)`` True when the result is right."""
    CASES.append((group, fn, label, "good", (), call, check))


# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------
def nets():
    relu = wb.mlp([2, 6, 6, 1], "relu", seed=0).double()
    relu3 = wb.mlp([2, 6, 6, 3], "relu", seed=0).double()
    nan_w = copy.deepcopy(relu)
    with torch.no_grad():
        nan_w.layers[0].weight[0, 0] = float("nan")
    inf_w = copy.deepcopy(relu)
    with torch.no_grad():
        inf_w.layers[-1].bias[0] = float("inf")
    leaky_nan = wb.mlp([2, 6, 6, 1], "leaky_relu", seed=0).double()
    for m in leaky_nan.modules():
        if isinstance(m, nn.LeakyReLU):
            m.negative_slope = float("nan")
    leaky_inf = wb.mlp([2, 6, 6, 1], "leaky_relu", seed=0).double()
    for m in leaky_inf.modules():
        if isinstance(m, nn.LeakyReLU):
            m.negative_slope = float("inf")
    half = copy.deepcopy(relu).half()
    metan = copy.deepcopy(relu).to("meta")
    for n in (relu, relu3, nan_w, inf_w, leaky_nan, leaky_inf, half):
        n.eval()
    return dict(relu=relu, relu3=relu3, nan_w=nan_w, inf_w=inf_w, leaky_nan=leaky_nan, leaky_inf=leaky_inf,
                half=half, meta=metan)


def build():  # noqa: C901 - one flat list of cases
    N = nets()
    relu, relu3 = N["relu"], N["relu3"]
    X = torch.randn(12, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    Xi = torch.randint(-3, 4, (12, 2))
    NAN = float("nan")
    INF = float("inf")
    Xnan = X.clone()
    Xnan[3, 1] = NAN
    Xinf = X.clone()
    Xinf[5, 0] = INF
    p0, p1 = torch.tensor([0.3, -0.2], dtype=torch.float64), torch.tensor([0.1, 0.7], dtype=torch.float64)
    pnan = torch.tensor([NAN, 0.0], dtype=torch.float64)
    pinf = torch.tensor([0.0, INF], dtype=torch.float64)

    # -- point-taking functions: the same battery ------------------------------
    def point_battery(group, fn, f, names=("X",), ref_X=X, meta_ok=False):
        bad(group, fn, "NaN points", names, lambda: f(Xnan))
        bad(group, fn, "inf points", names, lambda: f(Xinf))
        bad(group, fn, "string points", names, lambda: f("points"))
        bad(group, fn, "None points", names, lambda: f(None))
        bad(group, fn, "float16 points", names, lambda: f(ref_X.half()))
        bad(group, fn, "bfloat16 points", names, lambda: f(ref_X.bfloat16()))
        bad(group, fn, "complex points", names, lambda: f(ref_X.to(torch.complex128)))
        bad(group, fn, "meta points", names, lambda: f(ref_X.to("meta")))
        bad(group, fn, "3 columns for a 2-input net", names, lambda: f(torch.randn(4, 3, dtype=torch.float64)))
        bad(group, fn, "ragged list", names, lambda: f([[0.1, 0.2], [0.3]]))
        good(group, fn, "list points", lambda: f(ref_X.tolist()), eq_to(lambda: f(ref_X)))
        good(group, fn, "numpy points", lambda: f(ref_X.numpy()), eq_to(lambda: f(ref_X)))
        good(group, fn, "float32 points", lambda: f(ref_X.float()), eq_to(lambda: f(ref_X), rtol=1e-4, atol=1e-5))
        good(group, fn, "integer points", lambda: f(Xi), eq_to(lambda: f(Xi.double()), rtol=1e-5, atol=1e-6))

    def net_battery(group, fn, f, names=("net", "model")):
        bad(group, fn, "NaN weight", names + ("parameter", "weight"), lambda: f(N["nan_w"]))
        bad(group, fn, "inf bias", names + ("parameter", "bias"), lambda: f(N["inf_w"]))
        bad(group, fn, "leaky-ReLU slope NaN", names + ("negative_slope",), lambda: f(N["leaky_nan"]))
        bad(group, fn, "leaky-ReLU slope inf", names + ("negative_slope",), lambda: f(N["leaky_inf"]))
        bad(group, fn, "float16 net", names + ("parameter", "float16"), lambda: f(N["half"]))
        bad(group, fn, "meta net", names + ("parameter", "meta"), lambda: f(N["meta"]))
        bad(group, fn, "string net", names, lambda: f("mlp"))
        bad(group, fn, "None net", names, lambda: f(None))

    def seed_battery(group, fn, f, names=("seed",), gen_check=None):
        bad(group, fn, "seed -1", names, lambda: f(-1))
        bad(group, fn, "seed 1.5", names, lambda: f(1.5))
        bad(group, fn, "seed 'a'", names, lambda: f("a"))
        good(group, fn, "torch.Generator seed", lambda: f(torch.Generator().manual_seed(3)),
             gen_check or (lambda r: True))
        good(group, fn, "generator seed deterministic", lambda: f(torch.Generator().manual_seed(3)),
             eq_to(lambda: f(torch.Generator().manual_seed(3))))

    # ===== transitions =========================================================
    g = "transitions"
    point_battery(g, "sampled_transitions", lambda Z: M.sampled_transitions(relu, Z).total)
    net_battery(g, "sampled_transitions", lambda n: M.sampled_transitions(n, X))
    for fn, f2 in (("circle_transitions", M.circle_transitions), ("segment_transitions", M.segment_transitions),
                   ("count_regions_on_segment", M.count_regions_on_segment)):
        names = ("x0", "x1") if fn.startswith("circle") else ("a", "b")
        total = (lambda r: r) if fn.startswith("count") else (lambda r: r.total)
        bad(g, fn, "NaN first end", names, lambda f2=f2: f2(relu, pnan, p1))
        bad(g, fn, "inf second end", names, lambda f2=f2: f2(relu, p0, pinf))
        bad(g, fn, "string end", names, lambda f2=f2: f2(relu, "a", p1))
        bad(g, fn, "None end", names, lambda f2=f2: f2(relu, None, p1))
        bad(g, fn, "float16 end", names, lambda f2=f2: f2(relu, p0.half(), p1))
        bad(g, fn, "meta end", names, lambda f2=f2: f2(relu, p0.to("meta"), p1))
        bad(g, fn, "3-vector end", names, lambda f2=f2: f2(relu, torch.zeros(3), p1))
        good(g, fn, "list ends", lambda f2=f2, t=total: t(f2(relu, p0.tolist(), p1.tolist())),
             eq_to(lambda f2=f2, t=total: t(f2(relu, p0, p1))))
        good(g, fn, "numpy ends", lambda f2=f2, t=total: t(f2(relu, p0.numpy(), p1.numpy())),
             eq_to(lambda f2=f2, t=total: t(f2(relu, p0, p1))))
        good(g, fn, "integer ends", lambda f2=f2, t=total: t(f2(relu, torch.tensor([1, 0]), torch.tensor([0, 2]))),
             eq_to(lambda f2=f2, t=total: t(f2(relu, torch.tensor([1.0, 0.0]), torch.tensor([0.0, 2.0])))))
        net_battery(g, fn, lambda n, f2=f2: f2(n, p0, p1))
        bad(g, fn, "unknown method", ("method",), lambda f2=f2: f2(relu, p0, p1, method="magic"))
        if not fn.startswith("count"):
            bad(g, fn, "max_pieces 0", ("max_pieces",), lambda f2=f2: f2(relu, p0, p1, max_pieces=0))
            bad(g, fn, "max_pieces -5", ("max_pieces",), lambda f2=f2: f2(relu, p0, p1, max_pieces=-5))
    bad(g, "activation_states", "string preacts", ("preacts",), lambda: M.activation_states(relu, "z"))
    bad(g, "activation_states", "None preacts", ("preacts",), lambda: M.activation_states(relu, None))
    bad(g, "activation_states", "NaN preacts", ("preacts",),
        lambda: M.activation_states(relu, [torch.full((3, 6), NAN), torch.zeros(3, 6)]))
    bad(g, "activation_states", "string net", ("net",), lambda: M.activation_states("mlp", [torch.zeros(3, 6)]))

    # ===== dichotomies =========================================================
    g = "dichotomies"
    point_battery(g, "count_dichotomies", lambda Z: M.count_dichotomies(relu, Z, n_steps=50).n_dichotomies)
    net_battery(g, "count_dichotomies", lambda n: M.count_dichotomies(n, X, n_steps=50))
    seed_battery(g, "count_dichotomies", lambda s: M.count_dichotomies(relu, X, n_steps=50, seed=s).n_dichotomies)
    bad(g, "count_dichotomies", "n_steps 0", ("n_steps",), lambda: M.count_dichotomies(relu, X, n_steps=0))
    bad(g, "count_dichotomies", "n_steps 2.5", ("n_steps",), lambda: M.count_dichotomies(relu, X, n_steps=2.5))
    bad(g, "count_dichotomies", "layer -5 (3 linear maps)", ("layer",),
        lambda: M.count_dichotomies(relu, X, layer=-5, n_steps=50))
    good(g, "count_dichotomies", "layer -1 (documented: the output layer)",
         lambda: M.count_dichotomies(relu, X, layer=-1, n_steps=50).n_dichotomies,
         eq_to(lambda: M.count_dichotomies(relu, X, layer=2, n_steps=50).n_dichotomies))
    bad(g, "count_dichotomies", "layer 'a'", ("layer",), lambda: M.count_dichotomies(relu, X, layer="a", n_steps=50))
    W1 = torch.randn(6, 2, dtype=torch.float64)
    W1n = W1.clone()
    W1n[0, 0] = NAN
    bad(g, "count_dichotomies", "NaN W1", ("W1",), lambda: M.count_dichotomies(relu, X, n_steps=50, W1=W1n))
    bad(g, "count_dichotomies", "W1 wrong shape", ("W1",),
        lambda: M.count_dichotomies(relu, X, n_steps=50, W1=torch.randn(3, 3)))
    bad(g, "count_dichotomies", "W1 string", ("W1",), lambda: M.count_dichotomies(relu, X, n_steps=50, W1="w"))
    good(g, "count_dichotomies", "W1 as list",
         lambda: M.count_dichotomies(relu, X, n_steps=50, W1=W1.tolist()).n_dichotomies,
         eq_to(lambda: M.count_dichotomies(relu, X, n_steps=50, W1=W1).n_dichotomies))
    point_battery(g, "weight_sweep_labels", lambda Z: M.weight_sweep_labels(relu, Z, n_steps=20)[0]
                  if isinstance(M.weight_sweep_labels(relu, Z, n_steps=20), tuple)
                  else M.weight_sweep_labels(relu, Z, n_steps=20))
    seed_battery(g, "weight_sweep_labels", lambda s: M.weight_sweep_labels(relu, X, n_steps=20, seed=s))

    # ===== trajectories ========================================================
    g = "trajectories"
    for fn, f2, names in (("circle", M.circle, ("x0", "x1")), ("segment", M.segment, ("a", "b"))):
        bad(g, fn, "NaN end", names, lambda f2=f2: f2(pnan, p1, 10))
        bad(g, fn, "inf end", names, lambda f2=f2: f2(p0, pinf, 10))
        bad(g, fn, "string end", names, lambda f2=f2: f2("a", p1, 10))
        bad(g, fn, "None end", names, lambda f2=f2: f2(None, p1, 10))
        bad(g, fn, "float16 end", names, lambda f2=f2: f2(p0.half(), p1.half(), 10))
        bad(g, fn, "meta end", names, lambda f2=f2: f2(p0.to("meta"), p1.to("meta"), 10))
        bad(g, fn, "ends of different shapes", names, lambda f2=f2: f2(p0, torch.zeros(3), 10))
        bad(g, fn, "n = 0", ("n",), lambda f2=f2: f2(p0, p1, 0))
        bad(g, fn, "n = -3", ("n",), lambda f2=f2: f2(p0, p1, -3))
        bad(g, fn, "n = 2.5", ("n",), lambda f2=f2: f2(p0, p1, 2.5))
        bad(g, fn, "n = 'ten'", ("n",), lambda f2=f2: f2(p0, p1, "ten"))
        good(g, fn, "list ends", lambda f2=f2: f2(p0.tolist(), p1.tolist(), 10), eq_to(lambda f2=f2: f2(p0, p1, 10)))
        good(g, fn, "numpy ends", lambda f2=f2: f2(p0.numpy(), p1.numpy(), 10), eq_to(lambda f2=f2: f2(p0, p1, 10)))
        good(g, fn, "integer ends", lambda f2=f2: f2(torch.tensor([1, 0]), torch.tensor([0, 2]), 10),
             eq_to(lambda f2=f2: f2(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 2.0]), 10)))
    point_battery(g, "layer_images", lambda Z: M.layer_images(relu, Z))
    net_battery(g, "layer_images", lambda n: M.layer_images(n, X))
    bad(g, "layer_images", "chunk_size 0", ("chunk_size",), lambda: M.layer_images(relu, X, chunk_size=0))
    point_battery(g, "layer_lengths", lambda Z: M.layer_lengths(relu, Z))
    net_battery(g, "layer_lengths", lambda n: M.layer_lengths(n, X))
    bad(g, "trajectory_length", "NaN path", ("Z",), lambda: M.trajectory_length(Xnan))
    bad(g, "trajectory_length", "inf path", ("Z",), lambda: M.trajectory_length(Xinf))
    bad(g, "trajectory_length", "string", ("Z",), lambda: M.trajectory_length("path"))
    bad(g, "trajectory_length", "None", ("Z",), lambda: M.trajectory_length(None))
    bad(g, "trajectory_length", "float16", ("Z",), lambda: M.trajectory_length(X.half()))
    bad(g, "trajectory_length", "meta", ("Z",), lambda: M.trajectory_length(X.to("meta")))
    bad(g, "trajectory_length", "0-d", ("Z",), lambda: M.trajectory_length(torch.tensor(1.0)))
    good(g, "trajectory_length", "list", lambda: M.trajectory_length(X.tolist()), eq_to(lambda: M.trajectory_length(X)))
    good(g, "trajectory_length", "integer", lambda: M.trajectory_length(Xi),
         eq_to(lambda: M.trajectory_length(Xi.double())))
    big = torch.tensor([[0.0, 0.0], [3e200, 4e200]], dtype=torch.float64)
    good(g, "trajectory_length", "length 1e201 overflowing in the norm (open)",
         lambda: M.trajectory_length(big, closed=False), lambda r: math.isclose(float(r), 5e200, rel_tol=1e-12))
    big32 = torch.tensor([[0.0, 0.0], [3e30, 4e30]], dtype=torch.float32)
    good(g, "trajectory_length", "float32 length 5e30 (squares overflow)",
         lambda: M.trajectory_length(big32, closed=False), lambda r: math.isclose(float(r), 5e30, rel_tol=1e-6))
    tiny = torch.tensor([[0.0, 0.0], [3e-200, 4e-200]], dtype=torch.float64)
    good(g, "trajectory_length", "length 5e-200 (squares underflow)",
         lambda: M.trajectory_length(tiny, closed=False), lambda r: math.isclose(float(r), 5e-200, rel_tol=1e-12))

    # ===== partitions / local affine maps ======================================
    g = "partitions"
    net_battery(g, "partition_2d", lambda n: len(M.partition_2d(n)))
    bad(g, "partition_2d", "bounds with NaN", ("bounds",), lambda: M.partition_2d(relu, (NAN, 1, -1, 1)))
    bad(g, "partition_2d", "bounds with inf", ("bounds",), lambda: M.partition_2d(relu, (-INF, 1, -1, 1)))
    bad(g, "partition_2d", "bounds reversed", ("bounds",), lambda: M.partition_2d(relu, (1, -1, -1, 1)))
    bad(g, "partition_2d", "bounds string", ("bounds",), lambda: M.partition_2d(relu, "box"))
    bad(g, "partition_2d", "bounds 3 numbers", ("bounds",), lambda: M.partition_2d(relu, (0, 1, 0)))
    bad(g, "partition_2d", "max_regions 0", ("max_regions",), lambda: M.partition_2d(relu, max_regions=0))
    bad(g, "partition_2d", "layers -1", ("layers",), lambda: M.partition_2d(relu, layers=-1))
    bad(g, "partition_2d", "engine 'x'", ("engine",), lambda: M.partition_2d(relu, engine="x"))
    good(g, "partition_2d", "numpy bounds", lambda: len(M.partition_2d(relu, np.array([-1.0, 1, -1, 1]))),
         eq_to(lambda: len(M.partition_2d(relu))))
    # the box's float64 width is fl(1e8 + 1e-6) - 1e8 = 9.98e-7 exactly (Sterbenz); the area must be its square
    w = (1e8 + 1e-6) - 1e8
    good(g, "partition_2d", "area of a 1e-6 box at (1e8, 1e8)",
         lambda: M.partition_2d(wb.mlp([2, 1], "relu", seed=0).double(),
                                (1e8, 1e8 + 1e-6, 1e8, 1e8 + 1e-6)).area().sum().item(),
         lambda r: math.isclose(r, w * w, rel_tol=1e-6))
    good(g, "partition_2d", "areas sum to the box far from the origin",
         lambda: (lambda p: p.area().sum().item() / p.domain_area)(
             M.partition_2d(relu, (1e6, 1e6 + 1e-3, -1e6, -1e6 + 1e-3))),
         lambda r: math.isclose(r, 1.0, rel_tol=1e-6))
    x3 = torch.tensor([0.5, 0.5], dtype=torch.float64)
    for lab, args in (("NaN anchor", (pnan, p1, x3)), ("inf anchor", (p0, pinf, x3)), ("string anchor", ("a", p1, x3)),
                      ("None anchor", (None, p1, x3)), ("float16 anchor", (p0.half(), p1, x3)),
                      ("meta anchor", (p0.to("meta"), p1, x3)), ("3-vector anchor", (torch.zeros(3), p1, x3))):
        bad(g, "partition_plane", lab, ("x0", "x1", "x2"), lambda args=args: M.partition_plane(relu, *args))
    bad(g, "partition_plane", "collinear anchors", ("x0", "x1", "x2", "collinear"),
        lambda: M.partition_plane(relu, p0, p1, 2 * p1 - p0))
    bad(g, "partition_plane", "basis 'x'", ("basis",), lambda: M.partition_plane(relu, p0, p1, x3, basis="x"))
    good(g, "partition_plane", "list anchors", lambda: len(M.partition_plane(relu, p0.tolist(), p1.tolist(),
                                                                            x3.tolist())),
         eq_to(lambda: len(M.partition_plane(relu, p0, p1, x3))))
    part = M.partition_2d(relu)
    bad(g, "regions_on_line", "v NaN", ("v",), lambda: M.regions_on_line(part, NAN))
    bad(g, "regions_on_line", "v string", ("v",), lambda: M.regions_on_line(part, "a"))
    bad(g, "regions_on_line", "part None", ("part",), lambda: M.regions_on_line(None, 0.0))
    for fn in ("local_affine", "activation_pattern", "distance_to_edge", "local_singular_values",
               "adjacent_sv_difference", "local_rank"):
        f2 = getattr(M, fn)
        point_battery(g, fn, lambda Z, f2=f2: f2(relu, Z), names=("x", "X"))
        net_battery(g, fn, lambda n, f2=f2: f2(n, X))
    bad(g, "local_rank", "tol -1", ("tol",), lambda: M.local_rank(relu, X, tol=-1.0))
    bad(g, "local_rank", "tol NaN", ("tol",), lambda: M.local_rank(relu, X, tol=NAN))

    # ===== rank ================================================================
    g = "rank"
    A = torch.randn(5, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    An = A.clone()
    An[0, 0] = NAN
    for fn in ("effective_rank", "numerical_rank", "singular_values", "exact_rank"):
        f2 = getattr(M, fn)
        names = ("x", "A", "singular values", "matrix")
        bad(g, fn, "NaN matrix", names, lambda f2=f2: f2(An))
        bad(g, fn, "inf matrix", names, lambda f2=f2: f2(torch.full((3, 3), INF)))
        bad(g, fn, "string", names, lambda f2=f2: f2("matrix"))
        bad(g, fn, "None", names, lambda f2=f2: f2(None))
        bad(g, fn, "float16", names, lambda f2=f2: f2(A.half()))
        bad(g, fn, "meta", names, lambda f2=f2: f2(A.to("meta")))
        Aok = torch.tensor([[1, 2, 0], [2, 4, 1]]) if fn == "exact_rank" else A
        good(g, fn, "list", lambda f2=f2, Aok=Aok: f2(Aok.tolist()), eq_to(lambda f2=f2, Aok=Aok: f2(Aok)))
        good(g, fn, "numpy", lambda f2=f2, Aok=Aok: f2(Aok.numpy()), eq_to(lambda f2=f2, Aok=Aok: f2(Aok)))
        good(g, fn, "integer", lambda f2=f2: f2(torch.tensor([[1, 2], [2, 4]])),
             eq_to(lambda f2=f2: f2(torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=torch.float64))))
        if fn == "exact_rank":
            bad(g, fn, "complex", names, lambda f2=f2: f2(A.to(torch.complex128)))
        else:  # a complex matrix has real singular values: accepted (numpy agrees)
            Ac = A.to(torch.complex128) * (1 + 0.5j)
            ref = {"singular_values": lambda Ac=Ac: torch.as_tensor(np.linalg.svd(Ac.numpy(), compute_uv=False)),
                   "numerical_rank": lambda Ac=Ac: int(np.linalg.matrix_rank(Ac.numpy())),
                   "effective_rank": lambda f2=f2: f2(A)}[fn]
            good(g, fn, "complex", lambda f2=f2, Ac=Ac: f2(Ac), eq_to(ref))
    bad(g, "numerical_rank", "tol -1", ("tol",), lambda: M.numerical_rank(A, tol=-1.0))
    bad(g, "numerical_rank", "tol NaN", ("tol",), lambda: M.numerical_rank(A, tol=NAN))
    bad(g, "numerical_rank", "rtol NaN", ("rtol",), lambda: M.numerical_rank(A, rtol=NAN))
    bad(g, "numerical_rank", "rtol -1", ("rtol",), lambda: M.numerical_rank(A, rtol=-1.0))
    bad(g, "effective_rank", "negative singular values", ("singular",),
        lambda: M.effective_rank(torch.tensor([1.0, -2.0]), is_singular_values=True))
    good(g, "effective_rank", "[1e300, 1e300] (sum overflow) -> 2",
         lambda: M.effective_rank(torch.tensor([1e300, 1e300], dtype=torch.float64), is_singular_values=True),
         lambda r: math.isclose(float(r), 2.0, rel_tol=1e-12))
    good(g, "effective_rank", "[1e308, 1e308] -> 2",
         lambda: M.effective_rank(torch.tensor([1e308, 1e308], dtype=torch.float64), is_singular_values=True),
         lambda r: math.isclose(float(r), 2.0, rel_tol=1e-12))
    good(g, "effective_rank", "float32 [3e38]*3 -> 3",
         lambda: M.effective_rank(torch.tensor([3e38] * 3, dtype=torch.float32), is_singular_values=True),
         lambda r: math.isclose(float(r), 3.0, rel_tol=1e-5))
    good(g, "effective_rank", "[1e-320]*4 (subnormal) -> 4",
         lambda: M.effective_rank(torch.tensor([1e-320] * 4, dtype=torch.float64), is_singular_values=True),
         lambda r: math.isclose(float(r), 4.0, rel_tol=1e-9))
    good(g, "effective_rank", "matrix 1e200*I_3 -> 3",
         lambda: M.effective_rank(1e200 * torch.eye(3, dtype=torch.float64)),
         lambda r: math.isclose(float(r), 3.0, rel_tol=1e-9))
    good(g, "numerical_rank", "matrix 1e200*I_3 -> 3",
         lambda: M.numerical_rank(1e200 * torch.eye(3, dtype=torch.float64)),
         lambda r: int(r) == 3)

    # ===== spanning ============================================================
    g = "spanning"
    point_battery(g, "spanning_dimension", lambda Z: M.spanning_dimension(relu, Z))
    net_battery(g, "spanning_dimension", lambda n: M.spanning_dimension(n, X))
    for lab, tol in (("tol -1", -1.0), ("tol NaN", NAN), ("tol inf", INF), ("tol 'a'", "a")):
        bad(g, "spanning_dimension", lab, ("tol",), lambda tol=tol: M.spanning_dimension(relu, X, rank="numerical",
                                                                                         tol=tol))
        bad(g, "jacobian_spanning_dimension", lab, ("tol",),
            lambda tol=tol: M.jacobian_spanning_dimension(A, rank="numerical", tol=tol))
    bad(g, "spanning_dimension", "rank 'x'", ("rank",), lambda: M.spanning_dimension(relu, X, rank="x"))
    bad(g, "spanning_dimension", "reduce 'x'", ("reduce",), lambda: M.spanning_dimension(relu, X, reduce="x"))
    bad(g, "spanning_dimension", "method 'x'", ("method",), lambda: M.spanning_dimension(relu, X, method="x"))
    bad(g, "spanning_dimension", "chunk_size 0", ("chunk_size",), lambda: M.spanning_dimension(relu, X, chunk_size=0))
    bad(g, "spanning_dimension", "dtype float16", ("dtype",),
        lambda: M.spanning_dimension(relu, X, dtype=torch.float16))
    point_battery(g, "parameter_jacobian", lambda Z: M.parameter_jacobian(relu, Z))
    point_battery(g, "per_point_gradient_loop", lambda Z: M.per_point_gradient_loop(relu, Z))
    for fn in ("jacobian_spanning_dimension", "jacobian_singular_values"):
        f2 = getattr(M, fn)
        bad(g, fn, "NaN J", ("J",), lambda f2=f2: f2(An))
        bad(g, fn, "string J", ("J",), lambda f2=f2: f2("J"))
        bad(g, fn, "None J", ("J",), lambda f2=f2: f2(None))
        bad(g, fn, "float16 J", ("J",), lambda f2=f2: f2(A.half()))
        bad(g, fn, "meta J", ("J",), lambda f2=f2: f2(A.to("meta")))
        good(g, fn, "list J", lambda f2=f2: f2(A.tolist()), eq_to(lambda f2=f2: f2(A)))
        good(g, fn, "numpy J", lambda f2=f2: f2(A.numpy()), eq_to(lambda f2=f2: f2(A)))
    bad(g, "jacobian_singular_values", "method 'x'", ("method",), lambda: M.jacobian_singular_values(A, method="x"))
    bad(g, "lowrank_singular_values", "NaN J", ("J",), lambda: M.lowrank_singular_values(An, k=2))
    bad(g, "lowrank_singular_values", "k 0", ("k",), lambda: M.lowrank_singular_values(A, k=0))
    bad(g, "lowrank_singular_values", "tol NaN", ("tol",), lambda: M.lowrank_singular_values(A, k=2, tol=NAN))
    seed_battery(g, "lowrank_singular_values", lambda s: M.lowrank_singular_values(A, k=2, seed=s))
    good(g, "jacobian_spanning_dimension", "[[1e300, 0], [0, 1e300]] -> 2",
         lambda: M.jacobian_spanning_dimension(1e300 * torch.eye(2, dtype=torch.float64)),
         lambda r: math.isclose(float(r), 2.0, rel_tol=1e-9))

    # ===== polynomial ==========================================================
    g = "polynomial"
    sq = wb.mlp([1, 2, 1], "square", bias=False, seed=0)
    seed_battery(g, "polynomial_spanning_dimension", lambda s: M.polynomial_spanning_dimension(sq, seed=s))
    seed_battery(g, "random_integer_parameters", lambda s: M.random_integer_parameters(sq, seed=s))
    seed_battery(g, "coefficient_jacobian", lambda s: M.coefficient_jacobian(sq, seed=s))
    seed_battery(g, "network_jacobian_at_points", lambda s: M.network_jacobian_at_points(sq, seed=s))
    seed_battery(g, "polynomial_spanning_dimension_points",
                 lambda s: M.polynomial_spanning_dimension_points(sq, seed=s))
    bad(g, "polynomial_spanning_dimension", "relu net", ("net", "square"),
        lambda: M.polynomial_spanning_dimension(relu))
    bad(g, "polynomial_spanning_dimension", "string net", ("net",), lambda: M.polynomial_spanning_dimension("sq"))
    bad(g, "polynomial_spanning_dimension", "trials 0", ("trials",),
        lambda: M.polynomial_spanning_dimension(sq, trials=0))
    bad(g, "polynomial_spanning_dimension", "method 'x'", ("method",),
        lambda: M.polynomial_spanning_dimension(sq, method="x"))
    bad(g, "random_integer_parameters", "low > high", ("low", "high"),
        lambda: M.random_integer_parameters(sq, low=5, high=-5))
    bad(g, "random_integer_parameters", "low 1.5", ("low",), lambda: M.random_integer_parameters(sq, low=1.5))
    bad(g, "coefficient_jacobian", "params wrong length", ("params",), lambda: M.coefficient_jacobian(sq, params=[1]))
    bad(g, "coefficient_jacobian", "params non-integer", ("params",),
        lambda: M.coefficient_jacobian(sq, params=[0.5, 1.5, 2.5, 3.5]))
    bad(g, "network_jacobian_at_points", "points 'a'", ("points",),
        lambda: M.network_jacobian_at_points(sq, points="a"))
    bad(g, "network_jacobian_at_points", "points with NaN", ("points",),
        lambda: M.network_jacobian_at_points(sq, points=[NAN, 1.0, 2.0, 3.0]))
    # the PSD is a property of the architecture (the maximal rank over integer parameters): the weights do not enter
    good(g, "polynomial_spanning_dimension", "NaN weight (architecture only)",
         lambda: M.polynomial_spanning_dimension(_nan_copy(sq)), eq_to(lambda: M.polynomial_spanning_dimension(sq)))

    # ===== sampled spectra =====================================================
    g = "sampled"
    model = relu3.eval()
    point_battery(g, "sampled_spectrum", lambda Z: M.sampled_spectrum(model, Z, 8, seed=0).singular_values)
    net_battery(g, "sampled_spectrum", lambda n: M.sampled_spectrum(n, X, 8, seed=0))
    seed_battery(g, "sampled_spectrum", lambda s: M.sampled_spectrum(model, X, 8, seed=s).singular_values)
    bad(g, "sampled_spectrum", "k 0", ("k",), lambda: M.sampled_spectrum(model, X, 0, seed=0))
    bad(g, "sampled_spectrum", "k -3", ("k",), lambda: M.sampled_spectrum(model, X, -3, seed=0))
    bad(g, "sampled_spectrum", "k 2.5", ("k",), lambda: M.sampled_spectrum(model, X, 2.5, seed=0))
    bad(g, "sampled_spectrum", "reduce 'x'", ("reduce",), lambda: M.sampled_spectrum(model, X, 8, reduce="x"))
    bad(g, "sampled_spectrum", "coords NaN", ("coords",),
        lambda: M.sampled_spectrum(model, X, 2, coords=torch.tensor([0.0, NAN])))
    bad(g, "sampled_spectrum", "coords out of range", ("coords",),
        lambda: M.sampled_spectrum(model, X, 2, coords=torch.tensor([0, 10**6])))
    point_battery(g, "sampled_spanning_dimension", lambda Z: M.sampled_spanning_dimension(model, Z, 8, seed=0))
    seed_battery(g, "sampled_spanning_dimension", lambda s: M.sampled_spanning_dimension(model, X, 8, seed=s))
    seed_battery(g, "sample_coordinates", lambda s: M.sample_coordinates(model, 5, seed=s))
    bad(g, "sample_coordinates", "k > n", ("k",), lambda: M.sample_coordinates(10, 11, seed=0))
    bad(g, "sample_coordinates", "n string", ("model_or_n",), lambda: M.sample_coordinates("ten", 3, seed=0))
    bad(g, "count_parameters", "string model", ("model",), lambda: M.count_parameters("m"))
    coords = M.sample_coordinates(model, 6, seed=0)
    point_battery(g, "sampled_gradient_rows", lambda Z: M.sampled_gradient_rows(model, Z, coords))
    bad(g, "sampled_gradient_rows", "coords string", ("coords",), lambda: M.sampled_gradient_rows(model, X, "c"))
    bad(g, "gram_singular_values", "NaN J", ("J",), lambda: M.gram_singular_values(An))
    bad(g, "gram_singular_values", "string J", ("J",), lambda: M.gram_singular_values("J"))
    bad(g, "gram_singular_values", "block 0", ("block",), lambda: M.gram_singular_values(A, block=0))
    good(g, "gram_singular_values", "numpy J", lambda: M.gram_singular_values(A.numpy()),
         eq_to(lambda: M.gram_singular_values(A)))
    good(g, "gram_singular_values", "J = 1e200 * I (Gram overflows)",
         lambda: M.gram_singular_values(1e200 * torch.eye(3, dtype=torch.float64)),
         lambda r: bool(torch.allclose(r.double(), torch.full((3,), 1e200, dtype=torch.float64), rtol=1e-9)))

    # ===== EDJM ================================================================
    g = "edjm"
    point_battery(g, "edjm", lambda Z: M.edjm(relu3, Z).score)
    net_battery(g, "edjm", lambda n: M.edjm(n, X))
    bad(g, "edjm", "output 'x'", ("output",), lambda: M.edjm(relu3, X, output="x"))
    bad(g, "edjm", "tol -1", ("tol",), lambda: M.edjm(relu3, X, tol=-1.0))
    bad(g, "edjm", "tol NaN", ("tol",), lambda: M.edjm(relu3, X, tol=NAN))
    bad(g, "edjm", "store 'x'", ("store",), lambda: M.edjm(relu3, X, store="x"))
    point_battery(g, "distinct_djms", lambda Z: M.distinct_djms(relu3, Z).distinct_matrices)
    bad(g, "distinct_djms", "rtol NaN", ("rtol",), lambda: M.distinct_djms(relu3, X, rtol=NAN))
    bad(g, "distinct_djms", "rtol -1", ("rtol",), lambda: M.distinct_djms(relu3, X, rtol=-1.0))
    bad(g, "edjm_score", "NaN singular values", ("singular_values",),
        lambda: M.edjm_score(torch.tensor([1.0, NAN])))
    bad(g, "edjm_score", "string", ("singular_values",), lambda: M.edjm_score("s"))
    bad(g, "edjm_score", "keep NaN", ("keep",), lambda: M.edjm_score(torch.tensor([1.0, 0.5]), keep=NAN))
    bad(g, "edjm_score", "keep 2", ("keep",), lambda: M.edjm_score(torch.tensor([1.0, 0.5]), keep=2.0))
    good(g, "edjm_score", "list", lambda: M.edjm_score([1.0, 0.5, 0.01]), eq_to(lambda: M.edjm_score(
        torch.tensor([1.0, 0.5, 0.01]))))
    bad(g, "max_score", "k -1", ("k",), lambda: M.max_score(-1))
    bad(g, "max_score", "k 'a'", ("k",), lambda: M.max_score("a"))
    bad(g, "max_score", "keep NaN", ("keep",), lambda: M.max_score(5, keep=NAN))
    bad(g, "exact_route_problem", "string net", ("net",), lambda: M.exact_route_problem("n"))

    # ===== slope ===============================================================
    g = "slope"
    for fn in ("slope", "jacobian_slope"):
        f2 = getattr(M, fn)
        point_battery(g, fn, lambda Z, f2=f2: f2(relu3, Z))
        net_battery(g, fn, lambda n, f2=f2: f2(n, X))
        bad(g, fn, "p 'x'", ("p",), lambda f2=f2: f2(relu3, X, p="x"))
        bad(g, fn, "p NaN", ("p",), lambda f2=f2: f2(relu3, X, p=NAN))
        bad(g, fn, "chunk_size 0", ("chunk_size",), lambda f2=f2: f2(relu3, X, chunk_size=0))
        bad(g, fn, "dtype float16", ("dtype",), lambda f2=f2: f2(relu3, X, dtype=torch.float16))
    point_battery(g, "slope_power_iteration", lambda Z: M.slope_power_iteration(relu3, Z, seed=0,
                                                                                   differentiable=False))
    seed_battery(g, "slope_power_iteration", lambda s: M.slope_power_iteration(relu3, X, seed=s, differentiable=False))
    bad(g, "slope_power_iteration", "iters 0", ("iters",), lambda: M.slope_power_iteration(relu3, X, iters=0))
    bad(g, "slope_power_iteration", "v0 NaN", ("v0",),
        lambda: M.slope_power_iteration(relu3, X, v0=torch.full_like(X, NAN)))
    net_battery(g, "layer_spectral_norms", lambda n: M.layer_spectral_norms(n))
    seed_battery(g, "layer_spectral_norms", lambda s: M.layer_spectral_norms(relu3, seed=s))
    bad(g, "layer_spectral_norms", "iters -1", ("iters",), lambda: M.layer_spectral_norms(relu3, iters=-1))
    net_battery(g, "spectral_norm_bound", lambda n: M.spectral_norm_bound(n))
    seed_battery(g, "spectral_norm_bound", lambda s: M.spectral_norm_bound(relu3, seed=s))
    bad(g, "spectral_layers", "string net", ("net",), lambda: M.spectral_layers("n"))

    # ===== attacks =============================================================
    g = "attacks"
    cls = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3)).double()
    y = torch.randint(0, 3, (12,), generator=torch.Generator().manual_seed(0))
    for fn in ("fgsm", "pgd"):
        f2 = getattr(M, fn)
        point_battery(g, fn, lambda Z, f2=f2: f2(cls, Z, y, 0.1))
        bad(g, fn, "eps NaN", ("eps",), lambda f2=f2: f2(cls, X, y, NAN))
        bad(g, fn, "eps -1", ("eps",), lambda f2=f2: f2(cls, X, y, -1.0))
        bad(g, fn, "eps 'a'", ("eps",), lambda f2=f2: f2(cls, X, y, "a"))
        bad(g, fn, "y out of range", ("y",), lambda f2=f2: f2(cls, X, torch.full((12,), 7), 0.1))
        bad(g, fn, "y negative", ("y",), lambda f2=f2: f2(cls, X, torch.full((12,), -1), 0.1))
        bad(g, fn, "y float", ("y",), lambda f2=f2: f2(cls, X, y.double() + 0.5, 0.1))
        bad(g, fn, "y wrong length", ("y",), lambda f2=f2: f2(cls, X, y[:3], 0.1))
        bad(g, fn, "y string", ("y",), lambda f2=f2: f2(cls, X, "y", 0.1))
        good(g, fn, "y list", lambda f2=f2: f2(cls, X, y.tolist(), 0.1), eq_to(lambda f2=f2: f2(cls, X, y, 0.1)))
        bad(g, fn, "clamp NaN", ("clamp",), lambda f2=f2: f2(cls, X, y, 0.1, clamp=(NAN, 1.0)))
        bad(g, fn, "clamp reversed", ("clamp",), lambda f2=f2: f2(cls, X, y, 0.1, clamp=(1.0, 0.0)))
        net_battery(g, fn, lambda n, f2=f2: f2(_as_classifier(n), X, y, 0.1), names=("model", "net"))
    seed_battery(g, "pgd", lambda s: M.pgd(cls, X, y, 0.1, seed=s))
    bad(g, "pgd", "steps 0", ("steps",), lambda: M.pgd(cls, X, y, 0.1, steps=0))
    bad(g, "pgd", "step_size NaN", ("step_size",), lambda: M.pgd(cls, X, y, 0.1, step_size=NAN))

    # ===== layer algebra =======================================================
    g = "layer_algebra"
    cnn = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 6 * 6, 3))
    for fn in ("layer_algebra", "trace_graph"):
        f2 = wb.layer_algebra if fn == "layer_algebra" else M.trace_graph  # M.layer_algebra is the module
        bad(g, fn, "input_shape negative", ("input_shape",), lambda f2=f2: f2(cnn, (1, -8, 8)))
        bad(g, fn, "input_shape string", ("input_shape",), lambda f2=f2: f2(cnn, "1x8x8"))
        bad(g, fn, "input_shape None", ("input_shape",), lambda f2=f2: f2(cnn, None))
        bad(g, fn, "input_shape floats", ("input_shape",), lambda f2=f2: f2(cnn, (1, 8.5, 8)))
        bad(g, fn, "string net", ("net",), lambda f2=f2: f2("cnn", (1, 8, 8)))
        # the layer algebra is a property of the architecture (it runs on meta tensors): weights do not enter
        good(g, fn, "NaN weight (architecture only)", lambda f2=f2: _la_key(f2(_nan_copy(cnn), (1, 8, 8))),
             eq_to(lambda f2=f2: _la_key(f2(cnn, (1, 8, 8)))))
        good(g, fn, "input_shape numpy ints", lambda f2=f2: _la_key(f2(cnn, np.array([1, 8, 8]))),
             eq_to(lambda f2=f2: _la_key(f2(cnn, (1, 8, 8)))))

    # ===== activation constants ================================================
    g = "activation_constants"
    seed_battery(g, "estimate_activation_constants",
                 lambda s: M.estimate_activation_constants(n_vectors=4, length=50, seed=s))
    bad(g, "estimate_activation_constants", "input_variance NaN", ("input_variance",),
        lambda: M.estimate_activation_constants(input_variance=NAN, n_vectors=4, length=50))
    bad(g, "estimate_activation_constants", "input_variance -1", ("input_variance",),
        lambda: M.estimate_activation_constants(input_variance=-1.0, n_vectors=4, length=50))
    bad(g, "estimate_activation_constants", "distribution 'x'", ("distribution",),
        lambda: M.estimate_activation_constants(distribution="x", n_vectors=4, length=50))
    bad(g, "estimate_activation_constants", "n_vectors 0", ("n_vectors",),
        lambda: M.estimate_activation_constants(n_vectors=0, length=50))
    bad(g, "activation_variances", "activation 'x'", ("activations",),
        lambda: M.activation_variances(("x",), n_vectors=4, length=50))
    bad(g, "activation_variances", "input_variances NaN", ("input_variances",),
        lambda: M.activation_variances(("relu",), (NAN,), n_vectors=4, length=50))
    seed_battery(g, "activation_variances", lambda s: M.activation_variances(("relu",), n_vectors=4, length=50, seed=s))
    bad(g, "moving_average_variance", "kernel size 0", ("kernel",),
        lambda: M.moving_average_variance([0], n_vectors=4, length=50))
    bad(g, "moving_average_variance", "kernel size > length", ("kernel",),
        lambda: M.moving_average_variance([100], n_vectors=4, length=50))
    seed_battery(g, "moving_average_variance", lambda s: M.moving_average_variance([3], n_vectors=4, length=50, seed=s))

    # ===== bounds ==============================================================
    g = "bounds"
    bad(g, "region_upper_bound", "width -1", ("hidden_widths",), lambda: M.region_upper_bound([-1, 3]))
    bad(g, "region_upper_bound", "width 2.5", ("hidden_widths",), lambda: M.region_upper_bound([2.5]))
    bad(g, "region_upper_bound", "widths string", ("hidden_widths",), lambda: M.region_upper_bound("44"))
    bad(g, "region_upper_bound", "n_in 0", ("n_in",), lambda: M.region_upper_bound([4], n_in=0))
    bad(g, "region_upper_bound", "activation 'x'", ("activation",), lambda: M.region_upper_bound([4], activation="x"))
    good(g, "region_upper_bound", "numpy widths", lambda: M.region_upper_bound(np.array([4, 4])),
         eq_to(lambda: M.region_upper_bound([4, 4])))
    bad(g, "growth_rate_bounds", "sigma_w2 NaN", ("sigma_w2",), lambda: M.growth_rate_bounds("relu", 10, NAN))
    bad(g, "growth_rate_bounds", "sigma_w2 -1", ("sigma_w2",), lambda: M.growth_rate_bounds("relu", 10, -1.0))
    bad(g, "growth_rate_bounds", "width 0", ("width",), lambda: M.growth_rate_bounds("relu", 0, 2.0))
    bad(g, "growth_rate_bounds", "sigma_b2 inf", ("sigma_b2",), lambda: M.growth_rate_bounds("relu", 10, 2.0, INF))
    bad(g, "growth_rate_bounds", "activation 'x'", ("activation",), lambda: M.growth_rate_bounds("x", 10, 2.0))
    bad(g, "identity_rank", "active NaN", ("active",),
        lambda: M.identity_rank(2, 3, torch.tensor([[1.0, NAN]])))
    bad(g, "identity_rank", "active string", ("active",), lambda: M.identity_rank(2, 3, "a"))
    bad(g, "identity_rank", "n_in -1", ("n_in",), lambda: M.identity_rank(-1, 3, torch.ones(2, 2)))
    good(g, "identity_rank", "active list", lambda: M.identity_rank(2, 3, [[1, 1], [0, 1]]),
         eq_to(lambda: M.identity_rank(2, 3, torch.tensor([[1, 1], [0, 1]]))))
    bad(g, "sv_difference_bound", "C NaN", ("C",), lambda: M.sv_difference_bound(2, 4, NAN))
    bad(g, "sv_difference_bound", "n_out 0", ("n_out",), lambda: M.sv_difference_bound(0, 4))
    bad(g, "sv_difference_bound", "n_hidden -1", ("n_hidden",), lambda: M.sv_difference_bound(2, -1))

    # ===== underflow of deep square networks ===================================
    g = "spanning"
    deep_sq = wb.mlp([2] + [4] * 8 + [1], "square", bias=False, seed=0).eval()
    Xs = torch.rand(10, 2, generator=torch.Generator().manual_seed(0))
    good(g, "spanning_dimension", "float32 deep square net underflowing to 0 warns",
         lambda: _warns(lambda: M.spanning_dimension(deep_sq, Xs)), lambda r: r is True)
    good(g, "layer_images", "float32 deep square net underflowing to 0 warns",
         lambda: _warns(lambda: M.layer_images(deep_sq, Xs)), lambda r: r is True)
    good("sampled", "sampled_spectrum", "float32 deep square net underflowing to 0 warns",
         lambda: _warns(lambda: M.sampled_spectrum(deep_sq, Xs, 8, seed=0)), lambda r: r is True)


def _warns(f) -> bool:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            f()
        except (ValueError, ArithmeticError, RuntimeError) as exc:
            return "underflow" in str(exc)
    return any("underflow" in str(x.message) for x in w)


def _nan_copy(net):
    n = copy.deepcopy(net)
    with torch.no_grad():
        next(n.parameters()).view(-1)[0] = float("nan")
    return n


def _as_classifier(n):
    """A 3-class classifier with the hostile part of ``n`` (a 1-output relu net with NaN, meta, ...)."""
    if not isinstance(n, nn.Module):
        return n
    return nn.Sequential(n, nn.Linear(1, 3).to(next(n.parameters()).device, next(n.parameters()).dtype))


def _la_key(r):
    """What a layer-algebra result or a traced graph says: the four global values, or the nodes and the shape."""
    if hasattr(r, "log10_gcip"):
        return (r.log10_gcip, r.log10_gcc, r.log10_gsc, r.log10_gwc, r.input_shape)
    return ([n.name for n in r.gm.graph.nodes], r.input_shape)


# ---------------------------------------------------------------------------
def classify(case, timeout):
    group, fn, label, kind, names, call, check = case
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = call()
        signal.alarm(0)
    except _Timeout:
        return "hang", f"> {timeout} s"
    except Exception as exc:  # noqa: BLE001 - classification of every failure
        signal.alarm(0)
        msg = f"{type(exc).__name__}: {exc}"
        named = any(re.search(r"(?<![A-Za-z0-9_])" + re.escape(n) + r"(?![A-Za-z0-9])", str(exc)) for n in names)
        if kind == "bad":
            return ("clear" if named else "obscure"), msg[:220]
        return "refused", msg[:220]
    finally:
        signal.alarm(0)
    if kind == "bad":
        return "wrong", f"returned {_short(r)}"
    try:
        ok = check(r)
    except Exception as exc:  # noqa: BLE001
        return "wrong", f"check failed: {type(exc).__name__}: {exc}"[:220]
    return ("sensible" if ok else "wrong"), f"returned {_short(r)}"


def _short(r) -> str:
    if isinstance(r, torch.Tensor):
        if r.device.type == "meta":
            return f"meta tensor{tuple(r.shape)}"
        return f"tensor{tuple(r.shape)} {r.flatten()[:4].tolist()}"
    try:
        s = repr(r)
    except Exception:  # noqa: BLE001 - e.g. a result holding meta tensors
        s = f"<{type(r).__name__}>"
    return s if len(s) < 120 else s[:117] + "..."


CATS = ("clear", "sensible", "wrong", "obscure", "refused", "hang")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=int, default=20, help="seconds per call")
    ap.add_argument("--verbose", action="store_true", help="print every case")
    ap.add_argument("--json", help="write the outcomes to this file")
    ap.add_argument("--group", help="only this function group")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    build()
    totals = collections.Counter()
    per_group: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    rows = []
    for case in CASES:
        if args.group and case[0] != args.group:
            continue
        cat, detail = classify(case, args.timeout)
        totals[cat] += 1
        per_group[case[0]][cat] += 1
        rows.append(dict(group=case[0], function=case[1], case=case[2], kind=case[3], outcome=cat, detail=detail))
        if args.verbose or cat in ("wrong", "obscure", "refused", "hang"):
            print(f"[{cat:8}] {case[0]}.{case[1]}: {case[2]} -> {detail}")
    print()
    print(f"{'group':22}" + "".join(f"{c:>10}" for c in CATS) + f"{'total':>8}")
    for grp, c in per_group.items():
        print(f"{grp:22}" + "".join(f"{c[k]:>10}" for k in CATS) + f"{sum(c.values()):>8}")
    print(f"{'TOTAL':22}" + "".join(f"{totals[k]:>10}" for k in CATS) + f"{sum(totals.values()):>8}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
