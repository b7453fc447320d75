"""Raghu et al. (2017)'s catalogue, Figs. 6-11 (trained networks, batch norm, trajectory regularisation) and the
appendix's Figs. 14-18.

Part of ``workbench.papers.raghu.catalogue``, which assembles ``CATALOGUE`` from its parts in the paper's order (the
enumeration notes are in its docstring).
"""
from workbench.catalogue import Statement, above, below, between, within
from workbench.papers.raghu.catalogue._common import _CIFAR, _DICH, _DIGITS, _P

LATER_FIGURES: tuple[Statement, ...] = (
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
