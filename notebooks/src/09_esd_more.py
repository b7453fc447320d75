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
# Every number quoted below is printed by the cell that computes it.

# %%
# %matplotlib inline
from dataclasses import replace

import pandas as pd
from IPython.display import display

import workbench as wb
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
PROFILE = {'quick': 'smoke', 'paper': 'full', 'cpu': 'full'}.get(PROFILE, PROFILE)  # the sizes below are named smoke / full; quick runs the smoke sizes until it has its own
SMOKE = PROFILE == "smoke"
if SMOKE:
    FIG7 = replace(esd.Table1Config.smoke(), dataset="mnist", epochs=(1, 2, 3), n_train=400, n_test=200)
    RESNET = em.ResNetInputsConfig.smoke()
    REAL = esd.ESDRealConfig.smoke(models=("squeezenet1_1", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "resnet18"),
                                  repeats=1, n_inputs=8, n_coords=2_000)
else:
    FIG7 = replace(esd.Table1Config.full(), dataset="mnist", n_train=10_000, n_test=2_000, epochs=tuple(range(1, 11)))
    RESNET = em.ResNetInputsConfig.full()
    REAL = esd.ESDRealConfig.cpu()  # all 18 models at 3x64x64 (about 25 min per input kind on 2 CPU cores)
print(PROFILE, FIG7, RESNET, REAL, sep="\n")

# %% [markdown]
# ## 1 · Fig. 7: three architectures on MNIST
#
# The paper fits the three networks of Fig. 5 (sigmoid, hidden width = number of
# pixels) to 10,000 MNIST images and finds that "the flexibility of the add-inputs
# network leads to better performance". `esd.table1` trains all three with the one
# trainer and reports accuracy after every epoch.

# %%
fig7 = esd.table1(FIG7)
curves = fig7.rename(columns={"epochs": "epoch"})
fig, axes = new_figure(1, 2, figsize=(11, 4.2), sharey=True)
pesd.plot_training_curves(curves, "train_acc", ax=axes[0], title="training accuracy")
pesd.plot_training_curves(curves, "test_acc", ax=axes[1], title="test accuracy")
fig.suptitle(f"Fig. 7: {fig7.n_train.iloc[0]} {fig7.dataset.iloc[0]} images, mean of {FIG7.runs} run(s)")
show(fig)
last = fig7[fig7.epochs == fig7.epochs.max()].set_index("model")
display(fig7.round(3))
print(f"data: {fig7.dataset.iloc[0]} ({fig7.source.iloc[0]}); after {int(fig7.epochs.max())} epochs test accuracy: "
      + ", ".join(f"{m} {a:.3f}" for m, a in last.test_acc.items()))
best_add = bool(last.test_acc.idxmax() == "add-inputs")
print("add-inputs has the best test accuracy:", best_add)
wb.claims.register("esd.fig7.add_inputs_best", paper="ESD", where="Fig. 7", profile=PROFILE,
                   quantity="add-inputs has the best test accuracy", paper_value="yes (MNIST)",
                   ours=f"best: {last.test_acc.idxmax()} ({last.test_acc.max():.3f})", tolerance="qualitative",
                   verdict="reproduced" if best_add else "differs",
                   reason=f"{fig7.dataset.iloc[0]}, {int(fig7.epochs.max())} epochs, {FIG7.runs} run(s)")

# %% [markdown]
# **Paper vs ours.** The paper: add-inputs fits best on MNIST. Whether that holds here
# is printed above (on the digits fallback the images are 8×8, so "width = pixels"
# gives 64-unit layers and a much smaller problem than the paper's 784).

# %% [markdown]
# ## 2 · §5.3, Fig. 8 and Table 2: input shortcuts in a ResNet
#
# After each max pool the ResNet shortcut samples every other pixel of the *previous
# layer* (1×1 convolution, stride 2). The add-inputs twin samples the *input image*
# directly with stride 2ⁿ, n the number of pools passed. `wb.nets.input_shortcut_resnet`
# builds both; the paper says they have the same number of weights, but a 1×1
# convolution from the 3-channel input has fewer weights than one from a C-channel
# layer, and the table prints both counts.

# %%
res = em.resnet_vs_add_inputs(RESNET)
ax = pe.plot_resnet_vs_add_inputs(res)
show(ax)
table2 = (res[res.epoch.isin(RESNET.epochs)].groupby(["epoch", "model"], sort=False)
          [["train_acc", "test_acc"]].mean().unstack("model"))
display(table2.round(3))
print("parameters:", res.groupby("model").n_params.first().to_dict(), "| data:", res.dataset.iloc[0], res.source.iloc[0])
wins = (table2["test_acc"]["add-inputs"] > table2["test_acc"]["resnet"])
print(f"add-inputs has the higher mean test accuracy at {int(wins.sum())} of {len(wins)} epoch counts")
wb.claims.register("esd.table2.add_inputs_resnet", paper="ESD", where="§5.3, Table 2", profile=PROFILE,
                   quantity="input-shortcut ResNet beats the ResNet on test accuracy", paper_value="in every experiment",
                   ours=f"at {int(wins.sum())} of {len(wins)} epoch counts", tolerance="qualitative",
                   verdict="reproduced" if bool(wins.all()) else "differs",
                   reason=f"{res.dataset.iloc[0]}, Adam (the paper: SGD); Table 2's numbers are lost in our copy")

# %% [markdown]
# **Paper vs ours.** Table 2's numbers did not survive in our copy of the paper; its
# text says add-inputs has the higher test accuracy in every experiment and learns
# faster (Fig. 8). The count of epoch settings where that holds here is printed above.
# The fallback data (8×8 digits instead of 3,000 CIFAR-10 images of 32×32) make this a
# much easier problem, and we train with Adam where the paper used SGD (plain SGD left
# both small ResNets at chance for ten epochs in our trials).

# %% [markdown]
# ## 3 · Figs. 11-12: real images as inputs
#
# §6 computes the ESD of real-world networks at sign vectors x ∈ {-1, 1}^(3×224×224)
# (Figs. 9-10) and again at ImageNet images (Figs. 11-12), finding the same negative
# correlation with the test error. ImageNet is not here; the real images are the
# bundled digits, resized and repeated to three channels (`inputs="digits"`).

# %%
sign = esd.esd_real_networks(REAL)
digits_ = esd.esd_real_networks(replace(REAL, inputs="digits"))
summaries = {"sign": esd.esd_real_summary(sign), "digits": esd.esd_real_summary(digits_)}
fits = {k: esd.esd_real_fits(t, n_boot=200) for k, t in (("sign", sign), ("digits", digits_))}
corr = {k: f.stats[(f.stats.predictor == "esd")].set_index(["reduce", "target"])[["pearson_r", "pearson_p"]]
        for k, f in fits.items()}
display(pd.concat(corr, axis=1).round(3))
for k in ("sign", "digits"):
    r, p = corr[k].loc[("pick_first", "top1_error"), ["pearson_r", "pearson_p"]]
    wb.claims.register(f"esd.fig11.negative_r_{k}", paper="ESD", where="Figs. 9-12" if k == "sign" else "Figs. 11-12",
                       quantity=f"ESD negatively correlated with top-1 error ({k} inputs)", profile=PROFILE,
                       paper_value="negative, small p", ours=f"r = {r:+.2f}, p = {p:.2g}", tolerance="qualitative",
                       verdict="reproduced" if r < 0 and p < 0.05 else "differs",
                       reason=f"{len(summaries[k])} networks, pick_first; the test: r < 0 with p < 0.05"
                       + ("; digit images stand in for ImageNet" if k == "digits" else ""))

# %%
fig, axes = new_figure(1, 2, figsize=(12, 4.5))
for ax, (k, t) in zip(axes, (("sign", sign), ("digits", digits_))):
    preal.plot_esd_real(t, fits[k], reduce="pick_first", target="top1_error", ax=ax,
                        title=f"top-1 error vs ESD, inputs: {k}")
show(fig)

# %% [markdown]
# **Paper vs ours.** The paper finds strong negative correlations with both input
# kinds (p-values in its Table 3), with wider ESD ranges for ImageNet inputs. The
# correlations above come from the smoke or cpu profile (small inputs, few coordinates,
# notebook 02 explains why these are not the paper's sizes); compare the two input
# kinds to each other rather than to the paper's p-values.

# %% [markdown]
# ## 4 · Table 4 under subsets
#
# With 18 networks (5 in the smoke profile), a correlation can hang on one or two of
# them. `correlation_robustness` recomputes Pearson's r with each network left out and on
# random halves.

# %%
rob = em.correlation_robustness(summaries["sign"], reduce="pick_first", y="top1_error", n_halves=300, seed=0)
ax = pe.plot_correlation_robustness(rob)
ax.set_title("ESD vs top-1 error (pick_first, sign inputs)")
show(ax)
spread = rob.groupby("subset").r.agg(["min", "median", "max", "count"])
display(spread.round(3))
sig = (rob[rob.subset == "half"].p_value < 0.05).mean()
print(f"all networks: r = {rob.r.iloc[0]:.2f}; leave-one-out r in [{spread.loc['leave-one-out', 'min']:.2f}, "
      f"{spread.loc['leave-one-out', 'max']:.2f}]; p < 0.05 in {sig:.0%} of random halves")

# %% [markdown]
# **Paper vs ours.** Table 4 reports small p-values for the ESD and larger ones for the
# parameter count. The spread printed above says how stable our correlation is to the
# choice of networks: a sign change under leave-one-out means no single-number claim
# should be drawn from this run.
