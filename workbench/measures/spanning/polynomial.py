"""Polynomial spanning dimension (PSD), exactly (ESD paper §2, §3.1).

Berthiaume, Paffenroth & Guo (2020), Definition 1: a polynomial network
``N_theta(x) = Phi(x)^T P(theta)`` with ``Phi(x) = (1, x, x^2, ...)`` has
polynomial spanning dimension ``rank dP/dtheta`` (maximal over ``theta``; by
Sard's theorem the rank at a random point is the maximum with probability 1).

Two exact routes, both in integer arithmetic (no floating point):

* :func:`polynomial_spanning_dimension` expands the network in ``x`` and
  differentiates every coefficient with respect to every parameter at random
  integer parameters: ``J_c`` (``k x m``, ``k`` = degree + 1), then its exact
  rank.  The expansion is forward-mode differentiation on polynomials with
  integer coefficients (``method="forward"``, fast) or a literal ``sympy``
  expansion with parameter symbols (``method="sympy"``, small networks).
* :func:`polynomial_spanning_dimension_points` evaluates the network Jacobian
  ``J_n`` at distinct integer points (§3.1, Eq. 7: ``J_n = V J_c`` with ``V``
  the Vandermonde matrix, full column rank for ``>= k`` distinct points, so
  ``rank J_n = rank J_c``).

Only :func:`workbench.mlp` networks with ``activation="square"``
(``f(z) = z**2``), one input and one output are polynomial networks in the
sense of Definition 1; shortcut variants are supported (they stay polynomial).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from workbench._runtime import DeviceLike, SeedLike, int_seed
from workbench.limits import check_count
from workbench.measures.spanning.rank import exact_rank
from workbench.nets.multilayer import MLP
from workbench.validation import check_choice, check_device, check_int, check_seed, describe

__all__ = [
    "polynomial_spanning_dimension",
    "polynomial_spanning_dimension_points",
    "coefficient_jacobian",
    "network_jacobian_at_points",
    "random_integer_parameters",
]
# also public, from this module: DEFAULT_MAX_TERMS (the default max_terms) and expansion_work

DEFAULT_MAX_TERMS = 100_000_000
"""Default limit on :func:`expansion_work` (integer coefficient operations; 10 s to a few minutes of Python).

Raise it per call with ``max_terms=``; deeper or wider square networks than it
allows would run for hours (the degree doubles with every layer).
"""


# -- polynomial arithmetic on lists of Python ints (exact) -------------------

def _padd(a: list, b: list) -> list:
    if len(a) < len(b):
        a, b = b, a
    out = list(a)
    for i, v in enumerate(b):
        out[i] += v
    return out


def _pscale(a: list, c) -> list:
    return [c * v for v in a]


def _pmul(a: list, b: list) -> list:
    if not a or not b:
        return [0]
    out = [0] * (len(a) + len(b) - 1)
    for i, u in enumerate(a):
        if u:
            for j, v in enumerate(b):
                out[i + j] += u * v
    return out


def _check_polynomial_net(net) -> MLP:
    if not isinstance(net, MLP):
        raise TypeError(
            f"net: the polynomial spanning dimension needs a workbench MLP with activation='square', got "
            f"{type(net).__name__}; build one with workbench.mlp(widths, activation='square')"
        )
    if net.activation != "square":
        raise ValueError(
            f"the network's activation is {net.activation!r}, which is not a polynomial: the polynomial "
            "spanning dimension (ESD paper Definition 1) needs activation='square'. For other activations "
            "use workbench.spanning_dimension / workbench.esd"
        )
    if net.widths[0] != 1 or net.widths[-1] != 1:
        raise ValueError(
            f"Definition 1 is for one input and one output; the network has widths {net.widths}. "
            "Use workbench.spanning_dimension for several inputs or outputs"
        )
    return net


def _check_points(points) -> list[int]:
    if isinstance(points, (str, bytes)) or not hasattr(points, "__iter__"):
        raise TypeError(f"points must be a sequence of distinct integers, got {describe(points)}")
    return [check_int(f"points[{i}]", p) for i, p in enumerate(points)]


def expansion_work(net: MLP, route: str = "forward", n_points: int | None = None) -> int:
    """Integer coefficient operations an exact PSD computation of ``net`` takes (estimate, before any work).

    ``route="forward"``: the forward-mode expansion (every hidden unit carries one
    polynomial of degree ``2^l`` per parameter before it: the linear steps cost
    ``out x in x params x (degree + 1)``, the squaring ``out x params x (degree + 1)^2``)
    plus the exact rank of the ``(2^L + 1) x params`` coefficient Jacobian.
    ``"sympy"``: the monomials of the expanded output in ``x`` and the parameters (squaring a sum of
    ``T`` terms gives up to ``T^2``) times the parameters, each counted as 2,000 operations
    (measured: one symbolic term costs about as much as 2,000 integer ones).
    ``"points"``: one forward pass per point (``n_points``, default ``max(params, 2^L + 1)``)
    plus the rank of the ``points x params`` Jacobian.  Every count is multiplied by the
    length of the integers in 60-bit words (they grow with the degree), the points route's by
    its square (the exact rank works on fractions of them).  Measured: 3e5 to 1e7 units per
    second on one core, the slowest for deep networks.
    """
    layers = list(net.layers)
    P_total = sum(p.numel() for p in net.parameters())
    work, P, deg = 0, 0, 1
    per_point = 0
    for li, lin in enumerate(layers):
        o, i = lin.out_features, lin.in_features
        P += o * i + (o if lin.bias is not None else 0)
        work += o * i * P * (deg + 1)
        per_point += o * i * P
        if li < len(layers) - 1:  # square: degree doubles
            work += o * P * (deg + 1) ** 2
            per_point += o * P
            deg *= 2
    if route == "sympy":  # symbolic: the expanded output's monomials in (x, parameters), each differentiated
        T = 2  # w x + b
        for lin in layers[1:]:
            T = lin.in_features * T * T + 1  # square, then a weighted sum plus a bias
        return _SYMPY_COST * T * P_total
    # the integers grow with the degree (about degree x log2(10 width) bits): count 60-bit words
    words = max(1, math.ceil(deg * math.log2(10 * max(net.widths)) / 60))
    if route == "points":
        k = max(P_total, deg + 1) if n_points is None else int(n_points)
        return (k * per_point + k * P_total * min(k, P_total)) * words * words  # rank over Fractions of them
    k = deg + 1
    return (work + k * P_total * min(k, P_total)) * words


_SYMPY_COST = 2_000


def _check_work(net: MLP, route: str, max_terms, n_points: int | None = None) -> None:
    limit = DEFAULT_MAX_TERMS if max_terms is None else max_terms
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not limit > 0:
        raise ValueError(f"max_terms must be a positive number, got {max_terms!r}")
    work = expansion_work(net, route, n_points)
    check_count(
        work, limit,
        f"the exact polynomial expansion of the {net.widths} square network (degree {2 ** net.n_hidden}, "
        f"{sum(p.numel() for p in net.parameters()):,} parameters; {route} route): the number of integer "
        "coefficient terms to compute",
        "use a shallower or narrower network, polynomial_spanning_dimension_points(net, exact=False) "
        "(floating point), or pass a larger max_terms= (the work doubles or more with every layer)",
    )


def _param_shapes(net: MLP) -> list[tuple[str, tuple[int, ...]]]:
    return [(k, tuple(v.shape)) for k, v in net.named_parameters()]


def random_integer_parameters(net: MLP, *, seed: SeedLike = 0, low: int = -9, high: int = 9) -> list[int]:
    """Random nonzero integers in ``[low, high]``, one per parameter (``named_parameters`` order).

    ``seed``: an int (numpy's ``default_rng(seed)``) or a ``torch.Generator`` (one int drawn from it
    by :func:`workbench.int_seed`, advancing it).
    """
    net = _check_polynomial_net(net)
    low, high = check_int("low", low), check_int("high", high)
    if low > high:
        raise ValueError(f"low must be <= high, got low={low} and high={high}")
    n = sum(int(np.prod(s)) for _, s in _param_shapes(net))
    rng = np.random.default_rng(int_seed(check_seed(seed)))
    vals = [v for v in range(low, high + 1) if v != 0]
    if not vals:
        raise ValueError(f"[{low}, {high}] holds no nonzero integer")
    return [int(v) for v in rng.choice(vals, size=n)]


def _as_list(params) -> list:
    if isinstance(params, (str, bytes)) or not hasattr(params, "__iter__"):
        raise TypeError(f"params must be a sequence of integers, got {describe(params)}")
    return params.tolist() if hasattr(params, "tolist") else list(params)


def _unflatten(net: MLP, flat: Sequence[int]) -> dict[str, list]:
    """Flat integers -> {'layers.l.weight': rows of ints, 'layers.l.bias': ints} plus flat index maps."""
    shapes = _param_shapes(net)
    total = sum(int(np.prod(s)) for _, s in shapes)
    if len(flat) != total:
        raise ValueError(f"params: the network has {total} parameters, got {len(flat)} values")
    for v in flat:
        if isinstance(v, (float, np.floating)) and not np.isfinite(v):
            raise ValueError(f"params must be integers for exact arithmetic, got {v!r}")
        if not isinstance(v, (int, np.integer, float, np.floating)) or (
                isinstance(v, (float, np.floating)) and float(v) != int(v)):
            raise TypeError(f"params must be integers for exact arithmetic, got {v!r}")
    return [int(v) for v in flat]


def _forward_poly(net: MLP, theta: list[int], x_poly: list, n_params: int):
    """Forward-mode on polynomials: returns (output poly, [d output / d theta_j polys])."""
    # every quantity is (value, {param_index: derivative}) with polynomials as int lists
    layers = net.layers
    idx = 0
    W, B = [], []
    for lin in layers:
        o, i = lin.out_features, lin.in_features
        W.append([[idx + r * i + c for c in range(i)] for r in range(o)])
        idx += o * i
        if lin.bias is not None:
            B.append([idx + r for r in range(o)])
            idx += o
        else:
            B.append(None)
    assert idx == n_params
    x_val = [(x_poly, {})]
    h = x_val
    for l, lin in enumerate(layers):
        last = l == len(layers) - 1
        z = []
        for r in range(lin.out_features):
            val = [0]
            der: dict[int, list] = {}
            for c, (hv, hd) in enumerate(h):
                j = W[l][r][c]
                w = theta[j]
                val = _padd(val, _pscale(hv, w))
                der[j] = _padd(der.get(j, [0]), hv)
                for k, d in hd.items():
                    der[k] = _padd(der.get(k, [0]), _pscale(d, w))
            if B[l] is not None:
                j = B[l][r]
                val = _padd(val, [theta[j]])
                der[j] = _padd(der.get(j, [0]), [1])
            z.append((val, der))
        if last:
            h = z
            break
        acts = []
        for zv, zd in z:  # square: v^2, d(v^2) = 2 v dv
            acts.append((_pmul(zv, zv), {k: _pscale(_pmul(zv, d), 2) for k, d in zd.items()}))
        if net.shortcuts is not None:
            src = h if net.shortcuts == "add-shortcuts" else x_val
            for r in range(min(len(acts), len(src))):
                av, ad = acts[r]
                sv, sd = src[r]
                nd = dict(ad)
                for k, d in sd.items():
                    nd[k] = _padd(nd.get(k, [0]), d)
                acts[r] = (_padd(av, sv), nd)
        h = acts
    (out, der), = h
    return out, der


def coefficient_jacobian(net: MLP, params: Sequence[int] | None = None, *, seed: SeedLike = 0,
                         method: str = "forward", max_terms: float | None = None) -> list[list[int]]:
    """``J_c = dP/dtheta`` at integer parameters (ESD paper Eq. 4): rows are the
    coefficients of ``1, x, x^2, ..., x^deg``, columns the parameters in
    ``named_parameters`` order.

    Parameters
    ----------
    net
        ``workbench.mlp(..., activation="square")`` with one input and output.
    params
        Integer parameter values (flat, ``named_parameters`` order); default:
        :func:`random_integer_parameters` with ``seed``.
    method
        ``"forward"``: exact forward-mode differentiation on integer
        polynomials (fast).  ``"sympy"``: build the network with one sympy
        symbol per parameter, expand in ``x`` and differentiate each
        coefficient symbolically, then substitute (the paper's route; slow
        beyond a few layers).
    max_terms
        Refuse (:class:`workbench.ResourceLimitError`, before any work) when
        :func:`expansion_work` exceeds it (default :data:`DEFAULT_MAX_TERMS`).
    """
    net = _check_polynomial_net(net)
    check_choice("method", method, ("forward", "sympy"))
    _check_work(net, method, max_terms)
    n = sum(p.numel() for p in net.parameters())
    theta = _unflatten(net, random_integer_parameters(net, seed=seed) if params is None else _as_list(params))
    if method == "forward":
        _, der = _forward_poly(net, theta, [0, 1], n)
        deg = max((len(d) for d in der.values()), default=1) - 1
        return [[(der.get(j, [0]) + [0] * (deg + 1))[k] for j in range(n)] for k in range(deg + 1)]
    if method == "sympy":
        import sympy

        x = sympy.Symbol("x")
        syms = sympy.symbols(f"t0:{n}")
        out = _sympy_forward(net, list(syms), x)
        poly = sympy.Poly(sympy.expand(out), x)
        deg = poly.degree()
        coeffs = [poly.coeff_monomial(x**k) for k in range(deg + 1)]
        sub = dict(zip(syms, theta))
        return [[int(sympy.diff(c, s).subs(sub)) for s in syms] for c in coeffs]
    raise ValueError(f"unknown method {method!r}; allowed values: 'forward', 'sympy'")


def _sympy_forward(net: MLP, syms: list, x):
    idx = 0
    h = [x]
    xs = [x]
    for l, lin in enumerate(net.layers):
        o, i = lin.out_features, lin.in_features
        Wl = [[syms[idx + r * i + c] for c in range(i)] for r in range(o)]
        idx += o * i
        bl = [0] * o
        if lin.bias is not None:
            bl = syms[idx: idx + o]
            idx += o
        z = [sum(Wl[r][c] * h[c] for c in range(i)) + bl[r] for r in range(o)]
        if l == len(net.layers) - 1:
            return z[0]
        a = [v**2 for v in z]
        if net.shortcuts is not None:
            src = h if net.shortcuts == "add-shortcuts" else xs
            a = [a[r] + (src[r] if r < len(src) else 0) for r in range(o)]
        h = a


def polynomial_spanning_dimension(net: MLP, *, seed: SeedLike = 0, trials: int = 1, method: str = "forward",
                                  max_terms: float | None = None, device: DeviceLike = None) -> int:
    """Polynomial spanning dimension (ESD paper Definition 1), exact.

    The exact rank (over the rationals) of the coefficient Jacobian
    :func:`coefficient_jacobian` at random nonzero integer parameters.  PSD is
    the *maximal* rank over parameters; by Sard's theorem a random point attains
    it with probability 1, and ``trials > 1`` takes the maximum over that many
    seeds (``seed, seed+1, ...``) to guard against an unlucky small-integer draw.  A
    ``torch.Generator`` seed gives one int (:func:`workbench.int_seed`) and the trials count up from it.

    The paper's toy network (one node per hidden layer, two hidden layers,
    ``widths=[1, 1, 1, 1]``) has PSD 4; Theorem 2.1 bounds height-1 networks
    with ``l`` hidden layers by ``l + 2``.

    ``device`` is checked and otherwise unused: the expansion is exact arithmetic on Python integers,
    on no device (the parameter keeps the one measure signature).

    Raises
    ------
    TypeError
        ``net`` is not a workbench ``MLP``.
    ValueError
        Activation other than ``"square"``, or more than one input/output.
    workbench.ResourceLimitError
        The expansion would take more than ``max_terms`` coefficient operations
        (:func:`expansion_work`); refused before starting.
    """
    _check_polynomial_net(net)
    check_device(device)
    if check_int("trials", trials) < 1:
        raise ValueError(f"trials must be >= 1, got {trials}")
    check_choice("method", method, ("forward", "sympy"))
    base = int_seed(check_seed(seed))
    return max(exact_rank(coefficient_jacobian(net, seed=base + t, method=method, max_terms=max_terms))
               for t in range(trials))


def network_jacobian_at_points(net: MLP, points: Sequence[int] | None = None, params: Sequence[int] | None = None,
                               *, seed: SeedLike = 0, max_terms: float | None = None) -> list[list[int]]:
    """``J_n[i, j] = d N(x_i) / d theta_j`` exactly at integer points and parameters (ESD paper Eq. 6).

    ``points`` default: the ``max(n_params, degree + 1)`` distinct nonzero
    integers ``1, -1, 2, -2, ...`` so that the Vandermonde factor ``V`` of
    ``J_n = V J_c`` (Eq. 7) has full column rank.
    """
    net = _check_polynomial_net(net)
    _check_work(net, "points", max_terms, None if points is None else len(points))
    n = sum(p.numel() for p in net.parameters())
    theta = _unflatten(net, random_integer_parameters(net, seed=seed) if params is None else _as_list(params))
    if points is None:
        deg = 2 ** net.n_hidden
        k = max(n, deg + 1)
        points = [((i // 2) + 1) * (1 if i % 2 == 0 else -1) for i in range(k)]
    pts = _check_points(points)
    if len(set(pts)) != len(pts):
        raise ValueError("the points must be distinct (otherwise V loses rank, §3.1)")
    rows = []
    for x in pts:
        _, der = _forward_poly(net, theta, [x], n)
        rows.append([der.get(j, [0])[0] if der.get(j) else 0 for j in range(n)])
    return rows


def polynomial_spanning_dimension_points(net: MLP, points: Sequence[int] | None = None, *, seed: SeedLike = 0,
                                         exact: bool = True, max_terms: float | None = None,
                                         device: DeviceLike = None) -> int | float:
    """PSD through the network Jacobian at distinct points (ESD paper §3.1, Eq. 7: ``J_n = V J_c``).

    ``exact=True``: exact integer Jacobian (:func:`network_jacobian_at_points`)
    and exact rank, equal to :func:`polynomial_spanning_dimension` whenever
    there are at least ``degree + 1`` distinct points.  ``exact=False``: the
    floating-point route any network allows: the network built with the same
    integer parameters, its Jacobian by autograd in float64
    (:func:`workbench.parameter_jacobian`) and the numerical rank
    (:func:`workbench.numerical_rank`); it can fall short of the exact value
    for deep networks whose integer coefficients overflow float64 precision.  ``device`` (default
    :func:`workbench.device`) is where that floating-point route computes; the exact route uses Python
    integers and no device.
    """
    net = _check_polynomial_net(net)
    dev = check_device(device)
    if points is not None:
        points = _check_points(points)
    if exact:
        return exact_rank(network_jacobian_at_points(net, points, seed=seed, max_terms=max_terms))
    from workbench.measures.spanning.dimension import parameter_jacobian
    from workbench.measures.spanning.rank import numerical_rank

    n = sum(p.numel() for p in net.parameters())
    theta = random_integer_parameters(net, seed=seed)
    import copy

    net2 = copy.deepcopy(net).to(torch.float64)
    torch.nn.utils.vector_to_parameters(torch.tensor(theta, dtype=torch.float64), net2.parameters())
    if points is None:
        k = max(n, 2 ** net.n_hidden + 1)
        points = [((i // 2) + 1) * (1 if i % 2 == 0 else -1) for i in range(k)]
    X = torch.tensor([float(p) for p in points], dtype=torch.float64).unsqueeze(1)
    J = parameter_jacobian(net2, X, "pick_first", device=dev, dtype=torch.float64)
    return numerical_rank(J)
