"""Issue 28 items 3 and 4: layers leaving their dtype's range warn once by name; obscure messages read clearly."""
from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
import torch
from torch import nn

import workbench as wb
from workbench import measures as M
from workbench.nets.multilayer import Square
from workbench.papers.esd.sampling import esd_of
from workbench.validation import NumericalWarning, check_int, warn_layer_range

DEEP = wb.mlp([2] + [4] * 8 + [1], "square", bias=False, seed=0).eval()  # z^(2^8): below 1e-38 in float32
XS = torch.rand(10, 2, generator=torch.Generator().manual_seed(0))


def _numerical(record):
    return [w for w in record if issubclass(w.category, NumericalWarning)]


def _huge():  # 1e20 squared is 1e40: past float32's 3.4e38, fine in float64
    net = nn.Sequential(nn.Linear(2, 2), Square(), nn.Linear(2, 1))
    with torch.no_grad():
        net[0].weight.fill_(1e20)
    return net


def test_underflow_names_the_layer_and_suggests_float64():
    with pytest.warns(NumericalWarning, match=r"layer 'act' \(Square, its call \d+\) underflows in torch.float32.*"
                                              r"float64") as rec:
        msg = warn_layer_range(DEEP, XS, what="the test")
    assert msg and msg.startswith("the test is not meaningful") and len(_numerical(rec)) == 1


def test_overflow_names_the_layer():
    with pytest.warns(NumericalWarning, match=r"layer '1' \(Square\) overflows in torch.float32"):
        assert warn_layer_range(_huge(), XS)


@pytest.mark.parametrize("net,X", [
    (copy.deepcopy(DEEP).double(), XS.double()),  # float64 holds 1e-77
    (wb.mlp([2, 16, 16, 1], seed=0), XS),  # an ordinary ReLU net
])
def test_no_warning_inside_the_range(net, X):
    with warnings.catch_warnings():
        warnings.simplefilter("error", NumericalWarning)
        assert warn_layer_range(net, X) is None


def test_relu_exact_zeros_are_not_underflow():
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).eval()
    with torch.no_grad():
        net[0].bias.fill_(-100.0)  # every unit dead: exact zeros, no underflow
    with warnings.catch_warnings():
        warnings.simplefilter("error", NumericalWarning)
        assert warn_layer_range(net, XS) is None


@pytest.mark.parametrize("name,measure", [
    ("spanning dimension", lambda net, x: M.spanning_dimension(net, x)),
    ("sampled spectrum", lambda net, x: M.sampled_spectrum(net, x, 8, seed=0)),
    ("layer images", lambda net, x: M.layer_images(net, x)),
    ("EDJM", lambda net, x: M.edjm.edjm(net, x)),
    ("slope", lambda net, x: M.jacobian_slope(net, x, dtype=torch.float32)),
    ("slope estimate", lambda net, x: M.slope_power_iteration(net, x, seed=0)),
])
def test_each_measure_warns_once_naming_the_layer(name, measure):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        measure(DEEP, XS)
    num = _numerical(rec)
    assert len(num) == 1, [str(w.message) for w in num]
    assert f"the {name} is not meaningful: layer 'act'" in str(num[0].message)
    assert "float64" in str(num[0].message)


def test_slope_in_float64_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error", NumericalWarning)
        M.jacobian_slope(DEEP, XS)  # float64 by default


def test_float64_underflow_does_not_suggest_float64():
    net = wb.mlp([2] + [4] * 12 + [1], "square", bias=False, seed=0).double()  # z^(2^12) < 1e-308
    with pytest.warns(NumericalWarning, match="underflows in torch.float64.*Even float64 cannot hold it"):
        assert warn_layer_range(net, XS.double())


def test_overflow_warns_before_the_error():
    with pytest.warns(NumericalWarning, match="overflows in torch.float32"), pytest.raises(FloatingPointError):
        M.spanning_dimension(_huge(), XS)


def _deep_factory(s):  # z^(2^6): below 1e-38 (float32) for |z| < 0.25, below 1e-308 (float64) only for |z| < 2e-5
    return wb.mlp([1] + [4] * 6 + [1], "square", bias=False, seed=s)


def test_esd_warns_once_names_the_sample_and_keeps_the_text_for_the_panel():
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        r = esd_of(_deep_factory, 1, samples=4, progress=False)
    num = _numerical(rec)
    assert len(num) == 1
    assert str(num[0].message).startswith("the ESD (sample ")
    assert r.config["numerical_warning"] == str(num[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NumericalWarning)
        r64 = esd_of(_deep_factory, 1, samples=4, dtype=torch.float64, progress=False)
    assert "numerical_warning" not in r64.config


def test_esd_panel_shows_the_warning_in_its_status_line():
    from workbench.widgets.esd_panel import ESDPanel, _warning_html

    with pytest.warns(NumericalWarning):
        r = esd_of(_deep_factory, 1, samples=2, progress=False)
    html = _warning_html(r)
    assert "underflows in torch.float32" in html and "float64" in html
    panel = ESDPanel(auto=False)
    line = panel.describe(r)
    assert line.startswith("ESD = ") and "underflows in torch.float32" in line
    ok = esd_of(lambda s: wb.mlp([1, 4, 1], seed=s), 1, samples=2, progress=False)
    assert _warning_html(ok) == "" and "&#9888;" not in panel.describe(ok)


# ---------------------------------------------------------------------------
# integer parameters refuse floats
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", [100.0, 1e6, np.float64(3.0), 2.5, float("nan")])
def test_check_int_refuses_floats(value):
    with pytest.raises(TypeError, match="must be an int, got the float"):
        check_int("n", value)


def test_check_int_says_which_int_to_pass_and_keeps_numpy_ints():
    with pytest.raises(TypeError, match=r"pass int\(n_steps\) = 100"):
        check_int("n_steps", 100.0)
    assert check_int("n", np.int64(3)) == 3 and check_int("n", torch.tensor(4)) == 4


def test_count_dichotomies_refuses_a_float_step_count():
    net = wb.mlp([2, 8, 1], seed=0)
    with pytest.raises(TypeError, match=r"n_steps must be an int, got the float 100.0; pass int\(n_steps\) = 100"):
        M.count_dichotomies(net, XS, n_steps=100.0)


def test_partition_max_regions_refuses_a_float():
    with pytest.raises(TypeError, match="max_regions must be an int"):
        wb.partition_2d(wb.mlp([2, 4, 1], seed=0), max_regions=1e6)


# ---------------------------------------------------------------------------
# item 4: the messages that were obscure
# ---------------------------------------------------------------------------
NET = wb.mlp([2, 8, 1], seed=0)


@pytest.mark.parametrize("call", [
    lambda: M.spanning_dimension(NET, XS, device="meta"),
    lambda: wb.esd([1, 4, 1], samples=2, device="meta", progress=False),
    lambda: wb.partition_2d(NET, device="meta"),
    lambda: M.layer_images(NET, XS, device="meta"),
    lambda: M.edjm.edjm(NET, XS, device="meta"),
    lambda: M.jacobian_slope(NET, XS, device="meta"),
])
def test_meta_device_is_refused_by_name(call):
    with pytest.raises(ValueError, match="device='meta' holds no values; use 'cpu' or 'cuda'"):
        call()


def test_esd_refuses_an_integer_dtype():
    with pytest.raises(ValueError, match="unknown dtype torch.int32; allowed values: torch.float32, torch.float64"):
        wb.esd([1, 4, 1], samples=2, dtype=torch.int32, progress=False)


def test_partition_max_regions_not_a_number():
    with pytest.raises(TypeError, match="max_regions must be an int, got str 'abc'"):
        wb.partition_2d(NET, max_regions="abc")
    with pytest.raises(ValueError, match="max_regions must be >= 1"):
        wb.partition_2d(NET, max_regions=0)


@pytest.mark.parametrize("name", [None, 123])
def test_zoo_model_needs_a_name(name):
    with pytest.raises(TypeError, match=r"zoo_model needs a model name \(a string such as .*\), got .*workbench.zoo"):
        wb.zoo_model(name)


def test_mlp_seed_beyond_64_bits():
    with pytest.raises(ValueError, match="seed must be <= 18446744073709551615"):
        wb.mlp([2, 4, 1], seed=2**70)
    wb.mlp([2, 4, 1], seed=2**64 - 1)  # the largest torch takes


def test_mlp_ensemble_on_inputs_of_the_wrong_width():
    ens = wb.mlp_ensemble([2, 4, 1], 3)
    with pytest.raises(ValueError, match=r"shape \(5, 3\) do not fit .* take 2 input\(s\); pass \(batch, 2\)"):
        ens(torch.rand(5, 3))
    assert ens(torch.rand(5, 2)).shape == (3, 5, 1)


def test_data_load_unknown_fallback_lists_what_to_pass():
    with pytest.raises(ValueError, match=r"unknown fallback 'bogus'; allowed values: \[.*'digits'.*\] or None"):
        wb.data.load("mnist", fallback="bogus")
