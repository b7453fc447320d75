# %% [markdown]
# # 01 · Expected spanning dimension (Berthiaume, Paffenroth & Guo 2020)
#
# *Understanding Deep Learning: Expected Spanning Dimension and Controlling the
# Flexibility of Neural Networks* (Front. Appl. Math. Stat., 2020) measures how
# flexible a network is by the **rank of the Jacobian of its outputs at many input
# points with respect to all its parameters**. Few independent directions means the
# parameters are shared in a way that restricts the functions reachable, whatever
# the parameter count says.
#
# This notebook follows the paper step by step: the exact polynomial spanning
# dimension of a toy network (§2), the general spanning dimension with the effective
# rank (§3), the expected spanning dimension (ESD) over random weights and inputs
# (Algorithm 1, Figs. 1-2), MLP sweeps (Figs. 3-4), shortcut architectures
# (Fig. 5) and two of the paper's training experiments (Fig. 6, Table 1). Every
# statement of the paper that this notebook tests is judged against the paper's claims
# catalogue (`workbench/papers/esd/catalogue/`: the quantity and the rule were fixed
# before any run) with `claims.judge`: random quantities over several seeds, on a 95%
# interval, so a verdict is *reproduced*, *differs* or *inconclusive*. Not reproduced
# here: Fig. 7 (the three MLP variants on 10,000 MNIST images), Fig. 8 and Table 2
# (ResNet against its add-inputs variant on 3,000 CIFAR-10 images): they need MNIST /
# CIFAR-10 files and, for the ResNets, more compute than a notebook run on a laptop CPU.
# The §6 study of real networks is notebook 02.
#
# The `quick` profile (the default) runs every cell at reduced sizes (fewer draws,
# smaller sweeps, fewer networks and epochs, printed below); `PROFILE = "paper"` runs
# the paper's sizes.

# %%
# %matplotlib inline
from dataclasses import replace

import numpy as np
import pandas as pd
from IPython.display import display

import workbench as wb
from workbench import claims
from workbench.experiments import map_seeds, resumed_note, sweep_store
from workbench.measures.spanning.polynomial import (
    coefficient_jacobian,
    network_jacobian_at_points,
    random_integer_parameters,
)
from workbench.papers.esd import esd
from workbench.papers.esd.figures import (
    NoiseFitConfig,
    RandomFitConfig,
    Table1Config,
    esd_grid,
    fit_correlations,
    noise_fit,
    psd_over_depths,
    random_mlp_fit,
    table1,
)
from workbench.plots import (
    new_figure,
    plot_esd_comparison,
    plot_esd_heatmaps,
    plot_fit_scatter,
    plot_psd_depths,
    plot_sd_distribution,
    plot_training_curves,
    show,
)
from workbench.widgets import ESDPanel

pd.set_option("display.precision", 3)
print(f"workbench {wb.__version__}; heavy work runs on: {wb.device()}")

# %% tags=["parameters"]
PROFILE = "quick"  # "quick" (about 2 min on a laptop), "paper" (the papers' sizes), "smoke" (tests)

# %%
wb.profile_banner("01_spanning_dimension", PROFILE)
SIZES = {  # every size this notebook chooses, per profile ("paper": the paper's sizes)
    "smoke": dict(fig1=60, fig2=300, fig5=100, choices=20, depths=range(1, 6), grid=range(1, 7), grid_samples=3,
                  fig3=RandomFitConfig.smoke(), fig6=NoiseFitConfig.smoke(), table1=Table1Config.smoke(),
                  draws=100, matrices=100, sign=(10, 64), seeds=(0, 1, 2)),
    "quick": dict(fig1=150, fig2=500, fig5=150, choices=40, depths=range(1, 9), grid=range(1, 9), grid_samples=2,
                  fig3=RandomFitConfig.smoke(), fig6=NoiseFitConfig.smoke(n=80, epochs=40, batch_size=20),
                  table1=Table1Config.smoke(), draws=500, matrices=300, sign=(30, 64), seeds=(0, 1, 2)),
    "paper": dict(fig1=1000, fig2=2000, fig5=1000, choices=200, depths=range(1, 9), grid=range(1, 41), grid_samples=10,
                  fig3=RandomFitConfig.full(), fig6=NoiseFitConfig.full(), table1=Table1Config.full(),
                  draws=1000, matrices=1000, sign=(100, 256), seeds=(0, 1, 2, 3, 4)),
}[PROFILE]
SEEDS = SIZES["seeds"]  # every random statement is judged over these seeds (a 95% interval needs at least 3)
print(PROFILE, SIZES, sep="\n")


def draws_seed(s):
    """Seed ``s``'s stream for ``esd(seed=...)``: sample ``i`` uses ``seed + i``, so plain 0, 1, 2 would share draws."""
    return wb.sub_seed(s, 0)


PAPER = {k: claims.statement(k).paper_value for k in (
    "esd.fig1.relu", "esd.fig1.sigmoid", "esd.fig2.toy_esd", "esd.fig5.mlp", "esd.fig5.add_shortcuts",
    "esd.fig5.add_inputs", "esd.fig3.r_esd", "esd.fig3.r_params")}  # the paper's numbers, from the catalogue (reference lines in the plots)

# %% [markdown]
# ## §2.1 A toy network that is less flexible than its parameter count
#
# One input, two hidden layers of **one node** each, activation `f(z) = z²`, one
# output: `N(x) = w3 (w2 (w1 x + b1)² + b2)² + b3`. It is a degree-4 polynomial in
# `x` with six parameters, yet the map from the six parameters to the five
# coefficients of `1, x, …, x⁴` has a Jacobian of rank **4**: the network reaches only
# a 4-dimensional family of quartics.
#
# `coefficient_jacobian` expands the network exactly in integer arithmetic and
# differentiates each coefficient; here at the paper's values
# `w1=3, w2=9, w3=7, b1=2, b2=4, b3=6` (rows: coefficients of `1, x, …, x⁴`;
# columns: `w1, b1, w2, b2, w3, b3`). The same matrix comes out of a literal `sympy`
# expansion (`method="sympy"`). The paper adds that thousands of random parameter
# draws gave rank 4 every time: we draw `SIZES["draws"]` random nonzero integer
# parameter vectors per seed and count the draws of rank 4. Here and below the seeds run as
# independent cells (`map_seeds`): one after another on this machine, in parallel on a Dask
# cluster when `workbench reproduce --workers N` (or `--scheduler ADDRESS`) gives one.

# %%
toy = wb.mlp([1, 1, 1, 1], "square", seed=0)
theta = [3, 2, 9, 4, 7, 6]  # w1, b1, w2, b2, w3, b3 (named_parameters order)
Jc = coefficient_jacobian(toy, theta)
print(pd.DataFrame(Jc, index=[f"x^{k}" for k in range(5)], columns=["w1", "b1", "w2", "b2", "w3", "b3"]))
claims.judge("esd.s2_1.toy_rank_jc", wb.exact_rank(Jc), profile=PROFILE, fmt=".0f")
rank4 = map_seeds(lambda s: np.mean([wb.exact_rank(coefficient_jacobian(
    toy, random_integer_parameters(toy, seed=wb.sub_seed(s, k)))) == 4 for k in range(SIZES["draws"])]), SEEDS)
claims.judge("esd.s2_1.toy_rank_random", rank4, profile=PROFILE,
             note=f"{SIZES['draws']} draws per seed, nonzero integers in [-9, 9]")
claims.markdown("esd.s2_1.toy_rank_jc", "esd.s2_1.toy_rank_random")

# %% [markdown]
# ### §3.1 The same number without knowing the coefficients
#
# The paper's key step: evaluate the network at distinct points `x_1..x_n` and take
# the Jacobian `J_n` of those outputs with respect to the parameters. Since
# `J_n = V J_c` with `V` a Vandermonde matrix of full column rank, `rank J_n = rank J_c`,
# and `J_n` needs only forward and backward passes, which any network has. Exact
# integers again, at six points (the signs of the paper's points were lost in our copy of
# the paper; any six distinct points give the same rank), and the floating-point route any
# network allows (autograd in float64 plus a numerical rank):

# %%
Jn = network_jacobian_at_points(toy, [1, 3, 5, -1, -3, 4], theta)
claims.judge("esd.s3_1.toy_rank_jn", wb.exact_rank(Jn), profile=PROFILE, fmt=".0f")
print("rank J_n (float64 autograd, numerical rank):", wb.polynomial_spanning_dimension_points(toy, exact=False))
claims.markdown("esd.s3_1.toy_rank_jn")

# %% [markdown]
# ### Theorem 2.1: height-1 networks have PSD ≤ l + 2
#
# A chain of `l` one-node square layers has `2l + 2` parameters and degree `2^l`, but
# its PSD is at most `l + 2`. Both exact routes (coefficients, and the network
# Jacobian at distinct points), over the depths `SIZES["depths"]`:

# %%
depths = psd_over_depths(SIZES["depths"])
print(depths.to_string(index=False))
show(plot_psd_depths(depths, title="Theorem 2.1: PSD of [1, 1×l, 1] square networks"))
where = f"exact ranks, l = {depths.hidden_layers.min()}..{depths.hidden_layers.max()}"
claims.judge("esd.thm2_1.bound", (depths.psd - depths.bound).max(), profile=PROFILE, fmt=".0f", note=where)
claims.judge("esd.eq7.jn_equals_jc", (depths.psd_points - depths.psd).abs().max(), profile=PROFILE, fmt=".0f",
             note=where)
claims.markdown("esd.thm2_1.bound", "esd.eq7.jn_equals_jc")

# %% [markdown]
# The table shows whether the bound is **attained** (PSD = l + 2, which the paper does
# not state) and whether the network-Jacobian route agrees with the coefficient route
# at every depth. (The float64 route stops being reliable from about l = 4: the integer
# coefficients grow like `9^(2^l)` and exceed double precision, which is why the paper
# used integers and symbolic software.)
#
# ## §3.1.1 Effective rank
#
# For general networks the Jacobian is floating point, and the paper replaces the
# rank by the **effective rank** of Roy & Vetterli (2007): with singular values
# `σ_k`, `p_k = σ_k / Σσ`, `erank = exp(−Σ p_k log p_k)`. It lies between 1 and the
# rank, is invariant to transposition, scaling and unitary maps, and is smaller when
# a few directions dominate:

# %%
for s in ([1, 1, 1, 1], [1, 0.5, 0.25, 0.125], [1, 1e-3, 1e-3, 1e-3], [1, 0, 0, 0]):
    print(f"singular values {s!s:24} -> effective rank {wb.effective_rank(s):.3f}")

# %% [markdown]
# The paper's properties (1)-(3), checked on random matrices of random shapes and ranks
# (`SIZES["matrices"]` per seed): the fraction with `1 ≤ erank ≤ rank`, and the largest
# change of `erank` under `A → c·U·Aᵀ` (a random scale `c ≠ 0` and a random orthogonal
# `U`). Both hold by construction for a correct implementation, so these test our
# `effective_rank`, not an experiment of the paper.


# %%
def erank_checks(seed, n):
    """(fraction of n random A with 1 <= erank <= rank, max |erank(A) - erank(c U A^T)|) for one seed."""
    rng, inside, gap = np.random.default_rng(seed), [], []
    for _ in range(n):
        m, k = (int(v) for v in rng.integers(1, 25, size=2))
        r = int(rng.integers(1, min(m, k) + 1))  # the rank
        A = rng.standard_normal((m, r)) @ rng.standard_normal((r, k))
        e = wb.effective_rank(A)
        inside.append(1 - 1e-9 <= e <= wb.numerical_rank(A) + 1e-9)
        U, c = np.linalg.qr(rng.standard_normal((k, k)))[0], rng.choice([-1, 1]) * rng.uniform(0.01, 100)
        gap.append(abs(e - wb.effective_rank(c * U @ A.T)))
    return np.mean(inside), max(gap)


bounds, gaps = zip(*map_seeds(lambda s: erank_checks(wb.sub_seed(s, 0), SIZES["matrices"]), SEEDS))
claims.judge("esd.s3_1_1.erank_bounds", bounds, profile=PROFILE, note=f"{SIZES['matrices']} matrices per seed")
claims.judge("esd.s3_1_1.erank_invariance", gaps, profile=PROFILE, note=f"{SIZES['matrices']} matrices per seed")
claims.markdown("esd.s3_1_1.erank_bounds", "esd.s3_1_1.erank_invariance")

# %% [markdown]
# ## Fig. 1: the SD distribution of ReLU and sigmoid MLPs
#
# Algorithm 1: draw random weights and as many random inputs as there are
# parameters, compute the spanning dimension (effective rank of `J_n`), repeat, and
# average: the **expected spanning dimension**. The MLP is `1-8-8-10-1` (189
# parameters). Our defaults: PyTorch's default initialisation, inputs uniform on
# `[-1, 1]`, the first output (the paper does not pin these down for §3-4). All
# samples of one architecture are evaluated as one stacked ensemble (`torch.func`).
# The paper averages 1,000 draws; this profile draws `SIZES["fig1"]` per seed, for
# each of the seeds `SEEDS`, and the histograms show the first seed's draws.

# %%
fig1 = {act: map_seeds(lambda s, act=act: esd([1, 8, 8, 10, 1], act, samples=SIZES["fig1"], seed=draws_seed(s)),
                       SEEDS) for act in ("relu", "sigmoid")}
fig, axes = new_figure(1, 2, figsize=(11, 3.6))
for ax, (act, rs) in zip(axes, fig1.items()):
    plot_sd_distribution(rs[0], ax=ax, paper=PAPER[f"esd.fig1.{act}"], title=f"Fig. 1: MLP 1-8-8-10-1, {act} (first seed)")
show(fig)
mean1, std1 = ({act: np.array([getattr(r, stat) for r in rs]) for act, rs in fig1.items()} for stat in ("mean", "std"))
for act, rs in fig1.items():
    print(f"{act:8s}: ESD per seed {np.round(mean1[act], 3)}; every SD drawn lies in "
          f"[{min(r.values.min() for r in rs):.3f}, {max(r.values.max() for r in rs):.3f}]")
note = f"{SIZES['fig1']} draws per seed (paper 1,000); PyTorch default init, inputs uniform on [-1, 1]"
for ident, values in (("esd.fig1.relu", mean1["relu"]), ("esd.fig1.sigmoid", mean1["sigmoid"]),
                      ("esd.fig1.relu_gt_sigmoid", mean1["relu"] - mean1["sigmoid"]),
                      ("esd.fig1.relu_spread", std1["relu"] - std1["sigmoid"])):
    claims.judge(ident, values, profile=PROFILE, note=note)
claims.markdown("esd.fig1.relu", "esd.fig1.sigmoid", "esd.fig1.relu_gt_sigmoid", "esd.fig1.relu_spread")

# %% [markdown]
# **What to notice.** Same parameter count, very different flexibility: the
# ReLU network's SD spreads widely (which linear pieces the random points land on
# changes from draw to draw), while the sigmoid network's SD is pinned just above 1:
# one direction dominates the Jacobian. The verdicts above put our ESDs beside the
# paper's 2.81 and 1.07 under the catalogue's rules (±0.1 for ReLU; ±0.03 for sigmoid,
# whose information is the small excess over the floor 1), and the printed range shows
# where every drawn SD lies. The ESD depends on sampling choices the paper does not
# state: the table of sampling choices below recomputes the same ReLU network under He
# initialisation and normal inputs; compare how far those rows move the ESD with the
# rules' tolerances before reading much into a gap.
#
# ## Fig. 2: the toy polynomial network
#
# The toy network of §2.1 has PSD 4, but its **effective** rank is much lower:
# the singular values of `J_n` are very unequal, so the ESD sits well below the
# exact rank. The paper draws 2,000 samples; this profile `SIZES["fig2"]` per seed.

# %%
fig2s = map_seeds(lambda s: esd([1, 1, 1, 1], "square", samples=SIZES["fig2"], seed=draws_seed(s)), SEEDS)
psd = wb.polynomial_spanning_dimension(toy)
show(plot_sd_distribution(fig2s[0], paper=PAPER["esd.fig2.toy_esd"], bins=40,
                          title=f"Fig. 2: toy network, f(z) = z², {len(fig2s[0].values)} samples (first seed)"))
mean2 = np.array([r.mean for r in fig2s])
print(f"ESD per seed {np.round(mean2, 3)}; exact PSD {psd}")
note = f"{SIZES['fig2']} draws per seed (paper 2,000)"
claims.judge("esd.fig2.toy_esd", mean2, profile=PROFILE, note=note)
claims.judge("esd.fig2.esd_below_psd", psd - mean2, profile=PROFILE, note=note + f"; PSD {psd} computed exactly")
claims.markdown("esd.fig2.toy_esd", "esd.fig2.esd_below_psd")

# %% [markdown]
# The distribution has its mass between 1 and about 3, far below the exact rank 4; the
# verdict above says whether its mean matches the paper's 1.59 within the catalogue's
# ±0.05 (the weight and input distributions, which the paper does not state, can move
# it by a few hundredths).
#
# ## How the ESD moves with the sampling choices
#
# Algorithm 1 leaves choices open: the input distribution (§3.3 recommends entries
# in `{−1, 1}` for large networks), the number of points, the weight initialisation
# and, for several outputs, the reduction (§3.2). The table recomputes the ESD of
# the Fig. 1 ReLU network and of a three-output network under each choice
# (`SIZES["choices"]` draws each).

# %%
rows = []
n = SIZES["choices"]
for inputs in ("uniform", "normal", "sign"):
    rows.append(dict(choice="inputs", value=inputs, esd=esd([1, 8, 8, 10, 1], "relu", samples=n, inputs=inputs).mean))
for frac in (0.25, 0.5, 1.0, 2.0):
    rows.append(dict(choice="n_points", value=f"{frac:g} × n_params",
                     esd=esd([1, 8, 8, 10, 1], "relu", samples=n, n_points=int(frac * 189)).mean))
for init in ("default", "he"):
    rows.append(dict(choice="init", value=init, esd=esd([1, 8, 8, 10, 1], "relu", samples=n, init=init).mean))
for reduce in ("pick_first", "sum_squares", "mean"):
    rows.append(dict(choice="reduce (2-8-8-3 tanh)", value=reduce,
                     esd=esd([2, 8, 8, 3], "tanh", samples=n, reduce=reduce).mean))
choices = pd.DataFrame(rows)
choices

# %% [markdown]
# **What to notice.** `"sign"` inputs collapse a one-input network to two
# distinct points, so its SD can be at most 2: §3.3's advice is for
# high-dimensional inputs (images), not for `1-8-8-10-1`. The number of points
# matters little once it reaches a fraction of the parameter count (the extra rows
# add small singular values), which is why capping the points for large networks
# (Fig. 3 below) is harmless. The input scale and the initialisation scale move
# the ReLU ESD a lot (normal inputs reach beyond ±1 and cross more ReLU kinks; He
# initialisation has larger weights than PyTorch's default): the main reason our
# values can differ from the paper's. `mean` (average of the per-output SDs) and
# `pick_first` agree closely for this network; `sum_squares` is higher because it
# differentiates `Σ f_k²`, whose gradient mixes all outputs with data-dependent
# weights `2 f_k`. (Read the table's rows against each other at the sizes printed above.)
#
# §3.3 says that inputs in `{−1, 1}` reduce the noise of the SD. It names no network,
# so the catalogue reads it on a many-input ReLU MLP `[64, 32, 32, 1]` (3,169
# parameters) as the spread of the SD over draws, uniform inputs minus sign inputs, with
# the same weights for both. Its Jacobians would be 3,169 × 3,169 with one point per
# parameter, so we take `SIZES["sign"]` = (draws, points per draw).

# %%
n_sign, n_pts = SIZES["sign"]
spread = {inp: np.array(map_seeds(lambda s, inp=inp: esd([64, 32, 32, 1], "relu", samples=n_sign, n_points=n_pts,
                                                          inputs=inp, seed=draws_seed(s)).std, SEEDS))
          for inp in ("uniform", "sign")}
print({inp: np.round(v, 3) for inp, v in spread.items()})
claims.judge("esd.s3_3.sign_inputs_less_noise", spread["uniform"] - spread["sign"], profile=PROFILE,
             note=f"{n_sign} draws per seed (catalogue: 100), {n_pts} points per draw (Algorithm 1: 3,169)")
claims.markdown("esd.s3_3.sign_inputs_less_noise")

# %% [markdown]
# ## Fig. 3: training error follows the ESD, not the parameter count
#
# Random MLPs (hidden layers, nodes per layer and a random activation from tanh, ReLU,
# sigmoid per layer) try to fit 8 random points; we keep the best of several
# gradient-descent restarts. The paper fits 200 networks with 1-6 hidden layers of 2-30
# nodes; this profile's configuration is printed below the figure, and each seed draws
# its own networks and points. The correlations are those of the **training error
# itself** (the catalogue's quantity), not of its logarithm; the scatter shows the
# first seed.

# %%
cfg3 = SIZES["fig3"]
# network k of seed s uses torch seeds s·10⁴ + 100·k + (0..69): seeds 3 apart keep 200 networks' seeds disjoint
store3 = sweep_store("fig3")  # a paper run keeps each finished network here: run again, it resumes
fits = map_seeds(lambda s: random_mlp_fit(replace(cfg3, seed=3 * s), progress=False,
                                          store=store3 / f"seed{s}" if store3 else None), SEEDS)
corrs = [fit_correlations(f) for f in fits]  # rows: ESD, parameter count
fig, axes = new_figure(1, 2, figsize=(11, 3.8))
plot_fit_scatter(fits[0], "n_params", ax=axes[0], correlations=corrs[0], log_y=False,
                 paper_r=PAPER["esd.fig3.r_params"], title="Fig. 3A: training error vs parameters")
plot_fit_scatter(fits[0], "esd", ax=axes[1], correlations=corrs[0], log_y=False, paper_r=PAPER["esd.fig3.r_esd"],
                 title="Fig. 3B: training error vs ESD")
show(fig)
r_esd, r_par, p_esd, p_par = (np.array([c[col][i] for c in corrs]) for col, i in
                              (("r", 0), ("r", 1), ("p_value", 0), ("p_value", 1)))
print(f"{len(fits[0])} networks per seed, {cfg3.restarts} restarts × {cfg3.steps} steps each; layers {cfg3.layers}, "
      f"nodes {cfg3.nodes}\nr(ESD) per seed {np.round(r_esd, 2)}, r(params) per seed {np.round(r_par, 2)}")
for note in filter(None, (resumed_note(f) for f in fits)):
    print(note)

# %%
note = f"{cfg3.n_networks} networks per seed (paper 200), best of {cfg3.restarts} restarts × {cfg3.steps} steps"
for ident, values in (("esd.fig3.r_esd", abs(r_esd)), ("esd.fig3.r_esd_sign", r_esd), ("esd.fig3.r_params", abs(r_par)),
                      ("esd.fig3.esd_beats_params", abs(r_esd) - abs(r_par))):
    claims.judge(ident, values, profile=PROFILE, note=note)
at_size = cfg3.n_networks == 200  # a p-value scales with the number of networks: only the paper's 200 test it
for ident, p in (("esd.fig3.p_esd", p_esd), ("esd.fig3.p_params", p_par)):
    claims.judge(ident, np.log10(p) if at_size else None, profile=PROFILE,
                 note=note if at_size else f"a p-value depends on the number of networks: the {PROFILE} profile "
                 f"fits {cfg3.n_networks} per seed, the paper 200 (log10 p per seed: {np.round(np.log10(p), 1)})")
claims.markdown("esd.fig3.r_esd", "esd.fig3.r_esd_sign", "esd.fig3.p_esd", "esd.fig3.r_params", "esd.fig3.p_params",
                "esd.fig3.esd_beats_params")

# %% [markdown]
# The paper reports a correlation of 0.91 (p = 1.2e-70) between training error and
# ESD and 0.35 (p = 5.3e-7) with the parameter count, over 200 networks, without
# a sign; its text says higher ESD goes with *lower* error, so the catalogue expects a
# negative r. The verdicts above judge the magnitudes, the sign and which correlation is
# stronger over the seeds; the p-values are judged only at the paper's 200 networks
# (fewer networks give weaker p-values whatever the correlation). A *positive*
# parameter-count correlation (more parameters, higher error) would mean that, with
# only a few hundred gradient steps, the deep sigmoid-heavy networks, which have the
# most parameters, have not finished fitting. Our optimiser settings (full-batch
# gradient descent with momentum, fixed learning rate and step count, best of the
# restarts) are our choice; the paper does not give its own. Each ESD here uses at most
# `esd_max_points` points instead of one per parameter; the table of sampling choices
# above shows the ESD is insensitive to that. The paper profile runs the paper's 200
# networks, 10 restarts × 2,000 steps, 20 ESD samples each, per seed.
#
# ## Fig. 4: ESD of every two-hidden-layer MLP
#
# All MLPs `[1, i, j, 1]`: the paper sweeps `i, j ∈ 1..40` for ReLU, sigmoid and tanh
# (4,800 networks). This profile sweeps `i, j ∈ SIZES["grid"]` with
# `SIZES["grid_samples"]` samples per network, once per seed; the heat maps show the
# first seed, and the catalogue's "40" and "1" read as the largest and smallest width
# swept.

# %%
store4 = sweep_store("fig4")  # a paper run keeps finished batches of networks here: run again, it resumes
grids = [esd_grid(SIZES["grid"], SIZES["grid"], ("relu", "sigmoid", "tanh"), samples=SIZES["grid_samples"],
                  seed=draws_seed(s), progress=False, store=store4 / f"seed{s}" if store4 else None) for s in SEEDS]
for note in filter(None, (resumed_note(g) for g in grids)):
    print(note)
grid = grids[0]
fig, axes = new_figure(2, 3, figsize=(13.2, 7.8))
plot_esd_heatmaps(grid, axes[0])                      # one colour scale: compare the activations
plot_esd_heatmaps(grid, axes[1], shared_scale=False)  # each its own scale: the structure within each
for ax in axes[1]:
    ax.set_title(ax.get_title() + " (own colour scale)")
fig.suptitle(f"Fig. 4: ESD of MLPs [1, i, j, 1], {SIZES['grid_samples']} samples per network")
show(fig)
print(f"{len(grid)} networks per seed, {sum(g.seconds.sum() for g in grids) / 60:.1f} min in all")


# %%
def fig4_numbers(g):
    """The catalogue's Fig. 4 quantities on one seed's grid (widest and narrowest width swept)."""
    lo, hi = g.n1.min(), g.n1.max()
    m = g.groupby("activation").esd.mean()
    gain = {c: g[g[c] == hi].groupby("activation").esd.mean() - g[g[c] == lo].groupby("activation").esd.mean()
            for c in ("n1", "n2")}  # averaged over the other layer's widths
    by_j = g.groupby(["activation", "n2"]).esd.mean()  # mean over i, per width j of the second layer
    plateau = {a: by_j[a].index[(by_j[a] >= 0.9 * by_j[a].max()).to_numpy()][0] for a in ("relu", "sigmoid")}
    return {"esd.fig4.relu_gt_tanh": m.relu - m.tanh, "esd.fig4.relu_gt_sigmoid": m.relu - m.sigmoid,
            "esd.fig4.tanh_gt_sigmoid": m.tanh - m.sigmoid, "esd.fig4.sigmoid_plateau": plateau["sigmoid"] - plateau["relu"],
            "esd.fig4.relu_first_layer": gain["n1"].relu,
            "esd.fig4.second_layer_sigmoid": gain["n2"].sigmoid - gain["n1"].sigmoid,
            "esd.fig4.second_layer_tanh": gain["n2"].tanh - gain["n1"].tanh}


fig4 = pd.DataFrame([fig4_numbers(g) for g in grids], index=pd.Index(SEEDS, name="seed"))
for ident in fig4:
    claims.judge(ident, fig4[ident], profile=PROFILE, note=f"widths {min(SIZES['grid'])}..{max(SIZES['grid'])} "
                 f"(paper 1..40), {SIZES['grid_samples']} samples per network")
display(claims.markdown(*fig4.columns))
fig4

# %% [markdown]
# In the paper ReLU networks have by far the highest ESD and it grows with both layers,
# sigmoid stays lowest and plateaus early, and tanh lies between (the top row, one
# colour scale). The paper adds that sigmoid and tanh change mostly with the **second**
# hidden layer. The verdicts above judge each of these on every seed's grid; the table
# gives the per-seed values (the gains are the mean ESD at the widest width minus at
# width 1 of one layer, averaged over the other layer). The bottom row shows each
# activation on its own colour scale, where the structure within sigmoid and tanh is
# visible. The paper does not say how its weights were drawn (ours: PyTorch's default),
# and the initialisation scale changes these small differences, so a verdict that
# differs is reported, not tuned away.
#
# How this sweep is computed: with one input and `n_points = n_params`, every
# Jacobian is square (up to 1,761 × 1,761 at the paper's widths) but of very low
# numerical rank (about 57 for `[1, 40, 40, 1]` ReLU, under 20 for tanh and sigmoid).
# `esd_grid` therefore takes float64 Jacobians and `method="lowrank"`: a randomized
# range finder whose result is *checked* afterwards (`‖J − QQᵀJ‖ ≤` the numerical-rank
# tolerance, else it retries larger or falls back to the full SVD), so it equals the
# SVD's effective rank to about 1e-11 while running many times faster (see
# BENCHMARKS.md). In float32 the rounding noise in the ~1,700 tiny singular values
# adds entropy and raises each SD by up to about 0.005, too little to change the
# picture.
#
# ## Fig. 5: shortcuts raise the ESD without adding a parameter
#
# A sigmoid MLP with three inputs and two hidden layers of three nodes, and two
# variants with exactly the same parameters: **add-shortcuts** adds each hidden
# node's input to its output (ResNet-like), **add-inputs** adds the network's input
# in the same row to every hidden node's output (DenseNet-like). `SIZES["fig5"]` draws
# per seed (the paper: 1,000); the bars show the first seed.

# %%
ARCH5 = {"MLP": None, "add-shortcuts": "add-shortcuts", "add-inputs": "add-inputs"}
fig5 = {name: map_seeds(lambda s, sc=sc: esd([3, 3, 3, 1], "sigmoid", shortcuts=sc, samples=SIZES["fig5"],
                                             seed=draws_seed(s)), SEEDS) for name, sc in ARCH5.items()}
ids5 = {"MLP": "esd.fig5.mlp", "add-shortcuts": "esd.fig5.add_shortcuts", "add-inputs": "esd.fig5.add_inputs"}
show(plot_esd_comparison({k: rs[0] for k, rs in fig5.items()}, paper={k: PAPER[i] for k, i in ids5.items()},
                         title="Fig. 5: 3-3-3-1 sigmoid, same parameters"))
he5 = {k: esd([3, 3, 3, 1], "sigmoid", shortcuts=sc, samples=SIZES["fig5"], seed=draws_seed(SEEDS[0]), init="he").mean
       for k, sc in ARCH5.items()}
m5 = {k: np.array([r.mean for r in rs]) for k, rs in fig5.items()}
n5 = {k: wb.count_parameters(wb.mlp([3, 3, 3, 1], "sigmoid", shortcuts=sc)) for k, sc in ARCH5.items()}
print(pd.DataFrame({"ESD per seed": {k: np.round(v, 2) for k, v in m5.items()}, "He init (first seed)": he5,
                    "parameters": n5}))

# %%
note = f"{SIZES['fig5']} draws per seed (paper 1,000); PyTorch default init (the paper's is unstated)"
for ident, values in ((ids5["MLP"], m5["MLP"]), (ids5["add-shortcuts"], m5["add-shortcuts"]),
                      (ids5["add-inputs"], m5["add-inputs"]),
                      ("esd.fig5.shortcuts_gt_mlp", m5["add-shortcuts"] - m5["MLP"]),
                      ("esd.fig5.inputs_gt_shortcuts", m5["add-inputs"] - m5["add-shortcuts"])):
    claims.judge(ident, values, profile=PROFILE, note=note)
claims.judge("esd.fig5.n_weights", n5["MLP"], profile=PROFILE, fmt=".0f", note="every layer with its bias")
claims.judge("esd.fig5.no_added_weights", n5["add-inputs"] - n5["MLP"], profile=PROFILE, fmt=".0f")
claims.markdown(*ids5.values(), "esd.fig5.shortcuts_gt_mlp", "esd.fig5.inputs_gt_shortcuts", "esd.fig5.n_weights",
                "esd.fig5.no_added_weights")

# %% [markdown]
# The verdicts above judge the paper's three values (2.76 / 4.28 / 4.69) and its
# ordering (MLP < add-shortcuts < add-inputs) over the seeds. The printed table gives
# the values with He initialisation (larger weights) beside PyTorch's default: a
# sigmoid network at PyTorch's small default scale is nearly linear-plus-constant,
# which pins its SD near 1 (as in Fig. 1), and the paper does not say how it drew
# weights or inputs. The paper also counts 27 weights where this architecture has
# 12 + 12 + 4 with every bias (the parameter verdict above), so its network probably
# lacks one bias; the shortcut variants add no parameter.
#
# ## Fig. 6: fitting random noise
#
# The paper: 1,000 noise images of 28×28 with ten random labels, three hidden layers
# of 784 sigmoid nodes (the hidden width is the number of pixels), and only the
# add-inputs network fits the noise. This profile's sizes are in the figure's title
# (the quick profile keeps about the paper's ratio of images to pixels, 1,000 / 784, on
# 8×8 images); each seed draws its own images, labels and weights, and the curves show
# the first.

# %%
cfg6 = SIZES["fig6"]
noises = map_seeds(lambda s: noise_fit(replace(cfg6, seed=s), progress=False), SEEDS)
show(plot_training_curves(noises[0], title=f"Fig. 6: {cfg6.n} noise images {cfg6.shape}, "
                                           f"{cfg6.hidden_layers} hidden layers, {cfg6.epochs} epochs"))
final = pd.DataFrame([n[n.epoch == n.epoch.max()].set_index("model").train_acc for n in noises],
                     index=pd.Index(SEEDS, name="seed"))
note = f"{cfg6.n} images of {cfg6.shape} (paper 1,000 of 28×28), {cfg6.epochs} epochs of SGD"
for ident, model in (("esd.fig6.add_inputs_fits", "add-inputs"), ("esd.fig6.add_shortcuts_fails", "add-shortcuts"),
                     ("esd.fig6.mlp_fails", "MLP")):
    claims.judge(ident, final[model], profile=PROFILE, note=note)
display(claims.markdown("esd.fig6.add_inputs_fits", "esd.fig6.add_shortcuts_fails", "esd.fig6.mlp_fails"))
final  # final training accuracy per seed (chance: 10%)

# %% [markdown]
# The catalogue reads "fits" as at least 90% of the random labels and "not able to
# fit" as under 50% (chance is 10%). The add-inputs network passes the raw pixels to
# every hidden layer, so its last hidden layer already contains the image and the
# output layer can memorise labels almost like a linear model; the plain sigmoid MLP
# has to carry the pixels through three saturating layers. The optimiser (SGD with
# momentum 0.9, learning rate 0.1, batches of 50) is our choice, as the paper does not
# give its settings; a weaker or stronger optimiser would separate the two shortcut
# variants differently, so read the verdicts with the epochs and sizes in their notes.
#
# ## Table 1: a real data set
#
# The three architectures trained on Fashion-MNIST when its files are on disk, and
# otherwise on scikit-learn's bundled 8×8 digits (the `dataset` column says which).

# %%
t1 = table1(SIZES["table1"], progress=False)
print(f"data set used: {t1.dataset[0]} ({t1.source[0]}); {t1.n_train[0]} training / {t1.n_test[0]} test images")
for ident in ("esd.table1.test_every_case", "esd.table1.train_improves"):
    claims.judge(ident, None, profile=PROFILE, note=f"the table below is computed on {t1.dataset[0]}")
display(claims.markdown("esd.table1.test_every_case", "esd.table1.train_improves"))
t1[["model", "epochs", "train_acc", "test_acc", "runs"]]

# %% [markdown]
# The paper's Table 1 (Fashion-MNIST, average of three runs) reports that the
# add-inputs architecture has the highest training and test accuracy at every
# number of epochs; its numbers are in an image that our text copy of the paper
# does not contain, so we cannot print them beside ours. When Fashion-MNIST is not
# available the table above is computed on the digits instead: a much easier,
# lower-dimensional task, so accuracies are not comparable with the paper's, and
# both of its statements are listed as not run (with the reason) rather than judged
# on another data set.
#
# ## Try it: the ESD panel
#
# Sweep widths, depth, activation, shortcut mode and input distribution; the
# histogram grows as samples arrive (the first within about a second), and a new
# setting cancels the one in flight. Networks beyond the budget shown above the
# plot (2,000 parameters) wait for *compute anyway*.

# %%
panel = ESDPanel(width=8, depth=3, samples=SIZES["fig1"] // 2)
panel

# %% [markdown]
# ## Summary: the paper's statements and our verdicts
#
# Every catalogued statement judged above, with its rule, the 95% interval over the
# seeds and the verdict (`workbench reproduce` collects them into its report):

# %%
claims.table()[["key", "where", "quantity", "paper_value", "ours", "interval", "seeds", "rule", "verdict", "reason"]]
