"""The function panel and the Panel machinery, driven without a browser."""
from __future__ import annotations

import ipywidgets as W
import pytest
from matplotlib.figure import Figure

from workbench.widgets import FunctionPanel, Panel


def test_function_panel_redraws_on_control_change():
    p = FunctionPanel(width=8, depth=2, n_points=51, n_seeds=2)
    assert isinstance(p.figure, Figure) and p.last_error is None
    first = p.result
    assert first["depth"].iloc[0] == 2 and first["seed"].nunique() == 2
    p.controls["depth"].value = 5
    assert p.result["depth"].iloc[0] == 5 and not p.result["y"].equals(first["y"])
    p.update(activation="tanh", n_seeds=3)
    assert p.result["activation"].iloc[0] == "tanh" and p.result["seed"].nunique() == 3
    assert "3 networks" in p.status.value
    sliders = [c for c in p.controls.values() if isinstance(c, W.IntSlider)]
    assert all(getattr(c, "continuous_update", False) is False for c in sliders)


def test_function_panel_unknown_control():
    p = FunctionPanel(n_points=21, n_seeds=1)
    with pytest.raises(ValueError, match="unknown control"):
        p.update(colour="red")


class Exploding(Panel):
    def __init__(self):
        super().__init__({"x": W.IntSlider(value=1, min=0, max=3)})

    def compute(self, x):
        if x == 0:
            raise ValueError("x must not be zero")
        return x

    def draw(self, result, x):
        fig = Figure()
        fig.add_subplot().plot([0, result])
        return fig


def test_errors_are_shown_not_swallowed():
    p = Exploding()
    assert p.result == 1
    p.controls["x"].value = 0
    assert isinstance(p.last_error, ValueError)
    assert "x must not be zero" in p.status.value
    assert p.result == 1  # the last good result stays
    p.controls["x"].value = 2
    assert p.last_error is None and p.result == 2
