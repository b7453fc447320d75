"""The resource guards (issue 14): every guard refuses a request just over a small budget, before allocating.

Each test sets a small budget with ``workbench.limits.max_bytes_budget`` (or a small ``max_regions`` /
``max_terms``) and asks for a little more than it allows, so nothing large is ever allocated.
"""
from __future__ import annotations

import html
import os
import re
import time

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import workbench as wb
from workbench import limits
from workbench.limits import ResourceLimitError, max_bytes_budget
from workbench.measures.spanning.polynomial import DEFAULT_MAX_TERMS, expansion_work

CPU = "cpu"
KNOB = "raise the budget"


def test_budget_context_and_environment(monkeypatch):
    monkeypatch.delenv(limits.ENV_MAX_BYTES, raising=False)
    with max_bytes_budget("1MiB") as b:
        assert b == 2**20 and limits.default_max_bytes() == 2**20
        with max_bytes_budget(1000):
            assert limits.default_max_bytes() == 1000
        assert limits.default_max_bytes() == 2**20
    monkeypatch.setenv(limits.ENV_MAX_BYTES, "3GiB")
    assert limits.default_max_bytes() == 3 * 2**30
    monkeypatch.setenv(limits.ENV_MAX_BYTES, "lots")
    with pytest.raises(ValueError, match="WORKBENCH_MAX_BYTES='lots' is not a size"):
        limits.default_max_bytes()


def test_default_budget_is_half_the_physical_memory(monkeypatch):
    import os

    monkeypatch.delenv(limits.ENV_MAX_BYTES, raising=False)
    monkeypatch.setattr(limits, "_cgroup_budgets", lambda: [])  # no container limit, no rlimit: the physical rule
    monkeypatch.setattr(limits, "_rlimit_budgets", lambda: [])
    phys = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert limits.default_max_bytes(device=CPU) == phys // 2
    assert limits.memory_budget(device=CPU).source.startswith("half the physical memory")


# -- where the budget comes from (issue 28) ---------------------------------------------------
def _cgroup(folder, limit, usage, stat_key, inactive):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "limit").write_text(f"{limit}\n")
    (folder / "usage").write_text(f"{usage}\n")
    (folder / "memory.stat").write_text(f"active_file 5\n{stat_key} {inactive}\nanon 7\n")
    return str(folder), "limit", "usage", stat_key


def test_cgroup_limits_minus_their_use(monkeypatch, tmp_path):
    """v2 ``memory.max`` ('max' is no limit) and v1 ``memory.limit_in_bytes`` (2**63 - 4096 is none), less what
    the cgroup uses now without its inactive file cache; the smallest headroom of the cgroup and its parents."""
    G = 2**30
    dirs = [_cgroup(tmp_path / "v2", 8 * G, 3 * G, "inactive_file", G),  # 8 - (3 - 1) = 6 GiB left
            _cgroup(tmp_path / "v2none", "max", G, "inactive_file", 0),
            _cgroup(tmp_path / "v1", 5 * G, 2 * G, "total_inactive_file", 0),  # 3 GiB left
            _cgroup(tmp_path / "v1none", 2**63 - 4096, G, "total_inactive_file", 0)]
    monkeypatch.setattr(limits, "_cgroup_dirs", lambda: dirs)
    monkeypatch.setattr(limits, "_rlimit_budgets", lambda: [])
    monkeypatch.delenv(limits.ENV_MAX_BYTES, raising=False)
    got = limits._cgroup_budgets()
    assert [b.bytes for b in got] == [6 * G, 3 * G]
    assert got[0].source == f"the cgroup memory limit 8.0 GiB ({tmp_path / 'v2' / 'limit'}) minus 2.0 GiB in use"
    monkeypatch.setattr(limits, "_physical_bytes", lambda: 64 * G)
    b = limits.memory_budget(device=CPU)
    assert b.bytes == 3 * G and "cgroup memory limit 5.0 GiB" in b.source and "memory limit" in b.raise_limit
    with max_bytes_budget("1GiB"):
        with pytest.raises(ResourceLimitError) as e:
            limits.check_bytes(2 * G, "two things", "pass fewer things", device=CPU)
    assert "memory budget of 1.0 GiB (workbench.limits.max_bytes_budget(...))" in str(e.value)
    with pytest.raises(ResourceLimitError, match=r"budget of 3.0 GiB \(the cgroup memory limit 5.0 GiB .*minus "
                                                 r"2.0 GiB in use\).*Pass fewer things.*container's"):
        limits.check_bytes(4 * G, "four things", "pass fewer things", device=CPU)
    # the physical rule when it is the smallest; on this machine's real files nothing breaks
    monkeypatch.setattr(limits, "_physical_bytes", lambda: 4 * G)
    assert limits.memory_budget(device=CPU).bytes == 2 * G
    monkeypatch.undo()
    assert limits.memory_budget(device=CPU).bytes > 0


def test_rlimits_minus_what_is_mapped(monkeypatch):
    """RLIMIT_AS less VmSize, RLIMIT_DATA less VmData; RLIM_INFINITY is no limit; WORKBENCH_MAX_BYTES,
    max_bytes_budget and max_bytes= still override, and name themselves."""
    import resource

    G = 2**30
    status = limits._read_fields("/proc/self/status")
    assert status["VmSize"] > 0 and status["VmData"] > 0  # bytes (the file says kB)
    rl = {resource.RLIMIT_AS: (status["VmSize"] + 3 * G, resource.RLIM_INFINITY),
          resource.RLIMIT_DATA: (resource.RLIM_INFINITY, resource.RLIM_INFINITY)}
    monkeypatch.setattr(resource, "getrlimit", lambda which: rl.get(which, (resource.RLIM_INFINITY,) * 2))
    monkeypatch.setattr(limits, "_cgroup_budgets", lambda: [])
    monkeypatch.delenv(limits.ENV_MAX_BYTES, raising=False)
    (b,) = limits._rlimit_budgets()
    assert 2 * G < b.bytes <= 3 * G  # the process may have mapped a little more since
    assert re.fullmatch(r"RLIMIT_AS [0-9.,]+ GiB minus [0-9.,]+ GiB already mapped", b.source)
    if limits._physical_bytes() // 2 > 3 * G:
        assert limits.memory_budget(device=CPU).source.startswith("RLIMIT_AS ")
        with pytest.raises(ResourceLimitError) as e:
            wb.circle(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), 10**8)
        msg = str(e.value)
        assert "circle of n=100,000,000 points" in msg and "more than the memory budget of" in msg
        assert "RLIMIT_AS" in msg and "already mapped" in msg and "Pass a smaller n" in msg and "ulimit -v" in msg
    rl[resource.RLIMIT_DATA] = (status["VmData"] // 2, resource.RLIM_INFINITY)  # already over: no room at all
    d = limits.memory_budget(device=CPU)
    assert d.bytes == 0 and d.source.startswith("RLIMIT_DATA") and "of data already mapped" in d.source
    monkeypatch.setenv(limits.ENV_MAX_BYTES, "5GiB")
    assert limits.memory_budget(device=CPU) == limits.Budget(5 * G, "WORKBENCH_MAX_BYTES=5GiB")
    with max_bytes_budget("2GiB"):
        assert limits.default_max_bytes(device=CPU) == 2 * G
    assert limits.memory_budget(max_bytes=1000).source == "max_bytes=1,000 bytes"


# -- a real lowered address-space limit (issue 28): refused with the estimate, never in the allocator -------
_LOWERED = """
import resource, sys, time
import torch
import workbench as wb
from workbench.limits import _read_fields

x0, x1 = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
far = torch.tensor([-1000.0, -1000.0]), torch.tensor([1000.0, 1000.0])
calls = {
    "spanning_dimension": lambda: wb.spanning_dimension(wb.mlp([2, 256, 256, 1], seed=0), torch.rand(20000, 2)),
    "partition_2d": lambda: wb.partition_2d(wb.mlp([2, 1024, 1024, 1024, 1], seed=0), (-100, 100, -100, 100)),
    "count_regions_on_segment": lambda: wb.count_regions_on_segment(
        wb.mlp([2, 5000, 2000, 2000, 2000, 1], seed=0), *far),
    "circle_transitions": lambda: wb.circle_transitions(
        wb.mlp([2, 3500] + [1000] * 7 + [1], seed=0), x0, x1, keep_patterns=True),
}
vm = _read_fields("/proc/self/status")["VmSize"]
resource.setrlimit(resource.RLIMIT_AS, (vm + 2 * 2**30, resource.getrlimit(resource.RLIMIT_AS)[1]))
t = time.perf_counter()
try:
    calls[sys.argv[1]]()
except wb.ResourceLimitError as e:
    print(f"REFUSED in {time.perf_counter() - t:.1f} s: {e}")
else:
    print(f"NOT REFUSED in {time.perf_counter() - t:.1f} s")
"""


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc (VmSize)")
@pytest.mark.parametrize("call, what, knob", [
    ("spanning_dimension", r"the parameter Jacobian of 20,000 points x 66,817 parameters", r"Pass fewer points"),
    ("partition_2d", r"splitting the first layer \(layers.0.act: 1,024 lines cutting the domain into [0-9,]+ regions",
     r"Pass a smaller domain \(bounds\) or a smaller network"),
    ("count_regions_on_segment", r"the [0-9,]+ pieces of the path\(s\) at hidden layer 1 \(width 5,000\)",
     r"Walk fewer paths at once or use a smaller network"),
    ("circle_transitions", r"the [0-9,]+ pieces of the path\(s\) at hidden layer 1 \(width 3,500\)",
     r"Walk fewer paths at once or use a smaller network"),
])
def test_lowered_address_space_limit_is_the_budget(call, what, knob):
    """Under RLIMIT_AS = VmSize + 2 GiB (set in the child after torch is imported) each request, whose estimate
    is several GiB (it would fit this machine's default budget), is refused at once with the estimate, the
    budget, where the budget came from and both knobs, instead of dying in the allocator."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != limits.ENV_MAX_BYTES}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _LOWERED, call], capture_output=True, text=True, timeout=450,
                         env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    msg = out.stdout.strip()
    assert msg.startswith("REFUSED in "), msg + out.stderr[-3000:]
    print(f"{call}: {time.perf_counter() - t:.1f} s with the import; {msg[:120]}")
    assert re.search(what + r".* would need about [0-9.,]+ GiB, more than the memory budget of [0-9.,]+ [GM]iB "
                     r"\(RLIMIT_AS [0-9.,]+ GiB minus [0-9.,]+ GiB already mapped\); refused before allocating. "
                     + knob + r".*or raise the budget \(max_bytes=.*WORKBENCH_MAX_BYTES.*ulimit -v", msg), msg
    assert float(msg.split()[2]) < 30  # seconds from the call to the refusal (the import not counted)


# -- measures: trajectories -------------------------------------------------------------
def test_circle_and_segment_refuse_over_budget():
    x0, x1 = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    with max_bytes_budget(10_000):
        assert wb.circle(x0, x1, 100).shape == (100, 2)  # 100 * (3 * 8 + 24) bytes fits
        with pytest.raises(ResourceLimitError, match=r"circle of n=1,000 points in 2 dimensions.*Pass a smaller n"):
            wb.circle(x0, x1, 1000)
        with pytest.raises(ResourceLimitError, match=r"segment of n=1,000 points"):
            wb.segment(x0, x1, 1000)


def test_layer_images_refuse_over_budget():
    net = wb.mlp([2, 64, 64, 1], seed=0)
    X = torch.randn(200, 2)
    with max_bytes_budget(100_000):
        with pytest.raises(ResourceLimitError, match=r"layer images of 200 points through \[2, 64, 64, 1\]"):
            wb.layer_images(net, X, device=CPU)
    with max_bytes_budget(1_000_000):
        assert len(wb.layer_images(net, X, device=CPU)) == 4


# -- measures: Jacobians ------------------------------------------------------------------
def test_parameter_jacobian_refuses_and_chunks():
    net = wb.mlp([2, 16, 1], seed=0)  # 65 parameters
    X = torch.rand(100, 2)
    need = wb.measures.spanning.dimension.jacobian_bytes(100, 65, 1, torch.float32)
    with max_bytes_budget(need // 2):
        with pytest.raises(ResourceLimitError, match=r"parameter Jacobian of 100 points x 65 parameters.*fewer points"):
            wb.parameter_jacobian(net, X, device=CPU)
        with pytest.raises(ResourceLimitError, match=r"parameter Jacobian of 100 points x 65 parameters"):
            wb.spanning_dimension(net, X, device=CPU)
    # the whole batch's working memory does not fit but the result does: it is chunked, same numbers
    J_all = wb.parameter_jacobian(net, X, device=CPU)
    with max_bytes_budget(int(1.5 * need)):
        J = wb.parameter_jacobian(net, X, device=CPU)
    assert torch.equal(J, J_all)


def test_spanning_dimension_refuses_the_svd_copy():
    net = wb.mlp([2, 16, 1], seed=0)
    X = torch.rand(100, 2)
    need = wb.measures.spanning.dimension.jacobian_bytes(100, 65, 1, torch.float32)
    with max_bytes_budget(need + 1000):  # the Jacobian fits (chunked), its copy and the SVD workspace do not
        with pytest.raises(ResourceLimitError, match=r"singular values of the 100 x 65 Jacobian"):
            wb.spanning_dimension(net, X, device=CPU)


def test_esd_refuses_one_sample_over_budget():
    with max_bytes_budget(100_000):
        with pytest.raises(ResourceLimitError, match=r"one sample's Jacobian of 97 points x 97 parameters"):
            wb.esd([1, 8, 8, 1], samples=1, device=CPU)
        assert wb.esd([1, 2, 1], samples=2, device=CPU).n_params == 7


def test_sampled_jacobian_and_gram_refuse_over_budget():
    net = wb.mlp([2, 32, 1], seed=0).eval()
    X = torch.rand(50, 2)
    coords = torch.arange(wb.count_parameters(net))
    with max_bytes_budget(5_000):
        with pytest.raises(ResourceLimitError, match=r"sampled Jacobian of 50 inputs x 129 coordinates"):
            wb.measures.sampled_gradient_rows(net, X, coords, device=CPU)
        with pytest.raises(ResourceLimitError, match=r"50 x 50 Gram matrix"):
            wb.sampled_spanning_dimension(net, X, k=129, seed=0, device=CPU)


def test_edjm_refuses_over_budget_with_the_gram_hint():
    net = wb.mlp([16, 8, 3], seed=0)
    X = torch.rand(40, 16)
    with max_bytes_budget(1_000):
        with pytest.raises(ResourceLimitError, match=r"3 EDJMs of 40 inputs x 16 input dimensions.*store='gram'"):
            wb.edjm(net, X, device=CPU)
    with pytest.raises(ResourceLimitError, match=r"3 Gram matrices of 16 x 16"):
        wb.edjm(net, X, store="gram", max_bytes=100, device=CPU)
    assert wb.edjm(net, X, device=CPU).exact


def test_dichotomy_sweep_refuses_n_steps_over_budget():
    net = wb.mlp([4, 16, 1], seed=0)
    X = torch.randn(5, 4)
    with max_bytes_budget(200_000):
        with pytest.raises(ResourceLimitError, match=r"weight sweep of 100,000 steps over 5 inputs.*smaller n_steps"):
            wb.count_dichotomies(net, X, n_steps=100_000, device=CPU)
        assert wb.count_dichotomies(net, X, n_steps=50, device=CPU).n_steps == 50


def test_circle_transitions_pieces_bound_bytes_too():
    net = wb.mlp([2, 64, 1], seed=0)
    x0, x1 = torch.tensor([3.0, 0.0]), torch.tensor([0.0, 3.0])
    with max_bytes_budget(2_000):
        with pytest.raises(ResourceLimitError, match=r"pieces of the path\(s\) at hidden layer 1 \(width 64\)"):
            wb.circle_transitions(net, x0, x1, device=CPU)
    assert wb.circle_transitions(net, x0, x1, device=CPU).n_pieces > 1


# -- measures: partition ------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_max_regions_stops_inside_a_layer_quickly(engine):
    """A 2-256x3 partition (far more than 3,000 regions) stops within seconds at max_regions=3,000."""
    net = wb.mlp([2, 256, 256, 256, 1], seed=0)
    t = time.perf_counter()
    with pytest.raises(wb.RegionLimitError, match=r"max_regions=3,000"):
        wb.partition_2d(net, max_regions=3_000, engine=engine, device=CPU)
    assert time.perf_counter() - t < 30


def test_fast_engine_counts_queued_regions(monkeypatch):
    """Regions queued in unfinished chunks count: the breach comes in the first chunk of layer 2,
    before the engine has finished even half of the regions of layer 1."""
    from workbench.measures.partition import engine as pe

    net = wb.mlp([2, 128, 32, 1], seed=0)
    r1 = len(wb.partition_2d(net, layers=1, device=CPU))
    assert r1 > 3 * 256
    monkeypatch.setattr(pe, "_CHUNK_BYTES", 1)  # chunks of 256 regions
    emitted = []
    emit = pe._Engine._emit
    monkeypatch.setattr(pe._Engine, "_emit", lambda self, V, *a: (emitted.append(V.shape[0]), emit(self, V, *a)))
    with pytest.raises(wb.RegionLimitError, match=r"max_regions="):
        wb.partition_2d(net, max_regions=r1 + 10, device=CPU)
    assert sum(emitted) < r1 / 2
    emitted.clear()
    n = len(wb.partition_2d(net, device=CPU))
    assert sum(emitted) == n > r1 + 10


def test_reference_engine_refuses_over_budget():
    net = wb.mlp([2, 32, 32, 1], seed=0)
    with max_bytes_budget(20_000):
        with pytest.raises(ResourceLimitError, match=r"regions.*layer"):
            wb.partition_2d(net, engine="reference", device=CPU)


# -- measures: polynomial -------------------------------------------------------------------
def test_polynomial_expansion_refuses_deep_and_wide_networks_before_starting():
    deep = wb.mlp([1] + [8] * 12 + [1], "square")
    t = time.perf_counter()
    with pytest.raises(ResourceLimitError, match=r"degree 4096, 817 parameters; forward route.*max_terms="):
        wb.polynomial_spanning_dimension(deep)
    with pytest.raises(ResourceLimitError, match=r"points route"):
        wb.polynomial_spanning_dimension_points(deep)
    with pytest.raises(ResourceLimitError, match=r"sympy route"):
        wb.measures.coefficient_jacobian(wb.mlp([1, 2, 2, 2, 1], "square"), method="sympy")
    assert time.perf_counter() - t < 2
    assert expansion_work(deep) > DEFAULT_MAX_TERMS


def test_polynomial_max_terms_is_the_knob():
    net = wb.mlp([1, 1, 1, 1], "square")
    w = expansion_work(net)
    with pytest.raises(ResourceLimitError, match=r"more than the limit of 100"):
        wb.polynomial_spanning_dimension(net, max_terms=100)
    assert wb.polynomial_spanning_dimension(net, max_terms=w) == 4
    with pytest.raises(ValueError, match="max_terms must be a positive number"):
        wb.polynomial_spanning_dimension(net, max_terms=-1)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4))
def test_expansion_work_grows_with_depth_and_width(hidden):
    net = wb.mlp([1, *hidden, 1], "square")
    deeper = wb.mlp([1, *hidden, hidden[-1], 1], "square")
    wider = wb.mlp([1, *[h + 1 for h in hidden], 1], "square")
    for route in ("forward", "points", "sympy"):
        assert expansion_work(deeper, route) > expansion_work(net, route)
        assert expansion_work(wider, route) > expansion_work(net, route)


# -- nets and data ------------------------------------------------------------------------
def test_network_constructors_refuse_parameters_over_budget():
    with max_bytes_budget(10_000):
        with pytest.raises(ResourceLimitError, match=r"widths \[2, 100, 100, 1\] \(10,501 parameters\)"):
            wb.mlp([2, 100, 100, 1])
        with pytest.raises(ResourceLimitError, match="parameters"):
            wb.dense_net(2, [100, 100], 1)
        with pytest.raises(ResourceLimitError, match="parameters"):
            wb.mixed_mlp([2, 100, 100, 1], ["relu", "tanh"])
        assert wb.mlp([2, 8, 1]).widths == [2, 8, 1]


def test_synthetic_data_refuse_over_budget():
    with max_bytes_budget(10_000):
        with pytest.raises(ResourceLimitError, match=r"1,000 noise images of shape \(28, 28\)"):
            wb.data.noise_images(1000)
        with pytest.raises(ResourceLimitError, match=r"10,000 random points in 1 dimensions"):
            wb.data.random_points(10_000)
        with pytest.raises(ResourceLimitError, match=r"10,000 random inputs of dimension 2"):
            wb.papers.esd.draw_inputs(10_000, 2)


def test_messages_name_the_knobs_and_the_budget():
    with max_bytes_budget("1KiB"):
        with pytest.raises(ResourceLimitError) as e:
            wb.circle(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), 10_000)
    msg = str(e.value)
    assert "more than the memory budget of 1.0 KiB" in msg and KNOB in msg and "WORKBENCH_MAX_BYTES" in msg
    assert isinstance(e.value, MemoryError)


def test_esd_panel_compute_anyway_is_refused_under_the_plot():
    from workbench.widgets.esd_panel import ESDPanel

    p = ESDPanel(auto=False, samples=2, width=8, depth=2, device=CPU)
    assert "MiB per sample" in p.cost(**p.params)
    with max_bytes_budget(10_000):
        p.refresh(force=True)
    assert isinstance(p.last_error, ResourceLimitError)
    assert "one sample's Jacobian" in html.unescape(p.status.value)
    assert "one sample's Jacobian" in p.errors.outputs[0]["text"]  # under the plot, with the traceback
    p.update(width=2, depth=1)  # the next valid input works
    assert p.last_error is None and p.result is not None


def test_sequential_with_a_nan_slope_is_refused_by_the_exact_engines():
    net = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(float("nan")), nn.Linear(4, 1))
    with pytest.raises(ValueError, match=r"LeakyReLU\) has negative_slope=nan; give a finite number"):
        wb.partition_2d(net, device=CPU)


def test_circle_transitions_estimate_is_linear_in_width():
    """The pieces' bytes are coefficients x width per piece, not width squared (which refused notebooks 04/08)."""
    net = wb.mlp([2, 200, 200, 200, 1], init="gaussian", sigma_w2=2.0, seed=0)
    x0, x1 = torch.tensor([3.0, 0.0]), torch.tensor([0.0, 3.0])
    free = wb.circle_transitions(net, x0, x1, device=CPU)
    per_piece_squared = 3 * 3 * 200 * 200 * 8  # the old, wrong estimate
    n = int(torch.as_tensor(free.n_pieces).sum())
    with max_bytes_budget(n * per_piece_squared // 20):  # ~3x the linear estimate (piece_bytes), 1/20 the square
        assert int(torch.as_tensor(wb.circle_transitions(net, x0, x1, device=CPU).n_pieces).sum()) == n


def test_small_requests_skip_the_machine_budget_but_never_a_budget_set_by_hand(monkeypatch):
    """Under UNCHECKED_BYTES the machine's files are not read (issue 29: a tenth of a small call); a budget set
    by hand (max_bytes=, max_bytes_budget, WORKBENCH_MAX_BYTES) still refuses any size, and the machine's
    budget still refuses what is at or over the threshold."""
    monkeypatch.delenv(limits.ENV_MAX_BYTES, raising=False)
    reads = []
    monkeypatch.setattr(limits, "_cgroup_budgets",
                        lambda: reads.append(1) or [limits.Budget(2**20, "a 1 MiB cgroup headroom")])
    monkeypatch.setattr(limits, "_rlimit_budgets", lambda: [])
    small = limits.UNCHECKED_BYTES - 1
    limits.check_bytes(small, "a small thing", "pass less", device=CPU)  # over the 1 MiB headroom, not read
    assert reads == []
    with pytest.raises(ResourceLimitError, match=r"budget of 1.0 MiB \(a 1 MiB cgroup headroom\)"):
        limits.check_bytes(limits.UNCHECKED_BYTES, "a 16 MiB thing", "pass less", device=CPU)
    assert reads == [1]
    with pytest.raises(ResourceLimitError, match="max_bytes=1,000"):
        limits.check_bytes(2000, "two thousand bytes", "pass less", max_bytes=1000, device=CPU)
    with max_bytes_budget(1000), pytest.raises(ResourceLimitError, match="max_bytes_budget"):
        limits.check_bytes(2000, "two thousand bytes", "pass less", device=CPU)
    monkeypatch.setenv(limits.ENV_MAX_BYTES, "1000")
    with pytest.raises(ResourceLimitError, match="WORKBENCH_MAX_BYTES=1000"):
        limits.check_bytes(2000, "two thousand bytes", "pass less", device=CPU)
