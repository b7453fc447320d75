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
PROFILE = "full"  # "smoke" for a quick run (the test suite injects it)

# %%
wb.profile_banner("00_tour", PROFILE)
SIZES = {"smoke": dict(n_points=201, n_seeds=3), "full": dict(n_points=2001, n_seeds=6)}[PROFILE]
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
for l, (z, h) in enumerate(zip(tr.preacts, tr.acts), 1):
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
# * `01_spanning_dimension`: expected spanning dimension (Berthiaume et al. 2020)
# * `02_esd_real_networks`: ESD of torchvision's ImageNet classifiers
# * `03_linear_regions`: exact 2-D linear regions (Raghu et al. 2017; Johansson 2022)
# * `04_trajectories`: circular trajectories through layers (Raghu et al. 2017)
