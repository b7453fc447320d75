"""Raghu et al. (2017)'s catalogue, Theorem 3 with the appendix's Figs. 12 and 13, Fig. 4, Theorem 4 and Fig. 5:
trajectory length and transitions.

Part of ``workbench.papers.raghu.catalogue``, which assembles ``CATALOGUE`` from its parts in the paper's order (the
enumeration notes are in its docstring).
"""
from workbench.catalogue import Statement, above, below, within
from workbench.papers.raghu.catalogue._common import _BASE, _CIFAR, _GROWTH, _NAN, _P

LENGTHS: tuple[Statement, ...] = (
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
)
