"""The API contract, checked over every public name (``__all__``).

* ``__all__`` is a literal list in ``workbench`` and its subpackages, every name resolves, none twice;
* ``seed`` and ``device`` are keyword-only; ``seed`` is typed ``SeedLike`` (int or ``torch.Generator``)
  and ``device`` ``DeviceLike``;
* every result object has ``.to_frame()`` returning a DataFrame;
* single-panel plots take ``ax=None`` and return ``Axes``; multi-panel plots take ``axes=None`` or ``fig=None``;
* configurations with sizes use one preset mechanism (:class:`workbench.experiments.presets.Presets`);
* the top level holds at most 120 names; no package attribute hides a submodule of the same name;
* names that left the top level in 0.2 raise an AttributeError naming their new home.

There is no list of exceptions: every public name complies (issue 9a's measures-side gaps are closed).
"""
from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
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
