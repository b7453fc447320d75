"""The testable statements of Wang et al. (2016), *Analysis of Deep Neural Networks with the Extended Data
Jacobian Matrix* (EDJM), enumerated from the paper's text section by section, with the rule that judges each.

Sections: §2-§3 (the DJM as the exact per-point linear system of a ReLU net, eqs. 10-11; a linear net's
single-component spectrum), §4.1 and Fig. 1 (depth at fixed hidden units / parameters; the 2^H bound), §4.2
and Fig. 2 (convolutional against feed-forward, and the hidden-unit argument), §4.3 and Fig. 3 (model
compression: the full five-model ordering of scores and of accuracies), §4.4 and Fig. 4 (dropout, four
structures), §4.5 and Fig. 5 (an averaged ensemble), §5, Fig. 6 and Table 1 (the SVD-layer spectral
regulariser on MNIST, CIFAR-10 and TIMIT) and §6 (score against accuracy).

Every figure pairs a score with an accuracy: both halves are catalogued. An ordering "A > B" is a
difference with ``above(0.0)`` (a tie is inconclusive, never a win); an ordering of k models is one entry
per adjacent pair, or the rank correlation with depth held to the paper's strict order
(``within(1.0, 0.0)``: Spearman = 1 in every seed).

What differs from the paper's setup, once: the paper uses MNIST (784 inputs), CIFAR-10 (3072) and TIMIT,
networks of thousands of units, 10,000 validation images and grid-searched learning rates; the notebook
(``05_edjm``) uses MNIST / CIFAR-10 only when they are on disk and otherwise the bundled 8x8 digits for
both names (64 inputs, so a score is at most 7, where the paper's are at most 79 and 308: raw scores are
not comparable, orderings and ratios are), 500 validation images and one fixed learning rate. The notebook
runs Figs. 1, 2, 4 and 6 on the MNIST name only and Figs. 3 and 5 on the CIFAR-10 name only; the other
panels are listed with ``not_run``. TIMIT (an LDC corpus) is not available here.
"""
from workbench.catalogue import Statement
from workbench.papers.edjm.catalogue.figs1_2 import FIGS1_2
from workbench.papers.edjm.catalogue.figs3_5 import FIGS3_5
from workbench.papers.edjm.catalogue.regulariser import REGULARISER

CATALOGUE: tuple[Statement, ...] = FIGS1_2 + FIGS3_5 + REGULARISER
