"""Berthiaume, Paffenroth & Guo (2020)'s catalogue, §2-§3: the toy z² network, Theorem 2.1, J_n = V J_c, effective
rank, Fig. 1, sign inputs, Fig. 2.

Part of ``workbench.papers.esd.catalogue``, which assembles ``CATALOGUE`` from its parts in the paper's order (the
enumeration notes are in its docstring).
"""
from workbench.catalogue import Statement, above, below, between, within

SECTION2_3: tuple[Statement, ...] = (
    # ---------------------------------------------------------------- §2.1: the toy z² network
    Statement(
        id="esd.s2_1.toy_rank_jc", paper="ESD", where="§2.1",
        quote="The rank of this matrix is 4.",
        paper_value=4.0,
        quantity="exact rank of the coefficient Jacobian J_c of the toy z² network [1, 1, 1, 1] at w=(3, 9, 7), "
                 "b=(2, 4, 6)",
        rule=within(4.0, 0.0),
        recipe="workbench.measures.spanning.polynomial.coefficient_jacobian", notebook="01_spanning_dimension",
        random=False, claims=("esd.s2.toy_rank",),
        note="exact integer arithmetic, rank by workbench.exact_rank",
    ),
    Statement(
        id="esd.s2_1.toy_rank_random", paper="ESD", where="§2.1",
        quote="we computed the rank of the Jacobian at thousands of other random input weights, and, "
              "unsurprisingly, we consistently obtained a rank of 4",
        paper_value=4.0,
        quantity="fraction of 1,000 random parameter draws (nonzero integers in [-9, 9], exact) at which rank J_c "
                 "of the toy z² network is 4",
        rule=between(0.99, 1.0),
        recipe="workbench.measures.spanning.polynomial.coefficient_jacobian", notebook="01_spanning_dimension",
        random=True,
        note="integer draws can hit the measure-zero set where the rank drops (e.g. w2·b1² + b2 = 0), which the "
             "paper's real-valued draws avoid: 1% allowed for that",
    ),
    # ---------------------------------------------------------------- §2.2: Theorem 2.1
    Statement(
        id="esd.thm2_1.bound", paper="ESD", where="Theorem 2.1",
        quote="Let D(N) be the PSD of N, then D(N)l+2.",
        paper_value="D(N) ≤ l + 2",
        quantity="max over l = 1..8 of PSD([1, 1×l, 1], z²) − (l + 2), exact integer ranks (integer: < 0.5 means "
                 "≤ 0)",
        rule=below(0.5),
        recipe="workbench.papers.esd.figures.psd_over_depths", notebook="01_spanning_dimension",
        random=False, claims=("esd.thm21.attained",),
        note="the '≤' was lost in extraction; the theorem is for any polynomial activation, we check z². The "
             "registration tests that the bound is attained (PSD = l + 2), which the paper does not state",
    ),
    # ---------------------------------------------------------------- §3.1: J_n = V J_c
    Statement(
        id="esd.s3_1.toy_rank_jn", paper="ESD", where="§3.1",
        quote="This Jacobian has rank 4.",
        paper_value=4.0,
        quantity="exact rank of the network Jacobian J_n of the toy z² network at x = (1, 3, 5, −1, −3, 4), "
                 "w=(3, 9, 7), b=(2, 4, 6)",
        rule=within(4.0, 0.0),
        recipe="workbench.measures.spanning.polynomial.network_jacobian_at_points", notebook="01_spanning_dimension",
        random=False,
        note="the signs of the six points were lost in extraction; the notebook uses (1, 3, 5, −1, −3, 4); any six "
             "distinct nonzero points give the same rank (eq. 7); printed, not registered",
    ),
    Statement(
        id="esd.eq7.jn_equals_jc", paper="ESD", where="§3.1, eq. 7",
        quote="We will now show that these two definitions are equivalent for all polynomial NNs.",
        paper_value="rank J_n = rank J_c",
        quantity="max over l = 1..8 of |rank J_n − rank J_c| for the z² networks [1, 1×l, 1], exact",
        rule=within(0.0, 0.0),
        recipe="workbench.papers.esd.figures.psd_over_depths", notebook="01_spanning_dimension",
        random=False, claims=("esd.thm21.attained",),
        note="psd_points against psd; the registration folds this into its Theorem 2.1 verdict",
    ),
    # ---------------------------------------------------------------- §3.1.1: effective rank
    Statement(
        id="esd.s3_1_1.erank_bounds", paper="ESD", where="§3.1.1",
        quote="(1) 1erank(A)rank(A), where rank(A) is the number of nonzero singular values of A.",
        paper_value="1 ≤ erank(A) ≤ rank(A)",
        quantity="fraction of 1,000 random matrices (random shapes and ranks) with 1 ≤ erank ≤ numerical rank "
                 "(1e-9 slack)",
        rule=within(1.0, 0.0),
        recipe="workbench.measures.spanning.rank.effective_rank", notebook="01_spanning_dimension",
        random=True, exploratory=True,
        note="a property of Roy & Vetterli's formula, true by construction for a correct implementation: it tests "
             "our effective_rank, not an experiment of the paper",
    ),
    Statement(
        id="esd.s3_1_1.erank_invariance", paper="ESD", where="§3.1.1",
        quote="(2) erank(A)=erank(AT)=erank(cA).",
        paper_value="erank(A) = erank(Aᵀ) = erank(cA), unitary-invariant",
        quantity="max over 1,000 random A, c ≠ 0 and orthogonal U of |erank(A) − erank(c·U·Aᵀ)|",
        rule=below(1e-9),
        recipe="workbench.measures.spanning.rank.effective_rank", notebook="01_spanning_dimension",
        random=True, exploratory=True,
        note="properties (2) and (3) together; true by construction (singular values are invariant): tests our "
             "implementation only",
    ),
    # ---------------------------------------------------------------- §3.1.2: Fig. 1
    Statement(
        id="esd.fig1.relu", paper="ESD", where="Fig. 1",
        quote="Figure 1A shows the SD distribution for this MLP with ReLU activation functions with an ESD of 2.81",
        paper_value=2.81,
        quantity="mean ESD of the ReLU MLP 1-8-8-10-1 over 1,000 (weights, inputs) draws",
        rule=within(2.81, 0.1),
        recipe="workbench.papers.esd.sampling.esd", notebook="01_spanning_dimension",
        random=True, claims=("esd.fig1.relu",),
        note="the figure image is not in our copy: read from the printed 2.81; its SD spreads widely (Fig. 1A), so "
             "±0.1 allows rounding and the Monte-Carlo error of the paper's mean. Init and inputs unstated (ours: "
             "PyTorch default, uniform [−1, 1]). Registered from one seed's point value",
    ),
    Statement(
        id="esd.fig1.sigmoid", paper="ESD", where="Fig. 1",
        quote="Figure 1B shows the SD for this MLP with sigmoid activation functions with an ESD of 1.07",
        paper_value=1.07,
        quantity="mean ESD of the sigmoid MLP 1-8-8-10-1 over 1,000 (weights, inputs) draws",
        rule=within(1.07, 0.03),
        recipe="workbench.papers.esd.sampling.esd", notebook="01_spanning_dimension",
        random=True, claims=("esd.fig1.sigmoid",),
        note="the SDs sit just above the floor 1, so the information is ESD − 1 = 0.07: ±0.03 keeps it within "
             "±40% (±0.1 would accept an SD of exactly 1). The registration uses ±0.1 on one seed and says "
             "'reproduced' at 1.027 although all of its samples lie below 1.05",
    ),
    Statement(
        id="esd.fig1.relu_gt_sigmoid", paper="ESD", where="Fig. 1",
        quote="even though both MLPs have the same number of trainable parameters, the MLP with sigmoid activation "
              "functions has a much lower ESD",
        paper_value="2.81 > 1.07",
        quantity="ESD(ReLU 1-8-8-10-1) − ESD(sigmoid 1-8-8-10-1), same draws count",
        rule=above(0.0),
        recipe="workbench.papers.esd.sampling.esd", notebook="01_spanning_dimension",
        random=True,
    ),
    Statement(
        id="esd.fig1.relu_spread", paper="ESD", where="Fig. 1",
        quote="We see that the SD of the MLP with ReLU activation functions, which are not smooth, varies much more "
              "than the MLP with sigmoid activation functions.",
        paper_value="ReLU spread > sigmoid spread",
        quantity="std of the SD over draws, ReLU 1-8-8-10-1 − sigmoid 1-8-8-10-1",
        rule=above(0.0),
        recipe="workbench.papers.esd.sampling.esd", notebook="01_spanning_dimension",
        random=True,
        note="ESDResult.std of each; shown in the notebook's histograms, not registered",
    ),
    # ---------------------------------------------------------------- §3.3: sign inputs
    Statement(
        id="esd.s3_3.sign_inputs_less_noise", paper="ESD", where="§3.3",
        quote="we have found that this choice of x{1,1}n to reduces the noise in the numerical calculation of the "
              "SD of Jn",
        paper_value="x ∈ {−1, 1}^n reduces the noise",
        quantity="std of the SD over 100 draws with uniform [−1, 1] inputs − with {−1, 1} inputs, ReLU MLP "
                 "[64, 32, 32, 1]",
        rule=above(0.0),
        recipe="workbench.papers.esd.sampling.esd", notebook="01_spanning_dimension",
        random=True, exploratory=True,
        note="the paper names no network nor a noise measure: the network and 'spread over draws' are our reading; "
             "a one-input network sees only two sign points, so a many-input network is needed",
    ),
    # ---------------------------------------------------------------- §3.5: Fig. 2
    Statement(
        id="esd.fig2.toy_esd", paper="ESD", where="Fig. 2",
        quote="We see that the ESD (1.59) is significantly smaller than the PSD (4.0).",
        paper_value=1.59,
        quantity="mean ESD of the toy z² network [1, 1, 1, 1] over 2,000 draws",
        rule=within(1.59, 0.05),
        recipe="workbench.papers.esd.sampling.esd", notebook="01_spanning_dimension",
        random=True, claims=("esd.fig2.toy",),
        note="2,000 samples give the paper's mean a Monte-Carlo error near ±0.01; the information is 0.59 above "
             "the floor 1, ±0.05 is under 10% of it. The registration uses ±0.1 on one seed",
    ),
    Statement(
        id="esd.fig2.esd_below_psd", paper="ESD", where="Fig. 2",
        quote="We see that the ESD (1.59) is significantly smaller than the PSD (4.0).",
        paper_value="1.59 < 4.0",
        quantity="PSD (4) − mean ESD of the toy z² network over 2,000 draws",
        rule=above(0.0),
        recipe="workbench.papers.esd.sampling.esd", notebook="01_spanning_dimension",
        random=True, exploratory=True,
        note="true by construction: erank ≤ rank (§3.1.1, property 1), so ESD ≤ 4 always; esd.fig2.toy_esd is "
             "the informative test",
    ),
)
