"""Export: tables to Parquet/CSV, partitions as shapely polygons and GeoJSON, MLP checkpoints."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import torch

import workbench as wb
from workbench.export import (
    load_checkpoint,
    load_table,
    partition_geojson,
    partition_geometries,
    save,
    save_checkpoint,
    save_partition,
)


@pytest.fixture(scope="module")
def part():
    net = wb.mlp([2, 6, 5, 2], "relu", init="gaussian", sigma_w2=2.0, sigma_b2=0.1, seed=3)
    return wb.partition_2d(net, (-1.0, 1.0, -0.5, 1.5))


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_save_tables_roundtrip(tmp_path, suffix):
    df = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, np.nan, 2.0], "c": ["x", "y", "z"]})
    back = load_table(save(df, tmp_path / f"t{suffix}"))
    pd.testing.assert_frame_equal(back, df)

    class R:  # any result with .to_frame()
        def to_frame(self):
            return df

    pd.testing.assert_frame_equal(load_table(save(R(), tmp_path / f"r{suffix}")), df)
    res = wb.esd([1, 3, 1], samples=4, seed=0)  # ESDResult exposes .table
    pd.testing.assert_frame_equal(load_table(save(res, tmp_path / f"e{suffix}")), res.table, check_dtype=False)


def test_save_errors(tmp_path):
    with pytest.raises(ValueError, match=r"must end in one of \('.parquet', '.csv'\)"):
        save(pd.DataFrame({"a": [1]}), tmp_path / "t.xlsx")
    with pytest.raises(TypeError, match="cannot save a int"):
        save(3, tmp_path / "t.csv")
    with pytest.raises(FileNotFoundError, match="no table at"):
        load_table(tmp_path / "missing.parquet")


def test_partition_geometries_match_the_partition(part):
    df = partition_geometries(part)
    assert len(df) == len(part)
    areas = np.array([g.area for g in df["geometry"]])
    np.testing.assert_allclose(areas, part.area().numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(areas.sum(), 2.0 * 2.0, rtol=1e-9)  # the regions tile the domain
    np.testing.assert_allclose(df["slope"], part.slope().numpy())
    assert df["rank"].tolist() == torch.linalg.matrix_rank(part.W).tolist()
    P = part.patterns.numpy()
    assert df["pattern"].tolist() == ["".join("1" if b else "0" for b in row) for row in P]
    assert df["pattern"].nunique() == len(part)  # one activation pattern per region


def test_geojson_is_valid_and_carries_properties(part, tmp_path):
    import shapely

    path = save_partition(part, tmp_path / "p.geojson")
    gj = json.loads(path.read_text())
    assert gj["type"] == "FeatureCollection" and gj["bbox"] == [-1.0, -0.5, 1.0, 1.5]
    assert len(gj["features"]) == len(part)
    polys = partition_geometries(part)["geometry"]
    for f, poly in zip(gj["features"], polys):
        ring = f["geometry"]["coordinates"][0]
        assert f["geometry"]["type"] == "Polygon" and ring[0] == ring[-1]  # closed ring
        g = shapely.geometry.shape(f["geometry"])
        assert g.is_valid and g.exterior.is_ccw
        assert g.equals_exact(shapely.geometry.polygon.orient(poly, 1.0), 1e-12)
        assert {"pattern", "rank", "slope", "area", "region"} <= set(f["properties"])
    assert partition_geojson(part) == gj


def test_partition_table_files_and_errors(part, tmp_path):
    import shapely

    back = load_table(save_partition(part, tmp_path / "p.parquet"))
    assert len(back) == len(part)
    assert shapely.from_wkt(back["geometry"][0]).equals_exact(part.polygons[0], 1e-12)
    with pytest.raises(ValueError, match="must end in .geojson"):
        save_partition(part, tmp_path / "p.shp")
    with pytest.raises(TypeError, match="expected a Partition"):
        partition_geojson(pd.DataFrame())


def test_checkpoint_roundtrip_is_loadable_by_the_measures(tmp_path):
    net = wb.mlp([2, 7, 7, 1], "relu", shortcuts="add-shortcuts", seed=5)
    with torch.no_grad():
        net.layers[0].weight.mul_(1.7)  # "trained": not what seed=5 would give
    path = save_checkpoint(net, tmp_path / "net.pt", epochs=3, accuracy=0.9)
    back, meta = load_checkpoint(path, with_metadata=True)
    assert meta == {"epochs": 3, "accuracy": 0.9}
    assert back.widths == net.widths and back.shortcuts == "add-shortcuts" and back.activation == "relu"
    x = torch.rand(20, 2) * 2 - 1
    torch.testing.assert_close(back(x), net(x), rtol=0, atol=0)
    a, b = wb.partition_2d(net, (-1, 1, -1, 1)), wb.partition_2d(back, (-1, 1, -1, 1))
    assert len(a) == len(b)
    torch.testing.assert_close(a.area(), b.area())


def test_checkpoint_errors(tmp_path):
    with pytest.raises(TypeError, match="takes a workbench MLP"):
        save_checkpoint(torch.nn.Linear(2, 2), tmp_path / "x.pt")
    with pytest.raises(FileNotFoundError, match="no checkpoint at"):
        load_checkpoint(tmp_path / "missing.pt")
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="is not a workbench checkpoint"):
        load_checkpoint(tmp_path / "other.pt")
    with pytest.raises(TypeError, match="not JSON serializable"):
        save_checkpoint(wb.mlp([2, 2, 1], seed=0), tmp_path / "y.pt", when=object())
