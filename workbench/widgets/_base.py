"""Base class of the widget panels: controls -> recompute -> redraw, errors shown, never swallowed."""
from __future__ import annotations

import traceback
from typing import Any

import ipywidgets as W

__all__ = ["Panel"]


class Panel:
    """A small ipywidgets panel that owns its controls.

    Subclasses fill ``self.controls`` (name -> widget with a ``.value``) and
    implement :meth:`compute` (heavy work, returns a result) and :meth:`draw`
    (result -> matplotlib Figure).  Every control change calls :meth:`refresh`;
    sliders use ``continuous_update=False`` so recomputation runs on release.
    Exceptions raised while computing or drawing are shown in ``self.errors``
    (an ``Output`` widget) and kept in ``self.last_error``.

    Tests drive a panel by setting ``panel.controls[name].value`` and reading
    ``panel.result`` / ``panel.figure``, no browser needed.
    """

    title: str = ""

    def __init__(self, controls: dict[str, W.Widget], *, auto: bool = True):
        self.controls = controls
        self.out = W.Output()
        self.errors = W.Output()
        self.status = W.HTML()
        self.result: Any = None
        self.figure = None
        self.last_error: BaseException | None = None
        self._suspend = False
        for c in controls.values():
            c.observe(self._on_change, names="value")
        box = W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap"))
        header = [W.HTML(f"<b>{self.title}</b>")] if self.title else []
        self.widget = W.VBox(header + [box, self.status, self.out, self.errors])
        if auto:
            self.refresh()

    # -- subclass API ---------------------------------------------------
    def compute(self, **params):  # pragma: no cover - abstract
        raise NotImplementedError

    def draw(self, result, **params):  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self, result, **params) -> str:
        """One line of status text shown above the figure."""
        return ""

    # -- machinery ------------------------------------------------------
    @property
    def params(self) -> dict[str, Any]:
        return {k: c.value for k, c in self.controls.items()}

    def _on_change(self, change) -> None:
        if not self._suspend:
            self.refresh()

    def update(self, **params) -> Panel:
        """Set several controls at once and redraw once."""
        unknown = set(params) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this panel has {sorted(self.controls)}")
        self._suspend = True
        try:
            for k, v in params.items():
                self.controls[k].value = v
        finally:
            self._suspend = False
        self.refresh()
        return self

    def refresh(self) -> None:
        """Recompute and redraw with the current control values."""
        from IPython.display import display

        params = self.params
        self.status.value = "<i>computing…</i>"
        self.errors.clear_output()
        try:
            result = self.compute(**params)
            fig = self.draw(result, **params)
        except Exception as exc:  # shown to the user, kept for tests
            self.last_error = exc
            self.status.value = f"<span style='color:#b00'>error: {type(exc).__name__}: {exc}</span>"
            with self.errors:
                traceback.print_exc()
            return
        self.last_error = None
        self.result, self.figure = result, fig
        self.status.value = self.describe(result, **params)
        self.out.clear_output(wait=True)
        with self.out:
            display(fig)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
