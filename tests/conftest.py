"""Shared test setup: CPU-only, no network, headless matplotlib."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))

try:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "workbench", deadline=None, max_examples=40,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    settings.load_profile("workbench")
except ImportError:  # pragma: no cover
    pass


# -- time limits (issue 28) --------------------------------------------------------------
# pyproject sets pytest-timeout's default (600 s a test, stacks of every thread on a hang).  Tests that execute
# whole notebooks (smoke profile, about 3 minutes for all ten) or drive JupyterLab in Chromium (about 4 minutes
# for all of them, a session's server start included in the first) get this longer limit, unless they carry
# their own @pytest.mark.timeout.
LONG_TIMEOUT_S = 1800
LONG_MARKERS = ("notebook", "browser")


@pytest.hookimpl(trylast=True)  # after -m / -k / --deselect have chosen the items
def pytest_collection_modifyitems(config, items):
    skip_smoke_runs_done_in_the_browser(items)
    if not config.pluginmanager.hasplugin("timeout"):  # pytest-timeout not installed: no limits at all
        return
    for item in items:
        if item.get_closest_marker("timeout") is None and any(item.get_closest_marker(m) for m in LONG_MARKERS):
            item.add_marker(pytest.mark.timeout(LONG_TIMEOUT_S))


# -- one smoke run per notebook (CI time) -------------------------------------------------
# A browser test marked @pytest.mark.smoke_run(name) runs notebook ``name`` whole in the smoke profile in JupyterLab
# and applies the headless run's checks to it (tests/nbchecks.py).  When such a test is selected and can run
# (Chromium and playwright are there), the headless run of that notebook is skipped instead of run twice.

def browser_can_run() -> bool:
    import importlib.util

    from labtools import chromium_path  # tests/browser is on sys.path once its conftest is collected

    return chromium_path() is not None and importlib.util.find_spec("playwright") is not None


def skip_smoke_runs_done_in_the_browser(items) -> set[str]:
    """Skip ``test_notebook_runs_in_smoke_profile[name]`` for every ``name`` a selected browser test runs whole;
    returns those names."""
    covered = {}
    for item in items:
        for mark in item.iter_markers("smoke_run"):
            covered[mark.args[0]] = item.nodeid
    if not covered or not browser_can_run():
        return set()
    done = set()
    for item in items:
        if getattr(item, "originalname", "") != "test_notebook_runs_in_smoke_profile":
            continue
        name = item.callspec.params["path"].stem
        if name in covered:
            item.add_marker(pytest.mark.skip(reason=f"{name}: run whole in JupyterLab and checked alike by "
                                                    f"{covered[name]} in this session"))
            done.add(name)
    return done


@pytest.fixture
def data_root(tmp_path, monkeypatch):
    """An empty WORKBENCH_DATA folder for loader tests."""
    monkeypatch.setenv("WORKBENCH_DATA", str(tmp_path))
    return tmp_path


# -- devices: CPU always, CUDA when there is one (issue 9, item 7) --------------------
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.fixture(params=DEVICES)
def device(request):
    """Each device present: tests that take ``device`` run once per device, so a GPU run exercises CUDA."""
    return torch.device(request.param)


# --------------------------------------------------------------------------- shared small networks
# Factories (call them with a seed) so that a test can build several; all are seeded without touching
# the global RNG (torch.random.fork_rng), so test order never changes a number.

def _seeded(seed: int, build):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build()


@pytest.fixture
def make_mlp():
    """``make_mlp(widths=(2, 8, 8, 1), activation="relu", *, seed=0, **mlp_kwargs)``: a ``workbench.mlp``."""
    import workbench as wb

    def build(widths=(2, 8, 8, 1), activation="relu", *, seed=0, **kw):
        return wb.mlp(list(widths), activation, seed=seed, **kw)

    return build


@pytest.fixture
def make_convnet():
    """``make_convnet(seed=0, dtype=float64)``: 3-channel conv net, eval-mode batch norm with non-trivial
    running statistics, ReLU and tanh, adaptive pooling, 5 outputs (any input size >= 3x3)."""
    from torch import nn

    def build(seed=0, dtype=torch.float64):
        def make():
            net = nn.Sequential(
                nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 3, 3, padding=1), nn.Tanh(),
                nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(3, 5),
            )
            with torch.no_grad():  # so that eval-mode BatchNorm is not the identity
                net[1].running_mean.uniform_(-0.5, 0.5)
                net[1].running_var.uniform_(0.5, 2.0)
            return net

        return _seeded(seed, make).to(dtype).eval()

    return build


@pytest.fixture
def make_pl_convnet():
    """``make_pl_convnet(pool=None, seed=1)``: a piecewise-linear 1x8x8 conv net (conv, eval batch norm, ReLU,
    average pool (or ``pool``), conv, LeakyReLU, linear(5)) in float64, for the exact region engines."""
    from torch import nn

    def build(pool=None, seed=1):
        def make():
            layers = [nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.AvgPool2d(2),
                      nn.Conv2d(3, 4, 3), nn.LeakyReLU(0.1), nn.Flatten(), nn.Linear(16, 5)]
            if pool is not None:
                layers[3] = pool
            net = nn.Sequential(*layers).double()
            with torch.no_grad():
                net[1].running_mean.uniform_(-0.2, 0.2)
                net[1].running_var.uniform_(0.5, 1.5)
            return net

        return _seeded(seed, make).eval()

    return build
