"""Layer algebra (Badias & Banerjee): hand-computed cases, propagation rules, bad input."""
from __future__ import annotations

import math

import pandas as pd
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench.measures.layer_algebra.rules import LayerAlgebraError

RELU_P, RELU_C = 0.584, 1.713
SM_P, SM_C = 1.342e-05, 7.454e04


def approx(x, rel=1e-9):
    return pytest.approx(x, rel=rel)


def test_mlp_hand_computed():
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10), nn.Softmax(dim=1))
    r = wb.layer_algebra(net, (1, 28, 28))
    p = [100 / 784, RELU_P, 10 / 100, SM_P]
    c = [math.log2(784 * 100), RELU_C, math.log2(100 * 10), SM_C]
    assert r.gcip == approx(math.prod(p))
    assert r.gcc == approx(math.prod(c))
    assert r.gsc == approx(sum(c))  # the flatten is neutral: 0 in the sum
    assert r.gwc == approx(math.prod(c) * sum(c))
    f = r.to_frame()
    assert list(f["kind"]) == ["input", "neutral", "kernel", "activation", "kernel", "activation"]
    assert list(f["output_shape"]) == [(1, 28, 28), (784,), (100,), (100,), (10,), (10,)]
    assert list(f["local_power"][2:]) == [approx(v) for v in p]
    assert list(f["cumulative_complexity"][2:]) == [approx(math.prod(c[:i + 1])) for i in range(4)]
    assert {"name", "kind", "output_shape", "local_power", "local_complexity", "cumulative_power",
            "cumulative_complexity"} <= set(f.columns)


class ResBlock(nn.Module):
    def __init__(self, c=4):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + x)


def test_residual_block_hand_computed():
    C = 4
    r = wb.layer_algebra(ResBlock(C), (C, 8, 8))
    pc, cc = 1 / 9, C * math.log2(9 * C)  # 3x3 conv, same padding: Phi_out = Phi_in; filter volume 9 C
    branch_p, branch_c = pc * RELU_P * pc, cc * RELU_C * cc
    # merge: max of powers (eq. 19) with the identity's 1, sum of complexities (eq. 20) with its 1
    assert r.gcip == approx(max(branch_p, 1.0) * RELU_P)
    assert r.gcc == approx((branch_c + 1.0) * RELU_C)
    assert r.gsc == approx(2 * cc + 2 * RELU_C)
    f = r.to_frame().set_index("name")
    assert f.loc["add", "kind"] == "merge" and f.loc["add", "n_inputs"] == 2
    assert f.loc["add", "cumulative_power"] == approx(1.0)
    assert f.loc["bn1", "kind"] == "neutral"


def test_plain_block_has_smaller_power_same_order_complexity():
    class Plain(ResBlock):
        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            return torch.relu(self.bn2(self.conv2(y)))

    res, plain = wb.layer_algebra(ResBlock(), (4, 8, 8)), wb.layer_algebra(Plain(), (4, 8, 8))
    assert plain.gcip == approx((1 / 9) ** 2 * RELU_P ** 2)
    assert plain.gcip < res.gcip
    assert res.gcc == approx(plain.gcc + RELU_C)  # the shortcut adds its unit complexity before the last ReLU


def test_strided_convolution_hand_computed():
    conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
    r = wb.layer_algebra(conv, (3, 32, 32))
    assert r.frame["output_shape"].iloc[-1] == (8, 16, 16)
    assert r.gcip == approx(8 * 16 * 16 / (9 * 3 * 32 * 32))  # eq. 8: n_k S_o / (K S_i)
    assert r.gcc == approx(8 * math.log2(9 * 3))  # eq. 11 with the filter volume
    assert wb.layer_algebra(conv, (3, 32, 32), conv_kernel="spatial").gcc == approx(8 * math.log2(9))
    one = wb.layer_algebra(nn.Conv2d(3, 8, 1), (3, 5, 5), conv_kernel="spatial")
    assert one.gcc == 0.0 and one.log10_gcc == -math.inf  # the paper's literal log2 K = 0 for a 1x1 conv


def test_grouped_and_depthwise_conv_options():
    g = nn.Conv2d(4, 8, 3, padding=1, groups=2)
    assert wb.layer_algebra(g, (4, 6, 6)).gcc == approx(8 * math.log2(9 * 2))
    assert wb.layer_algebra(g, (4, 6, 6), groups="dense").gcc == approx(8 * math.log2(9 * 4))
    dw = nn.Conv2d(5, 5, 3, padding=1, groups=5)
    r = wb.layer_algebra(dw, (5, 6, 6))
    assert r.gcip == approx(1 / 9) and r.gcc == approx(5 * math.log2(9))


def test_pooling_rules():
    r = wb.layer_algebra(nn.MaxPool2d(2), (4, 8, 8))
    assert r.gcip == approx(1 / 16) and r.gcc == approx(4 * math.log2(4))
    assert wb.layer_algebra(nn.AvgPool2d(2), (4, 8, 8), pooling_filters="one").gcc == approx(2.0)
    gp = wb.layer_algebra(nn.AdaptiveAvgPool2d(1), (4, 7, 7))  # global pooling: one filter of size H W
    assert gp.gcip == approx(1 / 49 ** 2) and gp.gcc == approx(4 * math.log2(49))
    mean = wb.layer_algebra(_Lambda(lambda x: x.mean([2, 3])), (4, 7, 7))
    assert mean.gcip == approx(gp.gcip) and mean.gcc == approx(gp.gcc)
    ident = wb.layer_algebra(nn.AdaptiveAvgPool2d(7), (4, 7, 7))  # a window of one element is an identity
    assert ident.frame["kind"].iloc[-1] == "neutral" and ident.gcc == 1.0


def test_adaptive_pooling_uneven_window():
    r = wb.layer_algebra(nn.AdaptiveAvgPool1d(3), (2, 5))  # windows [0,2) [1,4) [3,5): mean length 7/3
    assert r.gcip == approx(6 / ((7 / 3) * 10)) and r.gcc == approx(2 * math.log2(7 / 3))


class _Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def test_linear_autoencoder_returns_to_unit_power():
    widths = [784, 256, 64, 16, 64, 256, 784]
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.Identity()]  # linear activations (Fig. 7)
    r = wb.layer_algebra(nn.Sequential(*layers), (784,))
    assert r.gcip == approx(1.0)
    assert r.gcc == approx(math.prod(math.log2(a * b) for a, b in zip(widths, widths[1:])))
    cum = r.frame["cumulative_power"].tolist()
    assert min(cum) == approx(16 / 784)  # the bottleneck


def test_conv_autoencoder_returns_to_unit_power():
    net = nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1),
                        nn.ConvTranspose2d(8, 1, 3, stride=2, padding=1, output_padding=1))
    r = wb.layer_algebra(net, (1, 28, 28))
    assert r.frame["output_shape"].iloc[-1] == (1, 28, 28)
    assert r.gcip == approx(1.0)  # eq. 8 times eq. 12-13: K cancels, volumes telescope
    assert r.gcc == approx(8 * math.log2(9) * 1 * math.log2(9 * 8))


def test_attention_composite_rule():
    class Attn(nn.Module):
        def __init__(self):
            super().__init__()
            self.attn = nn.MultiheadAttention(8, 2, batch_first=True)

        def forward(self, x):
            return self.attn(x, x, x, need_weights=False)[0]

    c_lin = math.log2(64)
    r = wb.layer_algebra(Attn(), (5, 8))
    assert r.gcip == approx(1.0) and r.gcc == approx(c_lin ** 2 * (2 * SM_C + 1))
    assert wb.layer_algebra(Attn(), (5, 8), attention="no_softmax").gcc == approx(3 * c_lin ** 2)


def test_concatenation_merges_and_branch_copies():
    class Two(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(4, 2), nn.Linear(4, 6)

        def forward(self, x):
            return torch.cat([torch.relu(self.a(x)), self.b(x)], dim=1)

    r = wb.layer_algebra(Two(), (4,))
    assert r.gcip == approx(max(0.5 * RELU_P, 1.5))
    assert r.gcc == approx(math.log2(8) * RELU_C + math.log2(24))


def test_constants_switch_and_data_driven_estimates():
    net = nn.Sequential(nn.Linear(3, 3), nn.Tanh())
    r = wb.layer_algebra(net, (3,), constants={"tanh": (0.5, 2.0)})
    assert r.gcip == approx(0.5) and r.gcc == approx(math.log2(9) * 2.0)
    est = wb.measures.estimate_activation_constants(seed=0, n_vectors=200, length=1000)
    assert est["relu"][0] == pytest.approx(math.sqrt(0.5 - 0.5 / math.pi), abs=0.005)  # the paper's 0.584
    assert est["tanh"][0] == pytest.approx(0.628, abs=0.005) and est["sigmoid"][0] == pytest.approx(0.208, abs=0.003)
    var = wb.measures.estimate_activation_constants(seed=0, statistic="variance", n_vectors=200, length=1000)
    assert var["relu"][0] == pytest.approx(0.5 - 0.5 / math.pi, abs=0.005)
    assert all(c == approx(1 / p) for p, c in var.values())
    wb.layer_algebra(net, (3,), constants=var)


def test_moving_average_variance_follows_eq8(device):
    t = wb.measures.moving_average_variance([1, 5, 50], n_vectors=20, length=3000, seed=0, device=device)
    if device.type != "cpu":  # drawn on the CPU from the seed: the same table on every device
        ref = wb.measures.moving_average_variance([1, 5, 50], n_vectors=20, length=3000, seed=0, device="cpu")
        pd.testing.assert_frame_equal(t, ref, rtol=1e-9)
    assert t["variance"].iloc[0] == pytest.approx(1.0, rel=0.05)
    assert t["variance"].tolist() == pytest.approx((1 / t["K"]).tolist(), rel=0.1)
    assert t["power_eq8"].iloc[1] == approx((3000 - 4) / (5 * 3000))


def test_model_is_not_modified_and_meta_models_work():
    net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU())
    net.train()
    before = [p.detach().clone() for p in net.parameters()]
    wb.layer_algebra(net, (3,))
    assert net.training and all(m.training for m in net.modules())
    assert all(p.device.type == "cpu" and torch.equal(p, b) for p, b in zip(net.parameters(), before))
    with torch.device("meta"):
        meta = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
    assert wb.layer_algebra(meta, (3,)).gcip == approx(4 / 3 * RELU_P)


def test_zoo_meta_models_allocate_no_weights():
    for name in ("resnet18", "regnet_x_400mf"):  # regnet computes with tensors while it is built
        m = wb.zoo_meta_model(name)
        assert all(t.is_meta for t in list(m.parameters()) + list(m.buffers()))
    assert wb.nets.zoo_input_shape("inception_v3") == (3, 299, 299)
    r18 = wb.layer_algebra(wb.zoo_meta_model("resnet18"), (3, 224, 224))
    assert r18.frame["output_shape"].iloc[-1] == (1000,)
    assert 0 < r18.gcip < 1 and math.isfinite(r18.log10_gcc)
    with pytest.raises(ValueError, match="unknown model 'resnet17'"):
        wb.zoo_meta_model("resnet17")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 50), min_size=2, max_size=6))
def test_relu_mlp_closed_form(widths):
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    r = wb.layer_algebra(nn.Sequential(*layers[:-1]), (widths[0],))
    L = len(widths) - 1
    assert r.gcip == approx(widths[-1] / widths[0] * RELU_P ** (L - 1))  # the width ratios telescope
    cs = [math.log2(a * b) for a, b in zip(widths, widths[1:])]
    assert r.log10_gcc == pytest.approx(math.log10(math.prod(cs) * RELU_C ** (L - 1)) if min(cs) > 0
                                        else -math.inf, rel=1e-9)
    assert r.gsc == approx(sum(cs) + RELU_C * (L - 1))


# ------------------------------------------------------------------ bad input


def test_non_module_is_refused():
    with pytest.raises(TypeError, match="net must be a torch.nn.Module, got function"):
        wb.layer_algebra(lambda x: x, (3,))


@pytest.mark.parametrize("shape", [(), (0, 3), (3, -1), "3x32x32", (3.0, 4), (True, 3)])
def test_bad_input_shape_values(shape):
    with pytest.raises(ValueError, match="input_shape must be"):
        wb.layer_algebra(nn.Linear(3, 3), shape)


def test_input_shape_that_does_not_fit_names_the_node():
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(4 * 30 * 30, 10))
    wb.layer_algebra(net, (3, 32, 32))
    with pytest.raises(LayerAlgebraError, match=r"input_shape \(3, 32, 31\) does not fit Sequential: node '_2' "
                                                r"\(call_module 2 \(Linear\)\) got inputs of shapes \[\(1, 3480\)\]"):
        wb.layer_algebra(net, (3, 32, 31))
    with pytest.raises(LayerAlgebraError, match="node '_0'"):
        wb.layer_algebra(net, (2, 32, 32))


def test_untraceable_model_names_the_module():
    class Branchy(nn.Module):
        def forward(self, x):
            return x if x.sum() > 0 else -x

    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.pre = nn.Linear(3, 3)
            self.block = Branchy()

        def forward(self, x):
            return self.block(self.pre(x))

    with pytest.raises(LayerAlgebraError, match=r"cannot trace Outer: it failed inside module block \(Branchy\), "
                                                r"after node 'gt'.*control flow.*leaf_modules"):
        wb.layer_algebra(Outer(), (3,))


def test_operation_without_rule_names_it_and_how_to_add_one():
    net = _Lambda(torch.erf)
    with pytest.raises(LayerAlgebraError, match=r"no layer-algebra rule for node 'erf' \(call_function "
                                                r"torch\.erf\)\. Add one: rules = workbench\.layer_algebra_rules\(\); "
                                                r"rules\.register\(torch\.erf, "):
        wb.layer_algebra(net, (3,))
    rules = wb.layer_algebra_rules()
    rules.register(torch.erf, wb.LocalMetric(0.5, 2.0, "activation"))
    r = wb.layer_algebra(net, (3,), rules=rules)
    assert r.gcip == 0.5 and r.gcc == 2.0 and r.gsc == 2.0
    assert torch.erf not in wb.layer_algebra_rules()  # the built-in table is untouched


def test_leaf_module_needs_a_rule():
    class Mine(nn.Module):
        def forward(self, x):
            return x * 2

    net = nn.Sequential(nn.Linear(3, 3), Mine())
    with pytest.raises(LayerAlgebraError, match=r"no layer-algebra rule for node '_1' \(call_module .*Mine\).*"
                                                r"rules\.register\(Mine, "):
        wb.layer_algebra(net, (3,), leaf_modules=(Mine,))
    rules = wb.layer_algebra_rules().register(Mine, "neutral")
    assert wb.layer_algebra(net, (3,), leaf_modules=(Mine,), rules=rules).gcip == approx(1.0)
    rules.register(Mine, lambda op: wb.LocalMetric(op.out_numel / op.in_numel / 4, 3.0))
    assert wb.layer_algebra(net, (3,), leaf_modules=(Mine,), rules=rules).gcip == approx(0.25)


def test_bad_options_rules_and_constants():
    net = nn.Linear(2, 2)
    with pytest.raises(ValueError, match=r"conv_kernel must be one of \('filter', 'spatial'\), got 'volume'"):
        wb.layer_algebra(net, (2,), conv_kernel="volume")
    with pytest.raises(ValueError, match="pooling_filters must be one of"):
        wb.layer_algebra(net, (2,), pooling_filters=3)
    with pytest.raises(ValueError, match="unknown activation family 'gelu'"):
        wb.layer_algebra(net, (2,), constants={"gelu": (1, 1)})
    with pytest.raises(ValueError, match=r"constants\['relu'\] must be finite and > 0"):
        wb.layer_algebra(net, (2,), constants={"relu": (0.0, 1)})
    with pytest.raises(TypeError, match="rules must be a RuleTable"):
        wb.layer_algebra(net, (2,), rules={nn.Linear: "neutral"})
    with pytest.raises(ValueError, match="the only named rule is 'neutral'"):
        wb.layer_algebra_rules().register(nn.Linear, "kernel")
    with pytest.raises(TypeError, match="must subclass nn.Module"):
        wb.layer_algebra_rules().register(int, "neutral")
    with pytest.raises(ValueError, match="LocalMetric power must be a finite number >= 0"):
        wb.LocalMetric(float("nan"), 1.0)
    with pytest.raises(ValueError, match="LocalMetric kind must be one of"):
        wb.LocalMetric(1.0, 1.0, "merge")


def test_rule_returning_wrong_type_and_input_free_output():
    rules = wb.layer_algebra_rules().register(torch.erf, lambda op: 1.0)
    with pytest.raises(TypeError, match="the rule for node 'erf' returned float, not a LocalMetric"):
        wb.layer_algebra(_Lambda(torch.erf), (3,), rules=rules)

    class Const(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.ones(3))

        def forward(self, x):
            return self.w * 2

    with pytest.raises(LayerAlgebraError, match="output does not depend on its input"):
        wb.layer_algebra(Const(), (3,))


def test_activation_experiment_inputs():
    with pytest.raises(ValueError, match="activations: unknown 'swish'"):
        wb.measures.activation_variances(["swish"])
    with pytest.raises(ValueError, match="distributions: unknown 'laplace'"):
        wb.measures.activation_variances(distributions=["laplace"])
    with pytest.raises(ValueError, match="input_variances must be finite and > 0"):
        wb.measures.activation_variances(input_variances=[0.0])
    with pytest.raises(ValueError, match="statistic must be 'std' or 'variance'"):
        wb.measures.estimate_activation_constants(statistic="mad")
    with pytest.raises(ValueError, match="kernel_sizes must lie in 1..length=10"):
        wb.measures.moving_average_variance([11], length=10)


def test_traces_the_workbench_mlp_and_a_registered_class_is_a_leaf():
    import workbench as wb

    r = wb.layer_algebra(wb.mlp([2, 8, 8, 1], seed=0), (2,))   # forward(x, *, trace=False): traced at the default
    assert list(r.to_frame().type)[1:] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]

    class Doubler(torch.nn.Module):
        def forward(self, x):
            return 2 * x

    model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), Doubler(), torch.nn.Flatten(),
                                torch.nn.Linear(4 * 6 * 6, 10))
    assert "Doubler" not in set(wb.layer_algebra(model, (1, 8, 8)).to_frame().type)  # traced into: a mul
    rules = wb.layer_algebra_rules()
    rules.register(Doubler, lambda op: wb.LocalMetric(2.0, 1.0, "kernel"))
    frame = wb.layer_algebra(model, (1, 8, 8), rules=rules).to_frame()
    row = frame[frame.type == "Doubler"]
    assert len(row) == 1 and row.kind.item() == "kernel"   # kept whole, judged by the user's rule


# ------------------------------------------------- accumulate="product" | "sum" (issue 25)
# §6 multiplies local values along a path (eq. 18, §6.2: P = P_prev p, C = C_prev c, from a unit input);
# eq. 2 defines a cumulative property as the integral of the local values: read as a sum from a zero input,
# with neutral operations adding 0 (as in GSC, eq. 3) and the merges of eqs. 19-20 unchanged.
TANH_P, TANH_C = 0.628, 1.592


@pytest.mark.parametrize("k", [1, 3, 6])
def test_accumulate_chain_of_identical_layers_closed_forms(k):
    # k identical tanh layers with neutral operations between them: p^k, c^k (product) against k p, k c (sum)
    acts = nn.Sequential(*[m for _ in range(k) for m in (nn.Tanh(), nn.Dropout(0.5), nn.BatchNorm1d(6))])
    prod, summ = wb.layer_algebra(acts, (6,)), wb.layer_algebra(acts, (6,), accumulate="sum")
    assert prod.gcip == approx(TANH_P ** k) and prod.gcc == approx(TANH_C ** k)
    assert summ.gcip == approx(k * TANH_P) and summ.gcc == approx(k * TANH_C)
    assert summ.gsc == prod.gsc == approx(k * TANH_C)  # GSC (eq. 3) does not depend on the reading
    assert summ.gwc == approx(k * TANH_C * k * TANH_C)  # a chain: GCC = GSC, so GWC = GSC^2
    # k identical Linear(5, 5): c = log2 25 each, p = 1
    lins = nn.Sequential(*[nn.Linear(5, 5) for _ in range(k)])
    c = math.log2(25)
    assert wb.layer_algebra(lins, (5,)).gcc == approx(c ** k)
    s = wb.layer_algebra(lins, (5,), accumulate="sum")
    assert s.gcc == approx(k * c) and s.gcip == approx(k * 1.0)
    f = s.to_frame()
    assert list(f["cumulative_complexity"]) == [0.0] + [approx(i * c) for i in range(1, k + 1)]
    assert f.loc[0, "note"] == "zero input (eq. 2, summed)" and s.options.accumulate == "sum"


def test_accumulate_default_is_the_product_and_unchanged():
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10), nn.Softmax(dim=1))
    a, b = wb.layer_algebra(net, (1, 28, 28)), wb.layer_algebra(net, (1, 28, 28), accumulate="product")
    assert a.options.accumulate == "product"
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    p = [100 / 784, RELU_P, 10 / 100, SM_P]
    c = [math.log2(784 * 100), RELU_C, math.log2(100 * 10), SM_C]
    assert a.gcip == approx(math.prod(p)) and a.gcc == approx(math.prod(c))
    s = wb.layer_algebra(net, (1, 28, 28), accumulate="sum")
    assert s.gcip == approx(sum(p)) and s.gcc == approx(sum(c)) and s.gsc == approx(sum(c))
    assert "summed (eq. 2)" in repr(s) and "summed" not in repr(a)


class _Residual(nn.Module):
    """``x -> a(x)``, then ``n`` blocks ``y -> y + relu(lin_i(y))`` (identity shortcuts)."""

    def __init__(self, n, d=4):
        super().__init__()
        self.a = nn.Linear(3, d)
        self.lins = nn.ModuleList(nn.Linear(d, d) for _ in range(n))

    def forward(self, x):
        y = self.a(x)
        for lin in self.lins:
            y = y + torch.relu(lin(y))
        return y


@pytest.mark.parametrize("n", [1, 2, 4])
def test_accumulate_residual_blocks_closed_forms(n):
    # a = Linear(3, 4): p_a = 4/3, c_a = log2 12; a block's path: Linear(4, 4) (p 1, c log2 16) then ReLU
    p_a, c_a = 4 / 3, math.log2(12)
    p_blk, c_blk = 1.0 + RELU_P, math.log2(16) + RELU_C  # the sums of the block path's local values
    s = wb.layer_algebra(_Residual(n), (3,), accumulate="sum")
    # sum: the shortcut carries C, the path C + c_blk, the merge adds them (eq. 20): C_i = 2 C_{i-1} + c_blk,
    # so C_n = 2^n c_a + (2^n - 1) c_blk; the power takes the max (eq. 19): P_i = P_{i-1} + p_blk
    assert s.gcc == approx(2 ** n * c_a + (2 ** n - 1) * c_blk)
    assert s.gcip == approx(p_a + n * p_blk)
    # product: C_i = C_{i-1} (c_lin c_relu + 1); P_i = P_{i-1} max(1 p_relu, 1) = P_{i-1}
    r = wb.layer_algebra(_Residual(n), (3,))
    assert r.gcc == approx(c_a * (math.log2(16) * RELU_C + 1) ** n)
    assert r.gcip == approx(p_a)
    assert r.gsc == s.gsc == approx(c_a + n * c_blk)


def test_accumulate_grouped_convolution_counts_its_paths_under_the_sum():
    # a 1x1 convolution (p 1, c 4 log2 4) then a 3x3 convolution with 2 groups, same padding
    net = nn.Sequential(nn.Conv2d(4, 4, 1), nn.Conv2d(4, 4, 3, padding=1, groups=2))
    c1, c_split, c_dense = 4 * math.log2(4), 4 * math.log2(9 * 2), 4 * math.log2(9 * 4)
    # groups="split": two parallel convolutions merged by eq. 20, each receiving the cumulative value
    assert wb.layer_algebra(net, (4, 5, 5), accumulate="sum").gcc == approx(2 * c1 + c_split)
    assert wb.layer_algebra(net, (4, 5, 5), accumulate="sum", groups="dense").gcc == approx(c1 + c_dense)
    assert wb.layer_algebra(net, (4, 5, 5), accumulate="sum").gcip == approx(1.0 + 1 / 9)
    assert wb.layer_algebra(net, (4, 5, 5)).gcc == approx(c1 * c_split)  # product: unchanged


class _ExplicitAttention(nn.Module):
    """A prefix Linear(E, E), then single-head attention written out: q, k, v projections, softmax(q k^T), out."""

    def __init__(self, e=8):
        super().__init__()
        self.pre, self.q, self.k, self.v, self.o = (nn.Linear(e, e) for _ in range(5))

    def forward(self, x):
        x = self.pre(x)
        a = torch.softmax(self.q(x) @ self.k(x).transpose(-2, -1), dim=-1)
        return self.o(a @ self.v(x))


class _PrefixedMHA(nn.Module):
    def __init__(self, e=8):
        super().__init__()
        self.pre, self.attn = nn.Linear(e, e), nn.MultiheadAttention(e, 2, batch_first=True)

    def forward(self, x):
        x = self.pre(x)
        return self.attn(x, x, x, need_weights=False)[0]


class _PrefixedMaxViT(nn.Module):
    def __init__(self, e=8):
        from torchvision.models.maxvit import RelativePositionalMultiHeadAttention

        super().__init__()
        self.pre, self.attn = nn.Linear(e, e), RelativePositionalMultiHeadAttention(e, 4, 4)

    def forward(self, x):
        return self.attn(self.pre(x))


@pytest.mark.parametrize("accumulate", ["product", "sum"])
def test_attention_rule_equals_its_written_out_graph_and_maxvit_counts_like_mha(accumulate):
    c_lin = math.log2(64)
    explicit = wb.layer_algebra(_ExplicitAttention(), (4, 8), accumulate=accumulate)
    if accumulate == "product":  # C c_lin^2 (2 c_sm + 1) with C = c_lin (the prefix); the power stays 1
        assert explicit.gcc == approx(c_lin ** 3 * (2 * SM_C + 1)) and explicit.gcip == approx(1.0)
    else:  # three paths from C = c_lin: 3 C + 4 c_lin + c_sm; P = 1 (prefix) + 2 + p_sm
        assert explicit.gcc == approx(3 * c_lin + 4 * c_lin + SM_C) and explicit.gcip == approx(3.0 + SM_P)
    # the composite rules give the written-out graph's values: MultiheadAttention and MaxViT's fused
    # Linear(E, 3E) + chunk (measured whole, as three E -> E projections: no power 3 from the fused projection)
    for model, shape in ((_PrefixedMHA(), (4, 8)), (_PrefixedMaxViT(), (1, 4, 8))):
        r = wb.layer_algebra(model, shape, accumulate=accumulate)
        assert r.gcc == approx(explicit.gcc) and r.gcip == approx(explicit.gcip)
        f = r.to_frame()
        assert list(f["kind"]).count("composite") == 1
        p_att = f.loc[f["kind"] == "composite", "local_power"].item()
        assert p_att == approx(1.0 if accumulate == "product" else 2.0 + SM_P)


def test_maxvit_fused_qkv_traced_through_would_carry_power_three():
    # without the built-in rule the split keeps the fused projection's p = 3E / E (§6.1) past the attention
    from workbench.measures.layer_algebra.rules import BUILTIN_LEAF_MODULES

    rules = wb.layer_algebra_rules().remove(BUILTIN_LEAF_MODULES[0])
    assert BUILTIN_LEAF_MODULES[0] not in rules and BUILTIN_LEAF_MODULES[0] in wb.layer_algebra_rules()
    with pytest.raises(KeyError, match="no rule for"):
        rules.remove(BUILTIN_LEAF_MODULES[0])
    f = wb.layer_algebra(_PrefixedMaxViT(), (1, 4, 8), rules=rules).to_frame()
    assert f.loc[f["name"] == "attn_to_qkv", "local_power"].item() == approx(3.0)
    assert f["cumulative_power"].iloc[-1] == approx(3.0)
    assert wb.layer_algebra(_PrefixedMaxViT(), (1, 4, 8)).gcip == approx(1.0)


def test_accumulate_must_be_product_or_sum():
    net = nn.Linear(2, 2)
    for bad in ("integral", "Sum", None, 1):
        with pytest.raises(ValueError, match=r"accumulate must be one of \('product', 'sum'\), got "):
            wb.layer_algebra(net, (2,), accumulate=bad)
    with pytest.raises(ValueError, match="accumulate must be one of"):
        wb.measures.LayerAlgebraOptions(accumulate="mean")
    with pytest.raises(ValueError, match="LocalMetric paths must be an int >= 1"):
        wb.LocalMetric(1.0, 1.0, "composite", paths=0)
