# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 · Layer algebra: intrinsic power and complexity of an architecture
#
# Badias & Banerjee, *Neural Network Layer Algebra: A Framework to Measure Capacity and
# Compression in Deep Learning*. Two numbers per operation, from the architecture alone
# (no weights, no data, no training):
#
# * the **local intrinsic power** `p`: output size over input size for kernel operations
#   (eq. 4; with the smoothing factor `1/K` of a filter, eq. 8), the output/input variance
#   ratio for activations (eq. 5);
# * the **local complexity** `c`: `log2` of the size of the weighting operator (eq. 6:
#   `n_k log2 K` for a convolution, `log2(D_out D_in)` for a fully connected layer), the
#   inverse power for activations (eq. 7).
#
# The **layer algebra** (§6) propagates both from a unit input over the data-flow graph:
# products along a path, at a merge the **maximum** of the powers (eq. 19) and the **sum**
# of the complexities (eq. 20). At the output: GCIP and GCC; the plain sum of the local
# complexities is GSC (eq. 3), and GWC = GCC x GSC (§7.4).
#
# `wb.layer_algebra(model, input_shape)` traces any `nn.Module` with `torch.fx`, runs the
# shapes on the `meta` device (nothing is computed, no weight is allocated) and returns
# one row per operation.

# %%
# %matplotlib inline
import time

import pandas as pd

import workbench as wb
from workbench.measures.layer_algebra.rules import PAPER_ACTIVATION_CONSTANTS
from workbench.papers.esd import accuracy_metadata
from workbench.papers.layer_algebra import (
    PAPER_FIT_R2,
    PAPER_TABLE1_MODELS,
    ActivationStudyConfig,
    LayerAlgebraZooConfig,
    activation_study,
    layer_algebra_zoo,
    power_fit,
    resnet_vs_plainnet,
    vc_comparison,
)
from workbench.plots import (
    new_figure,
    plot_accuracy_fits,
    plot_activation_variances,
    plot_cumulative_curves,
    plot_filter_variance,
    plot_layer_graph,
    plot_local_cumulative,
    plot_resnet_plainnet,
    plot_vc_comparison,
    plot_zoo_metrics,
    show,
)
from workbench.widgets import LayerAlgebraPanel

pd.set_option("display.precision", 4)
pd.set_option("display.width", 160)
print(f"workbench {wb.__version__}; nothing here needs a GPU: every model lives on the meta device")

# %% tags=["parameters"]
PROFILE = "full"  # "smoke" for a quick run (the test suite injects it)

# %%
ZOO = LayerAlgebraZooConfig.preset(PROFILE)
DEPTHS = {"smoke": (18, 34, 50), "full": (18, 34, 50, 101, 152)}[PROFILE]
STUDY = ActivationStudyConfig.preset(PROFILE)
VC = {"smoke": dict(fc_widths=(16, 64, 256), fc_depths=(1, 2), cnn_widths=(4, 16), cnn_depths=(1, 2)),
      "full": {}}[PROFILE]
if PROFILE == "full":
    print("FULL PROFILE: all 80 zoo classifiers (about 2-4 minutes on 2 CPU cores), ResNet-18...152, "
          "App. A.1 at the paper's sizes.")
else:
    print(f"SMOKE PROFILE: {len(ZOO.models)} zoo classifiers, ResNet {DEPTHS}, a small App. A.1 study. "
          "Its zoo fit has a handful of points and is NOT the paper's experiment.")

# %% [markdown]
# ## §5 · Local values, one rule per operation
#
# A small ResNet: a stem convolution, two residual units, global pooling, a classifier.
# Batch norm, dropout, flatten and reshapes are **neutral** (factor 1, left out of GSC);
# the addition of a residual unit is a **merge**.

# %%
net = wb.small_cnn(depth=2, width=8, kernel=3, stride=1, shortcuts=True)
res = wb.layer_algebra(net, (3, 32, 32))
print(res)
res.to_frame()[["name", "type", "kind", "n_inputs", "output_shape", "local_power", "local_complexity",
                "cumulative_power", "cumulative_complexity"]]

# %% [markdown]
# **Choices where the paper is silent or ambiguous** (all are options of `wb.layer_algebra`;
# the module docstring of `workbench.measures.layer_algebra.rules` has the details):
#
# * `conv_kernel="filter"` (default): `K` in a convolution's complexity `n_k log2 K` is the
#   filter volume `K_H K_W C_in / groups`. The paper writes `K = K_H x K_W`; taken literally
#   (`conv_kernel="spatial"`) every 1x1 convolution has `log2 1 = 0` and zeroes every
#   product behind it: ResNet-50's GCC would be 0 (shown below), which contradicts Fig. 8.
# * the power of a convolution is `Phi_out / (K_H K_W Phi_in)` (eq. 8 with the input
#   volume `C_in H W`): a conv/transpose-conv pair then multiplies to 1 (Fig. 7).
# * `groups="split"`: a grouped or depthwise convolution is `g` parallel convolutions,
#   merged by the algebra itself; `"dense"` ignores the groups.
# * `pooling_filters="channels"`: pooling has one window per channel (`n_k = C`); `"one"`: `n_k = 1`.
# * layer norm is neutral like batch norm; attention is expanded into its paths
#   (`attention="paths"`, or `"no_softmax"`). A split (`chunk`, slicing) is a branch and keeps
#   the power (§6.1), so a fused `E -> 3E` projection followed by a split counts `p = 3`.

# %%
r50 = wb.zoo_meta_model("resnet50")
for kernel in ("filter", "spatial"):
    r = wb.layer_algebra(r50, (3, 224, 224), conv_kernel=kernel)
    print(f"ResNet-50, conv_kernel={kernel!r}: GCIP = 10^{r.log10_gcip:.2f}, GCC = {r.gcc:.4g} "
          f"(log10 {r.log10_gcc:.2f})")

# %% [markdown]
# ## Fig. 6 · Complexity against a VC-dimension estimate
#
# The paper compares its GCC with VC-dimension estimates of simple fully connected
# (Bartlett, Harvey, Liaw & Mehrabian, JMLR 2019, its ref. [44]) and convolutional ReLU
# networks (Jiang et al. 2019, ref. [45]) without giving the constants. We use the rate of
# the nearly tight bound, `VC ~ W L log2 W` (`W` parameters, `L` weight layers), with
# constant 1, for both. **Paper:** both grow monotonically with size; GCC grows much more
# slowly. Ours: see the table and plot.

# %%
vc = vc_comparison(**VC)
show(plot_vc_comparison(vc))
vc_mono = vc.sort_values(["family", "depth", "width"]).groupby(["family", "depth"])
gcc_mono = all(g["log10_gcc"].is_monotonic_increasing for _, g in vc_mono)
print("GCC increases with width at every depth:", gcc_mono)
wb.claims.register("la.fig6.gcc_monotone", paper="Layer algebra", where="Fig. 6", profile=PROFILE,
                   quantity="GCC grows monotonically with width at every depth", paper_value="monotone",
                   ours="monotone" if gcc_mono else "not monotone", tolerance="qualitative",
                   verdict="reproduced" if gcc_mono else "differs", reason=f"{len(vc)} networks (vc_comparison)")
print("VC  increases with width at every depth:", all(g["vc"].is_monotonic_increasing for _, g in vc_mono))
vc[["family", "width", "depth", "params", "vc", "gcc", "gsc"]].head(8)

# %% [markdown]
# ## Fig. 7 · A symmetric linear autoencoder
#
# Fully connected `784-512-256-128-64-128-256-512-784` with linear (identity) activations.
# **Paper:** the cumulative power falls to the bottleneck and returns to the input value, so
# GCIP = 1; the cumulative complexity rises through most layers. Ours:

# %%
ae = wb.layer_algebra(wb.linear_autoencoder(), (784,))
print(f"GCIP = {ae.gcip:.12f} (paper: 1), GCC = {ae.gcc:.4g}, GSC = {ae.gsc:.4g}")
wb.claims.register("la.fig7.autoencoder_gcip", paper="Layer algebra", where="Fig. 7", profile=PROFILE,
                   quantity="GCIP of the symmetric linear autoencoder", paper_value=1, ours=ae.gcip, tolerance=1e-9,
                   fmt=".12g")
show(plot_local_cumulative(ae, title="Fig. 7: symmetric linear autoencoder"))

# %% [markdown]
# ## Figs. 8-9 · ResNets against PlainNets
#
# PlainNet-`d` keeps every block of ResNet-`d` (torchvision's blocks) and drops the
# shortcut: the identity and the downsample projection. **Paper:** GCC almost identical per
# depth; GCIP much larger for ResNets (less compression), decreasing with depth within each
# family; the ResNet cumulative power shows small waves (the shortcuts' max). Input 3x224x224.

# %%
rp = resnet_vs_plainnet(DEPTHS)
rp.summary

# %%
show(plot_resnet_plainnet(rp.summary))
s = rp.summary.pivot(index="depth", columns="family")
print("GCC relative gap |ResNet - PlainNet| / ResNet (log10 scale):",
      ((s["log10_gcc"]["ResNet"] - s["log10_gcc"]["PlainNet"]).abs() / s["log10_gcc"]["ResNet"]).round(8).to_dict())
print("GCIP ResNet > PlainNet at every depth:", bool((s["log10_gcip"]["ResNet"] > s["log10_gcip"]["PlainNet"]).all()))
print("GCIP decreases with depth, ResNet:", s["log10_gcip"]["ResNet"].is_monotonic_decreasing,
      "PlainNet:", s["log10_gcip"]["PlainNet"].is_monotonic_decreasing)
gap = float(((s["log10_gcc"]["ResNet"] - s["log10_gcc"]["PlainNet"]).abs() / s["log10_gcc"]["ResNet"]).max())
above = bool((s["log10_gcip"]["ResNet"] > s["log10_gcip"]["PlainNet"]).all())
for key, quantity, ok, ours in (
        ("gcc_equal", "GCC of ResNet and PlainNet nearly identical per depth", gap < 0.01,
         f"largest relative gap of log10 GCC {gap:.2g}"),
        ("gcip_resnet_larger", "GCIP of ResNets larger than PlainNets at every depth", above,
         "larger at every depth" if above else "not larger at some depth"),
        *((f"gcip_falls_{fam.lower()}", f"GCIP decreases with depth ({fam})",
           bool(s["log10_gcip"][fam].diff().dropna().le(0).all()),
           "log10 GCIP " + " ".join(f"{v:.1f}" for v in s["log10_gcip"][fam])) for fam in ("ResNet", "PlainNet"))):
    wb.claims.register(f"la.fig8.{key}", paper="Layer algebra", where="Fig. 8", quantity=quantity, profile=PROFILE,
                       paper_value="yes", ours=ours, tolerance="qualitative", verdict="reproduced" if ok else "differs",
                       reason=f"depths {list(s.index)}" + ("; read as non-increasing" if "falls" in key else ""))

# %% [markdown]
# The cumulative curves along the networks (Fig. 8's "waves": a shortcut brings the larger
# power of the block input back at every addition):

# %%
fig, axes = new_figure(1, 2, figsize=(13, 4))
plot_cumulative_curves(rp.curves, "power", ax=axes[0])
plot_cumulative_curves(rp.curves, "complexity", ax=axes[1])
show(fig)

# %% [markdown]
# **Honest word.** The GCC gap is tiny, as in the paper, and every ResNet keeps far more
# power than its PlainNet. Within the ResNets GCIP does not increase with depth (ResNet-34
# and -50 tie: identity shortcuts carry the power past every block, so it is set by the
# stem, the pooling and the downsample projections). The PlainNets are not monotone:
# PlainNet-34 compresses more than PlainNet-50 because a bottleneck (1x1, 3x3, 1x1) block
# multiplies the power by `1/4 * 1/9 * 4 = 1/9`, a basic block (3x3, 3x3) by `1/81`. The
# paper's Fig. 9 compares CIFAR-10 test accuracies of trained networks; nothing is
# trained here.
#
# ## The graph, coloured
#
# ResNet-18's data-flow graph: nodes placed by their depth along the longest path, a
# branch on its own lane, identity shortcuts as orange arcs, neutral operations small and
# grey. Colour: the cumulative power (left), the local complexity (right).

# %%
r18 = wb.layer_algebra(wb.zoo_meta_model("resnet18"), (3, 224, 224))
fig, axes = new_figure(2, 1, figsize=(14, 6.5))
plot_layer_graph(r18, "cumulative_power", ax=axes[0])
plot_layer_graph(r18, "local_complexity", ax=axes[1])
show(fig)

# %% [markdown]
# ## Figs. 10-11 · The torchvision zoo against ImageNet accuracy
#
# Every classifier of `wb.zoo()` (torchvision's shipped metadata: the accuracy of its
# **default** weights), built on the meta device and measured at the evaluation crop of
# those weights. The paper fits a power function `accuracy = a GWC^b` and reports
# `R^2 = 0.751` (top-1) and `0.755` (top-5) on its own set (Tables 1-3: PyTorch and
# TensorFlow models, older weights).

# %%
t0 = time.perf_counter()
zt = layer_algebra_zoo(ZOO)
print(f"{len(zt)} models in {time.perf_counter() - t0:.1f} s; slowest: "
      f"{zt.loc[zt['seconds'].idxmax(), 'name']} ({zt['seconds'].max():.2f} s)")
zt[["name", "family", "params", "top1", "top5", "log10_gcip", "log10_gcc", "gsc", "log10_gwc"]].head(10)

# %%
show(plot_zoo_metrics(zt))

# %%
fits = {acc: power_fit(zt, "gwc", acc) for acc in ("top1", "top5")}
fits_log = {acc: power_fit(zt, "gwc", acc, scale="log") for acc in ("top1", "top5")}
for acc in ("top1", "top5"):
    wb.claims.register(f"la.fig11.r2_gwc_{acc}", paper="Layer algebra", where="Fig. 11", profile=PROFILE,
                       quantity=f"R² of the power fit of {acc} accuracy against GWC", paper_value=PAPER_FIT_R2[acc],
                       ours=fits[acc].r2, tolerance=0.05,
                       reason=f"{fits[acc].n} torchvision models, a GWC^b fit; the paper's model set differs"
                       + ("; smoke profile: a handful of models" if PROFILE == "smoke" else ""),
                       **({"verdict": "not comparable"} if PROFILE == "smoke" else {}))
show(plot_accuracy_fits(zt, fits_log, paper_r2=PAPER_FIT_R2))

# %% [markdown]
# The same fits on the paper's PyTorch models (its Table 1) with their original **V1**
# weights, the accuracies the paper used:

# %%
t1 = zt[zt["name"].isin(PAPER_TABLE1_MODELS)].copy()
v1 = accuracy_metadata(list(t1["name"]), weights="IMAGENET1K_V1").set_index("model")
t1["top1"] = 100 - t1["name"].map(v1["top1_error"])
t1["top5"] = 100 - t1["name"].map(v1["top5_error"])
rows = []
for label, table in (("all zoo models, default weights", zt), ("paper's Table 1 models, V1 weights", t1)):
    for acc in ("top1", "top5"):
        for x in ("gwc", "gcc", "gsc"):
            for scale in ("linear", "log"):
                if len(table) >= 3:
                    f = power_fit(table, x, acc, scale=scale)
                    rows.append(dict(models=label, n=f.n, accuracy=acc, x=x, form="a x^b" if scale == "linear"
                                     else "a (log10 x)^b", r2=f.r2, paper_r2=PAPER_FIT_R2[acc] if x == "gwc" else None))
fit_table = pd.DataFrame(rows)
fit_table.pivot_table(index=["models", "x", "form"], columns="accuracy", values="r2")

# %% [markdown]
# **Honest word.** Our GWCs span hundreds of orders of magnitude (ResNet-18 about 1e70,
# EfficientNet-V2-L beyond 1e1500, which is why the library keeps them as `log10`). A
# power function `a GWC^b` over that range is an exponential in `log10 GWC` and cannot
# follow the saturating accuracies; `a (log10 GWC)^b` fits better. Either way our R^2 for
# GWC stays well below the paper's 0.751 / 0.755 (table above). On the paper's own PyTorch
# models with their V1 accuracies the plain *sum* GSC comes closest to the paper's values
# (printed below: R^2 about 0.7), but GWC, dominated by GCC, does not. The paper does not publish its
# per-model values or its choices for 1x1 convolutions, pooling and grouped convolutions,
# and its model set (with TensorFlow and Cadene models) differs from torchvision's.
# Complexity and accuracy are clearly correlated (Fig. 11a-b) and the ranking within a
# family follows depth and width, but the GWC fit is looser than reported.

# %%
best = fit_table.sort_values("r2", ascending=False).head(4)
best[["models", "accuracy", "x", "form", "n", "r2"]]

# ## App. A.1 · Data-driven constants (Figs. 12-13)
#
# The paper sets each activation's power to the output/input variance ratio measured on
# random data (eq. 5). Its constants match the ratio of **standard deviations** at a
# standard normal input, not the variance ratio:

# %%
study = activation_study(STUDY, seed=0)
act = study["activations"]
unit = act[(act["input_variance"] - 1).abs() < 0.15].copy()
unit["paper_p"] = unit["activation"].map({k: v[0] for k, v in PAPER_ACTIVATION_CONSTANTS.items()})
for name in ("relu", "tanh", "sigmoid"):
    row = unit[(unit["activation"] == name) & (unit["distribution"] == "normal")].iloc[0]
    wb.claims.register(f"la.a1.{name}", paper="Layer algebra", where="§5.6-5.8, App. A.1", profile=PROFILE,
                       quantity=f"power constant of {name} (ours: std ratio at a standard normal input)",
                       paper_value=PAPER_ACTIVATION_CONSTANTS[name][0], ours=float(row["std_ratio"]), tolerance=0.005)
unit[["activation", "distribution", "input_variance", "variance_ratio", "std_ratio", "paper_p"]]

# %%
show(plot_activation_variances(act, paper={k: v[0] for k, v in PAPER_ACTIVATION_CONSTANTS.items()}))
show(plot_filter_variance(study["filters"]))

# %% [markdown]
# ReLU, tanh and sigmoid agree with the paper to about three digits as standard-deviation
# ratios (ReLU exactly `sqrt(1/2 - 1/(2 pi)) = 0.5838`). The softmax value depends on the
# vector length (its output variance falls like `(e - 1) / n^2`); the paper's `1.342e-05`
# needs a length we could not identify (`n` about 360 as a variance ratio, about 98,000 as
# a standard-deviation ratio), so we keep the paper's constant by default. Fig. 12: the
# variance after a `1/K` filter follows eq. 8's `S_o / (K S_i)`, as the paper says.
#
# The constants are an option: with data-driven ones (variance ratios, eq. 5 as written)
# every ReLU network's GCIP and GCC change, and so does the ranking across families:

# %%
data_driven = wb.measures.estimate_activation_constants(statistic="variance", seed=0)
for name in ("resnet18", "vgg11", "mobilenet_v2"):
    m = wb.zoo_meta_model(name)
    a, b = wb.layer_algebra(m, (3, 224, 224)), wb.layer_algebra(m, (3, 224, 224), constants=data_driven)
    print(f"{name:13s} paper constants: GCIP 10^{a.log10_gcip:7.2f} GCC 10^{a.log10_gcc:7.2f} | "
          f"variance ratios: GCIP 10^{b.log10_gcip:7.2f} GCC 10^{b.log10_gcc:7.2f}")

# %% [markdown]
# ## Try it
#
# Pick a zoo model, or build a small CNN / ResNet from the sliders (units, width, kernel,
# stride, shortcuts) and watch GCIP and GCC change; colour the graph by any local or
# cumulative value. Sliders recompute on release; errors show under the plot.

# %%
panel = LayerAlgebraPanel()
panel

# %% [markdown]
# ## Summary
#
# Every comparison above was registered where it was computed (`wb.claims.register`); this is
# that registry for the paper, so the summary cannot drift from the numbers. Not in it, because
# they are not a single comparison: Fig. 6's "GCC grows much more slowly than VC" (the plot and
# table of that section), and Fig. 11's better fits of GSC on the paper's own Table 1 models
# (the R² table of that section).

# %%
wb.claims.table([c for c in wb.claims.claims() if c.paper == "Layer algebra"])
