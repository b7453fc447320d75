"""Claims catalogue of Johansson (2022), *Characterizing Piecewise Linear Neural Networks* (licentiate thesis).

Enumerated from the thesis text (chapters 1-3 and Appendix A; the summaries of Papers I-IV in chapter 3),
section by section, before any run: regions and edge distances (§2.1, Fig. 2.1), the local maps and their
rank (§2.2.1, eq. 2.3, Theorem 1, Fig. 2.2), singular-value differences and their bounds (eqs. 2.7-2.18,
Fig. 2.3), slope and the forward-backward power iteration (Papers II and IV, Figs. 3.3 and 3.6), slope
regularisation against spectral-norm regularisation and adversarial attacks (Paper IV), and the two applied
papers (I, III), which we do not run.

Rules come from the thesis' words; where the thesis gives no number the tolerance is ours and ``note`` says
how it was chosen (``exploratory=True`` when the statement is too loose to be more than our reading, or true
by construction). The thesis trains on MNIST / Fashion-MNIST; the recipes here train on scikit-learn's
bundled 8x8 digits (64 inputs, 1,797 images) unless those files are on disk, and every affected entry says so.
"""
from workbench.catalogue import Statement, above, below, between, within

CATALOGUE: tuple[Statement, ...] = (
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
    # ------------------------------------------------------------------ Paper II (§3.2)
    Statement(
        id="pl.s3_2_2.slope_grows",
        paper="PL geometry",
        where="§3.2.2 (Paper II)",
        quote="For all networks the slope grows continuously during training",
        paper_value="grows continuously",
        quantity="smallest, over widths 32/128/512 x depths 1/2/3, Spearman correlation of epoch and median "
                 "exact 2-slope at test points",
        rule=above(0.9),
        recipe="workbench.papers.pl_geometry.training.slope_generalisation",
        notebook="07_pl_training",
        random=True,
        claims=(
            "pl.slope.slope_grows_through_training_width_32_depth_1",
            "pl.slope.slope_grows_through_training_width_32_depth_2",
            "pl.slope.slope_grows_through_training_width_32_depth_3",
            "pl.slope.slope_grows_through_training_width_128_depth_1",
            "pl.slope.slope_grows_through_training_width_128_depth_2",
            "pl.slope.slope_grows_through_training_width_128_depth_3",
            "pl.slope.slope_grows_through_training_width_512_depth_1",
            "pl.slope.slope_grows_through_training_width_512_depth_2",
            "pl.slope.slope_grows_through_training_width_512_depth_3",
        ),
        note="'continuously' read as a nearly monotone rise, Spearman > 0.9 (ours); the registration asks "
             "0.8 per architecture and folds in the early-stopping comparison; digits instead of Paper II's sets",
    ),
    Statement(
        id="pl.s3_2_2.overfit_slope_larger",
        paper="PL geometry",
        where="§3.2.2 (Paper II)",
        quote="when the network inevitably overfits the slope will be larger than that compared to a generalizing "
              "network obtained at an earlier epoch through early stopping",
        paper_value="slope(overfit) > slope(early stopping)",
        quantity="smallest, over the 9 architectures, median test 2-slope at the last epoch minus at the "
                 "early-stopping epoch (lowest test loss)",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.training.slope_generalisation",
        notebook="07_pl_training",
        random=True,
        claims=(
            "pl.slope.slope_grows_through_training_width_32_depth_1",
            "pl.slope.slope_grows_through_training_width_32_depth_2",
            "pl.slope.slope_grows_through_training_width_32_depth_3",
            "pl.slope.slope_grows_through_training_width_128_depth_1",
            "pl.slope.slope_grows_through_training_width_128_depth_2",
            "pl.slope.slope_grows_through_training_width_128_depth_3",
            "pl.slope.slope_grows_through_training_width_512_depth_1",
            "pl.slope.slope_grows_through_training_width_512_depth_2",
            "pl.slope.slope_grows_through_training_width_512_depth_3",
        ),
        note="the registration counts a tie (last >= ES) as holding; here a tie is no win; digits",
    ),
    Statement(
        id="pl.s3_2_2.stable_in_width",
        paper="PL geometry",
        where="§3.2.2 (Paper II)",
        quote="for all generalizing networks the slope is relatively stable to changes in the network width",
        paper_value="stable in width",
        quantity="largest, over depths 1/2/3, |slope| of log median test 2-slope at early stopping against "
                 "log width (32, 128, 512)",
        rule=below(0.1),
        recipe="workbench.papers.pl_geometry.training.slope_generalisation",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        claims=(
            "pl.slope.stable_in_width_at_early_stopping_depth_1",
            "pl.slope.stable_in_width_at_early_stopping_depth_2",
            "pl.slope.stable_in_width_at_early_stopping_depth_3",
        ),
        note="'relatively stable' read as a log-log exponent under 0.1 (x1.3 over 16x width; ours); the "
             "registration asks max/min < 1.5 per depth; digits",
    ),
    Statement(
        id="pl.s3_2_2.weak_in_depth",
        paper="PL geometry",
        where="§3.2.2 (Paper II)",
        quote="only possess a weak dependence on the depth of the network",
        paper_value="weak dependence on depth",
        quantity="largest, over widths 32/128/512, |slope| of log median test 2-slope at early stopping against "
                 "depth (1, 2, 3), per added layer",
        rule=below(0.15),
        recipe="workbench.papers.pl_geometry.training.slope_generalisation",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        claims=(
            "pl.slope.weak_dependence_on_depth_at_early_stopping_width_32",
            "pl.slope.weak_dependence_on_depth_at_early_stopping_width_128",
            "pl.slope.weak_dependence_on_depth_at_early_stopping_width_512",
        ),
        note="'weak' read as under 16% per layer (ours); the registration uses the same max/min < 1.5 as for "
             "width, though the thesis words the two differently; digits",
    ),
    Statement(
        id="pl.fig3_3.penalty_generalises",
        paper="PL geometry",
        where="Fig. 3.3",
        quote="The generalization improves as the penalty is added indicating that the derivative is related to "
              "the generalization.",
        paper_value="penalised fit generalises better",
        quantity="test MSE of an unpenalised 8th-order polynomial fit to noisy samples of a quadratic minus that "
                 "of the same fit with a weight penalty",
        rule=above(0.0),
        recipe=None,
        random=True,
        not_run="no recipe yet: an 8th-order polynomial least-squares fit with and without an L2 penalty",
    ),
    # ------------------------------------------------------------------ Paper IV (§3.5)
    Statement(
        id="pl.fig3_6.power_iteration",
        paper="PL geometry",
        where="Fig. 3.6, §3.5.1 (Paper IV)",
        quote="one sends an input forward and *backward* through the network which allows for a subsequent power "
              "iteration technique to estimate the slope",
        paper_value="estimates ||W_R||_2",
        quantity="median relative error (exact - estimate) / exact of the forward-backward estimate after 15 "
                 "iterations, 100 digits through a 64-100-100-10 ReLU MLP at init",
        rule=below(0.01),
        recipe="workbench.papers.pl_geometry.training.power_iteration_convergence",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        note="the thesis gives no accuracy; 1% after 15 iterations is our reading of 'precise'",
    ),
    Statement(
        id="pl.s3_5_1.upper_bounds",
        paper="PL geometry",
        where="§3.5.1 (Paper IV)",
        quote="While previous techniques were able to control the slope to some extent, they do so in the form of "
              "upper bounds, lacking a fine-grained control over the quantity of interest.",
        paper_value="product of layer norms >= slope",
        quantity="product of per-layer spectral norms divided by the median test 2-slope, spectral-norm-"
                 "regularised 2x256 ReLU on digits",
        rule=above(1.0),
        recipe="workbench.papers.pl_geometry.training.slope_regularisation",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        note="true by construction (||W_R||_2 <= prod_l ||W_l||_2); catalogued for the size of the gap",
    ),
    Statement(
        id="pl.s3_5_1.targets_slope",
        paper="PL geometry",
        where="§3.5.1 (Paper IV)",
        quote="We thus wanted a more precise scheme that targets the slope directly while at the same time not "
              "being too computationally expensive to use.",
        paper_value="slope penalty lowers the slope more",
        quantity="median test 2-slope of the spectral-norm-regularised network minus that of the slope-penalised "
                 "one, same init, 2x256 ReLU on digits",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.training.slope_regularisation",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        note="depends on the two strengths (0.05 and 0.01, untuned and not matched), hence exploratory",
    ),
    Statement(
        id="pl.s3_5_1.cost",
        paper="PL geometry",
        where="§3.5.1 (Paper IV)",
        quote="We thus wanted a more precise scheme that targets the slope directly while at the same time not "
              "being too computationally expensive to use.",
        paper_value="not too expensive",
        quantity="training time with the slope penalty (1 forward-backward iteration per step) divided by the "
                 "time without regulariser, same network and epochs",
        rule=below(4.0),
        recipe="workbench.papers.pl_geometry.training.slope_regularisation",
        notebook="07_pl_training",
        random=True,
        exploratory=True,
        note="no number in the thesis; 4x is ours (one iteration adds about two passes); machine-dependent",
    ),
    Statement(
        id="pl.s3_5_2.test_acc_vs_spectral",
        paper="PL geometry",
        where="§3.5.2 (Paper IV)",
        quote="we obtain an improved test accuracy over different data sets compared to the methods that only rely "
              "on upper bounding the desired quantity",
        paper_value="slope > spectral",
        quantity="test accuracy of the slope-penalised network minus the spectral-norm-regularised one, same init, "
                 "2x256 ReLU, 40 epochs",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.training.slope_regularisation",
        notebook="07_pl_training",
        random=True,
        note="digits only, one untuned strength per method (Paper IV tunes them); see the not-run entry for "
             "other data sets",
    ),
    Statement(
        id="pl.s3_5_2.test_acc_other_data",
        paper="PL geometry",
        where="§3.5.2 (Paper IV)",
        quote="we obtain an improved test accuracy over different data sets compared to the methods that only rely "
              "on upper bounding the desired quantity",
        paper_value="slope > spectral on every data set",
        quantity="test accuracy of the slope-penalised network minus the spectral-norm-regularised one, on a "
                 "second data set",
        rule=above(0.0),
        recipe=None,
        random=True,
        not_run="needs a second data set: MNIST / Fashion-MNIST / CIFAR-10 files are not on this machine "
                "(load() falls back to digits)",
    ),
    Statement(
        id="pl.s3_5_2.robust_fgsm",
        paper="PL geometry",
        where="§3.5.2 (Paper IV)",
        quote="with the method for certain data sets and attacks achieving significantly superior robustness "
              "compared to other methods",
        paper_value="slope > spectral (some attacks)",
        quantity="FGSM accuracy at L-inf eps 0.1 (pixels in [0, 1]) of the slope-penalised network minus the "
                 "spectral-norm-regularised one, 450 test digits",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.training.slope_regularisation",
        notebook="07_pl_training",
        random=True,
        note="the thesis claims it only 'for certain data sets and attacks': one of this and robust_pgd may "
             "differ without contradicting it; eps 0.1 fixed here; digits",
    ),
    Statement(
        id="pl.s3_5_2.robust_pgd",
        paper="PL geometry",
        where="§3.5.2 (Paper IV)",
        quote="with the method for certain data sets and attacks achieving significantly superior robustness "
              "compared to other methods",
        paper_value="slope > spectral (some attacks)",
        quantity="10-step PGD accuracy at L-inf eps 0.1 of the slope-penalised network minus the spectral-norm-"
                 "regularised one, 450 test digits",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.training.slope_regularisation",
        notebook="07_pl_training",
        random=True,
        note="see robust_fgsm; digits",
    ),
    Statement(
        id="pl.s3_5_2.robust_vs_none",
        paper="PL geometry",
        where="§3.5.2 (Paper IV)",
        quote="maintains a strong safeguard against adversarial noise",
        paper_value="slope penalty > no regulariser",
        quantity="10-step PGD accuracy at L-inf eps 0.1 of the slope-penalised network minus the unregularised "
                 "one, same init, 450 test digits",
        rule=above(0.0),
        recipe="workbench.papers.pl_geometry.training.slope_regularisation",
        notebook="07_pl_training",
        random=True,
        note="digits; one untuned strength",
    ),
    # ------------------------------------------------------------------ Papers I and III (applied)
    Statement(
        id="pl.s3_1_2.novelty_outliers",
        paper="PL geometry",
        where="§3.1.2 (Paper I)",
        quote="we show that by utilizing outlier detection techniques for neural networks we can get an indication "
              "of sparsity issues in the training data",
        paper_value="novel scenarios are outliers",
        quantity="outlier score of held-out rare scenarios minus that of common ones, VGG-like net on circles "
                 "and squares",
        rule=above(0.0),
        recipe=None,
        random=True,
        not_run="needs Paper I's circles-and-squares data set and its VGG-like networks; no recipe",
    ),
    Statement(
        id="pl.s3_4.silgan",
        paper="PL geometry",
        where="§3.4 (Paper III)",
        quote="we demonstrate that one can obtain realistic fully-fledged signals from simple specifications in the "
              "form of one-dimensional time series",
        paper_value="realistic signals",
        quantity="realism of GAN-generated bus signals (vehicle speed, engine speed, gear) from specifications",
        rule=None,
        recipe=None,
        random=True,
        not_run="needs Paper III's proprietary bus test-drive signals and its SilGAN model; no recipe",
    ),
)
