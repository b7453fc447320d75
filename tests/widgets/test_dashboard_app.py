"""The Voilà dashboards (``workbench.widgets.dashboard``): every named dashboard builds its panels headless."""
from __future__ import annotations

import ipywidgets as W
import pytest

from workbench.widgets import dashboard_app
from workbench.widgets.dashboard_app import DASHBOARDS, dashboard, dashboard_name


@pytest.mark.parametrize("name", ["07_pl_training", "10_atlas"])
def test_new_dashboards_build_their_panels(name, monkeypatch):
    monkeypatch.setattr(dashboard_app, "_panels", _drawn_panels(dashboard_app._panels))
    box = dashboard(name)
    assert isinstance(box, W.VBox) and DASHBOARDS[name] in box.children[0].value
    assert len(box.children) == 2 and "wb-panel" in box.children[1]._dom_classes


def _drawn_panels(panels):
    def wrapped(name):
        out = panels(name)
        for p in out:
            if hasattr(p, "wait"):
                assert p.wait(120)
                assert p.last_error is None and p.figure is not None, f"{name}: {p.last_error!r}"
        return out
    return wrapped


def test_playground_dashboard_offers_the_five_data_sets():
    (pg,) = dashboard_app._panels("07_pl_training")
    assert {"circle", "xor", "gauss", "spiral", "two moons"} <= {str(v) for v in _values(pg.controls["dataset"])}
    assert pg.controls["dataset"].value == "spiral"


def _values(dd):
    return [o[1] if isinstance(o, tuple) else o for o in dd.options]


def test_unknown_dashboard_is_named(monkeypatch):
    with pytest.raises(ValueError, match="no dashboard named 'nope'; choose one of"):
        dashboard("nope")
    monkeypatch.setenv("QUERY_STRING", "nb=10_atlas")
    assert dashboard_name() == "10_atlas"
