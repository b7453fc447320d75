# %% [markdown]
# # 09 · ESD (Berthiaume et al. 2020): the remaining experiments
#
# Notebooks 01 and 02 reproduce the expected spanning dimension, its figures 1-6,
# Table 1 and the §6 study of real-world networks. This companion adds what a reader
# of the paper will still look for:
#
# 1. **Fig. 7**: MLP, add-shortcuts ("residual") and add-inputs networks fitted to
#    10,000 MNIST images;
# 2. **§5.3, Fig. 8 and Table 2**: a ResNet whose downsampling shortcuts are replaced by
#    1×1 convolutions that sample the *input image* with stride 2ⁿ, on 3,000 CIFAR-10
#    images;
# 3. **Figs. 11-12**: the §6 correlation with real-image inputs instead of sign vectors;
# 4. **Table 4 under subsets**: how much the §6 correlations hang on single networks
#    (leave one out, random halves).
#
# MNIST and CIFAR-10 are read from the local data folder when they are there; when they
# are not, the bundled 8×8 digits stand in and every table says which data was used.
# Every number quoted below is printed by the cell that computes it, and every statement
# of the paper's claims catalogue (`workbench/papers/esd/catalogue/`) that belongs here
# is judged with `claims.judge` against the catalogue's fixed rule, or listed as not run
# with the reason (most need MNIST, CIFAR-10, ImageNet or a GPU).
#
# The default profile, `"quick"`, runs every cell at reduced sizes (about two minutes on a
# laptop; the sizes cell prints them); `"paper"` uses the paper's sizes where this
# notebook can (the banner says what that costs).

# %%
# %matplotlib inline
import os

# torch uses every core of the machine; idle OpenMP threads sleep instead of spinning, which on a busy shared
# CPU made small tensor operations 10-30x slower (measured on the project's 2-core machine)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
from dataclasses import replace

import pandas as pd
from IPython.display import display

import workbench as wb
from workbench import claims
from workbench.experiments import resumed_note, sweep_store
from workbench.nets.input_shortcut_resnet import input_shortcut_resnet
from workbench.papers import esd
from workbench.papers.esd import image_inputs as em
from workbench.papers.esd import plots as pe
from workbench.plots import esd as pesd
from workbench.plots import esd_real as preal
from workbench.plots import new_figure, show

print(f"workbench {wb.__version__}; heavy work runs on: {wb.device()}")

# %% tags=["parameters"]
PROFILE = "quick"  # "quick" (about 2 min on a laptop), "paper" (the papers' sizes), "smoke" (tests)

# %%
wb.profile_banner("09_esd_more", PROFILE)
SMALL = ("shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "mobilenet_v2", "resnet18")  # no SqueezeNet: see notebook 02
FIG7, RESNET, REAL = {
    "smoke": (esd.Table1Config.smoke(dataset="mnist", epochs=(1, 2, 3), n_train=400, n_test=200),
              em.ResNetInputsConfig.smoke(),
              esd.ESDRealConfig.smoke(models=("squeezenet1_1", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "resnet18"),
                                      repeats=1, n_inputs=8, n_coords=2_000)),
    "quick": (esd.Table1Config.smoke(dataset="mnist", epochs=(1, 2, 3, 4, 5), n_train=1_000, n_test=300),
              em.ResNetInputsConfig.smoke(n_train=500, epochs=(2, 4, 6)),
              esd.ESDRealConfig.smoke(models=SMALL, repeats=2, n_inputs=12, n_coords=5_000)),
    "paper": (esd.Table1Config.full(dataset="mnist", n_train=10_000, n_test=2_000, epochs=tuple(range(1, 11))),
              em.ResNetInputsConfig.full(),
              esd.ESDRealConfig.cpu()),  # all 18 models at 3x64x64 (about 45 min per input kind on 2 CPU cores)
}[PROFILE]
print(PROFILE, FIG7, RESNET, REAL, sep="\n")

# %% [markdown]
# ## 1 · Fig. 7: three architectures on MNIST
#
# The paper fits the three networks of Fig. 5 (sigmoid, hidden width = number of
# pixels) to 10,000 MNIST images and finds that "the flexibility of the add-inputs
# network leads to better performance". `esd.table1` trains all three with the one
# trainer and reports accuracy after every epoch (at the quick profile's sizes: 1,000
# training images, 5 epochs, one run; the sizes cell prints the configuration).

# %%
fig7 = esd.table1(FIG7)
curves = fig7.rename(columns={"epochs": "epoch"})
fig, axes = new_figure(1, 2, figsize=(11, 4.2), sharey=True)
pesd.plot_training_curves(curves, "train_acc", ax=axes[0], title="training accuracy")
pesd.plot_training_curves(curves, "test_acc", ax=axes[1], title="test accuracy")
fig.suptitle(f"Fig. 7: {fig7.n_train.iloc[0]} {fig7.dataset.iloc[0]} images, mean of {FIG7.runs} run(s)")
show(fig)

# %%
last = fig7[fig7.epochs == fig7.epochs.max()].set_index("model")
display(fig7.round(3))
data7 = f"{fig7.dataset.iloc[0]} ({fig7.source.iloc[0]})"
print(f"data: {data7}; after {int(fig7.epochs.max())} epochs test accuracy: "
      + ", ".join(f"{m} {a:.3f}" for m, a in last.test_acc.items()))
gap7 = last.test_acc["add-inputs"] - last.test_acc.drop("add-inputs").max()
claims.judge("esd.fig7.add_inputs_best", None, profile=PROFILE,
             note=f"this run on {data7}, {int(fig7.epochs.max())} epochs, {FIG7.runs} run(s): add-inputs minus the "
                  f"best other test accuracy = {gap7:+.3f} (not the paper's data)")
display(claims.markdown("esd.fig7.add_inputs_best"))

# %% [markdown]
# **Paper vs ours.** The paper: add-inputs fits best on MNIST. The catalogue lists this
# statement as not run (it needs the paper's MNIST images); the gap measured on this run's
# data is in the line above (on the digits fallback the images are 8×8, so "width = pixels" gives
# 64-unit layers and a much smaller problem than the paper's 784).

# %% [markdown]
# ## 2 · §5.3, Fig. 8 and Table 2: input shortcuts in a ResNet
#
# After each max pool the ResNet shortcut samples every other pixel of the *previous
# layer* (1×1 convolution, stride 2). The add-inputs twin samples the *input image*
# directly with stride 2ⁿ, n the number of pools passed. `input_shortcut_resnet` (in
# `wb.nets.input_shortcut_resnet`) builds both; the paper says they have the same number of weights, but a 1×1
# convolution from the 3-channel input has fewer weights than one from a C-channel
# layer. The count is exact, so it is judged at the catalogue's size (3 channels in,
# 16 channels, 3 stages, 10 classes) whatever the profile:

# %%
n_w = {k: wb.count_parameters(input_shortcut_resnet(k, in_channels=3, channels=16, stages=3, n_classes=10))
       for k in ("resnet", "add-inputs")}
claims.judge("esd.s5_3.same_weights", n_w["add-inputs"] - n_w["resnet"], profile=PROFILE,
             note=f"parameters: ResNet {n_w['resnet']:,}, add-inputs {n_w['add-inputs']:,}")
claims.markdown("esd.s5_3.same_weights")

# %% [markdown]
# Both networks are trained with the one trainer (at the quick profile's sizes: 500
# training images, 8 channels, 6 epochs, one run); the table prints Table 2's rows.

# %%
res = em.resnet_vs_add_inputs(RESNET)
ax = pe.plot_resnet_vs_add_inputs(res)
show(ax)
table2 = (res[res.epoch.isin(RESNET.epochs)].groupby(["epoch", "model"], sort=False)
          [["train_acc", "test_acc"]].mean().unstack("model"))
display(table2.round(3))
data8 = f"{res.dataset.iloc[0]} ({res.source.iloc[0]}), Adam (the paper: SGD), {RESNET.runs} run(s)"
print("parameters:", res.groupby("model").n_params.first().to_dict(), "| data:", data8)
curve = res.groupby(["epoch", "model"]).train_acc.mean().unstack("model")
gaps = {"esd.fig8.learns_faster": ("mean over epochs of the training-accuracy gap",
                                   (curve["add-inputs"] - curve["resnet"]).mean()),
        "esd.table2.add_inputs_higher_test": ("smallest test-accuracy gap over the epoch counts",
                                              (table2["test_acc"]["add-inputs"] - table2["test_acc"]["resnet"]).min())}
for ident, (what, v) in gaps.items():
    claims.judge(ident, None, profile=PROFILE, note=f"this run on {data8}: {what} = {v:+.3f} (not the paper's data)")
claims.markdown(*gaps)

# %% [markdown]
# **Paper vs ours.** Table 2's numbers did not survive in our copy of the paper; its
# text says add-inputs has the higher test accuracy in every experiment and learns
# faster (Fig. 8). Both statements need CIFAR-10, so the catalogue lists them as not run
# here; the gaps measured on this run's data are in the lines above.
# The fallback data (8×8 digits instead of 3,000 CIFAR-10 images of 32×32) make this a
# much easier problem, and we train with Adam where the paper used SGD (plain SGD left
# both small ResNets at chance for ten epochs in our trials).

# %% [markdown]
# ## 3 · Figs. 11-12: real images as inputs
#
# §6 computes the ESD of real-world networks at sign vectors x ∈ {-1, 1}^(3×224×224)
# (Figs. 9-10) and again at ImageNet images (Figs. 11-12), finding the same negative
# correlation with the test error. ImageNet is not here; the real images are the
# bundled digits, resized and repeated to three channels (`inputs="digits"`). At the
# quick profile's sizes: four small networks, 3×32×32 inputs, 12 inputs, 5,000
# coordinates, 2 repeats (the paper profile here: all 18 networks at 3×64×64).

# %%
# a paper run keeps each finished (model, repeat) in a store: run it again after a stop and it resumes
sign = esd.esd_real_networks(REAL, store=sweep_store("real_sign"))
digits_ = esd.esd_real_networks(replace(REAL, inputs="digits"), store=sweep_store("real_digits"))
for note in filter(None, (resumed_note(t) for t in (sign, digits_))):
    print(note)
summaries = {"sign": esd.esd_real_summary(sign), "digits": esd.esd_real_summary(digits_)}
fits = {k: esd.esd_real_fits(t, n_boot=200) for k, t in (("sign", sign), ("digits", digits_))}
corr = {k: f.stats[(f.stats.predictor == "esd")].set_index(["reduce", "target"])[["pearson_r", "pearson_p"]]
        for k, f in fits.items()}
display(pd.concat(corr, axis=1).round(3))

# %%
rng = {k: (s.esd_max - s.esd_min).groupby(s["reduce"]).median() for k, s in summaries.items()}
run = (f"this run: {summaries['digits'].model.nunique()} networks, digit images for ImageNet, inputs "
       f"{REAL.input_shape}, {REAL.n_inputs} inputs, {REAL.repeats} repeat(s)")
this_run = {"esd.fig11.negative_r_top1": f"max r over reduces {corr['digits'].xs('top1_error', level=1).pearson_r.max():+.2f}",
            "esd.fig12.negative_r_top5": f"max r over reduces {corr['digits'].xs('top5_error', level=1).pearson_r.max():+.2f}",
            "esd.fig11.ranges_larger": "median ESD range, digits − sign: "
                                       + ", ".join(f"{r} {rng['digits'][r] - rng['sign'][r]:+.2f}" for r in REAL.reduces)}
for ident, value in this_run.items():
    claims.judge(ident, None, profile=PROFILE, note=f"{run}: {value}")
claims.markdown(*this_run)

# %%
fig, axes = new_figure(1, 2, figsize=(15.6, 5.4), sharey=True)
for ax, (k, t) in zip(axes, (("sign", sign), ("digits", digits_))):
    preal.plot_esd_real(t, fits[k], reduce="pick_first", target="top1_error", ax=ax, family_legend=k == "digits",
                        title=f"Fig. {9 if k == 'sign' else 11}: top-1 error vs ESD, {k} inputs")
preal.thin_model_labels(fig)
show(fig)
zero = pd.concat({k: t[t.esd == 0] for k, t in (("sign", sign), ("digits", digits_))}, names=["inputs"])
print("runs whose sampled Jacobian is all zero (ESD 0):",
      "none" if zero.empty else "; ".join(f"{m} ({r}, repeat {i})" for m, r, i in zip(zero.model, zero["reduce"],
                                                                                     zero.repeat)))

# %% [markdown]
# **An ESD of 0.** The effective rank is 0 only for an all-zero Jacobian; any nonzero row gives at
# least 1. It happens, and it is not a numerical fault: SqueezeNet's classifier ends in a ReLU
# followed by average pooling, so with random weights its first output can be exactly 0 at every
# input, and under *first output* (the paper's pick_first, g = f₁) every sampled gradient is then
# 0. In the paper profile (3×64×64 sign inputs) a weight draw of SqueezeNet 1.0 does this (we
# checked its first output at every input): that is its whisker reaching 0; other draws leave only
# a few inputs with a nonzero first output and a small ESD. The line above lists such runs in this run. The paper describes each
# network's output as a probability vector; a softmax would make the first output depend on every
# logit. We use the logits, as torchvision's models return them (`ESDRealConfig(softmax=True)` is
# the other reading).

# %% [markdown]
# **Paper vs ours.** The paper finds strong negative correlations with both input
# kinds (p-values in its Table 3), with wider ESD ranges for ImageNet inputs. The
# correlations above come from small inputs and few coordinates (the quick and smoke
# profiles: four small networks at 3×32×32; the paper profile: 18 networks at
# 3×64×64; notebook 02 explains why these are not the paper's sizes), so the catalogue's
# statements read "not run" and the lines above only record this run's values; compare
# the two input kinds to each other rather than to the paper's p-values.

# %% [markdown]
# ## 4 · Table 4 under subsets
#
# With the paper's 18 networks (four at the quick and smoke profiles' sizes), a
# correlation can hang on one or two of them. `correlation_robustness` recomputes
# Pearson's r with each network left out and on random halves (sum_squares, the reduce the
# catalogue's statement names).

# %%
rob = em.correlation_robustness(summaries["sign"], reduce="sum_squares", y="top1_error", n_halves=300, seed=0)
ax = pe.plot_correlation_robustness(rob)
ax.set_title("Table 4 under subsets (sum of squares, sign inputs)")
show(ax)
spread = rob.groupby("subset").r.agg(["min", "median", "max", "count"])
display(spread.round(3))
sig = (rob[rob.subset == "half"].p_value < 0.05).mean()
print(f"all networks: r = {rob.r.iloc[0]:.2f}; leave-one-out r in [{spread.loc['leave-one-out', 'min']:.2f}, "
      f"{spread.loc['leave-one-out', 'max']:.2f}]; p < 0.05 in {sig:.0%} of random halves")
p_loo = rob[rob.subset == "leave-one-out"].p_value.max()
claims.judge("esd.table4.subsets_robust", None, profile=PROFILE,
             note=f"this run ({len(rob[rob.subset == 'leave-one-out'])} sign-input networks at {REAL.input_shape}): "
                  f"max leave-one-out p = {p_loo:.2g}")
claims.markdown("esd.table4.subsets_robust")

# %% [markdown]
# **Paper vs ours.** Table 4 reports small p-values for the ESD and larger ones for the
# parameter count. The spread printed above says how stable our correlation is to the
# choice of networks: a sign change under leave-one-out means no single-number claim
# should be drawn from this run.
