"""A figure linter for the lecture hall (issue 27): overlapping or cut-off text, legends on data, ...

:func:`lint_figure` draws a figure once (painting switched off, on an Agg
renderer at the figure's dpi) and checks the window extents of what it drew.
Rules (:data:`RULES`) and their thresholds:

* ``text-overlap``: two visible texts (tick labels, titles, axis labels,
  annotations, legend texts, suptitle) overlap by more than ``OVERLAP_TOL_PX``
  (2 px) both across and up; rotated texts by their rotated boxes.
* ``text-outside``: a text reaches more than ``OUTSIDE_TOL_PX`` (1.5 px)
  beyond the figure's edge.
* ``legend-on-data``: a legend box hides more than ``LEGEND_SHARE`` (5 %) of
  one plotted artist of an axes it lies on: of a line's points (segments
  interpolated every 2 px, so a line crossing the box counts), of scatter
  markers, of bar area or bar ends (where the values show), of image / mesh area.
* ``colorbar-detached``: a colour bar's gap to the nearest axes it belongs to
  exceeds ``COLORBAR_GAP`` (20 %) of that axes' width (height, for a
  horizontal bar).
* ``font-too-small``: a text shows smaller than ``min_px`` once the picture is
  shrunk to ``display_px`` wide: the rule of :func:`workbench.plots.ensure_legible`.
* ``empty-axes``: a visible axes with no data artist (lines, collections,
  patches, images, texts), unless turned off (``ax.axis('off')``) without a title.
* ``missing-label``: an axes with data and tick labels whose x or y axis has
  no label, none on an axes sharing it, and no figure ``supxlabel`` /
  ``supylabel`` (polar, colour-bar and categorical axes, 3-D z axes skipped).
* ``raw-identifier``: text outside ``$...$`` with a snake_case token
  (``sigma_w2``) or ``name=`` (``lr=``; one letter, ``n=``, is notation);
  torchvision's model names and :data:`ALLOWED_IDENTIFIERS` pass.

:func:`lint_open_figures` lints every open pyplot figure; :func:`install_notebook_hook`
lints, after each IPython cell, the figures that cell made or displayed.
"""
from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, FigureBase
from matplotlib.transforms import Bbox

from workbench.plots._lint_drawn import (  # the figure as drawn (moved there, issue 24)
    _axis_on,
    _categorical,
    _colorbar_parents,
    _data_artists,
    _Figure,
    _quote,
    _renderer,
    _sup_label,
)
from workbench.plots._lint_geometry import (  # display-pixel geometry (moved there, issue 24)
    _box_corners,
    _data_shapes,
    _sat_depth,
    _share,
)
from workbench.plots.style import LEGIBILITY, _scale

__all__ = ["Finding", "FigureLintError", "RULES", "ALLOWED_IDENTIFIERS", "lint_figure", "lint_open_figures",
           "open_figures", "install_notebook_hook"]

RULES = ("text-overlap", "text-outside", "legend-on-data", "colorbar-detached", "font-too-small", "empty-axes",
         "missing-label", "raw-identifier")
"""The rules, in the order their findings are listed."""

OVERLAP_TOL_PX = 2.0
OUTSIDE_TOL_PX = 1.5
LEGEND_SHARE = 0.05
COLORBAR_GAP = 0.20  # a shared bar beside equal-aspect images in constrained layout sits at 15%

ALLOWED_IDENTIFIERS: set[str] = set()
"""Tokens that ``raw-identifier`` lets pass (add your own); torchvision's model names are allowed too."""


@dataclass(frozen=True)
class Finding:
    """One problem of a figure: the rule broken, the artist (a readable name) and the measured numbers."""

    rule: str
    artist: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.artist}: {self.message}"

    def to_frame(self):
        """A one-row DataFrame (``pd.concat`` a list of them for a table)."""
        import pandas as pd

        return pd.DataFrame([{"rule": self.rule, "artist": self.artist, "message": self.message}])


class FigureLintError(AssertionError):
    """Raised by a strict notebook hook (:func:`install_notebook_hook`) when a cell's figure has findings."""


# ------------------------------------------------------------------------------------------ rules


def _text_overlap(F: _Figure) -> list[Finding]:
    T = F.texts
    if len(T) < 2:
        return []
    e = np.array([t.bbox.extents for t in T])
    pairs = []
    for s in range(0, len(T), 512):  # rows in blocks: memory stays small for thousands of texts
        r = e[s:s + 512]
        ox = np.minimum(r[:, None, 2], e[None, :, 2]) - np.maximum(r[:, None, 0], e[None, :, 0])
        oy = np.minimum(r[:, None, 3], e[None, :, 3]) - np.maximum(r[:, None, 1], e[None, :, 1])
        later = np.arange(len(T))[None, :] > np.arange(s, s + len(r))[:, None]  # each pair once
        hit = (ox > OVERLAP_TOL_PX) & (oy > OVERLAP_TOL_PX) & later
        pairs += [(s + i, j, ox[i, j], oy[i, j]) for i, j in zip(*np.nonzero(hit))]
    out = []
    for i, j, oxy, oyy in pairs:
        a, b = T[i], T[j]
        if a.corners is None and b.corners is None:
            msg = f"overlaps {b.name} by {oxy:.1f} × {oyy:.1f} px"
        else:
            ca = a.corners if a.corners is not None else _box_corners(a.bbox)
            cb = b.corners if b.corners is not None else _box_corners(b.bbox)
            depth = _sat_depth(ca, cb)
            if depth <= OVERLAP_TOL_PX:
                continue
            msg = f"overlaps {b.name} by {depth:.1f} px (rotated text boxes)"
        out.append(Finding("text-overlap", a.name, msg))
    return out


def _text_outside(F: _Figure) -> list[Finding]:
    W, H = F.fig.bbox.width, F.fig.bbox.height
    out = []
    for t in F.texts:
        bb = t.bbox
        sides = {"left": -bb.x0, "right": bb.x1 - W, "bottom": -bb.y0, "top": bb.y1 - H}
        worst = max(sides, key=sides.get)
        if sides[worst] > OUTSIDE_TOL_PX:
            cut = [f"{v:.1f} px beyond the {k}" for k, v in sides.items() if v > OUTSIDE_TOL_PX]
            out.append(Finding("text-outside", t.name, f"reaches {', '.join(cut)} edge of the "
                                                       f"{W:.0f} × {H:.0f} px figure"))
    return out


def _font_too_small(F: _Figure, display_px: float, min_px: float) -> list[Finding]:
    dpi = F.fig.dpi
    scale = _scale(F.fig, dpi, display_px)
    groups: dict = {}
    for t in F.texts:
        px = t.text.get_fontsize() * dpi / 72.0 * scale
        if px < min_px - 1e-6:
            key = (t.tick, round(px, 3)) if t.tick else (id(t), px)
            groups.setdefault(key, []).append(t)
    out = []
    for (_, px), ts in groups.items():
        if ts[0].tick:
            ax, nm = ts[0].tick
            labels = ", ".join(_quote(t.text.get_text(), 12) for t in ts[:3]) + (", …" if len(ts) > 3 else "")
            name = f"{len(ts)} tick labels of {F.names[ax]} {nm} ({labels})"
        else:
            name = ts[0].name
        out.append(Finding("font-too-small", name,
                           f"{ts[0].text.get_fontsize():.3g} pt shows {px:.1f} px high at {display_px:.0f} px display "
                           f"width (minimum {min_px:g} px)"))
    return out


def _legend_on_data(F: _Figure) -> list[Finding]:
    legends = [(ax.legend_, f"legend of {an}", ax) for ax, an in F.names.items()
               if ax.legend_ is not None and ax.legend_.get_visible() and F.shown(ax)]
    legends += [(leg, "figure legend", None) for leg in F.fig.legends if leg.get_visible()]
    out = []
    for leg, lname, owner in legends:
        box = leg.get_window_extent(F.renderer)
        if leg.get_frame_on():
            box = Bbox.union([box, leg.get_frame().get_window_extent(F.renderer)])
        for ax, an in F.names.items():
            if not F.shown(ax) or hasattr(ax, "_colorbar") or Bbox.intersection(box, ax.bbox) is None:
                continue
            worst = None
            for data, what, unit in _data_shapes(ax, F.renderer):
                s = _share(data, box, ax.bbox)
                if s is not None and (worst is None or s > worst[0]):
                    worst = (s, what, unit)
            if worst and worst[0] > LEGEND_SHARE:
                s, what, unit = worst
                on = "" if ax is owner else f" of {an}"
                out.append(Finding("legend-on-data", lname,
                                   f"covers {100 * s:.0f}% of {what}{on} ({unit}; at most {100 * LEGEND_SHARE:.0f}%)"))
    return out


def _colorbar_detached(F: _Figure) -> list[Finding]:
    out = []
    for cax, cname in F.names.items():
        cb = getattr(cax, "_colorbar", None)
        if cb is None or not F.shown(cax):
            continue
        c = cax.bbox
        vertical = getattr(cb, "orientation", "vertical") == "vertical"
        best = None
        for p in _colorbar_parents(cax, F.names):
            b = p.bbox
            dx = max(b.x0 - c.x1, c.x0 - b.x1, 0.0)
            dy = max(b.y0 - c.y1, c.y0 - b.y1, 0.0)
            gap = math.hypot(dx, dy)
            if best is None or gap < best[0]:
                best = (gap, b.width if vertical else b.height, p)
        if best is None:
            continue
        gap, size, p = best
        if size > 0 and gap > COLORBAR_GAP * size:
            side = "width" if vertical else "height"
            out.append(Finding("colorbar-detached", f"{cname} (of {F.names.get(p, 'an axes')})",
                               f"{gap:.0f} px from its axes = {100 * gap / size:.0f}% of the axes' {side} "
                               f"({size:.0f} px; at most {100 * COLORBAR_GAP:.0f}%)"))
    return out


def _empty_axes(F: _Figure) -> list[Finding]:
    out = []
    for ax, an in F.names.items():
        if not F.shown(ax) or hasattr(ax, "_colorbar"):
            continue
        if _data_artists(ax) or any(t.get_visible() and t.get_text().strip() for t in ax.texts) or \
                any(c.get_visible() for c in getattr(ax, "child_axes", [])):
            continue
        if _axis_on(ax):
            out.append(Finding("empty-axes", an, "visible axes with nothing plotted: draw into it, or hide it "
                                                 "(ax.axis('off') / ax.set_visible(False))"))
        elif any(t.get_visible() and t.get_text().strip() for t in (ax.title, ax._left_title, ax._right_title)):
            out.append(Finding("empty-axes", an, "axes turned off with nothing plotted still shows its title"))
    return out


def _missing_label(F: _Figure) -> list[Finding]:
    ticked = {t.tick for t in F.texts if t.tick}
    out = []
    for ax, an in F.names.items():
        if not F.shown(ax) or hasattr(ax, "_colorbar") or not _axis_on(ax) or ax.name == "polar" \
                or not [a for a in _data_artists(ax) if a is not ax.patch]:
            continue
        for nm in ("x", "y"):
            axis = ax._axis_map.get(nm)
            if axis is None or not axis.get_visible() or (ax, nm) not in ticked or _categorical(axis):
                continue
            if axis.label.get_visible() and axis.label.get_text().strip():
                continue
            sibs = ax._shared_axes[nm].get_siblings(ax)
            if any(s is not ax and s.get_visible() and s._axis_map[nm].label.get_text().strip() for s in sibs):
                continue
            if _sup_label(ax, nm):
                continue
            out.append(Finding("missing-label", f"{nm} axis of {an}",
                               f"has tick labels but no label (set_{nm}label, or a labelled axes sharing {nm})"))
    return out


_MATH = re.compile(r"(?<!\\)\$.+?(?<!\\)\$")
_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
_ASSIGN = re.compile(r"\b([^\W\d]\w*)=")
_MODEL_NAMES: set[str] | None = None


def _allowed() -> set[str]:
    global _MODEL_NAMES
    if _MODEL_NAMES is None:
        try:
            import torchvision

            _MODEL_NAMES = {m.lower() for m in torchvision.models.list_models()}
        except Exception:  # pragma: no cover - torchvision missing or broken: no model names
            _MODEL_NAMES = set()
    return _MODEL_NAMES | {w.lower() for w in ALLOWED_IDENTIFIERS}


def _raw_identifiers(s: str) -> list[str]:
    s = _MATH.sub(" ", s)
    found = [m.group(0) for m in _SNAKE.finditer(s)]
    assigned = [m.group(0) for m in _ASSIGN.finditer(s) if len(m.group(1)) > 1]
    found = [f for f in found if f + "=" not in assigned] + assigned
    if not found:
        return []
    allowed = _allowed()
    return list(dict.fromkeys(f for f in found if f.rstrip("=").lower() not in allowed))


def _raw_identifier(F: _Figure) -> list[Finding]:
    out = []
    for t in F.texts:
        bad = _raw_identifiers(t.text.get_text())
        if bad:
            out.append(Finding("raw-identifier", t.name,
                               f"raw identifier{'s' if len(bad) > 1 else ''} {', '.join(map(_quote, bad))}: "
                               "write words or math ($...$)"))
    return out


# ------------------------------------------------------------------------------------------ API


def _as_figure(obj) -> Figure:
    if isinstance(obj, Axes):
        return obj.get_figure(root=True)
    if isinstance(obj, np.ndarray):
        return obj.flat[0].get_figure(root=True)
    if isinstance(obj, FigureBase):  # a Figure or a SubFigure
        return obj.get_figure(root=True)
    raise TypeError(f"lint_figure needs a matplotlib Figure, Axes or array of Axes, got {type(obj).__name__}")


def lint_figure(fig, *, display_px: float | None = None, min_px: float | None = None,
                ignore: tuple[str, ...] | list[str] = ()) -> list[Finding]:
    """Check a figure for what hurts on a projector; returns the findings (empty: fit for a lecture hall).

    Draws ``fig`` once without painting, on an Agg renderer at ``fig.dpi`` (the
    figure's canvas is put back afterwards; pyplot is not touched), then applies
    the rules of :data:`RULES` (see the module docstring for each threshold).

    Parameters
    ----------
    fig
        A ``Figure`` (also an ``Axes`` or an array of them: their figure).
    display_px
        Width (px) the picture is shown at; a wider picture is shrunk to it.
        Defaults to ``LEGIBILITY["display_px"]``, so the linter and
        :func:`workbench.plots.ensure_legible` agree.
    min_px
        Smallest displayed text height (px); defaults to ``LEGIBILITY["min_px"]``
        (12 px, 16 px under :func:`workbench.plots.lecture_style`).
    ignore
        Rules to skip, e.g. ``("missing-label",)``.
    """
    unknown = set(ignore) - set(RULES)
    if unknown:
        raise ValueError(f"unknown rules {sorted(unknown)}; the rules are {list(RULES)}")
    display_px = float(LEGIBILITY["display_px"] if display_px is None else display_px)
    min_px = float(LEGIBILITY["min_px"] if min_px is None else min_px)
    if not (display_px > 0 and min_px > 0):
        raise ValueError(f"display_px and min_px must be positive, got {display_px} and {min_px}")
    fig = _as_figure(fig)
    checks = {
        "text-overlap": _text_overlap, "text-outside": _text_outside, "legend-on-data": _legend_on_data,
        "colorbar-detached": _colorbar_detached,
        "font-too-small": lambda F: _font_too_small(F, display_px, min_px),
        "empty-axes": _empty_axes, "missing-label": _missing_label, "raw-identifier": _raw_identifier,
    }
    with _renderer(fig) as renderer:
        F = _Figure(fig, renderer)
        return [f for rule in RULES if rule not in ignore for f in checks[rule](F)]


def open_figures() -> dict:
    """Open pyplot figures by number, read without activating any (pyplot not imported: none)."""
    if "matplotlib.pyplot" not in sys.modules:
        return {}
    from matplotlib._pylab_helpers import Gcf

    return {num: m.canvas.figure for num, m in sorted(Gcf.figs.items())}


def lint_open_figures(*, display_px: float | None = None, min_px: float | None = None,
                      ignore: tuple[str, ...] | list[str] = ()) -> dict[int, list[Finding]]:
    """``{figure number: findings}`` for every open pyplot figure (pyplot's current figure is left as it is)."""
    return {num: lint_figure(fig, display_px=display_px, min_px=min_px, ignore=ignore)
            for num, fig in open_figures().items()}


def _figure_name(fig: Figure, k: int) -> str:
    try:
        return f"figure {fig.number}"
    except AttributeError:
        return f"figure {k + 1} shown by this cell"


class _CellLinter:
    """Lints the figures one IPython cell made or displayed: ``pre_run_cell`` / ``post_run_cell`` callbacks.

    A cell's figures are the pyplot figures opened during it (``plt.get_fignums()``
    before / after) and every figure passed through IPython's figure formatters
    (``display(fig)``, :func:`workbench.plots.show`, a figure as the cell's value,
    the inline backend's own display), recorded by :meth:`note`.
    """

    _MIMES = ("image/png", "image/svg+xml", "image/jpeg", "application/pdf")

    def __init__(self, *, strict: bool = False, shell=None, stream=None, **lint_kw):
        self.strict, self.shell, self.stream, self.lint_kw = strict, shell, stream, lint_kw
        self._before: set = set()
        self._noted: dict[int, Figure] = {}

    def note(self, fig) -> None:
        """Record a figure to lint after this cell."""
        if isinstance(fig, Figure):
            self._noted.setdefault(id(fig), fig)

    def pre_run_cell(self, info=None) -> None:
        self._before = set(open_figures())
        self._noted.clear()
        self.wrap_formatters()

    def post_run_cell(self, result=None) -> dict[str, list[Finding]]:
        figs = dict(self._noted)
        for num, fig in open_figures().items():
            if num not in self._before:
                figs.setdefault(id(fig), fig)
        self._noted.clear()
        report, unnumbered = {}, 0
        for fig in figs.values():
            name = _figure_name(fig, unnumbered)
            unnumbered += name.endswith("this cell")
            try:
                findings = lint_figure(fig, **self.lint_kw)
            except Exception as e:  # a figure the linter cannot read: say so, never break the notebook
                print(f"figure lint: could not lint {name}: {type(e).__name__}: {e}", file=self.stream or sys.stdout)
                continue
            if findings:
                report[name] = findings
        if report:
            lines = [f"figure lint: {sum(map(len, report.values()))} finding(s)"]
            for name, findings in report.items():
                lines += [f"  {name}:"] + [f"    {f}" for f in findings]
            text = "\n".join(lines)
            print(text, file=self.stream or sys.stdout)
            if self.strict:
                err = FigureLintError(text)
                if result is not None and hasattr(result, "error_in_exec"):
                    result.error_in_exec = err  # the kernel then reports the cell as failed
                raise err
        return report

    def wrap_formatters(self) -> None:
        """Record figures displayed through the shell's figure formatters (re-done each cell: a backend switch
        re-registers them)."""
        formatters = getattr(getattr(self.shell, "display_formatter", None), "formatters", {})
        for mime in self._MIMES:
            fmt = formatters.get(mime)
            if fmt is None:
                continue
            try:
                inner = fmt.lookup_by_type(Figure)
            except KeyError:
                continue
            if getattr(inner, "_workbench_lint", None) is self:
                continue
            while hasattr(inner, "_workbench_inner"):  # an earlier hook's wrapper
                inner = inner._workbench_inner

            def wrapped(fig, *args, _inner=inner, **kwargs):
                self.note(fig)
                return _inner(fig, *args, **kwargs)

            wrapped._workbench_lint, wrapped._workbench_inner = self, inner
            fmt.for_type(Figure, wrapped)

    def uninstall(self) -> None:
        """Remove the callbacks and the formatter wrappers."""
        global _HOOK
        events = getattr(self.shell, "events", None)
        for name in ("pre_run_cell", "post_run_cell"):
            try:
                events.unregister(name, getattr(self, name))
            except (ValueError, AttributeError):
                pass
        formatters = getattr(getattr(self.shell, "display_formatter", None), "formatters", {})
        for mime in self._MIMES:
            fmt = formatters.get(mime)
            try:
                func = fmt.lookup_by_type(Figure) if fmt is not None else None
            except KeyError:
                continue
            if getattr(func, "_workbench_lint", None) is self:
                fmt.for_type(Figure, func._workbench_inner)
        if _HOOK is self:
            _HOOK = None


_HOOK: _CellLinter | None = None


def install_notebook_hook(strict: bool = False, *, shell=None, display_px: float | None = None,
                          min_px: float | None = None, ignore: tuple[str, ...] | list[str] = ()) -> _CellLinter:
    """Lint, after each IPython cell, the figures that cell made or displayed, and print the findings.

    ``strict=True`` raises :class:`FigureLintError` instead (the cell is then
    reported as failed, so ``workbench reproduce`` / papermill stop there).
    Installing again replaces the previous hook; ``.uninstall()`` removes it.
    ``shell`` defaults to the running IPython shell.
    """
    global _HOOK
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError as e:  # pragma: no cover
            raise RuntimeError("install_notebook_hook needs IPython (a Jupyter kernel or ipython)") from e
        shell = get_ipython()
        if shell is None:
            raise RuntimeError("install_notebook_hook runs inside IPython / Jupyter; "
                               "outside, call lint_figure(fig) or lint_open_figures()")
    if _HOOK is not None:
        _HOOK.uninstall()
    hook = _CellLinter(strict=strict, shell=shell, display_px=display_px, min_px=min_px, ignore=tuple(ignore))
    shell.events.register("pre_run_cell", hook.pre_run_cell)
    shell.events.register("post_run_cell", hook.post_run_cell)
    hook.pre_run_cell()
    _HOOK = hook
    return hook
