"""Faults as tests (issue 28 item 6): a sweep killed mid-run resumes with identical rows; a corrupt file in a
sweep store is set aside and its cells computed again, never read as data; a Dask worker killed while busy
changes nothing; a panel under a burst of 50 control changes ends showing the last one."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import ipywidgets as W
import pandas as pd
import pytest
from matplotlib.figure import Figure

from workbench.experiments import distributed as dist
from workbench.experiments.distributed import ENV_SCHEDULER, read_store, run_cells
from workbench.widgets import Panel

ROOT = Path(__file__).resolve().parents[1]


def square(c):
    return [dict(x=c["x"], y=c["x"] ** 2, part=p) for p in range(c["x"] % 3)]  # 0, 1 or 2 rows per cell


CELLS = [dict(x=x) for x in range(10)]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(ENV_SCHEDULER, raising=False)


def _killed_sweep(store: Path, kill_at: int) -> subprocess.CompletedProcess:
    """Run the sweep in a child process that SIGKILLs itself when it reaches cell ``kill_at`` (no cleanup runs)."""
    code = textwrap.dedent(f"""
        import os, signal
        from workbench.experiments.distributed import run_cells
        def fn(c):
            if c["x"] == {kill_at}:
                os.kill(os.getpid(), signal.SIGKILL)
            return [dict(x=c["x"], y=c["x"] ** 2, part=p) for p in range(c["x"] % 3)]
        run_cells(fn, [dict(x=x) for x in range(10)], store={str(store)!r}, sweep="squares", batch_size=2,
                  progress=False)
    """)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_sweep_killed_mid_run_resumes_with_identical_rows(tmp_path):
    store = tmp_path / "sweep"
    proc = _killed_sweep(store, kill_at=7)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    stored = read_store(store)
    assert sorted(stored) == sorted(dist._key(dict(x=x)) for x in range(6))  # batches of 2: cells 0-5 finished
    ran = []

    def counted(c):
        ran.append(c["x"])
        return square(c)

    df = run_cells(counted, CELLS, store=store, sweep="squares", batch_size=2, progress=False)
    assert sorted(ran) == [6, 7, 8, 9]  # only the cells the killed run had not stored
    assert df.attrs["sweep"]["n_resumed"] == 6
    pd.testing.assert_frame_equal(df, run_cells(square, CELLS, progress=False), check_exact=True)


def _full_store(tmp_path) -> Path:
    store = tmp_path / "sweep"
    run_cells(square, CELLS, store=store, sweep="squares", batch_size=2, progress=False)
    assert len(list(store.glob("part-*.parquet"))) == 5
    return store


def _cells_in(part: Path) -> list[int]:
    import json

    import pyarrow.parquet as pq

    keys = json.loads(pq.read_schema(part).metadata[dist._CELLS_META])
    return sorted(json.loads(k)["x"] for k in keys)


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "forged"])
def test_a_corrupt_store_file_is_set_aside_and_recomputed(tmp_path, damage):
    store = _full_store(tmp_path)
    parts = sorted(store.glob("part-*.parquet"))
    victim = max(parts, key=lambda p: len(_cells_in(p)) and sum(_cells_in(p)))  # a part holding rows
    cells = _cells_in(victim)
    raw = victim.read_bytes()
    if damage == "flip":  # one byte changed in the data pages: the file may still parse, with other numbers
        i = len(raw) // 3
        victim.write_bytes(raw[:i] + bytes([raw[i] ^ 0xFF]) + raw[i + 1:])
    elif damage == "truncate":
        victim.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        victim.write_bytes(b"not parquet at all" * 10)
    else:  # a valid parquet file of another part copied over this one: right format, wrong rows
        other = next(p for p in parts if p != victim)
        victim.write_bytes(other.read_bytes())
    ran = []

    def counted(c):
        ran.append(c["x"])
        return square(c)

    with pytest.warns(RuntimeWarning, match=f"{victim.name}.*(checksum|cannot be read).*computed again"):
        df = run_cells(counted, CELLS, store=store, sweep="squares", batch_size=2, progress=False)
    assert sorted(ran) == cells  # exactly the damaged file's cells ran again
    pd.testing.assert_frame_equal(df, run_cells(square, CELLS, progress=False), check_exact=True)
    assert (store / (victim.name + ".corrupt")).exists() and not victim.exists()
    ran.clear()
    again = run_cells(counted, CELLS, store=store, sweep="squares", progress=False)  # the store is whole again
    assert ran == [] and again.attrs["sweep"]["n_resumed"] == 10
    pd.testing.assert_frame_equal(again, df)


def test_store_files_from_before_checksums_still_read(tmp_path):
    store = _full_store(tmp_path)
    for p in store.glob("part-*.parquet"):  # the name without its checksum, as stores written before it
        p.rename(p.with_name(p.name.rsplit("-", 1)[0] + ".parquet"))
    assert len(read_store(store)) == 10


@pytest.mark.slow
def test_a_dask_worker_killed_while_busy_changes_nothing(tmp_path):
    from distributed import Client, LocalCluster

    marker = tmp_path / "killed-once"

    def fragile(c):
        if c["x"] == 4 and not marker.exists():  # the first worker to reach cell 4 dies mid-task
            marker.write_text(str(os.getpid()))
            time.sleep(0.2)
            os.kill(os.getpid(), signal.SIGKILL)
        return square(c)

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        pids = set(client.run(os.getpid).values())
        df = run_cells(fragile, CELLS, client=client, store=tmp_path / "s", batch_size=1, progress=False)
        assert marker.exists() and int(marker.read_text()) in pids  # a worker process did die
    finally:
        client.close()
        cluster.close()
    pd.testing.assert_frame_equal(df, run_cells(square, CELLS, client=False, progress=False), check_exact=True)
    assert len(read_store(tmp_path / "s")) == 10


class Steps(Panel):
    """Yields ``x * 10 + i`` for i < n with a pause between steps; draws the value it shows."""

    def __init__(self, n=5, pause=0.0, **kw):
        self.n, self.pause, self.finished = n, pause, []
        super().__init__({"x": W.IntSlider(value=0, min=0, max=1000), "k": W.IntSlider(value=0, min=0, max=10)},
                         **kw)

    def compute(self, *, x, k):
        for i in range(self.n):
            if self.pause:
                time.sleep(self.pause)
            yield (x, k, i)
        self.finished.append((x, k))

    def draw(self, result, *, x, k):
        fig = Figure(figsize=(2, 2))
        ax = fig.add_subplot()
        ax.set_title(f"x={result[0]} k={result[1]}")
        return fig

    def describe(self, result, **params):
        return f"x={result[0]} k={result[1]} step={result[2]}"


@pytest.mark.parametrize("background", [True, False])
def test_a_panel_under_a_burst_of_50_changes_ends_showing_the_last(background):
    p = Steps(n=8, pause=0.005, background=background)
    for v in range(1, 51):  # 50 changes, two controls interleaved, as fast as Python can set them
        if v % 5 == 0:
            p.controls["k"].value = v // 5
        else:
            p.controls["x"].value = v
    assert p.wait(60)
    last = (49, 10)  # x's last change was 49, k's was 50 // 5
    assert p.params == {"x": 49, "k": 10}
    assert p.result == (*last, 7)  # the final step of the last change
    assert p.finished[-1] == last and p.last_error is None
    assert p.status.value == "x=49 k=10 step=7"
    assert p.figure.axes[0].get_title() == "x=49 k=10"
