"""Layer algebra: intrinsic power and complexity of a network's architecture (Badias & Banerjee, §4-6).

:func:`layer_algebra` traces any ``nn.Module`` with ``torch.fx`` (so additions,
concatenations and branches are real edges), propagates shapes on the ``meta``
device (the model's own parameters are swapped for meta tensors during the
pass: nothing is computed and no weights are allocated), gives every operation
its local power ``p`` and complexity ``c`` from the rule table
(:mod:`workbench.measures.layer_algebra.rules`) and propagates cumulative
values from a unit input (§6):

* along a path, products: ``P = P_prev p`` (eq. 18), ``C = C_prev c``;
* at a node with several data inputs, the *maximum* of the incoming powers
  (eq. 19) and the *sum* of the incoming complexities (eq. 20);
* a branch copies the value to every consumer.

That is §6 (and Fig. 4, ``y = u G(L_1) G(L_2) ...``).  Eq. 2 defines a cumulative
property as the integral of the local values instead; ``accumulate="sum"``
reads it as a sum along the path from a zero input: ``P = P_prev + p``,
``C = C_prev + c``, neutral operations adding 0, the merges still eqs. 19-20.
A chain of ``k`` identical layers then gives ``k p`` and ``k c`` (product:
``p^k`` and ``c^k``), a chain's GCC equals its GSC, and every branch that
merges again counts the value before it once per path (a residual block
``C -> 2 C + c_block``).

The global values are GCIP = ``P`` and GCC = ``C`` at the output, the global
sum complexity GSC = sum of the local complexities of the non-neutral
operations (eq. 3), and GWC = GCC x GSC (§7.4).  Cumulative values overflow
float64 in deep networks (ResNet-152's GCC is about 1e400), so they are carried
as base-10 logarithms; ``.gcc`` is then ``inf`` and ``.log10_gcc`` the number.
"""
from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
import torch.fx as fx
from torch import nn

from workbench.measures.layer_algebra.rules import (
    BUILTIN_LEAF_MODULES,
    LayerAlgebraError,
    LayerAlgebraOptions,
    LocalMetric,
    OpInfo,
    RuleTable,
    function_label,
    layer_algebra_rules,
)
from workbench.validation import renamed_keywords

__all__ = ["layer_algebra", "LayerAlgebraResult", "trace_graph", "TracedGraph"]


# ------------------------------------------------------------------ tracing


class _PathTracer(fx.Tracer):
    """An fx tracer that remembers which module it is inside (for error messages)."""

    def __init__(self, leaf_modules: tuple = ()):
        super().__init__()
        self.stack: list[str] = []
        self.failed_in: str | None = None
        self._param_names: dict | None = None
        self.extra_leaves = tuple(leaf_modules)

    def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
        if self.extra_leaves and isinstance(m, self.extra_leaves):
            return True
        return super().is_leaf_module(m, qualname)

    def getattr(self, attr, attr_val, parameter_proxy_cache):
        # fx scans every parameter of the root for each parameter attribute read; index them once
        if isinstance(attr_val, nn.Parameter):
            if self._param_names is None:
                self._param_names = {id(p): n for n, p in self.root.named_parameters()}
            n = self._param_names.get(id(attr_val))
            if n is not None:
                if n not in parameter_proxy_cache:
                    parameter_proxy_cache[n] = self.create_proxy("get_attr", n, (), {})
                return parameter_proxy_cache[n]
        return super().getattr(attr, attr_val, parameter_proxy_cache)

    def call_module(self, m, forward, args, kwargs):
        try:
            path = self.path_of_module(m)
        except NameError:
            path = type(m).__name__
        self.stack.append(f"{path or '<root>'} ({type(m).__name__})")
        try:
            return super().call_module(m, forward, args, kwargs)
        except Exception:
            if self.failed_in is None:
                self.failed_in = self.stack[-1]
            raise
        finally:
            self.stack.pop()


def _constant_defaults(model: nn.Module) -> dict | None:
    """Arguments of ``forward`` with a bool or None default are traced as those constants (e.g. ``MLP``'s
    ``trace=False``): fx would otherwise turn them into proxies that Python control flow cannot branch on."""
    import inspect

    try:
        params = inspect.signature(model.forward).parameters.values()
    except (TypeError, ValueError):
        return None
    fixed = {p.name: p.default for p in params
             if p.default is not inspect.Parameter.empty and (p.default is None or isinstance(p.default, bool))}
    return fixed or None


def _default_rule_keys() -> frozenset:
    return frozenset(layer_algebra_rules().keys())


def _trace(model: nn.Module, leaf_modules: tuple) -> fx.GraphModule:
    tracer = _PathTracer(leaf_modules)
    try:
        graph = tracer.trace(model, concrete_args=_constant_defaults(model))
    except Exception as exc:
        where = tracer.failed_in or f"<root> ({type(model).__name__})"
        nodes = list(tracer.graph.nodes) if getattr(tracer, "graph", None) is not None else []
        after = f", after node {nodes[-1].name!r}" if nodes else ""
        raise LayerAlgebraError(
            f"torch.fx cannot trace {type(model).__name__}: it failed inside module {where}{after}: "
            f"{type(exc).__name__}: {exc}. Data-dependent Python control flow cannot be traced; "
            "rewrite that forward without it, or keep that module opaque with "
            "leaf_modules=(ItsClass,) and give it a rule (layer_algebra_rules().register(ItsClass, rule))."
        ) from exc
    for ph in [n for n in graph.nodes if n.op == "placeholder" and n.args]:  # a constant default and its guard
        for user in list(ph.users):
            for guard in list(user.users):
                graph.erase_node(guard)
            graph.erase_node(user)
        graph.erase_node(ph)
    return fx.GraphModule(tracer.root, graph, type(model).__name__)


_SHAPE_PRESERVING = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm, nn.modules.dropout._DropoutNd,
                     nn.Identity, nn.ReLU, nn.ReLU6, nn.GELU, nn.SiLU, nn.Sigmoid, nn.Tanh, nn.Hardswish,
                     nn.Hardsigmoid, nn.Mish, nn.ELU, nn.LeakyReLU)


def _same_shape_functions() -> frozenset:
    import torch.nn.functional as F

    fns = {F.relu, torch.relu, F.relu6, F.gelu, F.silu, F.hardswish, F.hardsigmoid, torch.sigmoid, torch.tanh,
           F.dropout, F.layer_norm}
    try:
        from torchvision.models.swin_transformer import shifted_window_attention
        from torchvision.ops import stochastic_depth

        fns |= {shifted_window_attention, stochastic_depth}
    except ImportError:  # pragma: no cover
        pass
    return frozenset(fns)


_SAME_SHAPE_FUNCTIONS = _same_shape_functions()
_BROADCASTING = frozenset({operator.add, operator.mul, operator.sub, operator.truediv, operator.iadd,
                           operator.imul, torch.add, torch.mul, torch.sub})


class _Prop(fx.Interpreter):
    """Runs the graph on meta tensors and stores every node's value in ``node.meta['la_value']``.

    Normalisations, dropout and identities return their input unchanged (same
    shape): meta batch norm runs a slow Python decomposition and would
    dominate the time.
    """

    def call_module(self, target, args, kwargs):
        mod = self.fetch_attr(target)
        if (isinstance(mod, _SHAPE_PRESERVING) and type(mod).__module__.startswith("torch.nn.")
                and len(args) == 1 and isinstance(args[0], torch.Tensor)):
            return args[0]
        return super().call_module(target, args, kwargs)

    def call_function(self, target, args, kwargs):
        if target in _SAME_SHAPE_FUNCTIONS and args and isinstance(args[0], torch.Tensor):
            return args[0]
        if target in _BROADCASTING and len(args) == 2 and not kwargs:
            ts = [a for a in args if isinstance(a, torch.Tensor)]
            if ts and all(t.is_meta for t in ts) and all(isinstance(a, (torch.Tensor, int, float)) for a in args):
                shape = torch.broadcast_shapes(*(t.shape for t in ts))
                dtype = torch.result_type(*args) if len(ts) == 2 else ts[0].dtype
                return torch.empty(shape, dtype=dtype, device="meta")
        return super().call_function(target, args, kwargs)

    def run_node(self, n: fx.Node):
        try:
            value = super().run_node(n)
        except Exception as exc:
            args = fx.node.map_arg(n.args, lambda a: a.meta.get("la_value"))
            shapes = [tuple(a.shape) for a in _tensors(args)]
            raise _NodeFailure(n, shapes, exc) from exc
        n.meta["la_value"] = value
        return value


class _NodeFailure(Exception):
    def __init__(self, node, shapes, exc):
        super().__init__(str(exc))
        self.node, self.shapes, self.exc = node, shapes, exc


class _Runner(nn.Module):
    def __init__(self, gm: fx.GraphModule):
        super().__init__()
        self.gm = gm

    def forward(self, x):
        return _Prop(self.gm).run(x)


def _tensors(obj) -> list[torch.Tensor]:
    out: list[torch.Tensor] = []

    def visit(o):
        if isinstance(o, torch.Tensor):
            out.append(o)
        elif isinstance(o, (tuple, list)):
            for v in o:
                visit(v)
        elif isinstance(o, dict):
            for v in o.values():
                visit(v)

    visit(obj)
    return out


@dataclass
class TracedGraph:
    """A traced model with every node's meta value: ``gm.graph`` nodes carry ``meta['la_value']``."""

    gm: fx.GraphModule
    input_shape: tuple[int, ...]


def _check_shape(input_shape) -> tuple[int, ...]:
    if isinstance(input_shape, torch.Size):
        input_shape = tuple(input_shape)
    if isinstance(input_shape, np.ndarray) and input_shape.ndim == 1 and input_shape.dtype.kind in "iu":
        input_shape = tuple(int(s) for s in input_shape)
    if not isinstance(input_shape, (tuple, list)) or not input_shape:
        raise ValueError(f"input_shape must be a non-empty tuple of positive ints (one sample, no batch "
                         f"dimension), e.g. (3, 224, 224); got {input_shape!r}")
    for s in input_shape:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s <= 0:
            raise ValueError(f"input_shape must be a tuple of positive ints (one sample, no batch dimension), "
                             f"got {tuple(input_shape)!r}")
    return tuple(int(s) for s in input_shape)


@renamed_keywords(model="net")
def trace_graph(net: nn.Module, input_shape: Sequence[int], *, leaf_modules: tuple = (),
                dtype: torch.dtype | None = None) -> TracedGraph:
    """Trace ``net`` with ``torch.fx`` and propagate shapes of a ``(1, *input_shape)`` meta input.

    The network is traced and run in eval mode (train/eval flags are restored
    afterwards); its parameters and buffers are replaced by meta tensors of the
    same shapes for the pass (``torch.func.functional_call``), so nothing is
    computed and the network is not modified.  Raises :class:`LayerAlgebraError`
    naming the module (tracing) or the node (shapes) that failed.
    """
    if not isinstance(net, nn.Module):
        raise TypeError(f"net must be a torch.nn.Module, got {type(net).__name__}")
    shape = _check_shape(input_shape)
    flags = {m: m.training for m in net.modules()}
    net.eval()
    try:
        gm = _trace(net, tuple(leaf_modules))
        placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
        if len(placeholders) != 1:
            raise LayerAlgebraError(f"{type(net).__name__}.forward takes {len(placeholders)} inputs; the layer "
                                    "algebra measures models with one input tensor")
        if dtype is None:
            first = next(iter(gm.parameters()), None)
            dtype = first.dtype if first is not None and first.is_floating_point() else torch.float32
        meta = {k: v if v.is_meta else torch.empty_like(v, device="meta")
                for k, v in list(gm.named_parameters()) + list(gm.named_buffers())}
        runner = _Runner(gm)
        x = torch.empty((1,) + shape, dtype=dtype, device="meta")
        try:
            with torch.device("meta"), torch.no_grad():
                torch.func.functional_call(runner, {f"gm.{k}": v for k, v in meta.items()}, (x,), strict=False)
        except _NodeFailure as f:
            n = f.node
            what = n.target if n.op != "call_module" else f"{n.target} ({type(gm.get_submodule(n.target)).__name__})"
            raise LayerAlgebraError(
                f"input_shape {shape} does not fit {type(net).__name__}: node {n.name!r} ({n.op} {what}) "
                f"got inputs of shapes {f.shapes} (batch of 1) and failed: {type(f.exc).__name__}: {f.exc}"
            ) from f.exc
    finally:
        for m, t in flags.items():
            m.training = t
    return TracedGraph(gm, shape)


# ------------------------------------------------------------- propagation


def _log10(v: float) -> float:
    return math.log10(v) if v > 0 else -math.inf


def _logsum10(values: list[float]) -> float:
    m = max(values)
    if m == -math.inf:
        return -math.inf
    return m + math.log10(sum(10.0 ** (v - m) for v in values))


def _target_label(n: fx.Node, gm: fx.GraphModule) -> tuple[str, str]:
    if n.op == "call_module":
        return n.target, type(gm.get_submodule(n.target)).__name__
    if n.op == "call_method":
        return n.target, f"method {n.target}"
    t = n.target
    return getattr(t, "__name__", str(t)), f"{getattr(t, '__module__', '')}.{getattr(t, '__name__', str(t))}"


def _shape_of(v) -> tuple:
    if isinstance(v, torch.Tensor):
        return tuple(int(s) for s in v.shape[1:]) if v.dim() else ()
    ts = _tensors(v)
    return tuple(_shape_of(t) for t in ts)


_COLUMNS = ["step", "name", "op", "target", "type", "kind", "n_inputs", "output_shape", "local_power",
            "local_complexity", "cumulative_power", "cumulative_complexity", "log10_cumulative_power",
            "log10_cumulative_complexity", "note"]


@renamed_keywords(model="net")
def layer_algebra(net: nn.Module, input_shape: Sequence[int], *, rules: RuleTable | None = None,
                  options: LayerAlgebraOptions | None = None, leaf_modules: tuple = (),
                  **option_changes) -> LayerAlgebraResult:
    """Local and cumulative intrinsic power and complexity of every operation (Badias & Banerjee §5-6).

    Parameters
    ----------
    net : nn.Module
        Any module ``torch.fx`` can trace (torchvision classifiers, MLPs, ...).
        Models built on the ``meta`` device (no weights) work as well.
    input_shape : tuple of int
        Shape of one input sample without the batch dimension, e.g. ``(3, 224, 224)``.
    rules : RuleTable, optional
        The local-metric table; default :func:`layer_algebra_rules`.
    options : LayerAlgebraOptions, optional
        The choices where the paper is ambiguous; keyword arguments
        (``conv_kernel=``, ``groups=``, ``pooling_filters=``, ``attention=``,
        ``constants=``, ``accumulate=``) change single fields.
    accumulate : ``"product"`` (default) or ``"sum"``, passed as a keyword
        (an option field): how cumulative values compose along a path, the
        products of §6 (eq. 18, §6.2) or eq. 2's sum (see the module
        docstring); any other value raises ``ValueError``.
    leaf_modules : tuple of classes
        Module classes to keep opaque during tracing (each needs a rule). Classes with a rule of your own
        (``rules.register(MyOp, ...)``) are kept opaque without being listed here.

    Returns
    -------
    LayerAlgebraResult
        ``.gcip``, ``.gcc``, ``.gsc``, ``.gwc`` (and their ``log10_`` forms)
        and ``.to_frame()``, one row per data operation in topological order.
    """
    if options is None:
        options = LayerAlgebraOptions(**option_changes)
    elif option_changes:
        from dataclasses import replace

        options = replace(options, **option_changes)
    if not isinstance(options, LayerAlgebraOptions):
        raise TypeError(f"options must be a LayerAlgebraOptions, got {type(options).__name__}")
    if rules is None:
        rules = layer_algebra_rules()
    elif not isinstance(rules, RuleTable):
        raise TypeError(f"rules must be a RuleTable (see workbench.layer_algebra_rules()), got {type(rules).__name__}")
    # a module class with a rule of the user's own is kept whole (a leaf), so that its rule applies
    own = tuple(k for k in rules.keys() if isinstance(k, type) and k not in _default_rule_keys())
    own += tuple(k for k in BUILTIN_LEAF_MODULES if k in rules.keys())
    traced = trace_graph(net, input_shape, leaf_modules=tuple(leaf_modules) + own)
    summed = options.accumulate == "sum"
    start = -math.inf if summed else 0.0  # log10 of the input value: 0 (sum, eq. 2) or 1 (product, §6.1)
    gm = traced.gm
    state: dict[fx.Node, tuple[float, float]] = {}  # node -> (log10 P, log10 C)
    rows: list[dict] = []
    edges: list[tuple[str, str]] = []
    out_state = None
    for n in gm.graph.nodes:
        value = n.meta.get("la_value")
        if n.op == "placeholder":
            state[n] = (start, start)
            rows.append(dict(step=len(rows), name=n.name, op=n.op, target="input", type="input", kind="input",
                             n_inputs=0, output_shape=_shape_of(value), local_power=0.0 if summed else 1.0,
                             local_complexity=0.0 if summed else 1.0, log10_cumulative_power=start,
                             log10_cumulative_complexity=start,
                             note="zero input (eq. 2, summed)" if summed else "unit input (§6.1)"))
            continue
        preds = [p for p in n.all_input_nodes if p in state]
        if n.op == "output":
            if not preds:
                raise LayerAlgebraError(f"{type(net).__name__}'s output does not depend on its input")
            out_state = (max(state[p][0] for p in preds), _logsum10([state[p][1] for p in preds]))
            edges += [(p.name, "output") for p in preds]
            continue
        if not preds or not _tensors(value) or n.op == "get_attr":
            continue  # shapes, sizes, parameters: not data
        target, type_label = _target_label(n, gm)
        module = gm.get_submodule(n.target) if n.op == "call_module" else None
        rule = rules.lookup(n.op, n.target, module)
        info = OpInfo(name=n.name, op=n.op, target=n.target, module=module,
                      inputs=tuple(t for p in preds for t in _tensors(p.meta.get("la_value"))[:1]),
                      output=value,
                      args=fx.node.map_arg(n.args, lambda a: a.meta.get("la_value")),
                      kwargs=fx.node.map_arg(n.kwargs, lambda a: a.meta.get("la_value")),
                      options=options)
        if rule is None:
            key = RuleTable.describe(n.op, n.target, module)
            obj = type(module).__name__ if module is not None else (
                repr(n.target) if n.op == "call_method" else function_label(n.target))
            raise LayerAlgebraError(
                f"no layer-algebra rule for node {n.name!r} ({n.op} {key}). Add one: "
                f"rules = workbench.layer_algebra_rules(); rules.register({obj}, "
                "lambda op: workbench.LocalMetric(power, complexity, 'kernel')) -- or rules.register(..., "
                "'neutral') -- and pass rules=rules to workbench.layer_algebra."
            )
        metric = rule(info)
        if not isinstance(metric, LocalMetric):
            raise TypeError(f"the rule for node {n.name!r} returned {type(metric).__name__}, not a LocalMetric")
        lp_in = max(state[p][0] for p in preds)
        lc_in = _logsum10([state[p][1] for p in preds])
        if not summed:
            lp, lc = lp_in + _log10(metric.power), lc_in + _log10(metric.complexity)
        elif metric.neutral:
            lp, lc = lp_in, lc_in
        else:  # eq. 2 as a sum; a composite copies its input to metric.paths paths merged by eq. 20
            lp = _logsum10([lp_in, _log10(metric.power)])
            lc = _logsum10([lc_in + math.log10(metric.paths), _log10(metric.complexity)])
        state[n] = (lp, lc)
        edges += [(p.name, n.name) for p in preds]
        rows.append(dict(step=len(rows), name=n.name, op=n.op, target=str(target), type=type_label,
                         kind=metric.kind if len(preds) == 1 or not metric.neutral else "merge",
                         n_inputs=len(preds), output_shape=_shape_of(value), local_power=metric.power,
                         local_complexity=metric.complexity, log10_cumulative_power=lp,
                         log10_cumulative_complexity=lc, note=metric.note))
    if out_state is None:  # pragma: no cover - fx graphs always end in an output node
        raise LayerAlgebraError("the traced graph has no output")
    frame = pd.DataFrame(rows)
    frame["cumulative_power"] = [10.0 ** v if v > -300 else 0.0 for v in frame["log10_cumulative_power"]]
    frame["cumulative_complexity"] = [10.0 ** v if v < 308 else math.inf for v in frame["log10_cumulative_complexity"]]
    frame = frame[_COLUMNS]
    counted = frame["kind"].isin(["kernel", "activation", "composite"])
    gsc = float(frame.loc[counted, "local_complexity"].sum())
    return LayerAlgebraResult(frame=frame, edges=edges, log10_gcip=out_state[0], log10_gcc=out_state[1],
                              gsc=gsc, input_shape=traced.input_shape, options=options,
                              model_name=type(net).__name__)


@dataclass
class LayerAlgebraResult:
    """Result of :func:`layer_algebra`.

    ``frame`` has one row per data operation (topological order): name, op,
    target, type, kind (input / kernel / activation / composite / neutral /
    merge), number of data inputs, output shape (one sample), local power and
    complexity, cumulative power and complexity (and their log10).  ``edges``
    are the data-flow edges ``(from, to)`` between row names (and ``"output"``).
    """

    frame: pd.DataFrame
    edges: list
    log10_gcip: float
    log10_gcc: float
    gsc: float
    input_shape: tuple
    options: LayerAlgebraOptions
    model_name: str = ""

    @property
    def gcip(self) -> float:
        """Global cumulative intrinsic power (§4): the cumulative power at the output."""
        return 10.0 ** self.log10_gcip if self.log10_gcip > -300 else 0.0

    @property
    def gcc(self) -> float:
        """Global cumulative complexity (§4): ``inf`` when it overflows float64 (see ``log10_gcc``)."""
        return 10.0 ** self.log10_gcc if self.log10_gcc < 308 else math.inf

    @property
    def gwc(self) -> float:
        """Global weighted complexity GWC = GCC x GSC (§7.4)."""
        return 10.0 ** self.log10_gwc if self.log10_gwc < 308 else math.inf

    @property
    def log10_gsc(self) -> float:
        return _log10(self.gsc)

    @property
    def log10_gwc(self) -> float:
        return self.log10_gcc + self.log10_gsc

    @property
    def n_layers(self) -> int:
        """Number of non-neutral operations (the paper's 'equivalent local layers', Fig. 8)."""
        return int(self.frame["kind"].isin(["kernel", "activation", "composite"]).sum())

    def to_frame(self) -> pd.DataFrame:
        """One row per operation (a copy of ``frame``)."""
        return self.frame.copy()

    def summary(self) -> dict:
        """The global values as a flat dict (one row of a comparison table)."""
        return dict(model=self.model_name, input_shape=self.input_shape, gcip=self.gcip, gcc=self.gcc,
                    gsc=self.gsc, gwc=self.gwc, log10_gcip=self.log10_gcip, log10_gcc=self.log10_gcc,
                    log10_gsc=self.log10_gsc, log10_gwc=self.log10_gwc, n_ops=len(self.frame) - 1,
                    n_layers=self.n_layers)

    def __repr__(self) -> str:
        how = ", summed (eq. 2)" if self.options.accumulate == "sum" else ""
        return (f"LayerAlgebraResult({self.model_name}, input {self.input_shape}{how}: GCIP=10^{self.log10_gcip:.3f}, "
                f"GCC=10^{self.log10_gcc:.3f}, GSC={self.gsc:.4g}, GWC=10^{self.log10_gwc:.3f}, "
                f"{len(self.frame) - 1} ops)")
