"""One package per paper: its figure and table recipes (configuration in, tidy results out;
they own seeds, devices, progress bars and executors), the plots specific to it, and its claims.

=================  ============================================================================
``esd``            Berthiaume, Paffenroth & Guo (2020), expected spanning dimension
``raghu``          Raghu, Poole, Kleinberg, Ganguli & Sohl-Dickstein (2017), trajectories
``edjm``           Wang et al. (2016), the extended data Jacobian matrix
``layer_algebra``  Badias & Banerjee, neural network layer algebra
``pl_geometry``    Johansson (2022), piecewise-linear geometry (licentiate thesis)
=================  ============================================================================

Use ``from workbench.papers import edjm`` and then ``edjm.fig1_depth(...)``.
"""
from workbench.papers import edjm, esd, layer_algebra, pl_geometry, raghu

__all__ = ["esd", "raghu", "edjm", "layer_algebra", "pl_geometry", "catalogue_statements"]


def catalogue_statements() -> list:
    """Every paper's catalogued statements (``workbench/papers/<paper>/catalogue``), checked, in paper order."""
    import importlib

    from workbench.catalogue import check_catalogue
    from workbench.claims import PAPERS

    out = []
    for name in ("esd", "raghu", "edjm", "layer_algebra", "pl_geometry"):
        out += importlib.import_module(f"workbench.papers.{name}.catalogue").CATALOGUE
    return check_catalogue(out, papers=PAPERS)
