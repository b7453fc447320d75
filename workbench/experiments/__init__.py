"""The machinery every paper's recipes share: sweeps on Dask with resumable Parquet stores,
the preset mechanism of configurations, the profiles' measured costs, and the generic
``function_1d`` of the tour.

The recipes themselves (figures and tables of each paper) live in :mod:`workbench.papers`.
"""
from workbench.experiments.distributed import (
    ENV_SCHEDULER,
    ENV_STORE,
    close_default_clients,
    connect,
    default_client,
    map_seeds,
    read_store,
    resumed_note,
    run_cells,
    source_commit,
    store_commits,
    sweep_store,
    sweep_versions,
)
from workbench.experiments.functions import FunctionConfig, function_1d
from workbench.experiments.presets import Presets, validate_fields
from workbench.experiments.profiles import PROFILE_COSTS, PROFILES, ProfileTooLongError, profile_banner

__all__ = [
    "ENV_SCHEDULER", "ENV_STORE", "connect", "default_client", "close_default_clients", "run_cells", "map_seeds",
    "read_store", "sweep_store", "resumed_note", "sweep_versions", "source_commit", "store_commits",
    "FunctionConfig", "function_1d",
    "Presets", "validate_fields",
    "PROFILE_COSTS", "PROFILES", "ProfileTooLongError", "profile_banner",
]
