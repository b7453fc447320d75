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
