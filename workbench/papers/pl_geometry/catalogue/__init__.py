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
from workbench.catalogue import Statement
from workbench.papers.pl_geometry.catalogue.chapter2 import CHAPTER2
from workbench.papers.pl_geometry.catalogue.chapter3 import CHAPTER3

CATALOGUE: tuple[Statement, ...] = CHAPTER2 + CHAPTER3
