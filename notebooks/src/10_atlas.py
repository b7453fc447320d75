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
# # 10 · The atlas: five papers' measures on one network
#
# Each of the notebooks 01-09 studies one measure. None shows what the measures say about the **same**
# network, which is what a researcher comparing architectures wants. `wb.atlas(net, X)` runs six of them
# on one network and one set of points and returns one row per measure:
#
# | row | measure | paper | what it computes here |
# | --- | --- | --- | --- |
# | 1 | spanning dimension | Berthiaume et al. (2020), §3.1 | effective rank of the parameter Jacobian at points of `X`, for the network's own weights and re-drawn initialisations |
# | 2 | exact regions | Raghu et al. (2017); Johansson (2022) | the exact linear regions on a 2-D slice through `X` (the input plane for a 2-D input, else the plane through three points of `X`) |
# | 3 | trajectory | Raghu et al. (2017), §3 | the circle `cos(t) x0 + sin(t) x1` through two points of `X`: its length at every layer and its exact neuron transitions |
# | 4 | EDJM | Wang et al. (2016) | the normalised spectrum and score of the extended data Jacobian matrices on `X` |
# | 5 | layer algebra | Badias & Banerjee | GCIP and GCC of the architecture (no weights, no data) |
# | 6 | slope | Johansson (2022), Paper II | the exact 2-slope `‖W_R‖₂` at every point of `X` |
#
# A measure that cannot take a network does not raise: its row says `refused` and quotes the library's
# own message (a smooth activation given to an exact measure, a module the piecewise-linear core does not
# compile, a region budget passed). Where the atlas differs from a paper's own setting: the spanning
# dimension is taken at `SD_POINTS` points, not at as many points as parameters (§3.1 of the ESD paper),
# so it is bounded by `SD_POINTS`; the EDJM of a network with a 2-D input has only two singular values
# per output, so its score says little there (the conv net's 64-pixel inputs give a real spectrum).

# %%
# %matplotlib inline
import os

# idle OpenMP threads sleep instead of spinning (small networks on a busy shared CPU, see notebook 07)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import time

import pandas as pd
import torch
from IPython.display import display

import workbench as wb
from workbench.measure_atlas import ARCHITECTURES, atlas_example, compare_atlases
from workbench.plots import show
from workbench.widgets import AtlasPanel

pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 110)
print(f"workbench {wb.__version__}; heavy work runs on: {wb.device()} ({torch.get_num_threads()} CPU threads)")

# %% tags=["parameters"]
PROFILE = "quick"  # "quick" (about 2 min on a laptop), "paper" (the papers' sizes), "smoke" (tests)

# %%
wb.profile_banner("10_atlas", PROFILE)
SIZES = {  # dense width and depth, conv channels and depth, points, initialisations, points for the SD
    "smoke": dict(width=8, depth=2, conv_width=2, conv_depth=2, n=32, inits=2, sd_points=16, circle_points=200),
    "quick": dict(width=32, depth=3, conv_width=4, conv_depth=2, n=128, inits=3, sd_points=64, circle_points=1000),
    "paper": dict(width=64, depth=4, conv_width=8, conv_depth=3, n=256, inits=5, sd_points=256,
                  circle_points=4000),
}[PROFILE]
SD_POINTS = SIZES["sd_points"]
ATLAS_KW = dict(inits=SIZES["inits"], sd_points=SD_POINTS, n_points=SIZES["n"], circle_points=SIZES["circle_points"],
                max_regions=200_000, seed=0)
print(SIZES)

# %% [markdown]
# ## 1 · One network, six rows
#
# A plain ReLU MLP on standardised two-moons points (`atlas_example` builds the four networks of this
# notebook and their points). `to_frame()` is the table; `plot()` the figure, one panel per row.

# %%
net, X = atlas_example("plain MLP", width=SIZES["width"], depth=SIZES["depth"], n=SIZES["n"])
t0 = time.perf_counter()
plain = wb.atlas(net, X, name="plain MLP", **ATLAS_KW)
print(f"{plain} in {time.perf_counter() - t0:.1f} s")
display(plain.to_frame()[["measure", "quantity", "value", "status", "summary"]])
show(plain.plot())

# %% [markdown]
# Reading the panels: the spanning dimension varies over initialisations (one point per draw, the dashed
# line is the mean); the regions are coloured one colour per activation pattern
# with the data on top; the circle's length is drawn per layer on a log scale (Raghu et al.'s growth with
# depth is the slope of that line at their initialisation scale, σ²_w = 4; PyTorch's default
# initialisation used here has σ²_w = 1/3, where the length need not grow); the EDJM panel is the spectrum of
# notebook 05; the layer algebra curves are notebook 06's cumulative power and complexity along the
# operations; the slope histogram is notebook 07's exact `‖W_R‖₂`.

# %% [markdown]
# ## 2 · Four architectures side by side
#
# The same width and depth for three dense networks on the same points: a plain MLP, the ESD paper's
# add-shortcuts MLP (`F(x) + x` per hidden layer, no extra parameters, §4.2) and a ResNet-style stack of
# residual blocks `h + W2 act(W1 h)`; and a small conv net on 8 x 8 digits (convolutions, average pooling,
# a linear classifier).

# %%
atlases = {"plain MLP": plain}
for arch in ARCHITECTURES[1:]:
    conv = arch == "small conv net"
    net, X = atlas_example(arch, width=SIZES["conv_width" if conv else "width"],
                           depth=SIZES["conv_depth" if conv else "depth"], n=SIZES["n"])
    t0 = time.perf_counter()
    atlases[arch] = wb.atlas(net, X, name=arch, **ATLAS_KW)
    print(f"{atlases[arch]} in {time.perf_counter() - t0:.1f} s")
display(compare_atlases(atlases))

# %% [markdown]
# What each network refused, in the library's own words (a refused measure is a fact about the tool,
# not about the network: each message says what the measure takes):

# %%
for arch, a in atlases.items():
    for r in a.rows:
        if r.status != "ok":
            print(f"{arch} · {r.measure} ({r.status}): {r.why[:200]}")

# %% [markdown]
# The exact measures (regions, transitions, slope) go through the one piecewise-linear core, which
# compiles `workbench.mlp` networks (shortcuts included) and `nn.Sequential` stacks; a residual block is
# a module with a merge it does not compile yet, so those rows are refused for the ResNet-style stack
# while the autograd measures (spanning dimension, EDJM, circle lengths) and the graph measure (layer
# algebra, traced with `torch.fx`) take it. The add-shortcuts MLP is the exact engine's way of having
# shortcuts: compare its regions, transitions and slope with the plain MLP's in the table above.

# %%
for arch in ARCHITECTURES[1:]:
    show(atlases[arch].plot())

# %% [markdown]
# ## 3 · Try it
#
# The panel builds the network from an architecture, a width, a depth and an activation and fills the
# six panels in as the measures finish (fastest first). `tanh` shows the refusals of the exact measures;
# the table above the figure says what each row computed or why it was refused.

# %%
panel = AtlasPanel(width=SIZES["width"] // 2, depth=SIZES["depth"], n=SIZES["n"], inits=SIZES["inits"])
panel
