"""The banner a notebook prints before its profile starts (run time here, GPU or not)."""
from __future__ import annotations

import pytest

from workbench.experiments.profiles import PROFILE_COSTS, profile_banner
from workbench.reproduce import notebook_paths


def test_every_notebook_has_smoke_and_full_costs():
    for path in notebook_paths():
        for profile in ("smoke", "full"):
            assert (path.stem, profile) in PROFILE_COSTS, f"{path.stem}: no cost for profile {profile!r}"


def test_banner_says_time_gpu_and_the_quick_profile(capsys):
    text = profile_banner("01_spanning_dimension", "full")
    assert capsys.readouterr().out.strip() == text
    from workbench.experiments.profiles import _fmt

    c = PROFILE_COSTS[("01_spanning_dimension", "full")]
    assert f"about {_fmt(c.minutes)}" in text and "2-core" in text and "GPU makes it faster" in text
    assert 'PROFILE = "smoke"' in text and "This machine:" in text
    g = profile_banner("02_esd_real_networks", "full", show=False)
    assert "needs a GPU" in g and "33 h" in g
    assert 'PROFILE = "smoke"' not in profile_banner("00_tour", "smoke", show=False)


def test_banner_of_an_unmeasured_profile(monkeypatch):
    from workbench.experiments import profiles

    monkeypatch.setitem(profiles.PROFILE_COSTS, ("00_tour", "full"),
                        profiles.ProfileCost(None, "no", "a test machine", "not timed"))
    assert "not measured yet" in profile_banner("00_tour", "full", show=False)


def test_banner_errors():
    with pytest.raises(ValueError, match="unknown notebook 'nope'"):
        profile_banner("nope", "full")
    with pytest.raises(ValueError, match="has no profile 'huge'"):
        profile_banner("00_tour", "huge")
    with pytest.raises(TypeError, match="must be strings"):
        profile_banner("00_tour", 3)
