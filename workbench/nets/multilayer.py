"""Multilayer perceptrons with any widths, activation, shortcut pathways and init.

The :class:`MLP` exposes its layer structure (``.layers``, ``.activation``,
``.shortcuts``) and a :meth:`MLP.trace` that returns every hidden layer's
pre-activations and activations from one batched forward pass, so measures never
re-implement the forward pass.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
from torch import nn

from workbench._runtime import SeedLike, generator
from workbench.limits import check_bytes
from workbench.validation import check_choice, check_int

__all__ = ["MLP", "Trace", "mlp", "match_width", "validate_widths", "check_parameter_bytes", "ACTIVATIONS",
           "SHORTCUTS", "INITS", "PIECEWISE_LINEAR"]


MAX_SEED = 2**64 - 1
"""The largest seed torch's generators take (an unsigned 64-bit integer)."""


class Square(nn.Module):
    """f(z) = z**2, the activation of the polynomial networks of the ESD paper (§2)."""

    def forward(self, z: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return z * z


ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "hardtanh": nn.Hardtanh,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "softplus": nn.Softplus,
    "square": Square,
    "identity": nn.Identity,
}
"""Activation names accepted by :func:`mlp`."""

PIECEWISE_LINEAR = frozenset({"relu", "leaky_relu", "hardtanh", "identity"})
"""Activations whose networks are continuous piecewise-linear functions."""

SHORTCUTS = (None, "add-shortcuts", "add-inputs")
"""Shortcut modes accepted by :func:`mlp` (ESD paper §4.2, Fig. 5)."""

INITS = ("default", "gaussian", "he")
"""Initialisations accepted by :func:`mlp`."""


class Trace(NamedTuple):
    """Everything one forward pass computes.

    ``preacts[l]`` and ``acts[l]`` are the pre-activation ``z_l = W_l h_{l-1} + b_l``
    and the output ``h_l`` (activation plus shortcut, if any) of hidden layer
    ``l`` (0-based), each of shape ``(*batch, widths[l + 1])``; ``output`` is the
    network's output.  It is a ``NamedTuple`` so that ``torch.func.vmap`` can
    return it.
    """

    preacts: tuple[torch.Tensor, ...]
    acts: tuple[torch.Tensor, ...]
    output: torch.Tensor

    def __repr__(self) -> str:
        widths = [int(z.shape[-1]) for z in self.preacts]
        return (f"Trace({len(self.preacts)} hidden layers of widths {widths}, batch {tuple(self.output.shape[:-1])}, "
                f"output {tuple(self.output.shape)})")


def match_width(s: torch.Tensor, width: int, dim: int = -1) -> torch.Tensor:
    """Align a shortcut source with a layer of ``width`` nodes by row index (along ``dim``).

    Row ``i`` of the source is added to node ``i`` of the layer.  Extra source
    rows are dropped; layer nodes without a source row get nothing (zero
    padding).  No parameters are introduced.
    """
    n = s.shape[dim]
    if n == width:
        return s
    if n > width:
        return s.narrow(dim, 0, width)
    if dim in (-1, s.dim() - 1):
        return torch.nn.functional.pad(s, (0, width - n))
    pad_shape = list(s.shape)
    pad_shape[dim] = width - n
    return torch.cat([s, s.new_zeros(pad_shape)], dim=dim)


_match_width = match_width  # the former private name


class MLP(nn.Module):
    """A multilayer perceptron ``widths[0] -> widths[1] -> ... -> widths[-1]``.

    Build it with :func:`mlp`.  Attributes a measure may read:

    ``widths``: list of layer widths; ``layers``: ``nn.ModuleList`` of the
    ``nn.Linear`` maps; ``activation``: the activation's name; ``act``: the
    activation module; ``shortcuts``: ``None``, ``"add-shortcuts"`` or
    ``"add-inputs"``; ``n_hidden``: the number of hidden layers.

    Hidden layer ``l`` computes ``z_l = W_l h_{l-1} + b_l`` and
    ``h_l = act(z_l) + S_l`` where the shortcut term ``S_l`` is ``0`` (plain),
    ``h_{l-1}`` aligned by row (add-shortcuts) or the network input ``x``
    aligned by row (add-inputs).  The output layer is ``W_L h_{L-1} + b_L`` with
    no activation and no shortcut.
    """

    def __init__(self, widths: Sequence[int], activation: str, shortcuts: str | None, bias: bool):
        super().__init__()
        self.widths = [int(w) for w in widths]
        self.activation = activation
        self.shortcuts = shortcuts
        self.bias = bias
        self.act = ACTIVATIONS[activation]()
        self.layers = nn.ModuleList(
            nn.Linear(a, b, bias=bias) for a, b in zip(self.widths[:-1], self.widths[1:])
        )

    @property
    def n_hidden(self) -> int:
        """Number of hidden layers."""
        return len(self.layers) - 1

    @property
    def in_features(self) -> int:
        return self.widths[0]

    @property
    def out_features(self) -> int:
        return self.widths[-1]

    def shortcut_source(self, l: int, h_prev: torch.Tensor, x: torch.Tensor) -> torch.Tensor | None:
        """The (unaligned) tensor added to hidden layer ``l``'s output, or ``None``."""
        if self.shortcuts == "add-shortcuts":
            return h_prev
        if self.shortcuts == "add-inputs":
            return x
        return None

    def hidden_step(self, l: int, h_prev: torch.Tensor, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One hidden layer: returns ``(z_l, h_l)``."""
        z = self.layers[l](h_prev)
        h = self.act(z)
        src = self.shortcut_source(l, h_prev, x)
        if src is not None:
            h = h + match_width(src, z.shape[-1])
        return z, h

    def trace(self, x: torch.Tensor) -> Trace:
        """Forward pass that keeps every hidden layer's pre-activation and output."""
        pre, acts = [], []
        h = x
        for l in range(self.n_hidden):
            z, h = self.hidden_step(l, h, x)
            pre.append(z)
            acts.append(h)
        return Trace(tuple(pre), tuple(acts), self.layers[-1](h))

    def forward(self, x: torch.Tensor, *, trace: bool = False):  # noqa: D102
        if trace:
            return self.trace(x)
        h = x
        for l in range(self.n_hidden):
            _, h = self.hidden_step(l, h, x)
        return self.layers[-1](h)

    def extra_repr(self) -> str:
        return f"widths={self.widths}, activation={self.activation!r}, shortcuts={self.shortcuts!r}"


def check_parameter_bytes(widths: Sequence[int], itemsize: int = 4) -> int:
    """The parameter count of dense layers ``widths``; ResourceLimitError before building one that cannot fit.

    Counts the weights and biases (float32) and the initialisation's temporary copies (x3).
    """
    n = sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))
    check_bytes(3 * n * itemsize, f"a network of widths {list(widths)} ({n:,} parameters)", "use smaller widths")
    return n


def validate_widths(widths) -> list[int]:
    """``widths`` as a list of positive ints; TypeError / ValueError naming the bad entry otherwise."""
    try:
        ws = list(widths)
    except TypeError:
        raise TypeError(f"widths must be a sequence of positive ints like [2, 16, 16, 1], not {widths!r}") from None
    if len(ws) < 2:
        raise ValueError(
            f"widths needs at least an input and an output width, e.g. [2, 16, 1]; got {ws!r}"
        )
    for i, w in enumerate(ws):
        if isinstance(w, bool) or not isinstance(w, (int,)) and not (hasattr(w, "__index__")):
            raise TypeError(f"widths[{i}] = {w!r} is not an int")
        if int(w) <= 0:
            raise ValueError(f"widths[{i}] = {w} must be positive; every layer needs at least one node")
    return [int(w) for w in ws]


_validate_widths = validate_widths  # the former private name (workbench.papers.esd.sampling imports it)


@torch.no_grad()
def init_parameters(
    net: MLP,
    init: str = "default",
    *,
    sigma_w2: float | None = None,
    sigma_b2: float | None = None,
    seed: SeedLike = None,
) -> MLP:
    """(Re)initialise ``net`` in place; see :func:`mlp` for the schemes.

    Parameters are drawn on the CPU from one generator, layer by layer (weight,
    then bias), so the same seed gives the same numbers on every device.
    """
    check_choice("init", init, INITS)
    if init == "default" and (sigma_w2 is not None or sigma_b2 is not None):
        init = "gaussian"  # variances given: the Gaussian scheme they belong to (issue 26)
    if init != "gaussian" and (sigma_w2 is not None or sigma_b2 is not None):
        raise ValueError(
            f"sigma_w2 / sigma_b2 only apply to init='gaussian' (got init={init!r}); "
            "pass init='gaussian' to set the weight and bias variances"
        )
    sw2 = 1.0 if sigma_w2 is None else float(sigma_w2)
    sb2 = 0.0 if sigma_b2 is None else float(sigma_b2)
    if not (math.isfinite(sw2) and sw2 >= 0) or not (math.isfinite(sb2) and sb2 >= 0):
        raise ValueError(f"sigma_w2 and sigma_b2 must be finite and >= 0, got {sw2}, {sb2}")
    if isinstance(seed, int) and not isinstance(seed, bool) and seed > MAX_SEED:  # torch seeds are unsigned 64-bit
        check_int("seed", seed, max=MAX_SEED)
    g = generator(seed)
    for lin in net.layers:
        fan_in = lin.in_features
        shape_w, dev = lin.weight.shape, lin.weight.device
        if init == "default":  # what nn.Linear.reset_parameters draws, but seeded
            bound = 1.0 / math.sqrt(fan_in)
            w = torch.empty(shape_w).uniform_(-bound, bound, generator=g)
            b = torch.empty(lin.out_features).uniform_(-bound, bound, generator=g)
        elif init == "gaussian":
            w = torch.randn(shape_w, generator=g) * math.sqrt(sw2 / fan_in)
            b = torch.randn(lin.out_features, generator=g) * math.sqrt(sb2)
        else:  # he
            w = torch.randn(shape_w, generator=g) * math.sqrt(2.0 / fan_in)
            b = torch.zeros(lin.out_features)
        lin.weight.copy_(w.to(dev))
        if lin.bias is not None:
            lin.bias.copy_(b.to(dev))
    return net


def mlp(
    widths: Sequence[int],
    activation: str = "relu",
    *,
    shortcuts: str | None = None,
    bias: bool = True,
    init: str = "default",
    sigma_w2: float | None = None,
    sigma_b2: float | None = None,
    seed: SeedLike = None,
) -> MLP:
    """Build a multilayer perceptron.

    Parameters
    ----------
    widths
        ``[n_in, h1, ..., n_out]``; the activation follows every hidden layer and
        not the output layer.
    activation
        One of ``relu, leaky_relu, hardtanh, tanh, sigmoid, softplus, square``
        (``f(z) = z**2``, the polynomial networks of the ESD paper) and
        ``identity``.
    shortcuts
        ``None`` (plain MLP), ``"add-shortcuts"`` or ``"add-inputs"``: the
        architectures of Berthiaume et al. (2020), §4.2 and Fig. 5B/5C, footnote
        b: add-shortcuts is ``F(x) + x`` per hidden layer (the input of each
        hidden node, i.e. the previous layer's output in the same row, is added
        to that node's output, skipping weight, bias and activation);
        add-inputs is ``F(x) + x0`` (the network input in the same row is added
        to each hidden node's output).  **Unequal widths**: rows are matched by
        index.  Node ``i`` of a hidden layer of width ``n`` receives source row
        ``i`` when the source has such a row; source rows ``>= n`` are dropped,
        nodes ``i >=`` the source's width receive nothing.  No parameters are
        added, so all three variants of one ``widths`` have exactly the same
        parameter count (the paper's point).  The output layer has no shortcut.
    bias
        Whether the linear maps have biases.
    init
        ``"default"``: PyTorch's ``nn.Linear`` default, ``U(-1/sqrt(fan_in),
        1/sqrt(fan_in))`` for weights and biases, drawn from ``seed``.
        ``"gaussian"``: ``W ~ N(0, sigma_w2 / fan_in)``, ``b ~ N(0, sigma_b2)``
        (Raghu et al. 2017; defaults ``sigma_w2=1``, ``sigma_b2=0``).
        ``"he"``: ``W ~ N(0, 2 / fan_in)``, ``b = 0``.
    sigma_w2, sigma_b2
        Weight and bias variances of the ``"gaussian"`` scheme; giving either with the default ``init``
        selects ``"gaussian"`` (with ``"he"`` they are an error).
    seed
        An int, a ``torch.Generator`` or ``None`` (fresh entropy).  The same int
        gives the same parameters on every device.

    Returns
    -------
    MLP
        On the CPU; move it with ``.to(workbench.device())``.
    """
    ws = validate_widths(widths)
    check_choice("activation", activation, tuple(ACTIVATIONS))
    check_choice("shortcuts", shortcuts, SHORTCUTS)
    check_parameter_bytes(ws)
    with torch.random.fork_rng(devices=[]):  # nn.Linear's own init draws from the global RNG: keep it as it was
        net = MLP(ws, activation, shortcuts, bool(bias))
    return init_parameters(net, init, sigma_w2=sigma_w2, sigma_b2=sigma_b2, seed=seed)


# the old private names, for modules (measures) and branches not yet on the public ones
_validate_widths = validate_widths
_match_width = match_width
