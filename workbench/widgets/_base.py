"""Base class of the widget panels: controls -> recompute -> redraw, errors shown, never swallowed.

A panel answers fast and refines: :meth:`Panel.compute` may be a generator
that yields successively better results (the ESD histogram grows as samples
arrive, a partition gains its layers one by one).  The first result is drawn
at once, later ones at most every :attr:`Panel.refine_interval` seconds, the
last one always.  A new control change cancels the computation in flight
(latest wins: a generation counter is checked between steps) instead of
queueing behind it.  A visible budget (:meth:`Panel.cost` against
:attr:`Panel.budget`) makes the panel ask before an expensive computation
("compute anyway"), with a time estimate (:meth:`Panel.estimate_seconds`) when the panel can make one.

In a live Jupyter kernel the work runs on one worker thread per panel, so the
kernel keeps reading control changes while it computes; elsewhere (scripts,
tests) it runs synchronously, so ``panel.controls[name].value = v`` returns
with ``panel.result`` up to date.  ``Panel(..., background=True)`` forces the
thread; :meth:`Panel.wait` joins it.
"""
from __future__ import annotations

import base64
import functools
import html
import inspect
import io
import math
import numbers
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import ipywidgets as W
from traitlets import TraitError

from workbench.limits import format_seconds

__all__ = ["Panel", "log_slider", "in_kernel", "dropdown", "check_control_value", "calibrate_power"]


def _option_values(options) -> list:
    return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]


def _label(name: str, control) -> str:
    desc = getattr(control, "description", "") or ""
    return f"control {name!r}" + (f" ({desc!r})" if desc and desc != name else "")


def check_control_value(name: str, control, value) -> None:
    """ValueError naming the control, the value and what it accepts, unless ``control`` can show ``value``.

    Options (dropdowns, selection sliders) must contain it; sliders with a range
    must hold it (ipywidgets would clamp it silently); integer fields need ints,
    check boxes bools.
    """
    if hasattr(control, "options"):
        allowed = _option_values(control.options)
        try:
            ok = value in allowed
        except Exception:  # noqa: BLE001 - unhashable / odd __eq__
            ok = False
        if not ok:
            shown = ", ".join(repr(a) for a in allowed[:20]) + (", ..." if len(allowed) > 20 else "")
            raise ValueError(f"{_label(name, control)}: {value!r} is not one of its options; allowed values: {shown}")
        return
    if isinstance(control, W.Checkbox):
        if not isinstance(value, bool):
            raise ValueError(f"{_label(name, control)}: needs True or False, got {value!r}")
        return
    if isinstance(control, (W.IntSlider, W.IntText, W.BoundedIntText)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ValueError(f"{_label(name, control)}: needs an int, got {value!r}")
    elif isinstance(control, (W.FloatSlider, W.FloatLogSlider, W.FloatText, W.BoundedFloatText)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
            raise ValueError(f"{_label(name, control)}: needs a real number, got {value!r}")
    if hasattr(control, "min") and hasattr(control, "max"):
        lo, hi = control.min, control.max
        if isinstance(control, W.FloatLogSlider):
            lo, hi = control.base ** lo, control.base ** hi
        if not lo <= value <= hi:
            raise ValueError(f"{_label(name, control)}: {value!r} is outside its range [{lo:g}, {hi:g}]")


def dropdown(*, options, value, description: str = "", **kw) -> W.Dropdown:
    """``W.Dropdown`` that names itself, the value and its options when ``value`` is not one of them."""
    allowed = _option_values(options)
    if None in allowed:  # ipywidgets reads value None as "nothing selected": the box shows empty in a browser
        raise ValueError(f"{description or 'dropdown'}: None cannot be an option's value (ipywidgets shows it as "
                         "no selection); use a string such as 'none'")
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{description or 'dropdown'}: {value!r} is not one of its options; allowed values: {shown}")
    return W.Dropdown(options=options, value=value, description=description, **kw)


def in_kernel() -> bool:
    """True inside a live Jupyter kernel (ipykernel), where widget messages arrive while the kernel is idle."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def log_slider(value: int, lo: int, hi: int, description: str, *, per_octave: int = 2, **kw) -> W.SelectionSlider:
    """A slider over sizes spaced evenly on a log scale: 1, 2, 3, 4, 6, 8, 11, 16, ... (``per_octave=2``).

    Sizes that span decades (widths, samples) are hard to hit on a linear
    slider (a small drag jumps from 16 to 54); here every notch is a factor
    ``2 ** (1 / per_octave)``.  ``value`` is always one of the options (it is
    added when it is not on the grid).  Recomputes on release
    (``continuous_update=False``).
    """
    for name, v in (("value", value), ("lo", lo), ("hi", hi)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{description}: {name} must be a positive int, got {v!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{description}: value must lie in [lo, hi] = [{lo}, {hi}], got {value}")
    if per_octave < 1:
        raise ValueError(f"per_octave must be >= 1, got {per_octave}")
    opts, k = {lo, hi, value}, 0
    while True:
        v = int(round(2 ** (k / per_octave)))
        if v > hi:
            break
        if v >= lo:
            opts.add(v)
        k += 1
    kw.setdefault("continuous_update", False)
    kw.setdefault("style", {"description_width": "initial"})
    return W.SelectionSlider(options=sorted(opts), value=value, description=description, **kw)


def calibrate_power(timed: Callable[[float], float], n0: float, power: float) -> tuple[float, float]:
    """``(a, b)`` of the fit ``seconds = a + b * size**power`` from runs at ``n0`` and ``2 n0``.

    ``timed(size)`` runs the work at that size and returns its seconds; a first
    run at ``n0`` is discarded (warm-up: compiled kernels, caches).  The fixed
    part ``a`` is what a small run pays whatever its size: scaling the whole
    time of one small run by ``(n / n0) ** power`` would overestimate.
    """
    timed(n0)
    t0, t1 = timed(n0), timed(2 * n0)
    b = max(t1 - t0, 0.0) / ((2 * n0) ** power - n0**power)
    return max(t0 - b * n0**power, 0.0), b


def _png(fig, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)  # figures are laid out (constrained): no second "tight" pass
    return buf.getvalue()


def _fmt(v) -> str:
    return f"{v:,}" if isinstance(v, int) else f"{v:,.3g}"


class Panel:
    """A small ipywidgets panel that owns its controls.

    Subclasses fill ``self.controls`` (name -> widget with a ``.value``) and
    implement :meth:`compute` (heavy work: returns a result, or is a generator
    yielding successively better results) and :meth:`draw` (result ->
    matplotlib Figure).  Every control change calls :meth:`refresh`; sliders use
    ``continuous_update=False`` so recomputation runs on release.  Exceptions
    raised while computing or drawing are shown in ``self.errors`` (an
    ``Output`` widget) and kept in ``self.last_error``; the last good result stays.

    Optional: :meth:`cost` (sizes of the computation, shown above the plot)
    and :attr:`budget` (limits; beyond them the panel asks first, and
    ``panel.confirm.click()`` or ``refresh(force=True)`` computes anyway).

    Tests drive a panel by setting ``panel.controls[name].value`` and reading
    ``panel.result`` / ``panel.figure`` (call :meth:`wait` first when the panel
    runs in the background).  ``panel.timings`` holds the last run's
    first-answer and final times in seconds.
    """

    title: str = ""
    refine_interval: float = 0.3
    """Seconds between intermediate redraws while a generator refines (also at least twice the time a
    redraw takes, so drawing never takes most of the time); ``<= 0``: redraw after every step."""
    budget: dict[str, float] = {}
    """Limits on the entries of :meth:`cost`; class default, override per instance with ``budget=``."""
    dpi: int = 100
    display_wait: float = 10.0
    """Seconds :meth:`_ipython_display_` waits for the first run, so the saved-notebook snapshot has a picture."""

    def __init_subclass__(cls, **kw):
        """Wrap the subclass's ``__init__``: its arguments are checked against the controls they set."""
        super().__init_subclass__(**kw)
        init = cls.__dict__.get("__init__")
        if init is None:
            return
        sig = inspect.signature(init)

        @functools.wraps(init)
        def __init__(self, *args, **kwargs):
            if not hasattr(self, "_ctor_args"):  # the outermost class records the call
                try:
                    bound = sig.bind(self, *args, **kwargs)
                    bound.apply_defaults()
                    self._ctor_args = {k: v for k, v in bound.arguments.items() if k != "self"}
                except TypeError:
                    self._ctor_args = {}
            try:
                init(self, *args, **kwargs)
            except TraitError as exc:  # a value a control cannot take: say which panel, not a trait error
                raise ValueError(f"{cls.__name__}: an argument is not accepted by its control ({exc}); "
                                 f"arguments: {self._ctor_args}") from None

        cls.__init__ = __init__

    def _check_arguments(self) -> None:
        """Constructor arguments named like a control must be what the control shows (not clamped into range)."""
        for name, v in getattr(self, "_ctor_args", {}).items():
            c = self.controls.get(name)
            if c is None or v is None or not isinstance(v, (numbers.Real, str)):
                continue
            if c.value != v:
                check_control_value(name, c, v)  # names the control and what it accepts
                raise ValueError(f"{type(self).__name__}: {name}={v!r} became {c.value!r} in its control")

    def __init__(self, controls: dict[str, W.Widget], *, auto: bool = True, background: bool | None = None,
                 budget: dict[str, float] | None = None):
        self.controls = controls
        self._check_arguments()
        self.out = W.Output()
        self.errors = W.Output()
        self.status = W.HTML()
        self.cost_label = W.HTML()
        self.confirm = W.Button(description="compute anyway", button_style="warning", icon="play",
                                layout=W.Layout(display="none", width="auto"))
        self.confirm.on_click(lambda _b: self.refresh(force=True))
        self.result: Any = None
        self.figure = None
        self.last_error: BaseException | None = None
        self.timings: dict[str, Any] = {}
        self.background = in_kernel() if background is None else bool(background)
        if budget is not None:
            unknown = [k for k in budget if not isinstance(budget[k], (int, float))]
            if unknown:
                raise TypeError(f"budget values must be numbers, got {budget!r}")
            self.budget = dict(budget)
        self._suspend = False
        self._gen = 0
        self._lock = threading.Lock()
        self._pending: tuple | None = None
        self._worker: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        for c in controls.values():
            c.observe(self._on_change, names="value")
        box = W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap"))
        header = [W.HTML(f"<b>{self.title}</b>")] if self.title else []
        self.widget = W.VBox(header + [box, W.HBox([self.cost_label, self.confirm]), self.status, self.out,
                                       self.errors])
        self.widget.add_class("wb-panel")
        if auto:
            self.refresh()

    # -- subclass API ---------------------------------------------------
    def compute(self, **params):  # pragma: no cover - abstract
        """The result for these control values; a generator may yield improving results (the last is final)."""
        raise NotImplementedError

    def draw(self, result, **params):  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self, result, **params) -> str:
        """One line of status text shown above the figure."""
        return ""

    def cost(self, **params) -> dict[str, float]:
        """Sizes of the computation these values ask for (e.g. ``{"parameters": 970, "samples": 100}``)."""
        return {}

    def estimate_seconds(self, **params) -> float | None:
        """Rough seconds the computation of these values would take on this machine (``None``: no estimate).

        Called only beyond the budget, before *compute anyway* is offered, so it
        may time a small calibration run (subclasses cache it); shown in the status.
        """
        return None

    # -- machinery ------------------------------------------------------
    @property
    def params(self) -> dict[str, Any]:
        return {k: c.value for k, c in self.controls.items()}

    @property
    def running(self) -> bool:
        """A computation is in flight (background mode)."""
        return not self._idle.is_set()

    def _on_change(self, change) -> None:
        if not self._suspend:
            self.refresh()

    def update(self, *, wait: bool = True, **params) -> Panel:
        """Set several controls at once and redraw once.

        Driven from code, the call returns when the new picture is drawn
        (``wait=False``: at once, the panel refines in the background).
        """
        unknown = set(params) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this panel has {sorted(self.controls)}")
        for k, v in params.items():  # all checked before any is set: a bad value changes nothing
            check_control_value(k, self.controls[k], v)
        old = {k: self.controls[k].value for k in params}
        self._suspend = True
        try:
            for k, v in params.items():
                try:
                    self.controls[k].value = v
                except TraitError as exc:
                    for k2, v2 in old.items():
                        self.controls[k2].value = v2
                    raise ValueError(f"{_label(k, self.controls[k])}: cannot take {v!r} ({exc})") from None
        finally:
            self._suspend = False
        self.refresh()
        if wait:
            self.wait()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no computation is in flight; False if ``timeout`` seconds passed first."""
        return self._idle.wait(timeout)

    def refresh(self, *, force: bool = False) -> None:
        """Recompute and redraw with the current control values (cancelling any computation in flight).

        ``force=True`` computes even when :meth:`cost` exceeds the budget.
        """
        params = self.params
        with self._lock:
            self._gen += 1
            job = (self._gen, params, force)
            if self.background:
                self._pending = job
                self._idle.clear()
                if self._worker is None:
                    self._worker = threading.Thread(target=self._loop, name=f"{type(self).__name__}-worker",
                                                    daemon=True)
                    self._worker.start()
                return
        self._run(*job)

    def _loop(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._worker = None
                    self._idle.set()
                    return
            try:
                self._run(*job)
            except BaseException as exc:  # pragma: no cover - _run already reports; never kill the worker silently
                self._report(exc)

    def _stale(self, gen: int) -> bool:
        return gen != self._gen

    def _over_budget(self, costs: dict) -> dict:
        return {k: v for k, v in costs.items() if k in self.budget and v > self.budget[k]}

    def _show_cost(self, costs: dict, over: dict) -> None:
        if not costs:
            self.cost_label.value = ""
            return
        parts = []
        for k, v in costs.items():
            lim = f" (budget {_fmt(self.budget[k])})" if k in self.budget else ""
            txt = f"{_fmt(v)} {k}{lim}"
            parts.append(f"<b style='color:#b35900'>{txt}</b>" if k in over else txt)
        self.cost_label.value = "<small>" + " · ".join(parts) + "</small>"

    def _report(self, exc: BaseException) -> None:
        self.last_error = exc
        self.status.value = (f"<span style='color:#b00'>error: {html.escape(type(exc).__name__)}: "
                             f"{html.escape(str(exc))}</span>")
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.errors.outputs = ({"output_type": "stream", "name": "stderr", "text": tb},)

    def _run(self, gen: int, params: dict, force: bool) -> None:
        t0 = time.perf_counter()
        try:
            costs = self.cost(**params)
        except Exception as exc:  # a bad combination of controls: say so
            self._report(exc)
            return
        over = self._over_budget(costs)
        self._show_cost(costs, over)
        if over and not force:
            self.confirm.layout.display = None
            names = ", ".join(f"{_fmt(v)} {k} > {_fmt(self.budget[k])}" for k, v in over.items())
            self.status.value = (f"<b>Beyond this panel's budget</b> ({names}): this may take long. "
                                 "<i>estimating the time…</i>")
            try:
                est = self.estimate_seconds(**params)
            except Exception as exc:  # an estimate must never stop the panel from asking
                est, why = None, f"{type(exc).__name__}: {exc}"
            else:
                why = None
            if self._stale(gen):
                return
            if est is not None and math.isfinite(est) and est > 0:
                eta = f"Estimated time: <b>about {html.escape(format_seconds(est))}</b> on this machine. "
            else:
                eta = f"(no time estimate: {html.escape(why)}) " if why else ""
            self.status.value = (f"<b>Beyond this panel's budget</b> ({names}): this may take long. {eta}"
                                 "Press <i>compute anyway</i>, or choose smaller sizes.")
            self.timings = {"first": None, "final": None, "steps": 0, "asked": True, "estimate": est}
            return
        self.confirm.layout.display = "none"
        self.status.value = "<i>computing…</i>"
        self.errors.outputs = ()
        first = None
        steps = 0
        try:
            out = self.compute(**params)
            results = out if inspect.isgenerator(out) else iter((out,))
            last_draw, draw_cost = -float("inf"), 0.0
            pending = None
            for res in results:
                steps += 1
                if self._stale(gen):
                    if inspect.isgenerator(out):
                        out.close()
                    return
                now = time.perf_counter()
                # intermediate redraws at most every refine_interval, and never more than half the time
                # (refine_interval <= 0: draw every step)
                gap = max(self.refine_interval, 2 * draw_cost) if self.refine_interval > 0 else 0.0
                if first is None or now - last_draw >= gap:
                    self._show(res, params)
                    last_draw = time.perf_counter()
                    draw_cost = last_draw - now
                    if first is None:
                        first = last_draw - t0
                    pending = None
                    self.status.value = self.describe(res, **params) + " <i>· refining…</i>"
                else:
                    pending = res
            if self._stale(gen):
                return
            if pending is not None:
                self._show(pending, params)
            if steps == 0:
                raise RuntimeError(f"{type(self).__name__}.compute yielded no result")
        except Exception as exc:  # shown to the user, kept for tests
            if not self._stale(gen):
                self._report(exc)
            return
        self.last_error = None
        final = time.perf_counter() - t0
        self.timings = {"first": first, "final": final, "steps": steps, "asked": False}
        self.status.value = self.describe(self.result, **params)

    def _show(self, result, params: dict) -> None:
        fig = self.draw(result, **params)
        self.result, self.figure = result, fig
        self._render(fig)

    def _render(self, fig) -> None:
        """Put the figure into ``self.out`` as a PNG (thread-safe: sets the Output's outputs directly)."""
        data = base64.b64encode(_png(fig, self.dpi)).decode("ascii")
        self.out.outputs = ({"output_type": "display_data", "metadata": {},
                             "data": {"image/png": data, "text/plain": f"<{type(self).__name__} figure>"}},)

    def snapshot_html(self) -> str:
        """What a saved notebook shows when the live panel is gone: a hint and the current picture."""
        img = ""
        if self.figure is not None:
            data = base64.b64encode(_png(self.figure, 72)).decode("ascii")
            img = f"<img alt='snapshot of the panel' src='data:image/png;base64,{data}' style='max-width:100%'>"
        name = html.escape(self.title or type(self).__name__)
        return ("<details class='wb-panel-snapshot' style='color:#666;font-size:90%'>"
                f"<summary>Panel \u201c{name}\u201d not showing (e.g. <i>Error displaying widget: model not "
                "found</i> after reopening a saved notebook)? <b>Run this cell</b> to bring it back; "
                "click here for a snapshot from the last run.</summary>"
                f"{img}</details>")

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        self.wait(self.display_wait)
        display(self.widget)
        display(HTML(self.snapshot_html()))
