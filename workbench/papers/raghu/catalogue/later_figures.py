"""The testable statements of Raghu, Poole, Kleinberg, Ganguli & Sohl-Dickstein (2017), *On the Expressive
Power of Deep Neural Networks* ("Trajectories"), enumerated from the paper's text section by section, with
the rule that judges each.

Sections, in the paper's order: Theorem 1 (the bound on activation patterns / linear regions) and its
tightness; Theorem 2 and its corollary (convex regions: a line never returns to a region); Fig. 1 (the
regions of a 2-4-4-4 ReLU net, layer by layer); Fig. 2 (transitions against depth, width and sigma_w^2);
Fig. 3 (a circle through a tanh net); Theorem 3 (growth of trajectory length: the ReLU and hard-tanh lower
rates, the linear upper rate sigma_w) with its appendix Figs. 12 (ReLU, init scale and width) and 13 (hard
tanh between the bounds); Fig. 4 (a conv net, pooling layers); Theorem 4 and Fig. 5 (transitions
proportional to trajectory length, base sqrt(k) / sqrt(1 + sigma_b^2 / sigma_w^2)); Figs. 6-7 and 17 (trained
networks: noise in one layer, training one layer, remaining depth); Figs. 8 and 18 and the text beside them
(training lengthens the trajectory, weight norms grow); Figs. 9-10 (batch-norm layers shrink it); Fig. 11
(trajectory regularisation against batch norm); Figs. 14-16 (dichotomies: depth and width, remaining depth,
the random-walk model).

Figure numbers follow the order of the captions in the paper (the stored text keeps the captions, not
their numbers): regions 1, transitions 2, circle 3, conv growth 4, transitions vs length 5, layer noise 6,
one trained layer 7, length during training 8, batch norm 9 and 10, trajectory regularisation 11; appendix:
ReLU growth on MNIST 12, hard-tanh growth with bounds 13, dichotomies vs depth / width 14, remaining depth
15, dichotomies vs transitions 16, one trained layer on CIFAR-10 17, length during training at a smaller
init 18. Left out as not testable here: the Sauer-Shelah remark (a lemma, no value of the paper's), the
Gaussian-norm lemma and the extension of Gautschi's inequality (closed-form mathematics).

Rules: "grows exponentially / geometrically with depth" is a fitted per-layer base with ``above(1.0)`` at
the sigma_w^2 the paper's figures use (4 and 16 for random nets, 2 for the trained one), never "it
increases"; an ordering is a difference with ``above(0.0)`` (a tie is inconclusive); Theorem 4's width
law is the slope of log(base) against log(k), 1/2 for sqrt(k). Entries whose rule holds by construction in
our setup, or whose quantity is our own reading of a qualitative sentence, are ``exploratory=True``.

What differs from the paper's setup, once: the paper's trained networks and data-point circles use MNIST
and CIFAR-10 (conv nets for Figs. 4, 6, 8-11); neither is on disk here, so the recipes use the bundled 8x8
digits (64 inputs) and small networks (fully connected hard tanh for Figs. 6-8, a two-layer conv net for
Fig. 11, a random ReLU conv net on upsampled digits for Fig. 4). Random-network sweeps use a circle through
two Gaussian vectors (Theorem 3 needs only a non-trivial perpendicular component). Each entry's ``note``
says what differs and how a tolerance was chosen.
"""
from workbench.catalogue import Statement, above, below, between, within

__all__ = ["CATALOGUE"]

_P = "Trajectories"
_DIGITS = "the paper uses MNIST; we use the bundled 8x8 digits (MNIST is not on disk here)"
_CIFAR = "the paper uses a conv net on CIFAR-10; we use the bundled 8x8 digits"
_NAN = ("NaN bases (dead narrow ReLU nets: log of a zero length) are dropped and counted by judge(), never read "
        "as a fail")
_GROWTH = "workbench.papers.raghu.trajectories.growth_rates"
_GRID = "workbench.papers.raghu.figures.transition_grid"
_BASE = "workbench.papers.raghu.figures.transition_growth_base"
_DICH = "workbench.papers.raghu.trajectories.dichotomy_sweep"

CATALOGUE: tuple[Statement, ...] = (
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
    # ------------------------------------------------------------------ Theorem 3: trajectory length
    Statement(
        id="raghu.thm3.relu_lower",
        paper=_P,
        where="Theorem 3",
        quote="fully connected networks hidden layers width initializing weights biases relu hard tanh random "
              "neural network dimensional trajectory trival perpendicular component",
        paper_value="E l(z^(d)) >= O((sigma_w sqrt(k) / sqrt(k + 1))^d) l(x) for ReLU",
        quantity="measured per-layer length base (exp of the slope of log length over hidden layers 1..d) / "
                 "Theorem 3's ReLU rate sigma_w sqrt(k / (k + 1)), smallest over the sweep's (k, sigma_w^2, "
                 "sigma_b^2) cells, per seed index",
        rule=above(1.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        claims=("traj.thm3.lower_relu",),
        note="O(.) hides a constant factor, not the base, so the base itself is the claim. " + _NAN + ". The "
             "registration takes the min over all networks pooled, without an interval (same direction)",
    ),
    Statement(
        id="raghu.thm3.hardtanh_lower",
        paper=_P,
        where="Theorem 3",
        quote="fully connected networks hidden layers width initializing weights biases relu hard tanh random "
              "neural network dimensional trajectory trival perpendicular component",
        paper_value="base sigma_w sqrt(k) / sqrt(sigma_w^2 + sigma_b^2 + k sqrt(sigma_w^2 + sigma_b^2)) for hard tanh",
        quantity="measured per-layer length base / Theorem 3's hard-tanh rate, smallest over the sweep's (k, "
                 "sigma_w^2, sigma_b^2) cells, per seed index",
        rule=above(1.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        claims=("traj.thm3.lower_hardtanh",),
        note="formula from the published statement (lost in the stored text). The registration takes the min over "
             "all networks pooled, without an interval (same direction)",
    ),
    Statement(
        id="raghu.thm3.upper",
        paper=_P,
        where="Theorem 3 (appendix, upper bound); Fig. 13",
        quote="statement proof upper bound trajectory growth hard tanh replace hard-tanh linear coordinate-wise "
              "identity provides upper bound norm",
        paper_value="growth base at most sigma_w",
        quantity="measured per-layer length base / sigma_w, largest over the sweep's ReLU and hard-tanh (k, "
                 "sigma_w^2, sigma_b^2) cells, per seed index",
        rule=below(1.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        claims=("traj.thm3.upper",),
        note="a bound on the expectation (Jensen), so one seed may exceed it; the interval judges the mean. "
             + _NAN + ": the registration's (rate <= upper).all() reads NaN as a fail (it reports max 0.99 x "
             "sigma_w yet 'differs')",
    ),
    Statement(
        id="raghu.thm3.hardtanh_bias",
        paper=_P,
        where="Theorem 3",
        quote="fully connected networks hidden layers width initializing weights biases relu hard tanh random "
              "neural network dimensional trajectory trival perpendicular component",
        paper_value="the hard-tanh rate falls as sigma_b^2 grows",
        quantity="measured per-layer length base at sigma_b^2 = 1 minus at sigma_b^2 = 0, hard tanh, k = 200, "
                 "sigma_w^2 = 4",
        rule=below(0.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        exploratory=True,
        note="the theorem's lower rate falls with sigma_b^2; that the measured rate falls too is our reading. The "
             "full profile sweeps sigma_b^2 in {0, 1} and widths {10, 50, 200}",
    ),
    # ------------------------------------------------------------------ Fig. 12 (appendix): ReLU growth
    Statement(
        id="raghu.fig12.relu_base_sw4",
        paper=_P,
        where="Fig. 12",
        quote="trajectory growth exponential depth increases initialization scale width increases faster scale "
              "width expected",
        paper_value="exponential in depth",
        quantity="per-layer length base of a random ReLU MLP (exp of the slope of log length over hidden layers "
                 "1..12), k = 200, sigma_w^2 = 4, sigma_b^2 = 0",
        rule=above(1.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        note="the paper's circle joins MNIST points; ours two Gaussian vectors. At sigma_w^2 = 1 no growth is "
             "claimed (Theorem 3's own ReLU rate is below 1 there)",
    ),
    Statement(
        id="raghu.fig12.scale",
        paper=_P,
        where="Fig. 12",
        quote="trajectory growth exponential depth increases initialization scale width increases faster scale "
              "width expected",
        paper_value="the base increases with the init scale",
        quantity="per-layer length base at sigma_w^2 = 16 minus at sigma_w^2 = 4, ReLU, k = 200, sigma_b^2 = 0",
        rule=above(0.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        claims=("traj.thm3.faster_with_sigma",),
        note="the registration asks the seed means (pooled over widths, sigma_w^2 = 1 included) to be monotone, "
             "without an interval; here one adjacent pair per entry",
    ),
    Statement(
        id="raghu.fig12.width",
        paper=_P,
        where="Fig. 12",
        quote="trajectory growth exponential depth increases initialization scale width increases faster scale "
              "width expected",
        paper_value="the base increases with the width",
        quantity="per-layer length base at k = 200 minus at k = 10, ReLU, sigma_w^2 = 4, sigma_b^2 = 0",
        rule=above(0.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        note="Theorem 3 predicts a small effect (sqrt(k / (k + 1)): 0.953 at k = 10, 0.998 at k = 200). " + _NAN,
    ),
    Statement(
        id="raghu.fig12.scale_over_width",
        paper=_P,
        where="Fig. 12",
        quote="trajectory growth exponential depth increases initialization scale width increases faster scale "
              "width expected",
        paper_value="faster with scale than with width",
        quantity="[log base(sigma_w^2 = 16) - log base(sigma_w^2 = 4)] at k = 200 minus [log base(k = 200) - log "
                 "base(k = 50)] at sigma_w^2 = 4: one doubling of sigma_w against one doubling of sqrt(k), ReLU",
        rule=above(0.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        exploratory=True,
        note="'faster with scale than width' read as equal doublings of sigma_w and sqrt(k) (both double "
             "Theorem 3's factors): our reading",
    ),
    # ------------------------------------------------------------------ Fig. 13 (appendix): hard tanh growth
    Statement(
        id="raghu.fig13.hardtanh_base_sw4",
        paper=_P,
        where="Fig. 13",
        quote="figure exponential growth trajectory length depth random deep network hard-tanh nonlinearities",
        paper_value="exponential in depth",
        quantity="per-layer length base of a random hard-tanh MLP (exp of the slope of log length over hidden "
                 "layers 1..12), k = 200, sigma_w^2 = 4, sigma_b^2 = 0",
        rule=above(1.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
        note="the review found 'geometric growth' passing on any increase, with a base about 0.78 at sigma_w^2 = 1; "
             "here the base itself must exceed 1 at the sigma_w^2 where the paper shows growth",
    ),
    Statement(
        id="raghu.fig13.hardtanh_base_sw16",
        paper=_P,
        where="Fig. 13",
        quote="figure exponential growth trajectory length depth random deep network hard-tanh nonlinearities",
        paper_value="exponential in depth",
        quantity="per-layer length base of a random hard-tanh MLP, k = 200, sigma_w^2 = 16, sigma_b^2 = 0",
        rule=above(1.0),
        recipe=_GROWTH,
        notebook="04_trajectories",
        random=True,
    ),
    # ------------------------------------------------------------------ Fig. 4: a conv net
    Statement(
        id="raghu.fig4.conv_growth",
        paper=_P,
        where="Fig. 4",
        quote="analysis theorem fully connected networks trajectory growth holds convolutional architectures also",
        paper_value="growth holds for conv nets",
        quantity="geometric mean over the conv layers of the length ratio across conv -> ReLU (pooling layers "
                 "excluded), random ReLU conv net (8 conv layers, 16 channels), circle through two upsampled "
                 "digits, sigma_w^2 = 8",
        rule=above(1.0),
        recipe="workbench.papers.raghu.figures.conv_length_growth",
        notebook="08_trajectories_more",
        random=True,
        note=_CIFAR + " (16x16 upsampled); the published caption adds 'albeit with slightly higher scales', "
             "hence the recipe's largest scale",
    ),
    Statement(
        id="raghu.fig4.pooling_shrinks",
        paper=_P,
        where="Fig. 4",
        quote="note decrease trajectory length seen layers expected layers pooling layers",
        paper_value="pooling layers shrink the length",
        quantity="largest length ratio (after / before) across an AvgPool2d layer of the random ReLU conv net, over "
                 "the recipe's sigma_w^2",
        rule=below(1.0),
        recipe="workbench.papers.raghu.figures.conv_length_growth",
        notebook="08_trajectories_more",
        random=True,
        exploratory=True,
        claims=("raghu.conv.pooling_shrinks",),
        note="holds by construction: a 2x2 average pool has operator norm 1/2 (max pooling is 1-Lipschitz too), so "
             "it cannot lengthen a path. The registration labels it 'conv net on CIFAR-10 (appendix)': it is "
             "Fig. 4, main text",
    ),
    # ------------------------------------------------------------------ Theorem 4 and Fig. 5: transitions
    Statement(
        id="raghu.thm4.width_slope",
        paper=_P,
        where="Theorem 4",
        quote="theorem transitions proportional trajectory length fank hard tanh network hidden layers width",
        paper_value=0.5,
        quantity="slope of log(measured per-layer growth base of exact transitions, deepest network) against "
                 "log k over k = 20, 50, 100, hard tanh, sigma_w^2 = 16, sigma_b^2 = 0, per seed",
        rule=within(0.5, 0.2),
        recipe=_BASE,
        notebook="08_trajectories_more",
        random=True,
        claims=("raghu.thm4.below_bound",),
        note="T = O((sqrt(k) / sqrt(1 + sigma_b^2 / sigma_w^2))^n): base proportional to sqrt(k), slope 1/2; "
             "+-0.2 separates sqrt(k) from no width dependence (0) and from linear (1). Proved under saturation "
             "(large sigma_w), hence the largest sigma_w^2. The registration checks only measured <= theory "
             "(<= 1.9 against sqrt(k) >= 4.47), which cannot fail, and never the width law",
    ),
    Statement(
        id="raghu.thm4.bound",
        paper=_P,
        where="Theorem 4",
        quote="theorem transitions proportional trajectory length fank hard tanh network hidden layers width",
        paper_value="base at most sqrt(k) / sqrt(1 + sigma_b^2 / sigma_w^2)",
        quantity="largest measured transition base / the theorem's base over the (k, sigma_w^2) grid, per seed",
        rule=below(1.0),
        recipe=_BASE,
        notebook="08_trajectories_more",
        random=True,
        exploratory=True,
        claims=("raghu.thm4.below_bound",),
        note="met by a wide margin whatever the width dependence (bases <= 1.9 against sqrt(k) >= 4.47): kept as "
             "a reading; raghu.thm4.width_slope is the test that can fail",
    ),
    Statement(
        id="raghu.thm4.bias",
        paper=_P,
        where="Theorem 4",
        quote="theorem transitions proportional trajectory length fank hard tanh network hidden layers width",
        paper_value="base falls by 1 / sqrt(1 + sigma_b^2 / sigma_w^2)",
        quantity="measured per-layer transition base at sigma_b^2 = 1 minus at sigma_b^2 = 0, hard tanh, k = 100, "
                 "sigma_w^2 = 4",
        rule=below(0.0),
        recipe=_BASE,
        notebook="08_trajectories_more",
        random=True,
        not_run="no run yet: notebook 08 sweeps sigma_b^2 = 0 only; transition_grid with sigma_b2=1.0 beside it "
                "would compute it",
    ),
    Statement(
        id="raghu.fig5.linear_in_length",
        paper=_P,
        where="Fig. 5",
        quote="figure number transitions linear trajectory length. compare empirical number transitions length "
              "trajectory different depths hard-tanh network",
        paper_value=1.0,
        quantity="least-squares slope of log(exact transitions in layer d + 1) against log(length of the "
                 "trajectory entering it), over the 8 hidden layers of one network, hard tanh, k = 100, "
                 "sigma_w^2 = 16",
        rule=within(1.0, 0.2),
        recipe="workbench.papers.raghu.trajectories.transitions_vs_length",
        notebook="04_trajectories",
        random=True,
        claims=("traj.thm4.proportional",),
        note="'linear' read as slope 1 in log-log; +-0.2 is ours (Fig. 5's points lie on lines through the "
             "origin). The registration asks Pearson r > 0.5 pooled over layers, which any monotone power law passes",
    ),
    # ------------------------------------------------------------------ Fig. 6: noise in one layer
    Statement(
        id="raghu.fig6.first_vs_fifth",
        paper=_P,
        where="Fig. 6",
        quote="initial layers network least robust noise ﬁgure shows adding noise magnitude ﬁrst layer results "
              "drop accuracy amount noise added ﬁfth layer barely results drop accuracy",
        paper_value="first-layer drop >> fifth-layer drop",
        quantity="test-accuracy drop with noise in the first layer minus the drop with the same relative noise in "
                 "the fifth layer, mean over the non-zero noise levels (trained hard-tanh MLP, sigma_w^2 = 2)",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.layer_noise",
        notebook="04_trajectories",
        random=True,
        note=_CIFAR + " and an MLP; noise relative to each layer's rms weight. The caption's numbers are lost in "
             "the stored text (the published caption: about 0.7 against 0.02 at noise 0.25, not checked here)",
    ),
    Statement(
        id="raghu.fig6.order",
        paper=_P,
        where="Fig. 6",
        quote="initial layers network least robust noise ﬁgure shows adding noise magnitude ﬁrst layer results "
              "drop accuracy amount noise added ﬁfth layer barely results drop accuracy",
        paper_value="drop falls with the layer index",
        quantity="Spearman rank correlation between layer index and test-accuracy drop (mean over the non-zero "
                 "noise levels), all layers of the trained hard-tanh MLP",
        rule=below(0.0),
        recipe="workbench.papers.raghu.trajectories.layer_noise",
        notebook="04_trajectories",
        random=True,
        note=_CIFAR + " and an MLP. No registration yet (notebook 04 plots it only)",
    ),
    # ------------------------------------------------------------------ Fig. 7: one trained layer
    Statement(
        id="raghu.fig7.train_order",
        paper=_P,
        where="Fig. 7",
        quote="training lower hidden layers leads better performance",
        paper_value="lower layer trained -> higher accuracy",
        quantity="Spearman rank correlation between remaining depth and train accuracy over the trained k x k "
                 "layers W^(1)..W^(d-1) only (input and output layers excluded), hard tanh, k = 100, depth 6",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.train_one_layer",
        notebook="04_trajectories",
        random=True,
        claims=("traj.fig7.lower_layers",),
        note=_DIGITS + ". The paper trains 'from the second hidden layer onwards' so that the trained parameter "
             "count stays fixed; the registration compares the input layer (64 x 100) with the output layer "
             "(a linear readout), which the paper's comparison excludes",
    ),
    Statement(
        id="raghu.fig7.test_lower_vs_upper",
        paper=_P,
        where="Fig. 7",
        quote="note train second hidden layer onwards number parameters trained remains ﬁxed",
        paper_value="lower layer trained -> higher accuracy",
        quantity="test accuracy when only W^(1) is trained minus when only the highest k x k layer W^(d-1) is "
                 "trained (same parameter count), hard tanh, k = 100, depth 6",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.train_one_layer",
        notebook="04_trajectories",
        random=True,
        claims=("traj.fig7.lower_layers",),
        note=_DIGITS,
    ),
    # ------------------------------------------------------------------ Fig. 8 and the text beside it
    Statement(
        id="raghu.fig8.length_grows",
        paper=_P,
        where="Fig. 8",
        quote="figure training increases trajectory length even typical initialization values",
        paper_value="training increases the length",
        quantity="log(length at the last hidden layer at the last checkpoint / at step 0), circle through two test "
                 "digits, hard-tanh MLP 64-100x6-10, sigma_w^2 = 2",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.length_during_training",
        notebook="04_trajectories",
        random=True,
        note=_CIFAR + " and an MLP; the full profile's last checkpoint is step 300",
    ),
    Statement(
        id="raghu.fig8.exponential_after",
        paper=_P,
        where="Fig. 8",
        quote="training causes trajectory length increase exponentially depth note step network exponential "
              "growth regime",
        paper_value="exponential in depth after training",
        quantity="per-layer length base (exp of the slope of log length over hidden layers 1..6) at the last "
                 "checkpoint, hard-tanh MLP, sigma_w^2 = 2",
        rule=above(1.0),
        recipe="workbench.papers.raghu.trajectories.length_during_training",
        notebook="04_trajectories",
        random=True,
        note=_CIFAR + " and an MLP",
    ),
    Statement(
        id="raghu.fig8.not_exponential_at_init",
        paper=_P,
        where="Fig. 8",
        quote="training causes trajectory length increase exponentially depth note step network exponential "
              "growth regime",
        paper_value="at step 0 not in the exponential regime",
        quantity="per-layer length base at step 0, hard-tanh MLP, sigma_w^2 = 2",
        rule=below(1.0),
        recipe="workbench.papers.raghu.trajectories.length_during_training",
        notebook="04_trajectories",
        random=True,
        note="the stored text drops 'not' (a stop word); the published caption reads 'at Step 0, the network is "
             "not in the exponential growth regime', as the next sentence confirms. The paper's net is a ReLU "
             "conv net (ReLU keeps the length about constant at sigma_w^2 = 2); ours is a hard-tanh MLP",
    ),
    Statement(
        id="raghu.fig8.weight_norms",
        paper=_P,
        where="Fig. 8 (text beside it)",
        quote="even smaller weight initialization weight norms increase training shown figure pushing typically "
              "initialized networks exponential growth regime",
        paper_value="weight norms increase in training",
        quantity="per-layer weight norm at the last checkpoint / at step 0",
        rule=above(1.0),
        recipe=None,
        random=True,
        not_run="no recipe yet: length_during_training records lengths and accuracy, not weight norms",
    ),
    # ------------------------------------------------------------------ Figs. 9-10: batch norm
    Statement(
        id="raghu.fig9.bn_layers_shrink",
        paper=_P,
        where="Fig. 9",
        quote="figure train another conv cifar time batch normalization. batch norm layers reduce trajectory "
              "length helping stability.",
        paper_value="every batch-norm layer shortens the trajectory",
        quantity="largest ratio, over the batch-norm layers, of the trajectory length after the layer to before it, "
                 "at the last checkpoint (step 1000), conv net with batch norm trained on the digits",
        rule=below(1.0),
        recipe="workbench.papers.raghu.figures.batchnorm_length_during_training",
        notebook="08_trajectories_more",
        random=True,
        claims=("raghu.bn.shorter",),
        note=_CIFAR + "; lengths in eval mode (running statistics). The paper states a per-layer effect; the "
             "registration compares the output length of two networks (with vs without batch norm) and cites "
             "'batch norm during training' instead of Figs. 9-10",
    ),
    Statement(
        id="raghu.fig10.bn_onwards",
        paper=_P,
        where="Fig. 10",
        quote="hundred gradient steps continuing onwards batch norm layers reduce trajectory length stabilising "
              "representation without sacriﬁcing expressivity",
        paper_value="from a few hundred steps on, batch-norm layers shorten it",
        quantity="largest batch-norm-layer length ratio (after / before) over every checkpoint from step 500 on",
        rule=below(1.0),
        recipe="workbench.papers.raghu.figures.batchnorm_length_during_training",
        notebook="08_trajectories_more",
        random=True,
        claims=("raghu.bn.shorter",),
        note=_CIFAR + "; 'a few hundred' read as step >= 500 of the recipe's checkpoints (0, 10, 100, 500, 1000)",
    ),
    Statement(
        id="raghu.fig10.bn_step0",
        paper=_P,
        where="Fig. 10",
        quote="note batch norm layers step poorly behaved division close variance",
        paper_value="batch-norm layers blow the length up at step 0",
        quantity="largest batch-norm-layer length ratio at step 0, with batch statistics",
        rule=above(1.0),
        recipe=None,
        random=True,
        not_run="no recipe yet: lengths_through_modules runs batch norm in eval mode, where at step 0 the running "
                "statistics make it the identity; the paper's step-0 behaviour needs batch statistics",
    ),
    # ------------------------------------------------------------------ Fig. 11: trajectory regularisation
    Statement(
        id="raghu.fig11.trajreg_matches_bn",
        paper=_P,
        where="Fig. 11",
        quote="trajectory regularization achieves performance batch norm albeit slightly train time",
        paper_value="the same accuracy",
        quantity="final-epoch test accuracy of the trajectory-regularised conv net minus the batch-norm one, per seed",
        rule=within(0.0, 0.01),
        recipe="workbench.papers.raghu.trajectories.trajreg_vs_batchnorm",
        notebook="04_trajectories",
        random=True,
        claims=("traj.s5.trajreg_vs_bn",),
        note=_CIFAR + "; +-0.01 accuracy is our reading of 'the same' (the curves coincide at the figure's "
             "scale). The registration fixes 'not comparable' and quotes the last seed's final row "
             "(groupby().tail(1)), not the plotted mean over seeds",
    ),
    Statement(
        id="raghu.fig11.bn_beats_none",
        paper=_P,
        where="Fig. 11",
        quote="results figure show trajectory regularization batch norm perform comparably considerably better "
              "using batch norm",
        paper_value="batch norm > none",
        quantity="final-epoch test accuracy with batch norm minus without normalisation, per seed",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.trajreg_vs_batchnorm",
        notebook="04_trajectories",
        random=True,
        claims=("traj.s5.trajreg_vs_bn",),
        note=_CIFAR,
    ),
    Statement(
        id="raghu.fig11.trajreg_beats_none",
        paper=_P,
        where="Fig. 11",
        quote="results figure show trajectory regularization batch norm perform comparably considerably better "
              "using batch norm",
        paper_value="trajectory regularisation > none",
        quantity="final-epoch test accuracy with trajectory regularisation minus without normalisation, per seed",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.trajreg_vs_batchnorm",
        notebook="04_trajectories",
        random=True,
        claims=("traj.s5.trajreg_vs_bn",),
        note=_CIFAR,
    ),
    Statement(
        id="raghu.fig11.train_time",
        paper=_P,
        where="Fig. 11",
        quote="trajectory regularization achieves performance batch norm albeit slightly train time",
        paper_value="slightly more train time",
        quantity="cumulative wall seconds at the last epoch, trajectory regularisation minus batch norm, per seed",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.trajreg_vs_batchnorm",
        notebook="04_trajectories",
        random=True,
        exploratory=True,
        note="'train time' may mean steps to converge rather than wall time: our reading. " + _CIFAR,
    ),
    # ------------------------------------------------------------------ Figs. 14-16 (appendix): dichotomies
    Statement(
        id="raghu.fig14.depth_base",
        paper=_P,
        where="Fig. 14",
        quote="ﬁrst layer statistically identical sweeping input thus similar results observed exponential "
              "increase depth architecture much slower increase width",
        paper_value="exponential in depth",
        quantity="per-added-layer growth base of the dichotomy count (first layer swept on a great circle, 15 "
                 "random inputs): exp of the slope of log count over depths 2..10, hard tanh, k = 100, sigma_w^2 = 8",
        rule=above(1.0),
        recipe=_DICH,
        notebook="08_trajectories_more",
        random=True,
        note="counts far below the 2^15 ceiling in our sweeps, so saturation does not flatten the fit",
    ),
    Statement(
        id="raghu.fig14.depth_over_width",
        paper=_P,
        where="Fig. 14",
        quote="ﬁrst layer statistically identical sweeping input thus similar results observed exponential "
              "increase depth architecture much slower increase width",
        paper_value="much slower increase with width",
        quantity="log D(depth 4, k = 50) - log D(depth 2, k = 100): the same 200 hidden neurons spent on depth vs "
                 "width (dichotomies, first layer swept, hard tanh, sigma_w^2 = 8)",
        rule=above(0.0),
        recipe=_DICH,
        notebook="08_trajectories_more",
        random=True,
        exploratory=True,
        note="'much slower with width' read as an equal-neuron comparison: our reading",
    ),
    Statement(
        id="raghu.fig15.remaining_base",
        paper=_P,
        where="Fig. 15",
        quote="figure expressive power depends remaining network depth",
        paper_value="grows with remaining depth",
        quantity="per-unit growth base of the dichotomy count against remaining depth (exp of the slope of log "
                 "count over remaining depths 0..10, every layer of every total depth swept), hard tanh, k = 100, "
                 "sigma_w^2 = 8",
        rule=above(1.0),
        recipe=_DICH,
        notebook="04_trajectories",
        random=True,
        claims=("traj.dichotomies.remaining_depth",),
        note="the registration asks the means over widths and seeds to be monotone (no rate, no interval) and "
             "cites Figs. 14-16",
    ),
    Statement(
        id="raghu.fig15.total_depth_irrelevant",
        paper=_P,
        where="Fig. 15",
        quote="number achievable dichotomies depend total network depth number layers layer swept",
        paper_value="depends on remaining depth only, not on total depth",
        quantity="log D(total depth 10, remaining depth 4) - log D(total depth 4, remaining depth 4), hard tanh, "
                 "k = 100, sigma_w^2 = 8",
        rule=within(0.0, 0.4),
        recipe=_DICH,
        notebook="04_trajectories",
        random=True,
        note="the stored text drops 'not'/'only' (stop words); the published caption: the count does not depend "
             "on the total depth, only on the layers remaining. +-0.4 in log (a factor 1.5) is our reading of "
             "'curves on top of each other'",
    ),
    Statement(
        id="raghu.fig16.random_walk",
        paper=_P,
        where="Fig. 16",
        quote="compare plots random walk simulation transition single class label ﬂipped uniformly random",
        paper_value="dichotomies follow the random walk of label flips",
        quantity="median over networks of observed dichotomies / the random walk's mean count after the same "
                 "number of label flips (first layer swept, hard tanh, sigma_w^2 = 8, 15 inputs)",
        rule=between(0.75, 1.25),
        recipe="workbench.papers.raghu.figures.random_walk_dichotomies",
        notebook="08_trajectories_more",
        random=True,
        exploratory=True,
        claims=("raghu.fig3.walk",),
        note="the paper gives no number; +-25% is ours. The registration cites 'Figs. 3-4' (it is Fig. 16) and "
             "accepts a factor of 2 ([0.5, 2])",
    ),
    # ------------------------------------------------------------------ Fig. 17 (appendix): CIFAR-10
    Statement(
        id="raghu.fig17.cifar_order",
        paper=_P,
        where="Fig. 17",
        quote="mostly observe training lower layers leads better performance although expected overall "
              "performance impacted training single layer",
        paper_value="mostly: lower layer trained -> higher accuracy",
        quantity="Spearman rank correlation between remaining depth and train accuracy over the trained k x k "
                 "layers W^(1)..W^(d-1), fully connected hard tanh on CIFAR-10",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.train_one_layer",
        notebook="08_trajectories_more",
        random=True,
        claims=("raghu.fig17.remaining_depth",),
        not_run="needs CIFAR-10 (not in the local data folder); the notebook's breast-cancer fallback is not the "
                "paper's data",
        note="the registration runs the breast-cancer table and asks train accuracy to fall monotonically over "
             "every layer but the output, the input layer (a different parameter count) included",
    ),
    # ------------------------------------------------------------------ Fig. 18 (appendix): smaller init
    Statement(
        id="raghu.fig18.small_init_grows",
        paper=_P,
        where="Fig. 18",
        quote="figure training increases trajectory length smaller initialization values",
        paper_value="training increases the length",
        quantity="log(length at the last hidden layer at the last checkpoint / at step 0), hard-tanh MLP, "
                 "sigma_w^2 = 1",
        rule=above(0.0),
        recipe="workbench.papers.raghu.trajectories.length_during_training",
        notebook="04_trajectories",
        random=True,
        not_run="no run yet: notebook 04 trains at sigma_w^2 = 2 only; length_during_training with "
                "TrainConfig(sigma_w2=1.0) would compute it",
        note=_DIGITS + "; 'smaller' than Fig. 8's sigma_w^2 = 2, read as 1",
    ),
)
