"""06's layer-algebra panel: the small network's controls are disabled while a zoo model is selected (issue 30)."""
from __future__ import annotations

from workbench.widgets import LayerAlgebraPanel
from workbench.widgets.layer_algebra_panel import SLIDERS, SMALL

NETWORK = {"depth", "width", "kernel", "stride", "size", "shortcuts"}  # what small_cnn takes; all but model, colour


def test_the_network_controls_are_the_small_cnn_arguments():
    p = LayerAlgebraPanel(depth=1, width=4, auto=False)
    assert set(SLIDERS) == NETWORK == set(p.controls) - {"model", "color"}


def test_zoo_model_disables_the_network_sliders_with_a_hint_and_small_cnn_enables_them():
    p = LayerAlgebraPanel(depth=1, width=4)
    assert not any(p.controls[n].disabled for n in SLIDERS)
    assert not p.controls["model"].disabled and not p.controls["color"].disabled
    assert "apply to the small network only" not in p.status.value

    p.controls["model"].value = "squeezenet1_1"
    assert p.last_error is None and p.result.input_shape == (3, 224, 224)
    assert all(p.controls[n].disabled for n in SLIDERS)
    assert all("small" in p.controls[n].tooltip for n in SLIDERS)
    assert not p.controls["model"].disabled and not p.controls["color"].disabled
    assert "apply to the small network only" in p.status.value and "squeezenet1_1" in p.status.value

    p.controls["model"].value = SMALL
    assert p.last_error is None and p.result.input_shape == (3, 32, 32)
    assert not any(p.controls[n].disabled for n in SLIDERS)
    assert not any(p.controls[n].tooltip for n in SLIDERS)
    assert "apply to the small network only" not in p.status.value


def test_built_with_a_zoo_model_starts_disabled():
    p = LayerAlgebraPanel(model="alexnet", auto=False)
    assert all(p.controls[n].disabled for n in SLIDERS)
    p.update(model=SMALL, depth=2)
    assert not any(p.controls[n].disabled for n in SLIDERS) and p.result.input_shape == (3, 32, 32)
