"""Responsive panels: progressive results, latest-wins cancellation, budgets, log sliders, saved-notebook hint."""
from __future__ import annotations

import math
import time

import ipywidgets as W
import numpy as np
import pytest
from matplotlib.figure import Figure

from workbench.widgets import ESDPanel, FunctionPanel, Panel, RegionsPanel, log_slider
from workbench.widgets._base import calibrate_power


def _fig(v):
    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot([0, v])
    return fig


class Steps(Panel):
    """Yields ``x * 10 + i`` for i < n, sleeping ``pause`` between steps; records what it did."""

    budget = {"size": 100}

    def __init__(self, n=5, pause=0.0, fail_at=None, **kw):
        self.n, self.pause, self.fail_at = n, pause, fail_at
        self.started, self.finished, self.closed, self.drawn = [], [], [], []
        super().__init__({"x": W.IntSlider(value=1, min=0, max=500), "size": W.IntText(value=10)}, **kw)

    def cost(self, *, x, size):
        return {"size": size}

    def compute(self, *, x, size):
        self.started.append(x)
        try:
            for i in range(self.n):
                if i == self.fail_at:
                    raise ValueError(f"step {i} fails on purpose")
                if self.pause:
                    time.sleep(self.pause)
                yield x * 10 + i
            self.finished.append(x)
        finally:
            self.closed.append(x)

    def draw(self, result, *, x, size):
        self.drawn.append(result)
        return _fig(result)

    def describe(self, result, **params):
        return f"result {result}"


def test_generator_refines_and_draws_first_and_last():
    p = Steps(n=6)
    assert p.result == 15 and p.figure is not None
    assert p.drawn[0] == 10 and p.drawn[-1] == 15  # first answer at once, the final always
    assert p.timings["steps"] == 6 and p.timings["first"] <= p.timings["final"]
    assert p.status.value == "result 15" and p.last_error is None
    png = p.out.outputs[0]["data"]["image/png"]
    assert len(png) > 100  # base64 PNG in the Output widget


def test_intermediate_redraws_are_throttled():
    p = Steps(n=50, auto=False)
    p.refine_interval = 3600.0
    p.refresh()
    assert p.drawn == [10, 59]  # first, then nothing until the final


def test_latest_wins_cancels_the_computation_in_flight():
    p = Steps(n=40, pause=0.02, background=True)
    time.sleep(0.1)  # the first run is under way
    assert p.running
    p.controls["x"].value = 2
    p.controls["x"].value = 3
    assert p.wait(20)
    assert p.result == 3 * 10 + 39 and p.params["x"] == 3
    assert p.finished == [3]  # the older runs were abandoned, not completed
    assert 1 in p.closed and 2 not in p.started or 2 in p.closed
    assert len(p.started) <= 3 and p.last_error is None


def test_many_changes_do_not_queue():
    p = Steps(n=20, pause=0.02, background=True)
    t0 = time.perf_counter()
    for v in range(2, 12):
        p.controls["x"].value = v
    assert p.wait(20)
    elapsed = time.perf_counter() - t0
    assert p.finished == [11]
    assert len(p.started) < 11  # intermediate values were skipped, never run in turn
    assert elapsed < 10 * 20 * 0.02  # less than running every change to the end


def test_update_waits_in_background_mode():
    p = Steps(n=5, pause=0.01, background=True)
    p.update(x=7)
    assert p.result == 74 and not p.running
    p.update(x=8, wait=False)
    assert p.wait(10) and p.result == 84


def test_budget_asks_before_computing():
    p = Steps(n=3)
    assert "10 size (budget 100)" in p.cost_label.value
    p.controls["size"].value = 1000
    assert p.result == 12  # unchanged: nothing computed
    assert p.confirm.layout.display is None and "Beyond this panel's budget" in p.status.value
    assert "1,000 size > 100" in p.status.value and p.timings["asked"]
    p.controls["x"].value = 4
    assert p.result == 12 and p.started == [1]
    p.confirm.click()
    assert p.result == 42 and p.confirm.layout.display == "none"
    p2 = Steps(n=3, budget={"size": 10_000})
    p2.controls["size"].value = 1000
    assert p2.result == 12


class Estimated(Steps):
    """Steps with a time estimate: ``size * 0.5`` seconds, or an error when ``size`` is 666."""

    def estimate_seconds(self, *, x, size):
        if size == 666:
            raise RuntimeError("no calibration for this size")
        return size * 0.5


def test_beyond_budget_shows_the_time_estimate_before_asking():
    p = Estimated(n=3)
    p.controls["size"].value = 240
    assert p.timings["asked"] and p.timings["estimate"] == 120.0
    assert "Estimated time: <b>about 2.0 min</b>" in p.status.value and "compute anyway" in p.status.value
    assert p.result == 12  # still asked, nothing computed
    p.controls["size"].value = 666  # the estimate fails: the panel still asks, and says why there is none
    assert p.timings["asked"] and p.timings["estimate"] is None
    assert "no time estimate: RuntimeError: no calibration for this size" in p.status.value
    assert p.confirm.layout.display is None
    p.confirm.click()
    assert p.result == 12 and p.last_error is None  # x unchanged: 1 * 10 + 2


def test_without_an_estimate_the_panel_asks_as_before():
    p = Steps(n=3)
    p.controls["size"].value = 1000
    assert p.timings["estimate"] is None and "Estimated time" not in p.status.value
    assert "no time estimate" not in p.status.value


def test_calibrate_power_recovers_a_fixed_part_and_a_power_law():
    calls = []

    def timed(n):
        calls.append(n)
        return 0.25 + 3e-6 * n**3 + (5.0 if len(calls) == 1 else 0.0)  # the first call pays a warm-up

    a, b = calibrate_power(timed, 100, 3)
    assert calls == [100, 100, 200]
    assert a == pytest.approx(0.25) and b == pytest.approx(3e-6)
    assert calibrate_power(lambda n: 1.0, 10, 2) == (1.0, 0.0)  # no growth: all fixed
    a, b = calibrate_power(lambda n: 0.001 * n**2 - 1.0, 10, 2)  # a negative fixed part is clamped
    assert a == 0.0 and b == pytest.approx(0.001)


def test_esd_panel_estimate_scales_with_samples_and_parameters():
    p = ESDPanel(width=48, depth=2, samples=10, device="cpu", auto=False)
    params = dict(p.params)
    e10 = p.estimate_seconds(**params)
    e20 = p.estimate_seconds(**dict(params, samples=20))
    e_wide = p.estimate_seconds(**dict(params, width=64))
    assert 0 < e10 < math.inf and e20 == pytest.approx(2 * e10)  # one cached calibration
    P48 = p.cost(**params)["parameters"]
    P64 = p.cost(**dict(params, width=64))["parameters"]
    assert e_wide == pytest.approx(e10 * (P64 / P48) ** 3)
    p.refresh()
    assert p.timings["asked"] and p.timings["estimate"] == pytest.approx(e10)
    assert "Estimated time: <b>about" in p.status.value


def test_regions_and_trajectory_panels_estimate_before_asking():
    from workbench.widgets import TrajectoryPanel

    r = RegionsPanel(width=96, depth=3, auto=False)
    r.refresh()
    assert r.result is None and r.timings["asked"] and 0 < r.timings["estimate"] < math.inf
    assert "Estimated time" in r.status.value
    t = TrajectoryPanel(width=400, depth=12, n_seeds=1, n_points=50, auto=False)
    t.refresh()
    assert t.result is None and t.timings["asked"] and 0 < t.timings["estimate"] < math.inf
    assert t.layer_slider.max == 13  # the calibration runs do not resize the layer controls


def test_budget_must_be_numbers():
    with pytest.raises(TypeError, match="budget values must be numbers"):
        Steps(budget={"size": "big"})


def test_error_midway_keeps_the_last_good_result():
    p = Steps(n=5, fail_at=3)
    assert isinstance(p.last_error, ValueError)
    assert "step 3 fails on purpose" in p.status.value
    assert p.result == 10  # the first answer was shown and stays
    assert "step 3 fails on purpose" in p.errors.outputs[0]["text"]
    p.fail_at = None
    p.controls["x"].value = 2
    assert p.last_error is None and p.result == 24 and p.errors.outputs == ()


def test_error_in_background_is_shown():
    p = Steps(n=3, fail_at=0, background=True)
    assert p.wait(10)
    assert isinstance(p.last_error, ValueError) and "fails on purpose" in p.status.value


class Empty(Panel):
    def __init__(self):
        super().__init__({"x": W.IntSlider(value=1)})

    def compute(self, x):
        yield from ()

    def draw(self, result, x):
        return _fig(result)


def test_a_generator_that_yields_nothing_is_an_error():
    p = Empty()
    assert isinstance(p.last_error, RuntimeError) and "yielded no result" in str(p.last_error)


def test_log_slider_grid():
    s = log_slider(8, 1, 64, "width")
    assert isinstance(s, W.SelectionSlider) and s.value == 8 and s.continuous_update is False
    opts = list(s.options)
    assert opts[0] == 1 and opts[-1] == 64 and opts == sorted(set(opts))
    ratios = np.array(opts[1:]) / np.array(opts[:-1])
    assert ratios.max() <= 2.0 and len(opts) <= 14  # every notch at most doubles; few enough to hit
    assert 100 in log_slider(100, 2, 400, "w", per_octave=3).options
    with pytest.raises(ValueError, match="value must lie in"):
        log_slider(500, 1, 64, "width")
    with pytest.raises(ValueError, match="lo must be a positive int"):
        log_slider(4, 0, 64, "width")
    with pytest.raises(ValueError, match="per_octave must be >= 1"):
        log_slider(4, 1, 64, "width", per_octave=0)


def test_width_sliders_are_log_spaced():
    p = FunctionPanel(n_points=21, n_seeds=1)
    assert isinstance(p.controls["width"], W.SelectionSlider)
    assert {1, 2, 4, 8, 16, 32, 64, 128, 256} <= set(p.controls["width"].options)


def test_snapshot_for_saved_notebooks():
    p = Steps(n=2)
    html = p.snapshot_html()
    assert "Run this cell" in html and "model not" in html and "data:image/png;base64," in html
    assert "wb-panel" in p.widget._dom_classes


def test_esd_panel_grows_to_the_full_result():
    from workbench import esd

    p = ESDPanel(width=3, depth=2, samples=6, device="cpu", auto=False)
    p.chunk_seconds = 0.0  # one sample per chunk at first, then x4
    p.refine_interval = 0.0
    seen = []
    orig = p.draw
    p.draw = lambda r, **kw: (seen.append(len(r.values)), orig(r, **kw))[1]
    p.refresh()
    assert seen[0] == 1 and seen[-1] == 6 and seen == sorted(seen)
    ref = esd([1, 3, 3, 1], "relu", samples=6, seed=0, device="cpu")
    np.testing.assert_allclose(p.result.values, ref.values, atol=1e-5)
    assert p.result.config["samples"] == 6 and p.result.config["seed"] == 0
    assert "parameters (budget 2,000)" in p.cost_label.value


def test_esd_panel_asks_for_big_networks():
    p = ESDPanel(width=64, depth=2, samples=10, device="cpu")
    assert p.result is None and "Beyond" in p.status.value and "parameters" in p.status.value


def test_regions_panel_refines_layer_by_layer():
    from workbench import mlp, partition_2d

    p = RegionsPanel(width=6, depth=3, layers=3, auto=False)
    p.refine_interval = 0.0
    p.direct_s = 0.0  # always refine (below: skipping the coarse steps when the last final answer was fast)
    layers = []
    orig = p.draw
    p.draw = lambda r, **kw: (layers.append(r.layers), orig(r, **kw))[1]
    p.refresh()
    assert layers == [1, 2, 3]
    net = mlp([2, 6, 6, 6, 1], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=0)
    assert len(p.result) == len(partition_2d(net))
    # beyond refine_regions the coarse steps stop after the first one that passes it: straight to the final
    p.refine_regions = len(partition_2d(net, layers=1)) - 1
    layers.clear()
    p.refresh()
    assert layers == [1, 3] and len(p.result) == len(partition_2d(net))
    # the last final partition of this size took less than direct_s: straight to the final, same answer
    assert p.final_s[(6, 3)] > 0
    p.direct_s = math.inf
    layers.clear()
    p.refresh()
    assert layers == [3] and len(p.result) == len(partition_2d(net))
    p.direct_s = p.final_s[(6, 3)] * 0.5  # slower than that: refine again
    layers.clear()
    p.refresh()
    assert layers == [1, 3]
    # another size: predicted from the nearest one by the square of the neuron ratio
    t = p.final_s[(6, 3)]
    assert p.predicted_s(6, 3) == t and p.predicted_s(3, 3) == pytest.approx(t / 4)
    assert p.predicted_s(12, 3) == pytest.approx(4 * t) and p.predicted_s(6, 1) == pytest.approx(t / 9)
    p.direct_s = 2 * t  # layers 1-2 (2/3 of the neurons) should take t * 4/9 < direct_s: straight to the final
    layers.clear()
    p.controls["layers"].value = 2
    assert layers == [2] and (6, 2) in p.final_s
    p.final_s.clear()  # nothing to go by: refine, whatever direct_s
    p.direct_s = math.inf
    layers.clear()
    p.controls["layers"].value = 3
    assert layers == [1, 3]
    p.controls["width"].value = 64
    p.controls["depth"].value = 8
    p.controls["layers"].value = 8
    assert "Beyond" in p.status.value and "512 neurons > 256" in p.status.value


def test_esd_panel_plain_mlp_is_a_selected_option_not_none():
    """ipywidgets reads a None value as "nothing selected": the shortcuts box showed empty in a browser and
    choosing "plain MLP" again changed nothing (found by the every-control browser test of notebook 01)."""
    from workbench.widgets._base import dropdown

    p = ESDPanel(width=3, depth=2, samples=2, device="cpu", auto=False)
    sc = p.controls["shortcuts"]
    assert sc.value == "plain" and sc.label == "plain MLP" and sc.index == 0
    sc.value = "add-shortcuts"
    sc.index = 0  # what the browser sends when "plain MLP" is chosen
    assert sc.value == "plain" and sc.label == "plain MLP"
    p.update(shortcuts=None)  # the library's spelling still works
    assert p.controls["shortcuts"].value == "plain" and p.result.config.get("shortcuts") == "none"
    with pytest.raises(ValueError, match="None cannot be an option's value"):
        dropdown(options=[("none", None), ("a", "a")], value="a", description="mode")
