"""The atlas: what the five papers' measures say about one network, side by side (issue 30).

:func:`atlas` runs six measures on one network and a set of points ``X`` and returns an :class:`Atlas`, one
row per measure:

1. **spanning dimension** (Berthiaume et al. 2020, §3.1): the effective rank of the parameter Jacobian at the
   first ``sd_points`` points of ``X``, for the network's own weights and ``inits - 1`` re-drawn
   initialisations of the same architecture (:func:`workbench.spanning_dimension`);
2. **exact regions** on a 2-D slice through ``X`` (Raghu et al. 2017; Johansson 2022): the input plane around
   ``X`` for a 2-D input (:func:`workbench.partition_2d`), else the plane through three points of ``X``
   (:func:`workbench.partition_plane`);
3. **trajectory**: the circle ``cos(t) x0 + sin(t) x1`` through two points of ``X`` (Raghu et al. 2017, §3):
   its length at every layer (:func:`workbench.layer_lengths`) and its exact neuron transitions
   (:func:`workbench.circle_transitions`);
4. **EDJM** (Wang et al. 2016): the normalised spectrum and score of the extended data Jacobian matrices on ``X``
   (:func:`workbench.edjm`);
5. **layer algebra** (Badias & Banerjee): GCIP and GCC of the architecture for ``X``'s input shape
   (:func:`workbench.layer_algebra`);
6. **slope** (Johansson 2022): the exact 2-slope ``||W_R||_2`` at every point of ``X`` (:func:`workbench.slope`).

A measure that cannot take the network (a smooth activation given to an exact measure, a module the
piecewise-linear core does not compile, a budget passed) gives a row with ``status = "refused"`` and the
library's own message in ``why``; nothing is raised. A row whose measure has two parts (the trajectory) is
``"partial"`` when one part was refused.

This module composes measures (like a recipe: it owns the seeds and the progress bar); the figure is
:func:`workbench.plots.atlas.plot_atlas`.
"""
from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
from torch import nn

from workbench._runtime import DeviceLike, SeedLike, int_seed, progress_bar, sub_seed
from workbench.limits import ResourceLimitError
from workbench.measures.edjm import edjm
from workbench.measures.layer_algebra.graph import layer_algebra
from workbench.measures.partition import RegionLimitError, partition_2d, partition_plane
from workbench.measures.paths import circle, circle_transitions, layer_lengths, trajectory_length
from workbench.measures.slope import slope
from workbench.measures.spanning import count_parameters, spanning_dimension
from workbench.nets.multilayer import ACTIVATIONS, MLP
from workbench.validation import check_device, check_int

__all__ = ["Atlas", "AtlasRow", "atlas", "compare_atlases", "MEASURES", "REFUSALS", "ARCHITECTURES",
           "atlas_example"]

MEASURES = ("spanning dimension", "exact regions", "trajectory", "EDJM", "layer algebra", "slope")
"""The six rows of an :class:`Atlas`, in order."""

REFUSALS = (ResourceLimitError, RegionLimitError, ValueError, TypeError, NotImplementedError)
"""The errors a measure raises on purpose when it cannot take a network (they become ``refused`` rows)."""

ARCHITECTURES = ("plain MLP", "add-shortcuts MLP", "ResNet-style block stack", "small conv net")
"""The architectures :func:`atlas_example` builds (the notebook 10_atlas and :class:`workbench.widgets.AtlasPanel`)."""


@dataclass(frozen=True)
class AtlasRow:
    """One measure of an :class:`Atlas`.

    ``value`` is the headline number (``quantity`` names it; NaN when refused), ``values`` the numbers behind
    it (a distribution, a spectrum, per-layer lengths), ``summary`` one sentence, ``status`` ``"ok"``,
    ``"partial"`` or ``"refused"``, ``why`` the refusal message (empty when ok), ``seconds`` its wall time.
    """

    measure: str
    quantity: str
    value: float
    values: np.ndarray
    summary: str
    status: str
    why: str = ""
    seconds: float = float("nan")


@dataclass(frozen=True)
class Atlas:
    """Six measures of one network on one set of points (:func:`atlas`).

    ``rows`` (one :class:`AtlasRow` per measure, in :data:`MEASURES` order), ``results`` (the measures' own
    result objects by measure name, ``None`` where refused: a :class:`workbench.Partition`, an
    :class:`workbench.EDJM`, ...; what :meth:`plot` draws), ``config`` (sizes, seed, device, the network's
    description), ``points`` (the points ``X``, on the CPU).
    """

    rows: tuple
    results: dict = field(repr=False)
    config: dict
    points: torch.Tensor | None = field(default=None, repr=False)

    def __getitem__(self, measure: str) -> AtlasRow:
        for r in self.rows:
            if r.measure == measure:
                return r
        raise KeyError(f"no measure {measure!r} in this atlas; it has {[r.measure for r in self.rows]}")

    def to_frame(self) -> pd.DataFrame:
        """One row per measure: measure, quantity, value, values, summary, status, why, seconds."""
        return pd.DataFrame([dict(measure=r.measure, quantity=r.quantity, value=r.value, values=r.values,
                                  summary=r.summary, status=r.status, why=r.why, seconds=r.seconds)
                             for r in self.rows])

    def plot(self, fig=None):
        """One figure, six panels (:func:`workbench.plots.atlas.plot_atlas`); returns the Figure."""
        from workbench.plots.atlas import plot_atlas

        return plot_atlas(self, fig=fig)

    def __repr__(self) -> str:
        ok = sum(r.status == "ok" for r in self.rows)
        return f"Atlas({self.config.get('network', '')}: {ok} of {len(self.rows)} measures ok)"


# ---------------------------------------------------------------------------
# the six measures
# ---------------------------------------------------------------------------
def _row(measure, quantity, value, values, summary, status="ok", why="") -> AtlasRow:
    return AtlasRow(measure, quantity, float(value), np.asarray(values, dtype=float).reshape(-1), summary, status, why)


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def reinitialised(net: nn.Module, seed: SeedLike) -> nn.Module:
    """A copy of ``net`` with every Linear / Conv weight and bias re-drawn from PyTorch's default initialisation
    (:func:`workbench.nets.feedforward.seeded_init`); other parameters and buffers are copied as they are."""
    from workbench.nets.feedforward import seeded_init

    new = copy.deepcopy(net)
    with torch.no_grad():
        return seeded_init(new, seed=seed)


def _spanning(net, X, cfg, dev):
    n = min(cfg["sd_points"], len(X))
    Xs = X[:n]
    P = count_parameters(net)
    values = []
    for i in range(cfg["inits"]):
        member = net if i == 0 else reinitialised(net, sub_seed(cfg["seed"], 1, i))
        values.append(spanning_dimension(member, Xs, device=dev))
    v = np.array(values)
    spread = f" ± {v.std(ddof=1):.2f}" if len(v) > 1 else ""
    summary = (f"mean {v.mean():.2f}{spread} over {len(v)} initialisation(s) (the network's own first), "
               f"at {n} points of X; {P:,} parameters, so at most {min(n, P)}")
    return _row("spanning dimension", "mean spanning dimension", v.mean(), v, summary), dict(values=v, n=n, P=P)


def _plane_points(X):
    """Indices of two points of ``X``: the first and the one closest to orthogonal to it (a round circle)."""
    flat = X.reshape(len(X), -1).double()
    norms = flat.norm(dim=1).clamp_min(1e-300)
    cos = (flat @ flat[0]).abs() / (norms * norms[0])
    cos[0] = float("inf")
    cos[norms <= 1e-300] = float("inf")
    return 0, int(cos.argmin())


def _regions(net, X, cfg, dev):
    kw = dict(device=dev, max_regions=cfg["max_regions"], progress=False)
    if X.dim() == 2 and X.shape[1] == 2:
        lo, hi = X.min(0).values.double(), X.max(0).values.double()
        m = 0.1 * (hi - lo).max()
        bounds = (float(lo[0] - m), float(hi[0] + m), float(lo[1] - m), float(hi[1] + m))
        part = partition_2d(net, bounds, **kw)
        where = f"the input square [{bounds[0]:.2g}, {bounds[1]:.2g}] x [{bounds[2]:.2g}, {bounds[3]:.2g}] around X"
    else:
        if len(X) < 3:
            raise ValueError(f"a plane through three points of X needs at least 3 points, got {len(X)}")
        i0, i1 = _plane_points(X)
        i2 = next(i for i in range(len(X)) if i not in (i0, i1))
        part = partition_plane(net, X[i0], X[i1], X[i2], bounds=cfg["plane_bounds"], **kw)
        where = f"the plane through points {i0}, {i1} and {i2} of X"
    areas = part.area().detach().cpu().double().numpy()
    summary = f"{len(part):,} exact linear regions on {where}"
    return _row("exact regions", "regions", len(part), areas, summary), part


def _layer_images_sequential(net: nn.Sequential, P: torch.Tensor) -> list[torch.Tensor]:
    """The circle after every top-level module of ``net`` that is or holds an activation, and at the output."""
    acts = tuple(ACTIVATIONS.values())
    out, z = [P.reshape(len(P), -1)], P
    with torch.no_grad():
        mods = list(net.children())
        for k, m in enumerate(mods):
            z = m(z)
            is_stage = isinstance(m, acts) or any(isinstance(s, acts) for s in m.modules())
            if is_stage or k == len(mods) - 1:
                out.append(z.reshape(len(z), -1).double())
    return out


def _trajectory(net, X, cfg, dev):
    i0, i1 = _plane_points(X)
    x0, x1 = X[i0], X[i1]
    lengths = growth = None
    why = []
    try:
        flat0, flat1 = x0.reshape(-1), x1.reshape(-1)
        P = circle(flat0, flat1, cfg["circle_points"]).reshape(cfg["circle_points"], *x0.shape)
        if isinstance(net, MLP):
            lengths = layer_lengths(net, P, device=dev).cpu().numpy()
        elif isinstance(net, nn.Sequential):
            net = net.to(dev)
            lengths = trajectory_length(_layer_images_sequential(net, P.to(dev))).cpu().numpy()
        else:
            raise TypeError(f"lengths through the layers need a workbench.mlp or an nn.Sequential, got "
                            f"{type(net).__name__}")
        growth = lengths[-2] / lengths[0] if len(lengths) > 2 else float("nan")
    except REFUSALS as exc:
        why.append(f"lengths: {_why(exc)}")
    trans = None
    try:
        trans = circle_transitions(net, x0, x1, keep_patterns=False, device=dev)
    except REFUSALS as exc:
        why.append(f"exact transitions: {_why(exc)}")
    if lengths is None and trans is None:
        raise _Refused("; ".join(why))
    parts = [f"circle through points {i0} and {i1} of X"]
    if lengths is not None:
        parts.append(f"length x{growth:.3g} from the input to the last hidden layer")
    if trans is not None:
        parts.append(f"{int(trans.total):,} exact neuron transitions, {int(trans.n_patterns):,} activation patterns")
    value = float(trans.total) if trans is not None else float("nan")
    row = _row("trajectory", "exact transitions on the circle", value,
               lengths if lengths is not None else [], "; ".join(parts), "partial" if why else "ok", "; ".join(why))
    return row, dict(lengths=lengths, transitions=trans, growth=growth, points=(i0, i1))


def _edjm(net, X, cfg, dev):
    r = edjm(net, X, device=dev)
    spec = r.mean_normalized.detach().cpu().double().numpy()
    how = "exact local linear maps" if r.exact else "Jacobians (not exact local maps)"
    summary = (f"score {r.score:.3g} (at most {r.max_score}) of {r.d_out} matrices of {r.n} x {r.d_in}, "
               f"{len(spec)} singular values each; {how}")
    return _row("EDJM", "EDJM score", r.score, spec, summary), r


def _layer_algebra(net, X, cfg, dev):
    r = layer_algebra(net, tuple(X.shape[1:]))
    summary = (f"GCIP = 10^{r.log10_gcip:.3f}, GCC = 10^{r.log10_gcc:.3f}, GSC = {r.gsc:.4g} over "
               f"{r.n_layers} non-neutral operations")
    return _row("layer algebra", "log10 GCIP", r.log10_gcip, [r.log10_gcip, r.log10_gcc], summary), r


def _slope(net, X, cfg, dev):
    s = slope(net, X, device=dev).detach().cpu().numpy()
    q10, q50, q90 = np.quantile(s, [0.1, 0.5, 0.9])
    summary = f"median {q50:.3g}, 10-90% [{q10:.3g}, {q90:.3g}] over {len(s)} points of X"
    return _row("slope", "median 2-slope", q50, s, summary), s


class _Refused(Exception):
    """A row whose every part was refused (the message joins the parts' reasons)."""


STEPS: dict[str, Callable] = {"spanning dimension": _spanning, "exact regions": _regions,
                              "trajectory": _trajectory, "EDJM": _edjm, "layer algebra": _layer_algebra,
                              "slope": _slope}


def atlas(net: nn.Module, X, *, inits: int = 3, sd_points: int = 64, n_points: int = 128,
          circle_points: int = 1000, max_regions: int = 50_000, plane_bounds=None, measures=MEASURES,
          name: str | None = None, seed: SeedLike = 0, device: DeviceLike = None, progress: bool = True) -> Atlas:
    """Six measures of ``net`` on the points ``X``, one row each (see the module docstring).

    Parameters
    ----------
    net
        Any ``nn.Module`` taking ``(n, *input_shape)``; each measure says (as a ``refused`` row) when it cannot
        take it. It is measured in eval mode.
    X
        Points ``(n, *input_shape)``, finite, at least 3 of them (the plane through three points).
    inits
        Initialisations for the spanning dimension: the network's own weights and ``inits - 1`` re-drawn
        from ``seed`` (PyTorch's default initialisation of every Linear / Conv layer).
    sd_points
        Points of ``X`` (the first ones) for the spanning dimension; it is at most ``min(sd_points, P)``.
        The ESD paper uses as many points as parameters; that is ``P x P`` Jacobians (seconds to minutes).
    n_points
        Points of ``X`` (the first ones) for the EDJM and the slope.
    circle_points
        Samples of the circle for its lengths (the transitions are exact and need none).
    max_regions, plane_bounds
        The partition's budget (beyond it the row is refused with the count reached) and, for an input that
        is not 2-D, the rectangle in the plane's coordinates (``None``: the three points with a 20% margin).
    measures
        Which of :data:`MEASURES` to run (the others are left out of the atlas).
    name
        What to call the network in the figure's title (default: its architecture, e.g. ``MLP 2-32-32-1 relu``).
    seed
        Draws the re-initialisations; the same seed gives the same atlas on the same device.
    device
        Where the measures run (``None``: :func:`workbench.device`).
    progress
        A ``tqdm`` bar over the measures (shown after 2 s).
    """
    if not isinstance(net, nn.Module):
        raise TypeError(f"net must be an nn.Module, got {type(net).__name__}")
    if not isinstance(X, (torch.Tensor, np.ndarray, list, tuple)):
        raise TypeError(f"X must be a float tensor of shape (n, *input_shape), got {type(X).__name__}")
    try:
        X = torch.as_tensor(X)
    except (TypeError, ValueError, RuntimeError) as exc:
        raise TypeError(f"X must be a float tensor of shape (n, *input_shape); it could not be read as one "
                        f"({exc})") from None
    if not X.is_floating_point():
        raise TypeError(f"X must be a floating-point tensor (points), got dtype {X.dtype}; pass X.float()")
    if X.dim() < 2 or len(X) < 3:
        raise ValueError(f"X must have shape (n, *input_shape) with n >= 3, got {tuple(X.shape)}")
    if not torch.isfinite(X).all():
        raise ValueError("X contains NaN or inf; every measure needs finite points")
    if isinstance(measures, str) or not isinstance(measures, (list, tuple, set, frozenset)):
        raise TypeError(f"measures must be a list of names from {list(MEASURES)}, got {measures!r}")
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measure(s) {unknown}; allowed values: {list(MEASURES)}")
    if plane_bounds is not None:
        try:
            b = np.asarray(plane_bounds, dtype=float) if isinstance(plane_bounds, (list, tuple, np.ndarray)) else None
        except (TypeError, ValueError):
            b = None
        if b is None or b.shape != (4,) or not np.isfinite(b).all() or not (b[0] < b[1] and b[2] < b[3]):
            raise ValueError(f"plane_bounds must be (u0, u1, v0, v1) with u0 < u1 and v0 < v1, finite; got "
                             f"{plane_bounds!r}")
    cfg = dict(inits=check_int("inits", inits, min=1), sd_points=check_int("sd_points", sd_points, min=1),
               n_points=check_int("n_points", n_points, min=1),
               circle_points=check_int("circle_points", circle_points, min=1),
               max_regions=check_int("max_regions", max_regions, min=1), plane_bounds=plane_bounds,
               seed=int_seed(seed))
    dev = check_device(device)
    pdt = next((p.dtype for p in net.parameters()), torch.float32)
    X = X.to(pdt if pdt.is_floating_point else torch.float32)
    Xn = X[:n_points]
    was_training = net.training
    net.eval()
    try:  # a network that cannot take X at all is an input error, not six refused rows
        with torch.no_grad():
            net(X[:3])
    except Exception as exc:  # noqa: BLE001 - any failure of the caller's forward
        net.train(was_training)
        raise ValueError(f"net(X) fails on the first points of X (shape {tuple(X.shape)}): {type(exc).__name__}: "
                         f"{exc}. X must have shape (n, *input_shape) with the network's input shape") from exc
    rows, results = [], {}
    try:
        for measure in progress_bar([m for m in MEASURES if m in measures], total=len(measures), desc="atlas",
                                    progress=progress, unit="measure"):
            t0 = time.perf_counter()
            try:
                row, res = STEPS[measure](net, Xn if measure in ("EDJM", "slope") else X, cfg, dev)
            except (_Refused, *REFUSALS) as exc:
                why = str(exc) if isinstance(exc, _Refused) else _why(exc)
                row, res = AtlasRow(measure, "", float("nan"), np.array([]), "refused", "refused", why), None
            rows.append(_with_seconds(row, time.perf_counter() - t0))
            results[measure] = res
    finally:
        net.train(was_training)
    config = dict(cfg, device=str(dev), n=len(X), input_shape=tuple(X.shape[1:]), network=name or _describe(net),
                  parameters=count_parameters(net))
    return Atlas(tuple(rows), results, config, X.detach().cpu())


def _with_seconds(row: AtlasRow, s: float) -> AtlasRow:
    from dataclasses import replace

    return replace(row, seconds=s)


def _describe(net: nn.Module) -> str:
    if isinstance(net, MLP):
        sc = f", {net.shortcuts}" if net.shortcuts else ""
        return f"MLP {'-'.join(map(str, net.widths))} {net.activation}{sc}"
    kinds = sorted({type(m).__name__ for m in net.children()})
    return f"{type(net).__name__} of {', '.join(kinds)}" if kinds else type(net).__name__


def compare_atlases(atlases: dict) -> pd.DataFrame:
    """Several atlases side by side: one row per measure (with its quantity), one column per atlas name.

    A cell is the headline value (4 significant digits), ``"... (partial)"`` when part of the measure was
    refused, ``"refused"`` when all of it was; the reasons are in each atlas's :meth:`Atlas.to_frame`.
    """
    cols = {}
    quantity = {}
    for name, a in atlases.items():
        cells = {}
        for r in a.rows:
            if r.quantity:
                quantity.setdefault(r.measure, r.quantity)
            if r.status == "refused":
                cells[r.measure] = "refused"
            else:
                v = "n/a" if np.isnan(r.value) else f"{r.value:.4g}"
                cells[r.measure] = v + (" (partial)" if r.status == "partial" else "")
        cols[name] = cells
    order = [m for m in MEASURES if any(m in c for c in cols.values())]
    df = pd.DataFrame({name: [c.get(m, "not run") for m in order] for name, c in cols.items()}, index=order)
    df.insert(0, "quantity", [quantity.get(m, "") for m in order])
    df.index.name = "measure"
    return df


# ---------------------------------------------------------------------------
# the networks the notebook and the panel compare
# ---------------------------------------------------------------------------
def atlas_example(architecture: str = "plain MLP", *, width: int = 32, depth: int = 3, activation: str = "relu",
                  n: int = 128, seed: SeedLike = 0) -> tuple[nn.Module, torch.Tensor]:
    """``(net, X)`` for one of :data:`ARCHITECTURES`.

    The three dense networks take 2-D points: ``n`` standardised two-moons points
    (:func:`workbench.papers.pl_geometry.toy.toy_data`); ``depth`` hidden layers of ``width`` (MLPs:
    :func:`workbench.mlp`, plain or ``shortcuts="add-shortcuts"``, one output) or ``depth`` residual blocks
    (:func:`workbench.nets.atlas_nets.residual_mlp`). The small conv net takes ``n`` bundled 8 x 8 digits
    (:func:`workbench.data.digits`): ``depth`` convolutions of ``width`` channels
    (:func:`workbench.nets.atlas_nets.conv_stack`), ten outputs.
    """
    from workbench.nets.atlas_nets import conv_stack, residual_mlp
    from workbench.nets.multilayer import mlp

    if architecture not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {architecture!r}; allowed values: {list(ARCHITECTURES)}")
    s = int_seed(seed)
    if architecture == "small conv net":
        from workbench.data import digits

        return conv_stack(width, depth, activation, seed=s), digits(n, flatten=False, seed=s).X.float()
    from workbench.papers.pl_geometry.toy import toy_data

    X, _ = toy_data(n, seed=s)
    X = (X - X.mean(0)) / X.std(0)
    if architecture == "ResNet-style block stack":
        return residual_mlp(2, width, depth, 1, activation, seed=s), X
    shortcuts = "add-shortcuts" if architecture == "add-shortcuts MLP" else None
    return mlp([2, *[width] * depth, 1], activation, shortcuts=shortcuts, seed=s), X
