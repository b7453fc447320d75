"""Profiles for people: the banner every notebook prints first, the long-run refusal, the cell timeouts."""
from __future__ import annotations

import pytest

from workbench.experiments import profiles
from workbench.experiments.profiles import (
    PROFILE_COSTS,
    ProfileTooLongError,
    cell_timeout,
    notebook_profile,
    profile_banner,
    profile_cost,
)
from workbench.reproduce import notebook_paths


def test_every_notebook_has_smoke_quick_and_paper_costs():
    for path in notebook_paths():
        for profile in ("smoke", "quick", "paper"):
            assert (path.stem, profile, "cpu") in PROFILE_COSTS, f"{path.stem}: no cost for profile {profile!r}"
        quick = PROFILE_COSTS[(path.stem, "quick", "cpu")]
        assert quick.minutes is not None and quick.minutes <= 2.5, f"{path.stem}: quick must fit about 2 minutes"


def test_banner_says_time_gpu_and_what_quick_means(capsys, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DEVICE", "cpu")
    text = profile_banner("01_spanning_dimension", "quick")
    assert capsys.readouterr().out.strip() == text
    assert text.startswith("Quick profile: the paper's shape at reduced size") and "This machine:" in text
    c = PROFILE_COSTS[("07_pl_training", "paper", "cpu")]
    monkeypatch.setenv(profiles.ENV_ALLOW_LONG, "")
    p = profile_banner("07_pl_training", "paper", show=False)  # 25 min: under the hour, allowed
    assert f"about {profiles.fmt_minutes(c.minutes)}" in p and "2-core" in p and "GPU makes it faster" in p
    assert "tests; the numbers mean nothing" in profile_banner("00_tour", "smoke", show=False)


def test_paper_runs_over_an_hour_on_a_cpu_are_refused_unless_allowed(monkeypatch):
    monkeypatch.setenv("WORKBENCH_DEVICE", "cpu")
    monkeypatch.delenv(profiles.ENV_ALLOW_LONG, raising=False)
    with pytest.raises(ProfileTooLongError, match=r"Refusing to start.*33 h.*WORKBENCH_ALLOW_LONG=1"):
        profile_banner("02_esd_real_networks", "paper", show=False)
    with pytest.raises(ProfileTooLongError, match="unmeasured"):
        profile_banner("05_edjm", "paper", show=False)  # the paper's MNIST sizes: not measured, needs a GPU
    monkeypatch.delenv("WORKBENCH_STORE", raising=False)
    allowed = profile_banner("02_esd_real_networks", "paper", show=False, allow_long=True)
    assert "Long run allowed" in allowed and "resumes" not in allowed
    monkeypatch.setenv("WORKBENCH_STORE", "/runs/stores/02_esd_real_networks")  # as workbench reproduce sets it
    assert "keep each finished cell in /runs/stores/02_esd_real_networks: stopped part-way, the same command " \
           "resumes them" in profile_banner("02_esd_real_networks", "paper", show=False, allow_long=True)
    monkeypatch.setenv(profiles.ENV_ALLOW_LONG, "1")
    assert "needs a GPU" in profile_banner("02_esd_real_networks", "paper", show=False)
    assert "45 min" in profile_banner("02_esd_real_networks", "cpu", show=False)  # the cpu sizes: under an hour


def test_cpu_profile_means_paper_where_a_notebook_has_no_cpu_sizes():
    assert notebook_profile("02_esd_real_networks", "cpu") == "cpu"
    assert notebook_profile("03_linear_regions", "cpu") == "paper"
    assert profile_cost("03_linear_regions", "cpu", "cpu") is PROFILE_COSTS[("03_linear_regions", "paper", "cpu")]
    # on a GPU nothing is measured yet: the CPU figure stands as the bound
    assert profile_cost("04_trajectories", "paper", "cuda") is PROFILE_COSTS[("04_trajectories", "paper", "cpu")]


def test_cell_timeout_fits_the_profile():
    assert cell_timeout("00_tour", "quick") == 600  # at least ten minutes
    minutes = profiles.PROFILE_COSTS[("09_esd_more", "paper", "cpu")].minutes
    assert cell_timeout("09_esd_more", "paper") == int(2 * 60 * minutes) > 1800  # longer than papermill's 30 minutes
    assert cell_timeout("05_edjm", "paper") == 4 * 3600  # unmeasured


def test_banner_of_an_unmeasured_profile(monkeypatch):
    monkeypatch.setenv("WORKBENCH_DEVICE", "cpu")
    monkeypatch.setitem(profiles.PROFILE_COSTS, ("00_tour", "quick", "cpu"),
                        profiles.ProfileCost(None, "no", "a test machine", "not timed"))
    assert "not measured yet" in profile_banner("00_tour", "quick", show=False)


def test_banner_errors():
    with pytest.raises(ValueError, match="unknown notebook 'nope'"):
        profile_banner("nope", "quick")
    with pytest.raises(ValueError, match="unknown profile 'huge'"):
        profile_banner("00_tour", "huge")
    with pytest.raises(ValueError, match="unknown profile 'full'"):
        profile_banner("00_tour", "full")  # the old name: paper
    with pytest.raises(TypeError, match="must be strings"):
        profile_banner("00_tour", 3)
