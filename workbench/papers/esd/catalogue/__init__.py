"""Claims catalogue of Berthiaume, Paffenroth & Guo (2020), *Understanding Deep Learning: Expected Spanning
Dimension and Controlling the Flexibility of Neural Networks* (Front. Appl. Math. Stat. 6:572539).

Enumerated from the paper's text (``/work/shared/papers/esd_berthiaume2020.txt``), section by section, not from
what the code computes: §2.1 (the toy z² network), Theorem 2.1, §3.1 (J_n and J_c), §3.1.1 (effective rank),
Fig. 1, §3.3, Fig. 2, §4 (Fig. 3), §4.1 (Fig. 4), §4.2 (Fig. 5), §5.1 (Fig. 6), §5.2 (Fig. 7, Table 1), §5.3
(Fig. 8, Table 2) and §6 (Figs. 9-13, Tables 3-4). Figure numbers follow the paper's captions: Figs. 9-10 are
the synthetic x ∈ {-1, 1}^(3×224×224) inputs (best-1, best-5), Figs. 11-12 the ImageNet-image inputs, Fig. 13
the parameter count.

Rules come from the paper; tolerances say in ``note`` how they were chosen. Our text copy lost the formulas
and the bodies of Tables 1-4 and every figure image: values read "from the figure" are the values printed in
the text, and signs lost with the formulas are said in ``note``. §6 at the paper's size (18 torchvision
networks, 3×224×224 inputs, 500 inputs × 10^6 gradient coordinates × 10 repeats) needs a GPU; Figs. 11-12
need ImageNet images; Fig. 7, Table 1, Fig. 8 and Table 2 need MNIST / Fashion-MNIST / CIFAR-10, which are
not on disk here (the recipes fall back to the bundled 8×8 digits, another task). Those entries are listed
with ``not_run`` and the recipe that would compute them. The parameter-count half of §6 (Fig. 13, Table 4)
uses torchvision's shipped metadata only and runs exactly on a CPU.
"""
from workbench.catalogue import Statement
from workbench.papers.esd.catalogue.section2_3 import SECTION2_3
from workbench.papers.esd.catalogue.section4 import SECTION4
from workbench.papers.esd.catalogue.sections5_6 import SECTIONS5_6

CATALOGUE: tuple[Statement, ...] = SECTION2_3 + SECTION4 + SECTIONS5_6
