"""Sweeps on Dask: same cells, same numbers; finished cells kept in Parquet; resume; clear errors."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from workbench.experiments import distributed as dist
from workbench.experiments.distributed import (
    ENV_SCHEDULER,
    connect,
    default_client,
    map_seeds,
    read_store,
    run_cells,
)


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



def seeded(s):
    """A seeded computation: a random matrix of seed ``s`` and its singular values (an SVD, as in the ESD)."""
    a = torch.randn(12, 8, generator=torch.Generator().manual_seed(s), dtype=torch.float64)
    return s, a, torch.linalg.svdvals(a)


def _named_error():  # the seed is a note on the same exception (3.11+), a RuntimeError raised from it on 3.10
    return ValueError if hasattr(BaseException, "add_note") else RuntimeError


def test_map_seeds_here_in_seed_order(monkeypatch):
    seeds = [5, 0, 3, 1]
    out = map_seeds(seeded, seeds)
    assert [o[0] for o in out] == seeds
    for (s, a, sv), (s2, a2, sv2) in zip(out, [seeded(s) for s in seeds]):  # the comprehension's results
        assert s == s2 and torch.equal(a, a2) and torch.equal(sv, sv2)
    assert map_seeds(seeded, ()) == [] and map_seeds(lambda s: s * s, range(4), progress=True) == [0, 1, 4, 9]
    # client=False runs here whatever the environment names (an address where no scheduler answers)
    monkeypatch.setenv(ENV_SCHEDULER, "tcp://127.0.0.1:1")
    assert map_seeds(lambda s: s + 1, [1, 2], client=False) == [2, 3]
    with pytest.raises(TypeError, match="fn must be callable"):
        map_seeds(3, [0])
    with pytest.raises(TypeError, match="client must be a dask.distributed.Client"):
        map_seeds(seeded, [0], client=42)


def test_map_seeds_error_names_the_seed():
    calls = []

    def fail_at_2(s):
        calls.append(s)
        if s == 2:
            raise ValueError("bad draw")
        return s

    with pytest.raises(_named_error(), match=r"(?s)bad draw.*Fig\. 1: raised while computing seed 2") as err:
        map_seeds(fail_at_2, [0, 1, 2, 3], desc="Fig. 1")
    assert calls == [0, 1, 2]  # here: in seed order, stopping at the failing seed
    assert "seed 2" in "".join(getattr(err.value, "__notes__", [])) or "seed 2" in str(err.value)


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


def _pid_after(s):
    import os
    import time

    time.sleep(0.05 * (4 - s))  # later seeds finish first: the results must still come back in seed order
    return s, os.getpid()


@pytest.mark.slow
def test_map_seeds_on_cluster_same_results_in_seed_order(client, monkeypatch):
    import os

    from workbench.papers.esd import esd

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the workers' thread count: the same reduction order, so bit-identical numbers
    try:
        local = map_seeds(seeded, range(5), client=False)
        esd_local = map_seeds(lambda s: esd([1, 4, 4, 1], "relu", samples=4, seed=s).values, [0, 7], client=False)
    finally:
        torch.set_num_threads(threads)
    remote = map_seeds(seeded, range(5), client=client, progress=True)
    for (s, a, sv), (s2, a2, sv2) in zip(remote, local):
        assert s == s2 and torch.equal(a, a2) and torch.equal(sv, sv2)
    esd_remote = map_seeds(lambda s: esd([1, 4, 4, 1], "relu", samples=4, seed=s).values, [0, 7], client=client)
    for r, loc in zip(esd_remote, esd_local):
        np.testing.assert_array_equal(np.asarray(r), np.asarray(loc))

    worker_pids = set(client.run(os.getpid).values())
    out = map_seeds(_pid_after, range(5), client=client)
    assert [s for s, _ in out] == list(range(5)) and {p for _, p in out} <= worker_pids
    assert os.getpid() not in worker_pids
    # client=None: the cluster the environment names; an address string: a client opened and closed here
    monkeypatch.setenv(ENV_SCHEDULER, client.scheduler.address)
    try:
        assert {p for _, p in map_seeds(_pid_after, range(3))} <= worker_pids
    finally:
        dist.close_default_clients()
    loops = _io_loops()
    assert {p for _, p in map_seeds(_pid_after, range(3), client=client.scheduler.address)} <= worker_pids
    assert _io_loops() == loops
    assert {p for _, p in map_seeds(_pid_after, range(3), client=False)} == {os.getpid()}



def _worker_env(name, value=...):
    """On a worker (through ``client.run``): set ``name`` to ``value`` (``None``: unset); returns its value."""
    import os

    if value is None:
        os.environ.pop(name, None)
    elif value is not ...:
        os.environ[name] = value
    return os.environ.get(name)


@pytest.mark.slow
def test_map_seeds_on_cluster_error_names_the_seed_and_nested_sweeps_run_in_the_task(client):
    def fail_at_3(s):
        if s == 3:
            raise ValueError("bad draw")
        return s

    with pytest.raises(_named_error(), match=r"(?s)bad draw.*seeds: raised while computing seed 3"):
        map_seeds(fail_at_3, range(5), client=client)

    # a sweep started inside a seed's task runs its cells in that task, even where the workers' environment
    # names the cluster: waiting on tasks of its own cluster could hold both worker threads forever
    client.run(_worker_env, ENV_SCHEDULER, client.scheduler.address)
    try:
        assert set(client.run(_worker_env, ENV_SCHEDULER).values()) == {client.scheduler.address}
        out = map_seeds(lambda s: run_cells(square, CELLS, progress=False).attrs["sweep"]["workers"], [0, 1],
                        client=client)
    finally:
        client.run(_worker_env, ENV_SCHEDULER, None)
    assert out == [{"local": 10}, {"local": 10}]


def test_sweep_store_reads_the_environment_and_checks_names(tmp_path, monkeypatch):
    from workbench.experiments import ENV_STORE, sweep_store

    monkeypatch.delenv(ENV_STORE, raising=False)
    assert sweep_store("fig3") is None
    monkeypatch.setenv(ENV_STORE, "  ")
    assert sweep_store("fig3") is None
    monkeypatch.setenv(ENV_STORE, str(tmp_path))
    assert sweep_store("real_sign") == tmp_path / "real_sign"
    for bad in ("", "../up", "a/b", ".hidden", "sp ace", 3):
        with pytest.raises(ValueError, match="sweep store name"):
            sweep_store(bad)


def test_resumed_note_says_what_was_read_back(tmp_path):
    from workbench.experiments import resumed_note

    cells = [dict(x=x) for x in range(4)]
    assert resumed_note(run_cells(lambda c: dict(y=c["x"]), cells, progress=False)) == ""
    store = tmp_path / "s"
    first = run_cells(lambda c: dict(y=c["x"]), cells[:2], store=store, sweep="ids", progress=False)
    assert resumed_note(first) == f"2 cells computed in this run (kept in {store})"
    second = run_cells(lambda c: dict(y=c["x"]), cells, store=store, sweep="ids", progress=False)
    note = resumed_note(second)
    assert note.startswith(f"2 of 4 cells read back from {store}") and note.endswith("2 computed in this run")
    commit = dist.source_commit()  # this checkout's commit: the tests run in a git clone
    assert commit and f"at {commit} (2 cells); this run is at {commit}" in note
    assert dist.store_commits(store) == {commit: 4}
    assert dist.store_commits(store, [dist._key(dict(x=0))]) == {commit: 1}


def test_store_files_record_the_commit_that_wrote_them(tmp_path, monkeypatch):
    store = tmp_path / "s"
    monkeypatch.setattr(dist, "source_commit", lambda: "abc1234")
    run_cells(lambda c: dict(y=c["x"]), [dict(x=0), dict(x=1)], store=store, sweep="ids", batch_size=1,
              progress=False)
    monkeypatch.setattr(dist, "source_commit", lambda: "def5678 (with uncommitted changes)")
    df = run_cells(lambda c: dict(y=c["x"]), [dict(x=x) for x in range(3)], store=store, sweep="ids",
                   progress=False)
    assert dist.store_commits(store) == {"abc1234": 2, "def5678 (with uncommitted changes)": 1}
    from workbench.experiments import resumed_note

    assert "at abc1234 (2 cells); this run is at def5678 (with uncommitted changes)" in resumed_note(df)


def test_sweep_versions_name_the_libraries_a_store_depends_on():
    import torchvision

    v = dist.sweep_versions()
    assert set(v) == {"workbench", "torch", "torchvision"}
    assert v["torch"] == torch.__version__.split("+")[0] and v["torchvision"] == torchvision.__version__.split("+")[0]
