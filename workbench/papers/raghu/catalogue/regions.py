"""Raghu et al. (2017)'s catalogue, Theorems 1 and 2 and Figs. 1-3: activation patterns, convex regions,
transitions, a circle through the layers.

Part of ``workbench.papers.raghu.catalogue``, which assembles ``CATALOGUE`` from its parts in the paper's order (the
enumeration notes are in its docstring).
"""
from workbench.catalogue import Statement, above, below, within
from workbench.papers.raghu.catalogue._common import _DIGITS, _GRID, _P

REGIONS: tuple[Statement, ...] = (
    # ------------------------------------------------------------------ Theorem 1: activation patterns
    Statement(
        id="raghu.thm1.region_bound",
        paper=_P,
        where="Theorem 1",
        quote="theorem upper bound number activation patterns denote fully connected network hidden layers width "
              "inputs number activation patterns upper bounded relu activations omn) hard tanh",
        paper_value="O(k^(mn)) for ReLU, O((2k)^(mn)) for hard tanh",
        quantity="largest ratio, over the sweep's (width, depth) cells, of a seed's exact region count in [-1, 1]^2 "
                 "(ReLU, 2-D input) to Theorem 1's layer-by-layer hyperplane-arrangement product bound",
        rule=below(1.0),
        recipe="workbench.papers.raghu.regions.region_count_sweep",
        notebook="03_linear_regions",
        random=True,
        claims=("regions.thm1.bound",),
        note="the product bound is the proof's (Zaslavsky per layer), of which the theorem states the O(.) form; "
             "counting in the square can only lower the count. The registration takes the max over all networks "
             "pooled, without an interval over seeds (same direction)",
    ),
    Statement(
        id="raghu.thm1.tight",
        paper=_P,
        where="Theorem 1",
        quote="bound tight matches hand-constructed lower bounds earlier work",
        paper_value="asymptotically tight",
        quantity="region count of the cited hand-constructed network / Theorem 1's bound, as the width grows",
        rule=None,
        recipe=None,
        random=False,
        not_run="no recipe yet: needs the hand-coded lower-bound construction (Montufar et al. 2014) built as a "
                "network; random networks stay far below the bound and cannot test tightness",
    ),
    # ------------------------------------------------------------------ Theorem 2 and its corollary
    Statement(
        id="raghu.thm2.line_no_return",
        paper=_P,
        where="Theorem 2 (corollary, appendix)",
        quote="implies dimensional trajectory ‘double back’ repeat activation patterns. particular seeing transition "
              "never return region left.",
        paper_value=0.0,
        quantity="pieces of constant activation pattern minus distinct activation patterns, summed over a random "
                 "straight segment through each of ten fixed MLPs 32-50x4-1 (ReLU and hard tanh, seeds 0-4 each, "
                 "sigma_w^2 = 2), exact count",
        rule=within(0.0, 0.5),
        recipe="workbench.measures.paths.transitions.segment_transitions",
        random=False,
        note="an integer count (PathTransitions.n_pieces - n_patterns): any region a segment re-enters makes it "
             ">= 1; the tolerance 0.5 only admits 0. No notebook shows it yet",
    ),
    # ------------------------------------------------------------------ Fig. 1: regions layer by layer
    Statement(
        id="raghu.fig1.layers_refine",
        paper=_P,
        where="Fig. 1",
        quote="second hidden layer neuron line input space corresponding on/off line different region described "
              "ﬁrst layer activation pattern",
        paper_value="each layer subdivides the regions of the layers below",
        quantity="regions in [-1, 1]^2 after hidden layers 1-3 minus after layer 1 alone, ReLU 2-4-4-4-1 net "
                 "(sigma_w^2 = 2, sigma_b^2 = 0.1)",
        rule=above(0.0),
        recipe="workbench.papers.raghu.regions.layerwise_partitions",
        notebook="03_linear_regions",
        random=True,
        exploratory=True,
        note="true by construction up to strictness: a deeper layer only adds boundaries, so the count cannot "
             "fall; only 'no new boundary crosses the square' can fail. The figure's bending lines are a picture",
    ),
    # ------------------------------------------------------------------ Fig. 2: transitions
    Statement(
        id="raghu.fig2.depth_base_sw4",
        paper=_P,
        where="Fig. 2",
        quote="number transitions grows exponentially depth architecture seen rate growth seen increasing "
              "architecture width plotted",
        paper_value="exponential in depth",
        quantity="per-added-layer growth base of a network's exact total transitions on a circle through two data "
                 "points: exp of the least-squares slope of log T over depths 2, 4, 6, 8 (hard tanh, k = 100, "
                 "sigma_w^2 = 4, sigma_b^2 = 0)",
        rule=above(1.0),
        recipe=_GRID,
        notebook="08_trajectories_more",
        random=True,
        claims=("raghu.fig2.exponential_depth",),
        note=_DIGITS + ". The registration takes (T(8) / T(2))^(1/6) of seed means pooled over every cell "
             "(sigma_w^2 = 1 included) and passes on any increase, without an interval; here one cell, per seed",
    ),
    Statement(
        id="raghu.fig2.depth_base_sw16",
        paper=_P,
        where="Fig. 2",
        quote="number transitions grows exponentially depth architecture seen rate growth seen increasing "
              "architecture width plotted",
        paper_value="exponential in depth",
        quantity="per-added-layer growth base of the exact total transitions over depths 2, 4, 6, 8 (as "
                 "raghu.fig2.depth_base_sw4) at hard tanh, k = 100, sigma_w^2 = 16, sigma_b^2 = 0",
        rule=above(1.0),
        recipe=_GRID,
        notebook="08_trajectories_more",
        random=True,
        claims=("raghu.fig2.exponential_depth",),
        note=_DIGITS,
    ),
    Statement(
        id="raghu.fig2.depth_over_width",
        paper=_P,
        where="Fig. 2",
        quote="number transitions grows exponentially depth architecture seen rate growth seen increasing "
              "architecture width plotted",
        paper_value="depth adds transitions faster than width",
        quantity="log T(depth 4, k = 50) - log T(depth 2, k = 100): the same 200 hidden neurons spent on depth vs "
                 "width (exact total transitions, hard tanh, sigma_w^2 = 16)",
        rule=above(0.0),
        recipe=_GRID,
        notebook="08_trajectories_more",
        random=True,
        exploratory=True,
        note="the paper says the same rate of growth is not seen with width; the equal-neuron comparison is our "
             "reading. " + _DIGITS,
    ),
    Statement(
        id="raghu.fig2.scale",
        paper=_P,
        where="Fig. 2",
        quote="surprising dependence scale initialization explained",
        paper_value="more transitions at a larger init scale",
        quantity="log T(sigma_w^2 = 16) - log T(sigma_w^2 = 4), exact total transitions, hard tanh, depth 8, k = 100",
        rule=above(0.0),
        recipe=_GRID,
        notebook="08_trajectories_more",
        random=True,
        note="direction from the explanation the paper gives (length grows faster with sigma_w, Theorem 4: "
             "transitions follow length). " + _DIGITS,
    ),
    # ------------------------------------------------------------------ Fig. 3: a circle through the layers
    Statement(
        id="raghu.fig3.circle_grows",
        paper=_P,
        where="Fig. 3",
        quote="figure picture showing trajectory increasing depth network. start circular trajectory feed fully "
              "connected tanh network width",
        paper_value="the image grows with depth",
        quantity="per-layer growth base of the circle's image length (exp of the least-squares slope of log length "
                 "over hidden layers 1-6), tanh 32-100x6-2, sigma_w^2 = 4",
        rule=above(1.0),
        recipe="workbench.papers.raghu.trajectories.circle_through_layers",
        notebook="04_trajectories",
        random=True,
        note="the caption gives width 100 and tanh; its sigma_w^2 is lost in the stored text, 4 is the recipe's "
             "default (the chaotic regime the picture shows)",
    ),
)
