"""Johansson (2022)'s catalogue, chapter 2: regions (§2.1), local maps and rank (§2.2.1), singular values (§2.2.2).

Part of ``workbench.papers.pl_geometry.catalogue``, which assembles ``CATALOGUE`` from its parts in the paper's
order (the enumeration notes are in its docstring).
"""
from workbench.catalogue import Statement, above, below, between, within

CHAPTER2: tuple[Statement, ...] = (
    # ------------------------------------------------------------------ §2.1 regions
    Statement(
        id="pl.s2_1_1.volume_infinite",
        paper="PL geometry",
        where="§2.1.1",
        quote="For networks where the number of neurons is smaller than the input dimension, the volume of "
              "every activation region is infinite.",
        paper_value="every region unbounded when n_0 >= sum_i n_i",
        quantity="share of the activation regions that are unbounded, ReLU nets with n_0 >= total hidden neurons "
                 "(e.g. 2 inputs and 2 neurons; 10 inputs and 4-3-2 hidden), random init",
        rule=within(1.0, 0.0),
        recipe=None,
        random=True,
        not_run="no recipe yet: needs a per-region boundedness test (an LP on each region's half-spaces, or the "
                "recession cone of the region) over an exact partition",
        note="a statement about every region, so the share must be exactly 1",
    ),
    Statement(
        id="pl.s2_1_2.sampling_upper_bound",
        paper="PL geometry",
        where="§2.1.2 (footnote 1), eq. 2.1",
        quote="when a sampled point obtain a different activation pattern one has an upper bound on d^*",
        paper_value="sampled radius >= d*",
        quantity="share of points where the radius found by sampling concentric spheres (first sphere with a "
                 "point of another activation pattern) is >= the exact d* of eq. 2.1",
        rule=within(1.0, 0.0),
        recipe=None,
        random=True,
        exploratory=True,
        not_run="no recipe yet: needs a concentric-sphere sampler beside "
                "workbench.measures.affine.distance_to_edge (which computes eq. 2.1 exactly)",
        note="true by the definition of d*: a check of the eq. 2.1 implementation, not of the thesis",
    ),
    Statement(
        id="pl.fig2_1.mislabeled_closer",
        paper="PL geometry",
        where="Fig. 2.1",
        quote="mislabeled points should be closer to the region boundary than that of 'normal' points",
        paper_value="mislabeled closer",
        quantity="median d* (eq. 2.1) of 500 correct training points minus median d* of the 100 mislabeled "
                 "ones, one hidden layer of 200 ReLUs",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.regions.mislabel_edge_distances",
        notebook="03_linear_regions",
        random=True,
        claims=("regions.fig21.mislabeled_closer",),
        note="digits (1,797 images) instead of MNIST (60,000), trained with Adam: the thesis' SGD lr 0.001 does "
             "not fit the flipped labels on digits; the registration judges one seed qualitatively",
    ),
    Statement(
        id="pl.fig2_1.lower_end",
        paper="PL geometry",
        where="Fig. 2.1",
        quote="the mislabeled data points are situated in the lower end of the full distribution, giving some "
              "evidence to the validity of the hypothesis",
        paper_value="lower end",
        quantity="mean percentile (0-1) of the 100 mislabeled points' d* within the pooled 600 distances "
                 "(100 mislabeled + 500 correct)",
        rule=below(0.5),
        recipe="workbench.papers.pl_geometry.regions.mislabel_edge_distances",
        notebook="03_linear_regions",
        random=True,
        note="'lower end' read as below the pooled median on average; digits instead of MNIST, Adam instead of SGD",
    ),
    Statement(
        id="pl.fig2_1.correct_near_edge",
        paper="PL geometry",
        where="Fig. 2.1",
        quote="there is a substantial amount of correctly labeled points which are located close to the region "
              "boundary",
        paper_value="substantial",
        quantity="share of the 500 correct points whose d* is below the median d* of the mislabeled points",
        rule=above(0.1),
        recipe="workbench.papers.pl_geometry.regions.mislabel_edge_distances",
        notebook="03_linear_regions",
        random=True,
        exploratory=True,
        note="'substantial' read as more than 10% (our threshold; the histogram is not in the text); digits",
    ),
    # ------------------------------------------------------------------ §2.2 local maps, rank
    Statement(
        id="pl.eq2_2.slope_is_norm",
        paper="PL geometry",
        where="eq. 2.2, Fig. 3.6 (Definition 1)",
        quote="The forward and backward modes used to estimate the slope $\\|W_R\\|_2$.",
        paper_value="Slope_f(x) = ||W_R||_2",
        quantity="largest |Slope_f(x) (Definition 1, from the Jacobian) - ||W_R||_2 (W_R multiplied out as in "
                 "eq. 2.2)| over 200 digits, MLP 64-100-100-10 at init (seed 0), float64",
        rule=below(1e-6),
        recipe="workbench.measures.slope.slope",
        notebook="07_pl_training",
        random=False,
        note="an identity for every network, so one fixed network; 1e-6 is our float64 rounding allowance",
    ),
    Statement(
        id="pl.eq2_3.identity_rank_init",
        paper="PL geometry",
        where="eq. 2.3 (Corollary 1)",
        quote="At initialization of the network, the rank of the affine transformation W_R associated with a "
              "region R can easily be obtained as",
        paper_value="rank W_R = min(n_0, n_c, min_i trace Z_i)",
        quantity="share of points where the numerical rank of W_R equals min(n_0, n_c, min_i trace Z_i), "
                 "ReLU 64-32-8-32-10 at init, Gaussian inputs",
        rule=within(1.0, 0.0),
        recipe="workbench.measures.affine.local_rank",
        notebook="03_linear_regions",
        random=True,
        claims=("regions.eq23.identity_rank",),
        note="Corollary 1 holds with probability 1, so the share must be 1; the registration tolerates 0.01",
    ),
    Statement(
        id="pl.thm1.product_rank",
        paper="PL geometry",
        where="Theorem 1 (App. A.1)",
        quote="If the matrix W is the product of W_1, W_2, \\dots, W_n RIRE matrices",
        paper_value="rank W = min(n_1, ..., n_{n+1})",
        quantity="share of random draws where the rank of a product of i.i.d. uniform matrices (a linear, "
                 "identity-activation MLP, e.g. 20-5-30-8) equals the smallest dimension",
        rule=within(1.0, 0.0),
        recipe="workbench.measures.affine.local_rank",
        random=True,
        note="probability 1 in the theorem; local_rank of an identity-activation mlp gives the product's rank",
    ),
    Statement(
        id="pl.s2_2_1.identity_rank_training",
        paper="PL geometry",
        where="§2.2.1, eq. 2.3",
        quote="we make the assumption that the learning trajectory is such that the equality remains valid even "
              "when updating the parameters during SGD",
        paper_value="eq. 2.3 holds during training",
        quantity="smallest, over recorded epochs and learning rates, share of 500 test points where the exact "
                 "rank of W_R equals eq. 2.3, 2x200 ReLU trained with SGD",
        rule=within(1.0, 0.0),
        recipe="workbench.papers.pl_geometry.training.rank_during_training",
        notebook="07_pl_training",
        random=True,
        claims=("pl.rank.eq_2_3_equals_the_exact_rank_during_training_all_rates",),
        note="digits (8x8, 64 inputs) instead of the thesis' Fashion-MNIST (not on this machine); "
             "diverged epochs excluded",
    ),
    Statement(
        id="pl.fig2_2.rank_maximal_low_lr",
        paper="PL geometry",
        where="Fig. 2.2",
        quote="the low learning rate setting where the rank stays maximal throughout the entire training",
        paper_value="stays maximal (lr 0.01)",
        quantity="min(n_0, n_c) minus the smallest per-epoch mean exact rank of W_R at 500 test points, "
                 "lr 0.01, 2x200 ReLU, SGD momentum 0.8, batch 32, 100 epochs (a rank deficit)",
        rule=between(0.0, 0.05),
        recipe="workbench.papers.pl_geometry.training.rank_during_training",
        notebook="07_pl_training",
        random=True,
        claims=("pl.rank.rank_stays_maximal_at_the_small_rate_lr_0_01",),
        note="'stays maximal' read as a mean deficit of at most 0.05 of a rank (Fig. 2.2's resolution); the "
             "registration asks for exactly 0; digits (64 inputs) instead of Fashion-MNIST (not on this machine)",
    ),
    Statement(
        id="pl.fig2_2.rank_drops_high_lr",
        paper="PL geometry",
        where="Fig. 2.2",
        quote="the high learning rate setting where the rank starts decreasing immediately",
        paper_value="decreases immediately (lr 0.1)",
        quantity="mean exact rank of W_R at 500 test points at epoch 0 minus at epoch 1, lr 0.1, same network "
                 "and recipe as lr 0.01",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.training.rank_during_training",
        notebook="07_pl_training",
        random=True,
        claims=("pl.rank.rank_decreases_immediately_at_the_large_rate_lr_0_1",),
        note="the thesis' rate as stated; on digits lr 0.1 converges (its premise, a rate too large to converge, "
             "is not met; see pl.fig2_2.rank_before_loss); the registration asks for a drop > 0.5",
    ),
    Statement(
        id="pl.fig2_2.rank_trend_high_lr",
        paper="PL geometry",
        where="Fig. 2.2",
        quote="The rank is decreasing throughout most of the training, making it clear that it might be wise to "
              "cancel the training procedure at an early stage.",
        paper_value="decreasing (lr 0.1)",
        quantity="Spearman correlation of epoch and mean exact rank of W_R over the 100 epochs, lr 0.1",
        rule=below(0.0),
        recipe="workbench.papers.pl_geometry.training.rank_during_training",
        notebook="07_pl_training",
        random=True,
        note="a constant rank gives no correlation (NaN, dropped): no win; digits instead of Fashion-MNIST",
    ),
    Statement(
        id="pl.fig2_2.rank_before_loss",
        paper="PL geometry",
        where="Fig. 2.2, §2.2.1",
        quote="While this information is available from the loss curves, it is not visible as early as it is "
              "for the rank trajectory.",
        paper_value="rank warns first",
        quantity="at the too-large rate, epoch of the first warning in the loss/accuracy curves (test loss > 1.1x "
                 "its running minimum, or test accuracy < 0.9x its running maximum, any epoch from 1 on) minus "
                 "epoch of the first rank drop (mean exact rank > 0.5 below its maximum), epochs",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.training.rank_during_training",
        notebook="07_pl_training",
        random=True,
        claims=("pl.rank.the_rank_shows_non_convergence_before_the_accuracy_lr_0_5_th",),
        note="too-large rate: the smallest of 0.1*2^k (0.2, 0.4, 0.8, 1.6), fixed here, whose last test accuracy "
             "is < 0.9x its best (accuracy alone); registration differs: its probe grid was fixed after a look and "
             "its collapse is sought only after the best epoch (the loss spikes at epoch 2 with the rank drop); "
             "a tie is no win; digits",
    ),
    Statement(
        id="pl.s2_2_1.no_false_alarm",
        paper="PL geometry",
        where="§2.2.1",
        quote="one would need to obtain solid evidence that this behaviour does not occur for non-flawed runs",
        paper_value="no rank drop in converging runs",
        quantity="largest rank deficit (min(n_0, n_c) minus the smallest per-epoch mean exact rank) among the "
                 "rates whose training converges (last test accuracy >= 0.9x its best)",
        rule=below(0.5),
        recipe="workbench.papers.pl_geometry.training.rank_during_training",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        note="the thesis states this as a requirement, not a finding; 0.5 is the same rank-drop threshold as "
             "pl.fig2_2.rank_before_loss; digits",
    ),
    # ------------------------------------------------------------------ §2.2.2 singular values
    Statement(
        id="pl.eq2_7.sv_perturbation",
        paper="PL geometry",
        where="eq. 2.7",
        quote="This identity allows us to make use of perturbation theory for singular values [Stewart (1990)] to "
              "obtain a bound on the differences of the singular values as",
        paper_value="sum_i (sigma_i - sigma~_i)^2 <= ||E||_F^2",
        quantity="share of points where sum_i (sigma_i - sigma~_i)^2 across the nearest edge is <= ||E||_F^2 "
                 "(1e-9 slack), one hidden layer, n_0 = n_c = 10, widths 10-500, at init",
        rule=within(1.0, 0.0),
        recipe="workbench.measures.affine.adjacent_sv_difference",
        notebook="03_linear_regions",
        random=True,
        exploratory=True,
        note="a theorem (Mirsky/Stewart) for any two matrices: fails only by a numerical or implementation error",
    ),
    Statement(
        id="pl.eq2_8.frobenius_identity",
        paper="PL geometry",
        where="eq. 2.8",
        quote="For these networks the squared Frobenius norm of the perturbation is given as",
        paper_value="||E||_F^2 = sum_i sum_j (W_2)_kj^2 (W_1)_ki^2",
        quantity="largest relative difference between ||W_R - W_R~||_F^2 across an edge of neuron k and "
                 "||W_2[:, k]||^2 ||W_1[k, :]||^2, one hidden layer",
        rule=below(1e-9),
        recipe=None,
        random=True,
        not_run="no recipe yet: compare adjacent_sv_difference(...).frob2 with the crossed neuron's weights "
                "(its layer and neuron are returned)",
        note="an algebraic identity; 1e-9 is our float64 rounding allowance",
    ),
    Statement(
        id="pl.eq2_13.frobenius_expectation",
        paper="PL geometry",
        where="eq. 2.13 (eqs. 2.10-2.12)",
        quote="A straightforward application of this identity is to analyze how the singular values vary between "
              "adjacent regions at initialization of the network.",
        paper_value="E||E||_F^2 = C^2 n_c / n_1",
        quantity="mean ||E||_F^2 across each point's nearest edge divided by C^2 n_c / n_1 (C = 1/3, PyTorch "
                 "default init), n_0 = n_c = 10, n_1 = 100",
        rule=within(1.0, 0.1),
        recipe="workbench.papers.pl_geometry.regions.sv_difference_sweep",
        notebook="03_linear_regions",
        random=True,
        note="eqs. 2.10-2.13 are equalities for a neuron k chosen independently of the weights; the crossed "
             "neuron (nearest edge here, growing circles in the thesis) is chosen by them; 10% is our tolerance",
    ),
    Statement(
        id="pl.eq2_13.bound_holds",
        paper="PL geometry",
        where="eq. 2.13, Fig. 2.3",
        quote="singular values can be upper bounded as",
        paper_value="E[sum_i (sigma_i - sigma~_i)^2] <= C^2 n_c / n_1",
        quantity="largest, over n_1 in 10-500, mean sum_i (sigma_i - sigma~_i)^2 across the nearest edge divided "
                 "by C^2 n_c / n_1 (C = 1/3), n_0 = n_c = 10",
        rule=below(1.0),
        recipe="workbench.papers.pl_geometry.regions.sv_difference_sweep",
        notebook="03_linear_regions",
        random=True,
        note="the thesis finds the adjacent region by growing circles (App. A.2.3); we take the nearest edge, "
             "exactly",
    ),
    Statement(
        id="pl.fig2_3.left_scaling",
        paper="PL geometry",
        where="Fig. 2.3 (left), eq. 2.13",
        quote="The bound (2.13) gives an indication for how the difference evolves as the network grows",
        paper_value="∝ 1/n_1",
        quantity="slope of log mean sum_i (sigma_i - sigma~_i)^2 against log n_1, n_1 in 10-500, n_0 = n_c = 10",
        rule=within(-1.0, 0.25),
        recipe="workbench.papers.pl_geometry.regions.sv_difference_sweep",
        notebook="03_linear_regions",
        random=True,
        note="the bound's 1/n_1 dependence, tested as a log-log slope; ±0.25 is our tolerance",
    ),
    Statement(
        id="pl.fig2_3.left_loose",
        paper="PL geometry",
        where="Fig. 2.3 (left)",
        quote="in both plots we can see that the bounds are relatively loose",
        paper_value="relatively loose",
        quantity="C^2 n_c / n_1 divided by the measured mean sum_i (sigma_i - sigma~_i)^2, n_1 = 100, "
                 "n_0 = n_c = 10",
        rule=above(2.0),
        recipe="workbench.papers.pl_geometry.regions.sv_difference_sweep",
        notebook="03_linear_regions",
        random=True,
        exploratory=True,
        note="'relatively loose' read as a factor above 2 (ours; the figure's values are not in the text)",
    ),
    Statement(
        id="pl.eq2_14.regions_per_neuron",
        paper="PL geometry",
        where="eq. 2.14-2.16 (Hanin & Rolnick 2019a)",
        quote="recent work in the setting $n_0 = n_c = 1$ proves that at initialization we will have",
        paper_value=1.0,
        quantity="least-squares slope of the mean number N of regions in a unit interval [a, a+1], a ~ N(0, 1), "
                 "against n_1 (regions per neuron), one input, one hidden layer, one output, PyTorch default init",
        rule=within(1.0, 0.25),
        recipe="workbench.papers.pl_geometry.training.segment_regions",
        notebook="07_pl_training",
        random=True,
        claims=("regions.hanin_rolnick.slope",),
        note="E[N] ≈ #neurons, '≈' read as ±25% (ours); the registration measures 2-D inputs with sigma_w^2 = 2, "
             "sigma_b^2 = 0.1 along lines y = const, with a 50% tolerance: not the thesis' setting",
    ),
    Statement(
        id="pl.eq2_16.sharply_peaked",
        paper="PL geometry",
        where="eq. 2.16",
        quote="making the additional assumption that the distribution for N is sharply peaked at the mean",
        paper_value="P(N = E[N]) ≈ 1",
        quantity="share of unit intervals whose region count N equals the rounded mean count, n_1 = 50, one "
                 "input and output, PyTorch default init",
        rule=above(0.9),
        recipe="workbench.papers.pl_geometry.training.segment_regions",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        note="an assumption of the thesis, not a finding; '≈ 1' read as above 0.9 (ours)",
    ),
    Statement(
        id="pl.eq2_18.bound_holds",
        paper="PL geometry",
        where="eq. 2.18, Fig. 2.3 (right)",
        quote="there is a constriction on how different the average slope at initialization in two regions a "
              "unit distance away from each other can be",
        paper_value="E[(sigma - sigma~)^2] <= 2C^2 - 2C^2/n_1",
        quantity="largest, over n_1 in 2-200, mean (sigma(a) - sigma(a+1))^2 over unit intervals whose ends lie "
                 "in different regions, divided by 2C^2 - 2C^2/n_1 (C = 1/3), n_0 = n_c = 1",
        rule=below(1.0),
        recipe="workbench.papers.pl_geometry.training.segment_regions",
        notebook="07_pl_training",
        random=True,
        note="App. A.2.3 keeps only pairs in different regions, as here (segment_summary's sq_diff_other_mean)",
    ),
    Statement(
        id="pl.fig2_3.right_loose",
        paper="PL geometry",
        where="Fig. 2.3 (right)",
        quote="while (2.18) can be seen to only provide a rough upper bound and no additional information",
        paper_value="rough upper bound",
        quantity="2C^2 - 2C^2/n_1 divided by the measured mean (sigma(a) - sigma(a+1))^2 (ends in different "
                 "regions), n_1 = 200, n_0 = n_c = 1",
        rule=above(2.0),
        recipe="workbench.papers.pl_geometry.training.segment_regions",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        note="'rough' read as a factor above 2 (ours; the figure's values are not in the text)",
    ),
)
