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
from workbench.catalogue import Statement
from workbench.papers.raghu.catalogue.later_figures import LATER_FIGURES
from workbench.papers.raghu.catalogue.lengths import LENGTHS
from workbench.papers.raghu.catalogue.regions import REGIONS

__all__ = ["CATALOGUE"]

CATALOGUE: tuple[Statement, ...] = REGIONS + LENGTHS + LATER_FIGURES
