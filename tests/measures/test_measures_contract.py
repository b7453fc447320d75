"""The API contract on the measures (issue 9): seeds that are ints or Generators, ``.to_frame()`` on every
result, one vocabulary for ``reduce=``, an explicit ``__all__``, no private imports across modules."""
from __future__ import annotations

import ast
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

import workbench as wb
import workbench.measures as M
from workbench.measures.spanning.dimension import lowrank_singular_values, parameter_jacobian, spanning_dimension
from workbench.measures.spanning.polynomial import (
    coefficient_jacobian,
    network_jacobian_at_points,
    polynomial_spanning_dimension,
    polynomial_spanning_dimension_points,
    random_integer_parameters,
)
from workbench.measures.spanning.reductions import REDUCTIONS, REMOVED_REDUCTIONS, SAMPLED_REDUCES, check_reduction

ROOT = Path(wb.__file__).parent


def _gen(s):
    return torch.Generator().manual_seed(s)


# ------------------------------------------------------------------ seed: int or torch.Generator
POLY_FNS = [random_integer_parameters, coefficient_jacobian, network_jacobian_at_points,
            polynomial_spanning_dimension, polynomial_spanning_dimension_points]


@pytest.mark.parametrize("fn", POLY_FNS, ids=lambda f: f.__name__)
def test_polynomial_measures_take_a_generator(fn):
    """A Generator gives the numbers of the int it yields (``int_seed``), and advances (a stream, not a copy)."""
    net = wb.mlp([1, 2, 2, 1], "square", seed=0)
    g = _gen(5)
    got = fn(net, seed=g)
    assert got == fn(net, seed=wb.int_seed(_gen(5)))
    if fn is random_integer_parameters:  # the generator advanced: the next draw is another one
        assert fn(net, seed=g) != got


def test_polynomial_spanning_dimension_generator_value_and_trials():
    net = wb.mlp([1, 1, 1, 1], "square", seed=0)  # the paper's toy network: PSD 4 (§2.1)
    assert polynomial_spanning_dimension(net, seed=_gen(1), trials=3) == 4
    assert polynomial_spanning_dimension_points(net, seed=_gen(1), exact=False) == 4


@pytest.mark.parametrize("fn", POLY_FNS, ids=lambda f: f.__name__)
def test_polynomial_measures_refuse_bad_seeds(fn):
    net = wb.mlp([1, 1, 1, 1], "square", seed=0)
    with pytest.raises(ValueError, match="seed must be non-negative, got -1"):
        fn(net, seed=-1)
    with pytest.raises(TypeError, match="seed must be an int, a torch.Generator or None, not str"):
        fn(net, seed="0")


def test_lowrank_singular_values_take_a_generator():
    g = _gen(0)
    J = torch.randn(60, 5, generator=g, dtype=torch.float64) @ torch.randn(5, 60, generator=g, dtype=torch.float64)
    exact = torch.linalg.svdvals(J)
    a = lowrank_singular_values(J, k=8, seed=_gen(3))
    assert torch.equal(a, lowrank_singular_values(J, k=8, seed=3))  # same stream as the int
    assert torch.allclose(a, exact, atol=1e-9)
    g = _gen(4)
    assert torch.allclose(lowrank_singular_values(J, k=8, seed=g), exact, atol=1e-9)
    assert torch.allclose(lowrank_singular_values(J, k=8, seed=g), exact, atol=1e-9)  # advanced, still certified
    with pytest.raises(ValueError, match="seed must be non-negative, got -2"):
        lowrank_singular_values(J, seed=-2)
    with pytest.raises(TypeError, match="seed must be an int, a torch.Generator or None, not float"):
        lowrank_singular_values(J, seed=1.5)


# ------------------------------------------------------------------ .to_frame() on every result
def _pl_net(seed=0):
    return wb.mlp([2, 5, 4, 3], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.3, seed=seed).double()


def _X(n, d=2, seed=0):
    return torch.randn(n, d, generator=_gen(seed), dtype=torch.float64)


def test_edge_distance_frame(device):
    ed = wb.distance_to_edge(_pl_net(), _X(7).to(device), device=device)
    f = ed.to_frame()  # from tensors on any device
    assert list(f.columns) == ["point", "distance", "layer", "neuron", "breakpoint"]
    assert len(f) == 7 and f["point"].tolist() == list(range(7))
    np.testing.assert_array_equal(f["distance"].to_numpy(), ed.distance.cpu().numpy())
    np.testing.assert_array_equal(f["neuron"].to_numpy(), ed.neuron.cpu().numpy())


def test_local_rank_frame_has_one_active_column_per_layer(device):
    lr = wb.local_rank(_pl_net(), _X(6).to(device), device=device)
    f = lr.to_frame()
    assert list(f.columns) == ["point", "rank", "identity_rank", "active_1", "active_2"]
    assert len(f) == 6
    np.testing.assert_array_equal(f[["active_1", "active_2"]].to_numpy(), lr.active.cpu().numpy())
    np.testing.assert_array_equal(f["rank"].to_numpy(), lr.rank.cpu().numpy())


def test_adjacent_sv_difference_frame(device):
    r = wb.adjacent_sv_difference(_pl_net(), _X(5).to(device), device=device)
    f = r.to_frame()
    assert list(f.columns) == ["point", "sq_diff", "frob2", "distance", "layer", "neuron"]
    assert len(f) == 5
    assert (f["sq_diff"] <= f["frob2"] + 1e-12).all()  # eq. 2.7, the frame carries the same numbers
    np.testing.assert_array_equal(f["frob2"].to_numpy(), r.frob2.cpu().numpy())


def test_dichotomies_frame_is_one_row_per_sweep():
    net = wb.mlp([3, 6, 6, 1], "relu", init="gaussian", sigma_w2=2.0, seed=1)
    d = wb.count_dichotomies(net, _X(8, 3).float(), layer=0, n_steps=300, seed=_gen(2), device="cpu")
    f = d.to_frame()
    assert len(f) == 1
    assert f.iloc[0].to_dict() == dict(layer=0, remaining_depth=d.remaining_depth, n_inputs=8, n_steps=300,
                                       n_dichotomies=d.n_dichotomies, n_label_flips=d.n_label_flips,
                                       n_transitions=d.n_transitions)


def test_sampled_spectrum_frame():
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double().eval()
    s = wb.sampled_spectrum(net, _X(5, 3), 12, seed=_gen(0), device="cpu")
    f = s.to_frame()
    assert list(f.columns) == ["index", "singular_value", "n_params", "n_coords", "n_inputs", "reduce",
                               "effective_rank"]
    assert len(f) == len(s.singular_values) == 5
    assert f["singular_value"].is_monotonic_decreasing
    assert set(f["reduce"]) == {"pick_first"} and set(f["n_coords"]) == {12} and set(f["n_params"]) == {26}
    assert f["effective_rank"].iloc[0] == pytest.approx(s.effective_rank)


def test_sampled_transitions_frame_single_and_ensemble():
    net = wb.mlp([2, 4, 3, 1], "relu", seed=0)
    X = wb.circle(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), 64)
    s = wb.sampled_transitions(net, X, device="cpu")
    f = s.to_frame()
    assert list(f.columns) == ["layer", "transitions", "n_patterns", "n_points"]
    assert f["layer"].tolist() == [1, 2] and f["transitions"].tolist() == s.per_layer.tolist()
    ens = wb.mlp_ensemble([2, 4, 3, 1], 3, "relu", seed=1, device="cpu")
    se = wb.sampled_transitions(ens, X)
    fe = se.to_frame()
    assert list(fe.columns) == ["index_0", "layer", "transitions", "n_patterns", "n_points"]
    assert len(fe) == 3 * 2 and fe.groupby("index_0")["transitions"].sum().tolist() == se.total.tolist()
    assert fe.groupby("index_0")["n_patterns"].first().tolist() == se.n_patterns.tolist()
    assert set(fe["n_points"]) == {64}


def test_partition_frame_is_one_row_per_region(device):
    part = wb.partition_2d(_pl_net(), bounds=(-1, 1, -1, 1), device=device)
    f = part.to_frame()
    assert isinstance(f, pd.DataFrame) and len(f) == len(part)
    assert f["region"].tolist() == list(range(len(part)))
    assert f["area"].sum() == pytest.approx(part.domain_area, rel=1e-9)
    pd.testing.assert_frame_equal(f, part.table())


# ------------------------------------------------------------------ one vocabulary for reduce=
def test_check_reduction_names_and_errors():
    assert REDUCTIONS == ("pick_first", "sum_squares", "mean") and SAMPLED_REDUCES == ("pick_first", "sum_squares")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for r in REDUCTIONS:
            assert check_reduction(r) == r
    for old in REMOVED_REDUCTIONS:
        with pytest.raises(ValueError, match=f"reduce={old!r} was renamed reduce='pick_first' in workbench 0.2.0"):
            check_reduction(old, SAMPLED_REDUCES)
    with pytest.raises(ValueError, match="unknown reduce 'mean'; allowed values: 'pick_first', 'sum_squares'"):
        check_reduction("mean", SAMPLED_REDUCES)
    with pytest.raises(ValueError, match=r"unknown reduce None; allowed values: 'pick_first'"):
        check_reduction(None)
    with pytest.raises(ValueError, match=r"unknown reduce \['first'\]"):
        check_reduction(["first"])


def test_old_first_spelling_is_refused_with_the_new_name():
    net = wb.mlp([2, 4, 3], "tanh", seed=0).double()
    X = _X(9)
    renamed = "reduce='first' was renamed reduce='pick_first'"
    with pytest.raises(ValueError, match=renamed):
        spanning_dimension(net, X, reduce="first", device="cpu")
    with pytest.raises(ValueError, match=renamed):
        parameter_jacobian(net, X, "first", device="cpu")
    with pytest.raises(ValueError, match=renamed):
        wb.esd([1, 2, 1], "relu", samples=2, reduce="first", seed=0, device="cpu")


def test_every_reduce_default_uses_the_one_vocabulary():
    import importlib
    import inspect

    papers = ("esd", "raghu", "edjm", "layer_algebra", "pl_geometry")
    mods = [wb] + [importlib.import_module(f"workbench.papers.{p}") for p in papers]
    names = [(m, n) for m in mods for n in m.__all__ if callable(getattr(m, n))]
    seen = 0
    for m, n in names:
        try:
            sig = inspect.signature(getattr(m, n))
        except (TypeError, ValueError):
            continue
        p = sig.parameters.get("reduce")
        if p is not None and isinstance(p.default, str):
            seen += 1
            assert p.default in REDUCTIONS + ("none",), f"{n}: reduce default {p.default!r}"
    assert seen >= 6


# ------------------------------------------------------------------ module structure
def _all_of(path: Path) -> list[str]:
    names = []
    for node in ast.parse(path.read_text()).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) \
            else []
        if any(getattr(t, "id", "") == "__all__" for t in targets):
            names += [e.value for e in node.value.elts]
    return names


SUBPACKAGES = ("partition", "paths", "spanning", "layer_algebra")
MODULE_NAMED_LIKE_ITS_FUNCTION = ("edjm", "slope", "layer_algebra")  # here the name is the module


def test_measures_all_is_the_union_of_its_modules():
    """``workbench.measures.__all__`` = its modules and subpackages + the union of their ``__all__``, where a
    function named like its module (``edjm``, ``slope``, ``layer_algebra``) is reached through the module."""
    mods = {p.stem: _all_of(p) for p in (ROOT / "measures").glob("*.py") if p.stem != "__init__"}
    for sub in SUBPACKAGES:
        mods[sub] = _all_of(ROOT / "measures" / sub / "__init__.py")
    want = {n for names in mods.values() for n in names} - set(MODULE_NAMED_LIKE_ITS_FUNCTION)
    want |= set(mods) - {"__init__"}
    want -= {"kernels"}
    assert set(M.__all__) == want, (sorted(want - set(M.__all__)), sorted(set(M.__all__) - want))
    for n in M.__all__:
        if n in wb.__all__ and n not in MODULE_NAMED_LIKE_ITS_FUNCTION:
            assert getattr(M, n) is getattr(wb, n), n
    for n in MODULE_NAMED_LIKE_ITS_FUNCTION:
        assert getattr(wb, n) is getattr(getattr(M, n), n) or n == "layer_algebra", n
    assert wb.layer_algebra is M.layer_algebra.layer_algebra


def test_no_module_imports_another_packages_private_names():
    """A leading underscore is private to its package: the stage modules of one package (the partition engine's
    split and maps stages, the piecewise core's ops and compiler) share helpers; other packages never reach in."""
    bad = []
    for path in ROOT.rglob("*.py"):
        here = "workbench." + ".".join(path.relative_to(ROOT).with_suffix("").parts)
        package = here if path.name == "__init__.py" else here.rpartition(".")[0]
        package = package.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__" and node.level == 0:
                for a in node.names:
                    private = a.name.startswith("_") and not a.name.startswith("__")
                    if private and node.module.rpartition(".")[0] != package and node.module != package:
                        bad.append(f"{path.relative_to(ROOT)}: from {node.module} import {a.name}")
    assert not bad, bad
