"""Sweeps on Dask: same cells, same numbers; finished cells kept in Parquet; resume; clear errors."""
from __future__ import annotations

import pandas as pd
import pytest
import torch

from workbench.experiments import distributed as dist
from workbench.experiments.distributed import ENV_SCHEDULER, connect, default_client, read_store, run_cells


def square(c):
    return [dict(x=c["x"], y=c["x"] ** 2, part=p) for p in range(c["x"] % 3)]  # 0, 1 or 2 rows per cell


CELLS = [dict(x=x) for x in range(10)]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(ENV_SCHEDULER, raising=False)


def test_local_rows_in_cell_order():
    df = run_cells(square, CELLS, progress=False)
    expected = pd.DataFrame([r for c in CELLS for r in square(c)])
    pd.testing.assert_frame_equal(df, expected)
    info = df.attrs["sweep"]
    assert info["n_cells"] == 10 and info["n_resumed"] == 0 and info["workers"] == {"local": 10}
    assert run_cells(lambda c: dict(c), [dict(a=1)], progress=False).to_dict("records") == [dict(a=1)]
    assert run_cells(lambda c: pd.DataFrame([c, c]), [dict(a=1)], progress=False).shape == (2, 1)


def test_input_errors():
    with pytest.raises(TypeError, match="fn must be callable"):
        run_cells(3, CELLS)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        run_cells(square, CELLS, batch_size=0)
    with pytest.raises(ValueError, match="cells must be distinct"):
        run_cells(square, [dict(x=1), dict(x=1)])
    with pytest.raises(TypeError, match="each cell must be a dict"):
        run_cells(square, [1, 2])
    with pytest.raises(TypeError, match="must return a dict, a list of dicts or a DataFrame"):
        run_cells(lambda c: 5, CELLS, progress=False)
    with pytest.raises(TypeError, match="client must be a dask.distributed.Client"):
        run_cells(square, CELLS, client=42)


def test_store_resumes_after_interruption(tmp_path):
    calls = []

    def flaky(c):
        calls.append(c["x"])
        if c["x"] == 6 and len(calls) < 20:  # the first run dies at cell 6 (a crash, a killed job)
            raise KeyboardInterrupt
        return square(c)

    store = tmp_path / "sweep"
    with pytest.raises(KeyboardInterrupt):
        run_cells(flaky, CELLS, store=store, sweep="squares", batch_size=2, progress=False)
    assert calls == [0, 1, 2, 3, 4, 5, 6]
    assert sorted(read_store(store)) == sorted(dist._key(dict(x=x)) for x in range(6))  # 3 files of 2 cells
    assert not list(store.glob("*.tmp"))
    calls.clear()
    calls.extend([None] * 20)  # the next run does not fail
    df = run_cells(flaky, CELLS, store=store, sweep="squares", batch_size=2, progress=False)
    assert calls[20:] == [6, 7, 8, 9]  # only the missing cells ran
    assert df.attrs["sweep"]["n_resumed"] == 6
    pd.testing.assert_frame_equal(df, run_cells(square, CELLS, progress=False))
    # a third run computes nothing and gives the same table
    again = run_cells(flaky, CELLS, store=store, sweep="squares", progress=False)
    assert len(calls) == 24 and again.attrs["sweep"]["n_resumed"] == 10
    pd.testing.assert_frame_equal(again, df)


def test_store_errors(tmp_path):
    store = tmp_path / "s"
    run_cells(square, CELLS[:3], store=store, sweep=dict(name="a", n=1), progress=False)
    with pytest.raises(ValueError, match="holds the sweep .*'name': 'a'.* not .*'name': 'b'"):
        run_cells(square, CELLS, store=store, sweep=dict(name="b", n=1), progress=False)
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(ValueError, match="is a file; give a folder"):
        run_cells(square, CELLS, store=f)
    with pytest.raises(TypeError, match="column 'v' holds a list"):
        run_cells(lambda c: dict(v=[1, 2]), CELLS, store=tmp_path / "t", progress=False)


def test_bad_scheduler_address(monkeypatch):
    with pytest.raises(ConnectionError, match=r"no Dask scheduler answered at 'tcp://127.0.0.1:1' within 1 s"):
        connect("tcp://127.0.0.1:1", timeout=1)
    with pytest.raises(ValueError, match="scheduler address must be a non-empty string"):
        connect("")
    assert default_client() is None
    monkeypatch.setenv(ENV_SCHEDULER, "not-an-address")
    with pytest.raises(ConnectionError, match="missing port number"):
        default_client()
    with pytest.raises(ConnectionError, match="not-an-address"):
        run_cells(square, CELLS)  # client=None follows the environment ...
    assert len(run_cells(square, CELLS, client=False, progress=False)) == 9  # ... client=False never does


def _io_loops() -> int:
    import threading

    return sum(t.name == "IO loop" and t.is_alive() for t in threading.enumerate())


def test_failed_connect_leaves_no_client_behind(monkeypatch):
    """Issue 28: a client whose start failed is closed inside connect(), its IO loop stopped, the dask default
    restored.  Left to the garbage collector, its __del__ could run inside the next client's start and wait on the
    loop runners' lock that start holds (a deadlock); here nothing is left for the collector."""
    import gc

    import dask

    pytest.importorskip("distributed")
    from distributed.client import _get_global_client

    loops, scheduler = _io_loops(), dask.config.get("scheduler", None)
    for _ in range(3):
        for address in ("not-an-address", "tcp://127.0.0.1:1"):  # refused at parsing / no answer
            with pytest.raises(ConnectionError, match=address):
                connect(address, timeout=0.5)
            assert _io_loops() == loops  # each failed client's IO loop thread is gone
            assert _get_global_client() is None and dask.config.get("scheduler", None) == scheduler
    gc.collect()  # nothing left whose __del__ would close anything
    monkeypatch.setenv(ENV_SCHEDULER, "not-an-address")
    for _ in range(3):
        with pytest.raises(ConnectionError):
            default_client()
    assert not dist._clients and _io_loops() == loops


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.slow
def test_cluster_runs_cells_on_both_workers_with_identical_numbers(client, tmp_path):
    import os

    from workbench.papers.esd import esd_grid
    from workbench.papers.raghu import RegionCountConfig, TransitionsConfig, region_count_sweep, transitions_vs_length

    workers = set(client.scheduler_info()["workers"])
    assert len(workers) == 2
    pids = set(client.run(os.getpid).values())
    assert os.getpid() not in pids

    assert set(client.run(torch.get_num_threads).values()) == {1}  # one torch thread per worker process
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the same thread count here: the same reduction order, so bit-identical numbers
    try:
        kw = dict(n1=range(1, 4), n2=(1, 12), activations=("relu", "tanh"), samples=3, progress=False)
        local = esd_grid(**kw, client=False)
        remote = esd_grid(**kw, client=client, store=tmp_path / "grid")
        cfg = RegionCountConfig(widths=(4, 8), depths=(1, 2), n_seeds=2)
        a = region_count_sweep(cfg, progress=False, client=False)
        tcfg = TransitionsConfig.smoke()
        t_local = transitions_vs_length(tcfg, progress=False, client=False)
    finally:
        torch.set_num_threads(threads)
    cols = [c for c in local.columns if c != "seconds"]  # wall times differ, numbers must not
    pd.testing.assert_frame_equal(remote[cols], local[cols], check_exact=True)
    ran = remote.attrs["sweep"]["workers"]
    assert set(ran) == workers and sum(ran.values()) == 12  # the tasks ran on the two worker processes
    assert len(remote.attrs["sweep"]["task_seconds"]) == 6  # 12 cells in tasks of ceil(12 / (4 * 2)) = 2 cells
    # the store written from the workers resumes locally to the same table, computing nothing
    resumed = esd_grid(**kw, client=False, store=tmp_path / "grid")
    assert resumed.attrs["sweep"]["n_resumed"] == 12
    pd.testing.assert_frame_equal(resumed[cols], local[cols], check_exact=True)

    b = region_count_sweep(cfg, progress=False, client=client)
    pd.testing.assert_frame_equal(b.drop(columns="seconds"), a.drop(columns="seconds"), check_exact=True)
    pd.testing.assert_frame_equal(transitions_vs_length(tcfg, progress=False, client=client), t_local,
                                  check_exact=True)


@pytest.mark.slow
def test_cluster_through_address_and_environment(client, monkeypatch):
    monkeypatch.setenv(ENV_SCHEDULER, client.scheduler.address)
    try:
        df = run_cells(square, CELLS, progress=False)  # client=None: the cluster named by the environment
    finally:
        dist.close_default_clients()
    assert set(df.attrs["sweep"]["workers"]) <= set(client.scheduler_info()["workers"])
    assert "local" not in df.attrs["sweep"]["workers"]
    loops = _io_loops()
    by_address = run_cells(square, CELLS, client=client.scheduler.address, progress=False)
    assert set(by_address.attrs["sweep"]["workers"]) <= set(client.scheduler_info()["workers"])
    assert _io_loops() == loops  # the client run_cells opened from the address string, it closed
    pd.testing.assert_frame_equal(df, run_cells(square, CELLS, client=False, progress=False))

    def boom(c):
        if c["x"] == 3:
            raise RuntimeError("cell 3 failed")
        return square(c)

    with pytest.raises(RuntimeError, match="cell 3 failed"):  # a task's error reaches the caller
        run_cells(boom, CELLS, client=client, progress=False)
