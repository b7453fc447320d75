# %% [markdown]
# # 00 · A tour of the Expressivity Workbench
#
# The workbench studies how a network's **architecture** (width, depth, activation,
# shortcuts, initialisation) shapes the **functions** it can compute. This notebook
# shows the basic moves: build a network, look at its layers, evaluate many random
# networks at once, and drive a plot with sliders.

# %%
# %matplotlib inline
import torch

import workbench as wb
from workbench.experiments import FunctionConfig, function_1d
from workbench.plots import new_figure, plot_function_1d, show
from workbench.widgets import FunctionPanel

print(f"workbench {wb.__version__}; heavy work runs on: {wb.device()}")

# %% tags=["parameters"]
PROFILE = "quick"  # "quick" (about 2 min on a laptop), "paper" (the papers' sizes), "smoke" (tests)

# %%
wb.profile_banner("00_tour", PROFILE)
SIZES = {"smoke": dict(n_points=201, n_seeds=3), "quick": dict(n_points=2001, n_seeds=6),
         "paper": dict(n_points=2001, n_seeds=6), "cpu": dict(n_points=2001, n_seeds=6)}[PROFILE]
SIZES

# %% [markdown]
# ## Building a network
#
# `wb.mlp(widths, activation, ...)` builds a multilayer perceptron. `widths` lists
# every layer's width from input to output; the activation follows every hidden
# layer. The same `seed` always gives the same weights.

# %%
net = wb.mlp([1, 8, 8, 10, 1], "relu", seed=0)
print(net)
print("parameters:", sum(p.numel() for p in net.parameters()))

# %% [markdown]
# One forward pass can keep every hidden layer: `net.trace(x)` returns the
# pre-activations `z_l`, the layer outputs `h_l` and the output. The measures of
# the workbench read layers this way, never by re-implementing the forward pass.

# %%
x = torch.linspace(-1, 1, 5).unsqueeze(1)
tr = net.trace(x)
for l, z in enumerate(tr.preacts, 1):
    print(f"hidden layer {l}: z {tuple(z.shape)}, active neurons per point {(z > 0).sum(1).tolist()}")
print("output", tr.output.squeeze(1).tolist())

# %% [markdown]
# ## Many random networks in one call
#
# `wb.mlp_ensemble(widths, n, ...)` stacks `n` random initialisations and evaluates
# them in one vectorised call (`torch.func.vmap`); member `i` is exactly
# `wb.mlp(..., seed=seed + i)`. `function_1d` uses it to tabulate `x -> f(x)`.
#
# Below: ReLU networks of width 16 with Gaussian weights (σ_w² = 2), shallow
# against deep. A ReLU network is piecewise linear: every kink is a point where
# some neuron switches on or off. Notice how the deep networks have more kinks
# and wilder shapes with the same width.

# %%
fig, axes = new_figure(1, 2, figsize=(11, 3.6))
for ax, depth in zip(axes, (1, 6)):
    table = function_1d(FunctionConfig(width=16, depth=depth, activation="relu", sigma_w2=2.0),
                        n_seeds=SIZES["n_seeds"], n_points=SIZES["n_points"], seed=0)
    plot_function_1d(table, ax=ax, title=f"ReLU, width 16, depth {depth}")
show(fig)

# %% [markdown]
# The result is a tidy table (one row per network and point), so it can be saved
# and plotted again without recomputing:

# %%
table.head()

# %% [markdown]
# ## The same with smooth activations
#
# tanh networks are smooth; with a large weight variance they become sharply
# oscillating (the "chaotic" regime of Raghu et al. 2017 and Poole et al. 2016).

# %%
fig, axes = new_figure(1, 2, figsize=(11, 3.6), sharey=True)
for ax, s2 in zip(axes, (1.0, 8.0)):
    table = function_1d(FunctionConfig(width=16, depth=6, activation="tanh", sigma_w2=s2),
                        n_seeds=SIZES["n_seeds"], n_points=SIZES["n_points"], seed=0)
    plot_function_1d(table, ax=ax, title=f"tanh, depth 6, σ_w² = {s2:g}")
show(fig)

# %% [markdown]
# ## Interactive: sweep width, depth, activation and init scale
#
# Move a slider and release it: the panel shows a first picture at once, refines
# it, and a new move cancels the computation in flight. Errors (for example an
# unsupported setting) appear under the plot instead of vanishing. The width
# slider steps by factors of about 1.4 (1, 2, 3, 4, 6, 8, 11, 16, ...).

# %%
panel = FunctionPanel(width=16, depth=3, n_points=SIZES["n_points"])
panel

# %% [markdown]
# Panels can also be driven from code, which is how the tests check them
# (`panel.update(depth=8)` sets the sliders and redraws). Here a second panel,
# so that the one above keeps matching its sliders:

# %%
FunctionPanel(width=16, depth=8, activation="hardtanh", n_points=SIZES["n_points"])

# %% [markdown]
# ## Where to go next
#
# Every notebook opens in the `quick` profile (Run All in about two minutes); set
# `PROFILE = "paper"` in its parameters cell for the papers' sizes.
#
# * [`01_spanning_dimension`](01_spanning_dimension.ipynb): expected spanning dimension (Berthiaume et al. 2020), Figs. 1-6, Table 1
# * [`02_esd_real_networks`](02_esd_real_networks.ipynb): ESD of torchvision's ImageNet classifiers against their error (§6)
# * [`03_linear_regions`](03_linear_regions.ipynb): exact 2-D linear regions and their geometry (Raghu et al. 2017; Johansson 2022)
# * [`04_trajectories`](04_trajectories.ipynb): circular trajectories through the layers, transitions, dichotomies (Raghu et al. 2017)
# * [`05_edjm`](05_edjm.ipynb): the extended data Jacobian matrix (Wang et al. 2016)
# * [`06_layer_algebra`](06_layer_algebra.ipynb): intrinsic power and complexity from the architecture alone (Badias & Banerjee)
# * [`07_pl_training`](07_pl_training.ipynb): slope, rank of the local maps during training, regularisation and attacks (Johansson 2022)
# * [`08_trajectories_more`](08_trajectories_more.ipynb): the remaining figures of Raghu et al. (2017)
# * [`09_esd_more`](09_esd_more.ipynb): the remaining experiments of the ESD paper
#
# The map of the library is `ARCHITECTURE.md` in the repository; each paper's
# statements, with the rule that judges them, are in `workbench/papers/<paper>/catalogue`.
