"""Results leave the notebook: tables to Parquet/CSV, partitions to GeoJSON, networks to checkpoints.

* :func:`save` / :func:`load_table`: any result with ``.to_frame()`` (or a
  DataFrame) to ``.parquet`` or ``.csv`` and back.
* :func:`partition_geometries`, :func:`partition_geojson`,
  :func:`save_partition`: the regions of a :func:`workbench.partition_2d`
  result as shapely polygons with properties (activation pattern, rank of the
  local map ``W_R``, its slope ``||W_R||_2``, area, ...), as a GeoJSON
  ``FeatureCollection`` any GIS or plotting tool reads.
* :func:`save_checkpoint` / :func:`load_checkpoint`: a :func:`workbench.mlp`
  network's ``state_dict`` with the arguments that rebuild it, so a trained
  network comes back as an ``MLP`` every measure accepts.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from workbench._runtime import DeviceLike

__all__ = [
    "save", "load_table", "partition_geometries", "partition_geojson", "save_partition",
    "save_checkpoint", "load_checkpoint", "CHECKPOINT_FORMAT",
]

CHECKPOINT_FORMAT = "workbench.mlp/1"
_TABLE_SUFFIXES = (".parquet", ".csv")


def _frame(result) -> pd.DataFrame:
    if isinstance(result, pd.DataFrame):
        return result
    to_frame = getattr(result, "to_frame", None)
    if callable(to_frame):
        df = to_frame()
        if isinstance(df, pd.DataFrame):
            return df
    table = getattr(result, "table", None)  # older results expose .table (property or method)
    if callable(table):
        table = table()
    if isinstance(table, pd.DataFrame):
        return table
    raise TypeError(f"cannot save a {type(result).__name__}: give a DataFrame or a result with .to_frame()")


def save(result, path, *, index: bool = False) -> Path:
    """Write a result (``.to_frame()``) or a DataFrame to ``path`` (``.parquet`` or ``.csv``); returns the path.

    Parquet keeps dtypes; columns holding tuples/lists are written as lists.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _TABLE_SUFFIXES:
        raise ValueError(f"path {str(path)!r} must end in one of {_TABLE_SUFFIXES}")
    df = _frame(result)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        df.to_parquet(path, index=index)
    else:
        df.to_csv(path, index=index)
    return path


def load_table(path) -> pd.DataFrame:
    """Read a table written by :func:`save`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _TABLE_SUFFIXES:
        raise ValueError(f"path {str(path)!r} must end in one of {_TABLE_SUFFIXES}")
    if not path.is_file():
        raise FileNotFoundError(f"no table at {str(path)!r}")
    return pd.read_parquet(path) if suffix == ".parquet" else pd.read_csv(path)


# --------------------------------------------------------------------------------------
# partitions
# --------------------------------------------------------------------------------------
def _check_partition(part) -> None:
    for attr in ("polygons", "patterns", "table", "slope"):
        if not hasattr(part, attr):
            raise TypeError(f"expected a Partition (workbench.partition_2d result), got {type(part).__name__} "
                            f"without .{attr}")


def _pattern_strings(part) -> list[str]:
    P = part.patterns.detach().cpu()
    return ["".join("1" if b else "0" for b in row) for row in P.tolist()]


def partition_geometries(part):
    """The regions as a DataFrame: ``geometry`` (shapely ``Polygon``), ``pattern`` (0/1 string) and
    the columns of ``part.table()`` (``region, area, n_vertices, u, v, n_active, slope, rank, out*``)."""
    _check_partition(part)
    df = part.table().copy()
    df.insert(1, "pattern", _pattern_strings(part))
    df.insert(1, "geometry", list(part.polygons))
    return df


def _jsonable(v: Any):
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def partition_geojson(part) -> dict:
    """A GeoJSON ``FeatureCollection``: one ``Polygon`` per region with its properties.

    Properties: ``region``, ``pattern``, ``rank`` (of ``W_R``), ``slope``
    (``||W_R||_2``), ``area``, ``n_active`` and the other columns of
    ``part.table()``.  Coordinates are domain coordinates ``(u, v)``; rings
    are closed and counter-clockwise.
    """
    import shapely

    df = partition_geometries(part)
    features = []
    for row in df.to_dict("records"):
        geom = shapely.geometry.mapping(shapely.geometry.polygon.orient(row.pop("geometry"), 1.0))
        features.append({"type": "Feature", "geometry": json.loads(json.dumps(geom)),
                         "properties": {k: _jsonable(v) for k, v in row.items()}})
    u0, u1, v0, v1 = (float(b) for b in part.bounds)
    return {"type": "FeatureCollection", "bbox": [u0, v0, u1, v1], "features": features}


def save_partition(part, path) -> Path:
    """Write a partition to ``.geojson`` (or ``.json``), or its region table with WKT polygons to
    ``.parquet`` / ``.csv``."""
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".geojson", ".json"):
        path.write_text(json.dumps(partition_geojson(part)))
        return path
    if suffix in _TABLE_SUFFIXES:
        df = partition_geometries(part)
        df["geometry"] = [g.wkt for g in df["geometry"]]
        return save(df, path)
    raise ValueError(f"path {str(path)!r} must end in .geojson, .json, .parquet or .csv")


# --------------------------------------------------------------------------------------
# checkpoints
# --------------------------------------------------------------------------------------
def save_checkpoint(net, path, **metadata) -> Path:
    """Save a :func:`workbench.mlp` network: ``state_dict`` plus the arguments that rebuild it.

    ``metadata`` (JSON-able: epochs, accuracy, data set ...) is stored with it.
    """
    from workbench.nets.multilayer import MLP

    if not isinstance(net, MLP):
        raise TypeError(f"save_checkpoint takes a workbench MLP (workbench.mlp), got {type(net).__name__}; "
                        "for other modules save torch's state_dict directly")
    json.dumps(metadata)
    spec = dict(widths=list(net.widths), activation=net.activation, shortcuts=net.shortcuts, bias=bool(net.bias))
    state = {k: v.detach().cpu() for k, v in net.state_dict().items()}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"format": CHECKPOINT_FORMAT, "spec": spec, "state_dict": state, "metadata": metadata}, path)
    return path


def load_checkpoint(path, *, device: DeviceLike = None, with_metadata: bool = False):
    """Rebuild the network saved by :func:`save_checkpoint` (on ``device``, default CPU).

    Returns the ``MLP`` (or ``(MLP, metadata)`` with ``with_metadata=True``).
    """
    from workbench.nets.multilayer import mlp

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {str(path)!r}")
    ck = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(ck, dict) or ck.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{str(path)!r} is not a workbench checkpoint (format {CHECKPOINT_FORMAT!r}); "
                         f"found {ck.get('format') if isinstance(ck, dict) else type(ck).__name__!r}")
    spec = ck["spec"]
    net = mlp(spec["widths"], spec["activation"], shortcuts=spec["shortcuts"], bias=spec["bias"], seed=0)
    net.load_state_dict(ck["state_dict"])
    if device is not None:
        net = net.to(device)
    return (net, ck["metadata"]) if with_metadata else net
