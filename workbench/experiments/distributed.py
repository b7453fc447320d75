"""Run the cells of a sweep locally or as Dask tasks, and keep what finished.

A *sweep* is a list of independent *cells* (one architecture, one seed, ...);
each cell's rows depend only on the cell (its seeds are part of the cell), so
the same cells give the same numbers wherever they run.  :func:`run_cells` is
the one place that decides where they run:

* ``client=None`` (default): on a Dask cluster when the environment variable
  ``WORKBENCH_DASK_SCHEDULER`` names a scheduler (``workbench reproduce
  --scheduler ADDRESS`` / ``--workers N`` set it for the notebooks), otherwise
  here, one cell after another;
* a ``dask.distributed.Client``: cells are batched into tasks (about four
  tasks per worker thread) that run on that cluster's workers;
* ``client=False``: here, whatever the environment says.

Inside a task that already runs on a Dask worker, ``client=None`` means here
(in that task): a task that waited on tasks of its own cluster could hold
every worker thread and never see them run.

:func:`map_seeds` is the same decision for a plain list of seeds: the results
of ``fn(seed)`` in seed order, each seed one Dask task on a cluster.

With ``store=PATH`` every finished batch is written at once to a Parquet file
in that folder, and a later call with the same sweep skips the cells already
there: an interrupted sweep resumes where it stopped.

Numbers: a cell computed on a worker process equals the same cell computed
here bit for bit when both use the same number of torch threads (Dask's
workers run one thread per worker thread slot); with different thread counts,
floating-point reductions may differ in the last bits.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import re
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["ENV_SCHEDULER", "ENV_STORE", "connect", "default_client", "close_default_clients", "run_cells",
           "map_seeds", "read_store", "sweep_store", "resumed_note", "sweep_versions", "source_commit",
           "store_commits"]

ENV_SCHEDULER = "WORKBENCH_DASK_SCHEDULER"
"""Environment variable naming a Dask scheduler address (``tcp://host:8786``) that sweeps use by default."""

ENV_STORE = "WORKBENCH_STORE"
"""Environment variable naming the folder where a notebook's long sweeps keep their finished cells
(:func:`sweep_store`); ``workbench reproduce`` sets it for ``paper`` and ``cpu`` runs."""

_SWEEP_FILE = "_sweep.json"
_CELLS_META = b"workbench_cells"
_COMMIT_META = b"workbench_commit"
_clients: dict[str, Any] = {}


def connect(address: str, *, timeout: float = 10.0):
    """A ``dask.distributed.Client`` connected to the scheduler at ``address``.

    Raises ``ConnectionError`` naming the address and what to check when no
    scheduler answers within ``timeout`` seconds, ``ValueError`` for an address
    that is not a string.

    This is the one place that creates clients.  A client whose start fails is
    closed here, before the error is raised: left to the garbage collector, its
    ``__del__`` would close it whenever a collection happens to run, which may
    be inside the next client's start while that one holds the loop runners'
    lock that the close waits for (a deadlock, issue 28).
    """
    if not isinstance(address, str) or not address.strip():
        raise ValueError(f"scheduler address must be a non-empty string like 'tcp://127.0.0.1:8786', got {address!r}")
    from distributed import Client

    # Client(...) starts itself in __init__ and, when that fails, the half-started object never reaches the
    # caller; building it in two steps keeps a reference to it so that it can be closed.
    client = Client.__new__(Client)
    try:
        client.__init__(address.strip(), timeout=timeout)
    except BaseException as exc:
        _discard(client, timeout)
        if isinstance(exc, (OSError, TimeoutError, ValueError, AssertionError)):  # Assertion: its IO loop failed
            raise ConnectionError(
                f"no Dask scheduler answered at {address!r} within {timeout:g} s ({type(exc).__name__}: {exc}); "
                "start one (`dask scheduler` plus `dask worker ADDRESS`), check the address, "
                "or run locally (drop --scheduler / unset " + ENV_SCHEDULER + ")") from exc
        raise
    return client


def _discard(client, timeout: float = 10.0) -> None:
    """Close ``client`` now, whatever state a failed start or a lost scheduler left it in, and stop its IO loop.

    ``Client.close`` returns at once for a client that already counts as closed (a failed connection closes
    itself inside the start) but then leaves its IO loop thread running; the loop runner is stopped here in
    every case.  Errors while closing are dropped: the client is being thrown away.
    """
    with contextlib.suppress(Exception):
        if getattr(client, "status", "closed") not in ("closed", "newly-created"):
            client.close(timeout=max(1.0, 2 * timeout))
    runner = getattr(client, "_loop_runner", None)
    if runner is not None:
        with contextlib.suppress(Exception):
            runner.stop()


def default_client():
    """The client for ``$WORKBENCH_DASK_SCHEDULER`` (connected once per process), or ``None`` when unset."""
    address = os.environ.get(ENV_SCHEDULER, "").strip()
    if not address:
        return None
    c = _clients.get(address)
    if c is None or c.status not in ("running", "connecting"):
        if c is not None:  # lost its scheduler: close it here rather than leave it to the garbage collector
            del _clients[address]
            _discard(c)
        c = _clients[address] = connect(address)
    return c


def close_default_clients() -> None:
    """Close the clients :func:`default_client` opened in this process."""
    while _clients:
        _, c = _clients.popitem()
        _discard(c)


def _in_dask_task() -> bool:
    """Whether this code runs inside a task on a Dask worker."""
    if "distributed" not in sys.modules:  # never imported: no worker here (and no import cost)
        return False
    return _worker_address() != "local"


def _resolve(client):
    """``(client or None, whether the caller opened it and must close it)``: where run_cells / map_seeds run."""
    if client is None:
        return (None if _in_dask_task() else default_client()), False
    if client is False:
        return None, False
    if isinstance(client, str):
        return connect(client), True
    if not hasattr(client, "submit") or not hasattr(client, "nthreads"):
        raise TypeError(f"client must be a dask.distributed.Client, an address string, None or False, "
                        f"not {type(client).__name__}")
    return client, False


def _key(cell: Mapping) -> str:
    if not isinstance(cell, Mapping):
        raise TypeError(f"each cell must be a dict of its parameters, got {type(cell).__name__}")
    return json.dumps(dict(cell), sort_keys=True, default=str)


def _rows(out, cell) -> list[dict]:
    if out is None:
        return []
    if isinstance(out, pd.DataFrame):
        return out.to_dict("records")
    if isinstance(out, Mapping):
        return [dict(out)]
    if isinstance(out, (list, tuple)) and all(isinstance(r, Mapping) for r in out):
        return [dict(r) for r in out]
    raise TypeError(f"a cell function must return a dict, a list of dicts or a DataFrame; for cell {cell} "
                    f"it returned {type(out).__name__}")


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "local"


def _run_batch(fn: Callable, batch: list[tuple[str, dict]]) -> dict:
    """One task: the rows of every cell of the batch, the worker that ran it and its wall time."""
    t0 = time.perf_counter()
    results = [(k, _rows(fn(dict(c)), c)) for k, c in batch]
    return dict(results=results, worker=_worker_address(), seconds=time.perf_counter() - t0, n_cells=len(batch))


# --------------------------------------------------------------------------------------
# the store: one Parquet file per finished batch
# --------------------------------------------------------------------------------------
def _open_store(store, sweep) -> Path:
    path = Path(store)
    if path.exists() and not path.is_dir():
        raise ValueError(f"store={str(store)!r} is a file; give a folder for the sweep's Parquet files")
    path.mkdir(parents=True, exist_ok=True)
    desc = json.loads(json.dumps(sweep, sort_keys=True, default=str)) if sweep is not None else None
    meta = path / _SWEEP_FILE
    if meta.exists():
        held = json.loads(meta.read_text()).get("sweep")
        if held != desc:
            raise ValueError(f"store {str(path)!r} holds the sweep {held}, not {desc}; give another folder "
                             "or delete this one to start over (workbench reproduce --fresh does)")
    else:
        meta.write_text(json.dumps({"sweep": desc}, sort_keys=True, indent=1))
    return path


_STORE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def sweep_store(name: str) -> Path | None:
    """The folder where the running notebook's sweep ``name`` keeps its finished cells, or ``None``.

    ``workbench reproduce --profile paper`` (and ``cpu``) sets ``$WORKBENCH_STORE`` to
    ``OUT/stores/<profile>/<notebook>``, and a notebook passes ``store=sweep_store("fig3")`` to its long sweeps: a run
    stopped part-way (a cell time limit, a closed laptop, the end of a session) and started again with the
    same command computes only the cells that had not finished (``--fresh`` starts over).  Outside such a
    run (an interactive kernel, the quick and smoke profiles) this is ``None`` and nothing is stored.

    Read it in the notebook, not inside a Dask task: a worker process does not see the kernel's environment.
    """
    if not isinstance(name, str) or not _STORE_NAME.fullmatch(name):
        raise ValueError(f"a sweep store name is letters, digits, '_', '.' and '-' (not starting with a "
                         f"punctuation mark), got {name!r}")
    root = os.environ.get(ENV_STORE, "").strip()
    return Path(root) / name if root else None


RESUMED_NOTE_RE = re.compile(r"^\d+ of \d+ cells read back from ")
"""How a line of :func:`resumed_note` about a resumed sweep starts (``workbench report`` finds it in a run's
outputs: the run's seconds are then its own only, see :func:`workbench.runs.resumed_notes`)."""


def resumed_note(table: pd.DataFrame) -> str:
    """One line on where a :func:`run_cells` table's cells came from: ``""`` when nothing was stored, else how
    many were read back from the store, at which commit of the library they were computed, and how many were
    computed now.

    A store refuses another sweep description (settings, device type, library versions), but a code change
    between the stop and the resume at the same version number is not detected: the commits are printed so
    that a reader can see it, and ``workbench reproduce --fresh`` recomputes everything.
    """
    info = table.attrs.get("sweep") or {}
    if not info.get("store"):
        return ""
    n, r = info.get("n_cells", 0), info.get("n_resumed", 0)
    if not r:
        return f"{n} cells computed in this run (kept in {info['store']})"
    commits = info.get("resumed_from") or {}
    at = ", ".join(f"{c or 'an unknown commit'} ({k} cells)" for c, k in sorted(commits.items())) or "unknown"
    return (f"{r} of {n} cells read back from {info['store']} (computed by an earlier run with the same settings "
            f"and library versions, at {at}; this run is at {source_commit() or 'an unknown commit'}), "
            f"{n - r} computed in this run")


def sweep_versions() -> dict[str, str]:
    """The library versions a stored sweep depends on (for its ``sweep`` description): workbench, torch and
    torchvision (local build suffixes such as ``+cpu`` dropped)."""
    import torch
    import torchvision

    from workbench import __version__

    return {"workbench": __version__, "torch": torch.__version__.split("+")[0],
            "torchvision": torchvision.__version__.split("+")[0]}


@functools.lru_cache(maxsize=1)
def source_commit() -> str:
    """The git commit of the checkout this ``workbench`` was imported from ("" when not a git checkout)."""
    from workbench.runs import git_commit

    return git_commit(Path(__file__).resolve().parents[1])


def store_commits(store, keys=None) -> dict[str, int]:
    """``{commit: cells}``: at which commit of the library the cells of a store (or only those of ``keys``,
    cell keys as :func:`read_store` gives them) were computed; files written before commits were recorded
    count under ``""``."""
    import pyarrow.parquet as pq

    wanted = None if keys is None else set(keys)
    out: dict[str, int] = {}
    for part in sorted(Path(store).glob("part-*.parquet")):
        if _PART.fullmatch(part.name) is None:
            continue
        with contextlib.suppress(Exception):  # an unreadable file is read_store's business (set aside there)
            meta = pq.read_schema(part).metadata or {}
            commit = meta.get(_COMMIT_META, b"").decode()
            n = sum(1 for k in json.loads(meta.get(_CELLS_META, b"[]")) if wanted is None or k in wanted)
            if n:
                out[commit] = out.get(commit, 0) + n
    return out


def _check_scalars(rows: list[dict]) -> None:
    import numpy as np

    for r in rows:
        for col, v in r.items():
            if not (v is None or isinstance(v, (bool, int, float, str, np.generic))):
                raise TypeError(f"column {col!r} holds a {type(v).__name__} ({v!r}); a stored sweep keeps "
                                "scalars only (int, float, str, bool, None): convert it in the cell function")


def _write_part(path: Path, results: list[tuple[str, list[dict]]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [dict(r, _cell=k) for k, rs in results for r in rs]
    _check_scalars(rows)
    table = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False) if rows else pa.table({})
    keys = [k for k, _ in results]
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _CELLS_META: json.dumps(keys).encode(),
                                           _COMMIT_META: source_commit().encode()})
    stem = f"part-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    tmp = path / (stem + ".parquet.tmp")
    pq.write_table(table, tmp)
    name = f"{stem}-{_digest(tmp)}.parquet"  # the file's checksum in its name: a corrupted file is never read
    os.replace(tmp, path / name)  # atomic: a crash leaves a .tmp that is ignored, never a half file


_PART = re.compile(r"part-\d{8}T\d{6}-[0-9a-f]{8}(?:-(?P<digest>[0-9a-f]{16}))?\.parquet")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()[:16]


def _set_aside(part: Path, why: str) -> None:
    """A store file that cannot be trusted: renamed to ``*.corrupt`` (kept for a look), its cells computed again."""
    bad = part.with_name(part.name + ".corrupt")
    with contextlib.suppress(OSError):
        os.replace(part, bad)
    warnings.warn(f"sweep store: {part.name} {why}; set aside as {bad.name}, its cells are computed again",
                  RuntimeWarning, stacklevel=3)


def read_store(store) -> dict[str, list[dict]]:
    """The finished cells of a store: ``{cell key: rows}`` (keys are the cells as sorted JSON)."""
    import pyarrow.parquet as pq

    path = Path(store)
    done: dict[str, list[dict]] = {}
    for part in sorted(path.glob("part-*.parquet")):
        m = _PART.fullmatch(part.name)
        if m is None:
            continue  # not a file this store wrote
        if m["digest"] is not None and _digest(part) != m["digest"]:
            _set_aside(part, "does not match the checksum in its name (changed or damaged after it was written)")
            continue
        try:
            table = pq.read_table(part)
            keys = json.loads((table.schema.metadata or {}).get(_CELLS_META, b"[]"))
            if not isinstance(keys, list) or (table.num_rows and "_cell" not in table.column_names):
                raise ValueError("no cell keys")
        except Exception as exc:  # noqa: BLE001 - ArrowInvalid, OSError, JSONDecodeError: unreadable either way
            _set_aside(part, f"cannot be read ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})")
            continue
        for k in keys:
            done.setdefault(k, [])
        if table.num_rows:
            df = table.to_pandas()
            for k, g in df.groupby("_cell", sort=False):
                done[k] = g.drop(columns="_cell").to_dict("records")
    return done


# --------------------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------------------
def run_cells(
    fn: Callable[[dict], Any],
    cells: Sequence[Mapping],
    *,
    client=None,
    store: str | os.PathLike | None = None,
    sweep: Any = None,
    batch_size: int | None = None,
    desc: str = "cells",
    progress: bool = True,
) -> pd.DataFrame:
    """Rows of ``fn(cell)`` for every cell, in cell order, computed here or on a Dask cluster.

    Parameters
    ----------
    fn
        ``fn(cell) -> dict | list[dict] | DataFrame``: the rows of one cell.  It
        must depend only on the cell (put seeds into the cell) and, for Dask,
        be picklable (cloudpickle ships closures).
    cells
        Dicts of JSON-able parameters; a cell's JSON is its key in the store.
    client
        ``None``: :func:`default_client` (the ``WORKBENCH_DASK_SCHEDULER``
        cluster, else local); a ``dask.distributed.Client`` or an address
        string: run there (a client opened from an address is closed before
        returning); ``False``: run here.
    store
        A folder: each finished batch is written there (Parquet) at once, and
        cells already there are not computed again (resume).
    sweep
        A JSON-able description of everything besides the cells that the rows
        depend on (function name, samples, dtype, ...); a store remembers it
        and refuses a different sweep.
    batch_size
        Cells per task (Dask) or per stored file (local).  Default: about four
        tasks per worker thread on a cluster, about 50 files locally.
    desc, progress
        The ``tqdm`` bar over cells.

    Returns
    -------
    DataFrame of all rows in cell order; ``.attrs["sweep"]`` records where the
    cells ran: ``n_cells``, ``n_resumed``, ``workers`` (address -> cells),
    ``task_seconds`` (wall time of each task), ``seconds`` (total), ``store`` and ``resumed_from``
    (``{commit: cells}`` of the cells read back, :func:`store_commits`).
    """
    from tqdm.auto import tqdm

    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
    cells = [dict(c) if isinstance(c, Mapping) else c for c in cells]
    keys = [_key(c) for c in cells]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise ValueError(f"cells must be distinct (each is its own key); {dup} appears twice")
    t0 = time.perf_counter()
    path = _open_store(store, sweep) if store is not None else None
    done = {k: v for k, v in read_store(path).items() if k in set(keys)} if path is not None else {}
    todo = [(k, c) for k, c in zip(keys, cells) if k not in done]
    n_resumed = len(cells) - len(todo)
    resumed_from = store_commits(path, done) if path is not None and n_resumed else {}
    workers: dict[str, int] = {}
    task_seconds: list[float] = []

    def finish(res: dict) -> None:
        for k, rows in res["results"]:
            done[k] = rows
        workers[res["worker"]] = workers.get(res["worker"], 0) + res["n_cells"]
        task_seconds.append(res["seconds"])
        if path is not None:
            _write_part(path, res["results"])

    client, owned = _resolve(client)  # owned: opened here from an address string, so closed here too
    bar = tqdm(total=len(cells), initial=n_resumed, desc=desc, unit="cell", disable=not progress, leave=False)
    try:
        if todo and client is None:
            size = batch_size or max(1, math.ceil(len(todo) / 50))
            pending: list = []
            tb = time.perf_counter()
            for k, c in todo:
                pending.append((k, _rows(fn(dict(c)), c)))
                bar.update(1)
                if len(pending) >= size:
                    finish(dict(results=pending, worker="local", seconds=time.perf_counter() - tb,
                                n_cells=len(pending)))
                    pending, tb = [], time.perf_counter()
            if pending:
                finish(dict(results=pending, worker="local", seconds=time.perf_counter() - tb, n_cells=len(pending)))
        elif todo:
            from distributed import as_completed

            threads = max(1, sum(client.nthreads().values()))
            size = batch_size or max(1, math.ceil(len(todo) / (4 * threads)))
            batches = [todo[i:i + size] for i in range(0, len(todo), size)]
            futures = [client.submit(_run_batch, fn, b, pure=False) for b in batches]
            try:
                for fut in as_completed(futures):
                    res = fut.result()
                    finish(res)
                    bar.update(res["n_cells"])
            except BaseException:
                client.cancel(futures)
                raise
    finally:
        bar.close()
        if owned:
            _discard(client)
    df = pd.DataFrame([r for k in keys for r in done[k]])
    df.attrs["sweep"] = dict(n_cells=len(cells), n_resumed=n_resumed, workers=workers, task_seconds=task_seconds,
                             seconds=time.perf_counter() - t0, store=str(path) if path is not None else None,
                             resumed_from=resumed_from)
    return df


def _name_seed(exc: BaseException, desc: str, seed) -> BaseException:
    """``exc`` with the failing seed named: a note on the same exception (Python 3.11+), else a RuntimeError."""
    msg = f"{desc}: raised while computing seed {seed!r}"
    if hasattr(exc, "add_note"):
        exc.add_note(msg)
        return exc
    return RuntimeError(f"{msg}: {type(exc).__name__}: {exc}")  # Python 3.10: no notes


def map_seeds(fn: Callable[[Any], Any], seeds, *, client=None, desc: str = "seeds", progress: bool = False) -> list:
    """``[fn(s) for s in seeds]``, in seed order, computed here or on a Dask cluster (one task per seed).

    The seeds of a comparison that depends on initialisation are independent cells: each result depends
    only on its seed, so the same seeds give the same results wherever they run (bit for bit with the same
    number of torch threads, see the module's notes).

    Parameters
    ----------
    fn
        ``fn(seed) -> anything``; for Dask it must be picklable (cloudpickle ships lambdas and closures,
        also those defined in a notebook) and so must its result.
    seeds
        The seeds (any values ``fn`` takes), in the order of the returned list.
    client
        As in :func:`run_cells`: ``None``: :func:`default_client` (the ``WORKBENCH_DASK_SCHEDULER``
        cluster that ``workbench reproduce --workers N / --scheduler ADDRESS`` sets, else here); a
        ``dask.distributed.Client`` or an address string: there (a client opened from an address is
        closed before returning); ``False``: here.
    desc, progress
        The ``tqdm`` bar over seeds (off by default).

    Raises
    ------
    The first error of a seed (here: in seed order; on Dask: the first to finish), with the seed named
    (a note on the exception, which keeps its type; on Python 3.10 a ``RuntimeError`` raised from it).
    On Dask the other seeds' tasks are cancelled.
    """
    from tqdm.auto import tqdm

    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    seeds = list(seeds)
    client, owned = _resolve(client)  # owned: opened here from an address string, so closed here too
    bar = tqdm(total=len(seeds), desc=desc, unit="seed", disable=not progress, leave=False)
    try:
        if client is None:
            out = []
            for s in seeds:
                try:
                    out.append(fn(s))
                except Exception as exc:
                    named = _name_seed(exc, desc, s)
                    if named is exc:
                        raise
                    raise named from exc
                bar.update(1)
            return out
        if not seeds:
            return []
        from distributed import as_completed

        futures = client.map(fn, seeds, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in as_completed(futures):
                if fut.status == "error":
                    s = seeds[index[fut.key]]
                    try:
                        fut.result()
                    except Exception as exc:
                        named = _name_seed(exc, desc, s)
                        if named is exc:
                            raise
                        raise named from exc
                bar.update(1)
            return client.gather(futures)
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        bar.close()
        if owned:
            _discard(client)
