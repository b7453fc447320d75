"""The API contract, checked over every public name (``__all__``).

* ``__all__`` is a literal list in ``workbench`` and its subpackages, every name resolves, none twice;
* ``seed`` and ``device`` are keyword-only; ``seed`` is typed ``SeedLike`` (int or ``torch.Generator``)
  and ``device`` ``DeviceLike``;
* every result object has ``.to_frame()`` returning a DataFrame;
* single-panel plots take ``ax=None`` and return ``Axes``; multi-panel plots take ``axes=None`` or ``fig=None``;
* configurations with sizes use one preset mechanism (:class:`workbench.experiments.presets.Presets`);
* the top level holds at most 120 names; no package attribute hides a submodule of the same name;
* names that left the top level in 0.2 raise an AttributeError naming their new home;
* one measure signature (issue 24): every public measure is ``measure(net, X, *, ..., device=None)``, except the
  names in ``SIGNATURE_EXCEPTIONS``, each with its reason (an exception that complies must leave the list);
  renamed keywords (``x=``, ``model=``) are refused with a ``TypeError`` that names the new keyword (no alias).

The seed / device / result contract has no list of exceptions (issue 9a's measures-side gaps are closed).
"""
from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import torch

import workbench as wb
import workbench.experiments as E
import workbench.nets as N
import workbench.plots as P
import workbench.widgets as W
from workbench.experiments.presets import Presets

ROOT = Path(wb.__file__).parent
RUNTIME_HELPERS = {"generator", "int_seed", "sub_seed"}  # their seed is the thing they convert
NOT_RESULTS = {"Trace", "Dataset", "ExactTransitionsError", "RegionLimitError", "DataNotFoundError",
               # inputs and descriptions, not results: options, rule metadata, model specs, data splits, graphs
               "LayerAlgebraOptions", "LocalMetric", "OpInfo", "ModelSpec", "EDJMData", "TracedGraph"}


PAPER_PACKAGES = ("esd", "raghu", "edjm", "layer_algebra", "pl_geometry")
PAPERS = [importlib.import_module(f"workbench.papers.{p}") for p in PAPER_PACKAGES]
MEASURE_PACKAGES = [wb.measures.partition, wb.measures.paths, wb.measures.spanning, wb.measures.layer_algebra]


def _public():
    owners = [("workbench", wb), ("plots", P), ("widgets", W)] + [(m.__name__, m) for m in PAPERS + MEASURE_PACKAGES]
    for owner, mod in owners:
        for name in mod.__all__:
            yield owner, name, getattr(mod, name)


@pytest.mark.parametrize("pkg", ["", "nets", "experiments", "plots", "widgets", "measures", "papers", "papers/esd",
                                 "papers/raghu", "papers/edjm", "papers/layer_algebra", "papers/pl_geometry",
                                 "measures/partition", "measures/paths", "measures/spanning", "measures/layer_algebra"])
def test_all_is_a_literal_list(pkg):
    path = ROOT / pkg / "__init__.py"
    tree = ast.parse(path.read_text())
    assigns = [n for n in tree.body if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__"
                                                                          for t in n.targets)]
    literal = len(assigns) == 1 and isinstance(assigns[0].value, ast.List) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in assigns[0].value.elts)
    assert literal, f"{path}: __all__ must be one literal list of strings"
    assert "reexport" not in path.read_text(), f"{path}: no dynamic re-export"


@pytest.mark.parametrize("mod", [wb, E, N, P, W, wb.measures, wb.papers] + PAPERS + MEASURE_PACKAGES,
                         ids=lambda m: m.__name__)
def test_all_names_resolve_once(mod):
    assert len(mod.__all__) == len(set(mod.__all__)), [n for n in mod.__all__ if mod.__all__.count(n) > 1]
    missing = [n for n in mod.__all__ if not hasattr(mod, n)]
    assert not missing


def test_top_level_is_small_and_hides_no_module():
    assert len(wb.__all__) <= 120, f"workbench.__all__ has {len(wb.__all__)} names (at most 120)"
    import pkgutil
    import types

    hidden = []
    for info in pkgutil.walk_packages(wb.__path__, "workbench."):
        parent, _, child = info.name.rpartition(".")
        importlib.import_module(info.name)
        if not isinstance(getattr(importlib.import_module(parent), child, None), types.ModuleType):
            hidden.append(info.name)
    assert not hidden, f"package attributes that hide the submodule of the same name: {hidden}"


def _violations():
    bad = set()
    for owner, name, obj in _public():
        if name in RUNTIME_HELPERS or not callable(obj):
            continue
        if inspect.isclass(obj) and name not in NOT_RESULTS and not name.endswith("Config") \
                and not issubclass(obj, BaseException):
            is_result = dataclasses.is_dataclass(obj) or (issubclass(obj, tuple) and hasattr(obj, "_fields"))
            if is_result and not callable(getattr(obj, "to_frame", None)):
                bad.add(f"frame:{name}")
        if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
            continue  # a dataclass's seed / device are recorded data fields, not arguments
        try:
            sig = inspect.signature(obj)
        except (TypeError, ValueError):
            continue
        for p in sig.parameters.values():
            if p.name in ("seed", "device") and p.kind is not p.KEYWORD_ONLY:
                bad.add(f"kwonly:{name}.{p.name}")
            if p.name == "seed" and "SeedLike" not in str(p.annotation):
                if not (owner == "widgets" and str(p.annotation) == "int"):  # a panel's seed is a slider value
                    bad.add(f"seed:{name}")
            if p.name == "device" and "DeviceLike" not in str(p.annotation):
                bad.add(f"device:{name}")
    return bad


def test_seed_device_and_results_follow_the_contract():
    bad = _violations()
    assert not bad, f"names breaking the API contract: {sorted(bad)}"


def test_plot_signatures():
    for name in P.__all__:
        if not (name.startswith("plot_") or name.startswith("animate_")):
            continue
        sig = inspect.signature(getattr(P, name))
        panel = [k for k in ("ax", "axes", "fig") if k in sig.parameters]
        assert panel, f"{name} takes none of ax= / axes= / fig="
        for k in panel:
            assert sig.parameters[k].default is None, f"{name}: {k} must default to None"
        if panel == ["ax"]:
            assert "Axes" in str(sig.return_annotation), f"{name}: a single-panel plot returns Axes"
            assert any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()), f"{name} takes no **style"


def test_style_keywords_reach_the_axes():
    r = wb.esd([1, 2, 1], "relu", samples=3, seed=0, device="cpu")
    ax = P.plot_sd_distribution(r, xlabel="spanning dimension (ours)", xlim=(0, 5))
    assert ax.get_xlabel() == "spanning dimension (ours)" and ax.get_xlim() == (0.0, 5.0)


def test_configs_share_one_preset_mechanism():
    for _, name, obj in _public():
        if not (inspect.isclass(obj) and name.endswith("Config")):
            continue
        assert dataclasses.is_dataclass(obj) and obj.__dataclass_params__.frozen, f"{name} is a frozen dataclass"
        sized = any(hasattr(obj, m) for m in ("smoke", "full", "preset"))
        if not sized:
            continue
        assert issubclass(obj, Presets), f"{name} must size itself through Presets"
        assert obj.preset.__func__ is Presets.preset.__func__, f"{name} redefines preset()"
        assert {"smoke", "full"} <= set(obj.PRESETS)
        for p in obj.PRESETS:
            assert obj.preset(p) == getattr(obj, p)()
        with pytest.raises(ValueError, match=f"unknown preset 'huge' for {name}"):
            obj.preset("huge")


def test_result_frames_are_dataframes():
    r = wb.esd([1, 2, 1], "relu", samples=3, seed=0, device="cpu")
    assert isinstance(r.to_frame(), pd.DataFrame) and len(r.to_frame()) == 3
    tr = wb.papers.raghu.circle_through_layers((3, 4, 2), "tanh", n_points=10, seed=0, device="cpu")
    f = tr.to_frame()
    assert len(f) == 3 * 10 and {"layer", "t", "x", "y", "length"} <= set(f.columns)


def test_sub_seed_is_the_seedsequence_derivation():
    import numpy as np
    import torch

    want = int(np.random.SeedSequence(entropy=5, spawn_key=(2, 3)).generate_state(1, np.uint64)[0] >> np.uint64(1))
    assert wb.sub_seed(5, 2, 3) == want
    assert wb.sub_seed(5, 2) != wb.sub_seed(5, 3) and wb.sub_seed(5, 2) != wb.sub_seed(6, 2)
    g1, g2 = torch.Generator().manual_seed(9), torch.Generator().manual_seed(9)
    assert wb.sub_seed(g1, 1) == wb.sub_seed(g2, 1)
    with pytest.raises(ValueError, match="keys must be non-negative ints"):
        wb.sub_seed(0, -1)
    with pytest.raises(TypeError, match="seed must be an int"):
        wb.sub_seed("0")


def test_moved_names_say_where_they_went():
    """Names that left the top level in 0.2 raise an AttributeError naming their new home (no alias)."""
    from workbench._moved import MOVED

    with pytest.raises(AttributeError, match=r"length_growth moved to workbench\.papers\.raghu\.length_growth"):
        wb.length_growth  # noqa: B018
    with pytest.raises(AttributeError, match="workbench.mixed_mlp"):
        wb.random_mlp  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        wb.nope  # noqa: B018
    for name, where in MOVED.items():  # every listed home really holds the name, and the top level does not
        assert name not in wb.__all__
        if name != "random_mlp":
            assert hasattr(importlib.import_module(where), name), (name, where)



def test_reprs_are_one_short_line():
    from workbench.papers import raghu

    objs = [wb.data.digits(), wb.mlp([2, 4, 3, 1], seed=0).trace(torch.randn(5, 2)),
            raghu.circle_through_layers([2, 8, 8, 1], n_points=50, seed=0)]
    for o in objs:
        text = repr(o)
        assert "\n" not in text and len(text) < 200 and "tensor(" not in text, text


# ---------------------------------------------------------------------------
# One measure signature (issue 24): measure(net, X, *, ..., seed=None, device=None)
# ---------------------------------------------------------------------------
_NO_NETWORK = "closed form or helper: takes sizes, constants or a result already computed, not a network at points"
SIGNATURE_EXCEPTIONS = {
    # the papers' closed forms
    "region_upper_bound": _NO_NETWORK, "growth_rate_bounds": _NO_NETWORK, "identity_rank": _NO_NETWORK,
    "sv_difference_bound": _NO_NETWORK,
    # exact geometry over a domain or along a path, not at sampled points
    "partition_2d": "exact regions over a rectangle: the domain is bounds=, not points",
    "partition_plane": "exact regions in the plane through three points x0, x1, x2",
    "circle_transitions": "exact along the circle through x0 and x1, not at sampled points",
    "segment_transitions": "exact along the segment from a to b, not at sampled points",
    "count_regions_on_segment": "exact along the segment from a to b, not at sampled points",
    "regions_on_line": "reads a Partition (a result), not a network",
    "clip_polygons": "the partition engine's polygon kernel: polygons, not a network",
    "default_max_bytes": "memory budget of the partition engine", "partition_bytes_per_region": _NO_NETWORK,
    # polynomial spanning dimension: exact over all inputs, integer arithmetic
    "polynomial_spanning_dimension": "exact over every input (coefficients of the polynomial in x): no points",
    "polynomial_spanning_dimension_points": "points are distinct integers for the exact route (Vandermonde, "
                                            "ESD §3.1), not a float tensor X",
    "coefficient_jacobian": "exact integer building block of the polynomial spanning dimension: no points",
    "network_jacobian_at_points": "exact integer building block: integer points and parameters",
    "random_integer_parameters": "draws integer parameters: no points",
    # linear algebra on matrices and spectra already computed
    "effective_rank": "rank of a matrix or spectrum", "numerical_rank": "rank of a matrix",
    "exact_rank": "rank of an integer matrix", "singular_values": "spectrum of a matrix",
    "gram_singular_values": "spectrum of a Jacobian already computed",
    "jacobian_spanning_dimension": "spanning dimension of a Jacobian already computed",
    "jacobian_singular_values": "spectrum of a Jacobian already computed",
    "lowrank_singular_values": "spectrum of a Jacobian already computed",
    "edjm_score": "score of a spectrum already computed", "max_score": _NO_NETWORK,
    "check_reduction": "validates a reduce= argument",
    "ensemble_parameter_jacobian": "(base, params, buffers, X): a vmapped ensemble's stacked state, not one module",
    # paths
    "circle": "builds an input path: no network", "segment": "builds an input path: no network",
    "trajectory_length": "length of points already mapped (a layer image)",
    "activation_states": "reads pre-activations already computed",
    # the network alone
    "count_parameters": "a count over the parameters: no points",
    "sample_coordinates": "draws parameter coordinates from a network or a count: no points",
    "exact_route_problem": "a predicate on the network's layers: no points",
    "layer_spectral_norms": "from the weights alone (Yoshida & Miyato 2017): no points",
    "spectral_norm_bound": "from the weights alone (Yoshida & Miyato 2017): no points",
    "spectral_layers": "lists the network's layers: no points",
    # layer algebra: (net, input_shape), from the architecture alone (shapes on meta): no points, no device
    "layer_algebra": "from the architecture and input_shape, not points", "trace_graph": "from the architecture and "
                                                                                         "input_shape, not points",
    "layer_algebra_rules": "the rule table: no network",
    "activation_variances": "constants of the activations: no network",
    "estimate_activation_constants": "constants of the activations: no network",
    "moving_average_variance": "constants of a moving average: no network",
}
NO_DEVICE = {  # (net, X) measures without device=, with the reason
    "per_point_gradient_loop": "the reference per-point loop that tests compare the batched Jacobian with; "
                               "runs where the network is",
}


def _measures():
    """Every public function of ``workbench.measures`` and the top-level functions defined there."""
    found = {}
    for name in wb.measures.__all__:
        obj = getattr(wb.measures, name)
        if inspect.isfunction(obj):
            found[name] = obj
    for name in wb.__all__:
        obj = getattr(wb, name)
        if inspect.isfunction(obj) and obj.__module__.startswith("workbench.measures"):
            found[name] = obj
    return found


def _complies(fn) -> list[str]:
    ps = list(inspect.signature(fn).parameters.values())
    problems = []
    if [p.name for p in ps[:2]] != ["net", "X"] or any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                                                        for p in ps[:2]):
        problems.append(f"starts ({', '.join(p.name for p in ps[:2])}), not (net, X)")
    names = {p.name for p in ps}
    if names & {"model", "x"}:
        problems.append(f"takes {sorted(names & {'model', 'x'})} (the names are net and X)")
    return problems


def test_every_public_measure_takes_net_X_and_device():
    bad = {}
    for name, fn in _measures().items():
        if name in SIGNATURE_EXCEPTIONS:
            continue
        problems = _complies(fn)
        dev = inspect.signature(fn).parameters.get("device")
        if name not in NO_DEVICE and (dev is None or dev.kind is not dev.KEYWORD_ONLY or dev.default is not None):
            problems.append("no keyword-only device=None")
        if problems:
            bad[name] = problems
    assert not bad, f"public measures off the one signature measure(net, X, *, ..., device=None): {bad}"


def test_no_measure_names_its_network_model():
    """One name per concept: the exceptions too call a network argument ``net`` (none takes ``model``)."""
    bad = {name: list(inspect.signature(fn).parameters) for name, fn in _measures().items()
           if "model" in inspect.signature(fn).parameters}
    assert not bad, f"public measures with a parameter named model (the name is net): {bad}"
    for name in ("layer_algebra", "trace_graph"):  # architecture-only exceptions: the network comes first, as net
        first = next(iter(inspect.signature(_measures()[name]).parameters.values()))
        assert first.name == "net" and first.kind is first.POSITIONAL_OR_KEYWORD, (name, first)


def test_signature_exceptions_are_real_and_current():
    measures = _measures()
    stale = sorted((set(SIGNATURE_EXCEPTIONS) | set(NO_DEVICE)) - set(measures))
    assert not stale, f"exceptions naming no public measure: {stale}"
    complying = [n for n in SIGNATURE_EXCEPTIONS if not _complies(measures[n])]
    assert not complying, f"these comply now: take them off SIGNATURE_EXCEPTIONS: {complying}"
    with_device = [n for n in NO_DEVICE if "device" in inspect.signature(measures[n]).parameters]
    assert not with_device, f"these take device= now: take them off NO_DEVICE: {with_device}"
    assert all(isinstance(r, str) and len(r) > 10 for r in SIGNATURE_EXCEPTIONS.values())


def _renamed_calls():
    """For each measure with a renamed keyword: (old keyword call, new keyword call) as zero-argument functions."""
    net = wb.mlp([2, 5, 5, 3], "relu", seed=0).double().eval()
    X = torch.randn(6, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    M = wb.measures
    affine = {n: (partial(getattr(M, n), net, x=X, device="cpu"), partial(getattr(M, n), net, X=X, device="cpu"))
              for n in ("local_affine", "activation_pattern", "distance_to_edge", "local_rank",
                        "local_singular_values", "adjacent_sv_difference")}
    sampled = {n: (partial(getattr(M, n), model=net, X=X, **kw), partial(getattr(M, n), net=net, X=X, **kw))
               for n, kw in (("sampled_spectrum", dict(k=8, seed=0, device="cpu")),
                             ("sampled_spanning_dimension", dict(k=8, seed=0, device="cpu")),
                             ("sampled_gradient_rows", dict(coords=torch.arange(8), device="cpu")))}
    attacks = {"fgsm": (lambda: M.fgsm(model=net, X=X, y=y, eps=0.1, device="cpu"),
                        lambda: M.fgsm(net=net, X=X, y=y, eps=0.1, device="cpu")),
               "pgd": (lambda: M.pgd(model=net, X=X, y=y, eps=0.1, steps=2, seed=0, device="cpu"),
                       lambda: M.pgd(net=net, X=X, y=y, eps=0.1, steps=2, seed=0, device="cpu"))}
    conv = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU())
    algebra = {f.__name__: (partial(f, model=conv, input_shape=(1, 6, 6)), partial(f, net=conv, input_shape=(1, 6, 6)))
               for f in (wb.layer_algebra, M.trace_graph)}  # M.layer_algebra is the module of that name
    return {**affine, **sampled, **attacks, **algebra, "count_parameters": (lambda: wb.count_parameters(model=net),
                                                                 lambda: wb.count_parameters(net=net))}


def test_renamed_keywords_are_refused_with_the_new_name():
    """The keywords renamed in 0.2.0 are no aliases: the old spelling is a TypeError naming the new keyword."""
    import warnings

    calls = _renamed_calls()
    renamed = {n for n, f in {**_measures(), "count_parameters": wb.count_parameters}.items()
               if getattr(f, "__renamed_keywords__", None)}
    assert renamed == set(calls), f"measures with renamed keywords and no refusal test: {renamed ^ set(calls)}"
    for name, (old, new) in calls.items():
        fn = _measures().get(name, wb.count_parameters)
        (old_kw, new_kw), = fn.__renamed_keywords__.items()
        with pytest.raises(TypeError, match=rf"^{name}\(\): the keyword '{old_kw}' was renamed '{new_kw}' in "
                                            rf"workbench 0\.2\.0 \(CHANGELOG\.md\)$"):
            old()
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)  # the new name runs, and does not warn
            new()


def test_old_and_new_keyword_together_is_an_error():
    net = wb.mlp([2, 4, 1], "relu", seed=0).double()
    X = torch.zeros(3, 2, dtype=torch.float64)
    with pytest.raises(TypeError, match=r"the keyword 'x' was renamed 'X'"):
        wb.local_affine(net, x=X, X=X)
    from workbench.validation import renamed_keywords

    with pytest.raises(ValueError, match="different keyword"):
        renamed_keywords(x="x")


def test_n_parameters_is_removed_and_names_count_parameters():
    """``n_parameters`` (a deprecated alias in 0.2's first cut) is gone from both places it was imported from."""
    with pytest.raises(AttributeError, match=r"workbench\.nets\.n_parameters was removed .*workbench\.count_param"):
        wb.nets.n_parameters  # noqa: B018
    with pytest.raises(AttributeError, match=r"workbench\.n_parameters was removed .*workbench\.count_parameters"):
        wb.n_parameters  # noqa: B018
    assert "n_parameters" not in wb.nets.__all__ and "n_parameters" not in wb.__all__
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        wb.nets.nope  # noqa: B018


def _returns_tensors(fn) -> bool:
    ann = str(inspect.signature(fn).return_annotation)
    return "Tensor" in ann


def test_tensor_results_have_a_documented_contract():
    """Issue 24 item 4: a public measure that returns bare tensors (per-point values: slopes, singular values,
    patterns, Jacobians) documents what it returns: the shape, under a Returns section or in its text; every
    other result is a Result type with ``.to_frame()`` (checked above). The shared conventions (points on the
    first axis, the computation's device and dtype) are stated once in ARCHITECTURE.md."""
    import re

    missing = []
    for name in wb.measures.__all__:
        fn = getattr(wb.measures, name)
        if not inspect.isfunction(fn) or not _returns_tensors(fn):
            continue
        doc = inspect.getdoc(fn) or ""
        if not (re.search(r"^Returns\n-+", doc, re.M) or re.search(r"``\(", doc) or "shape" in doc):
            missing.append(name)
    assert not missing, f"tensor-returning measures without a documented shape: {missing}"
    text = (ROOT.parent / "ARCHITECTURE.md").read_text()
    assert "Tensor results" in text, "ARCHITECTURE.md must state the tensor-result contract"
