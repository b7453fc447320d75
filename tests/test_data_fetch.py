"""Opt-in downloads (issue 26 item 5, issue 28 item 5): ``wb.data.fetch``, ``load(download=True)``, the CLI.

Tiny files in the real formats (gzipped IDX, the CIFAR-10 python tarball) are served by a local HTTP server
on 127.0.0.1; every test passes their md5s in place of torchvision's.  No test contacts another address: a
guard on ``socket.create_connection`` refuses any other host.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import io
import pickle
import socket
import struct
import tarfile
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from workbench import cli, data

MNIST_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
               "t10k-labels-idx1-ubyte"]
CIFAR_FILES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]
CIFAR_ARCHIVE = "cifar-10-python.tar.gz"


def md5(b: bytes) -> str:
    return hashlib.md5(b).hexdigest()


def gz(b: bytes) -> bytes:
    return gzip.compress(b, mtime=0)


def tiny_mnist(seed: int) -> tuple[dict[str, bytes], dict]:
    """The four gzipped IDX files of a tiny MNIST (3 train, 2 test images of 28x28) and the arrays in them."""
    rng = np.random.default_rng(seed)
    files, truth = {}, {}
    for prefix, n in (("train", 3), ("t10k", 2)):
        x = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        y = rng.integers(0, 10, size=n, dtype=np.uint8)
        files[f"{prefix}-images-idx3-ubyte.gz"] = gz(struct.pack(">IIII", 0x803, n, 28, 28) + x.tobytes())
        files[f"{prefix}-labels-idx1-ubyte.gz"] = gz(struct.pack(">II", 0x801, n) + y.tobytes())
        truth[prefix] = (x, y)
    return files, truth


def tar_gz(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for info, body in members:
            info.mtime = 0
            if body is not None:
                info.size = len(body)
            tar.addfile(info, io.BytesIO(body) if body is not None else None)
    return buf.getvalue()


def cifar_members(n: int = 2, seed: int = 0) -> tuple[dict[str, bytes], dict]:
    rng = np.random.default_rng(seed)
    batches, truth = {}, {}
    for name in CIFAR_FILES[:-1]:
        x = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
        y = rng.integers(0, 10, size=n).tolist()
        batches[name] = pickle.dumps({"data": x, "labels": y})
        truth[name] = (x, y)
    batches["batches.meta"] = pickle.dumps({"label_names": ["airplane", "automobile", "bird", "cat", "deer", "dog",
                                                            "frog", "horse", "ship", "truck"]})
    return batches, truth


def cifar_archive(batches: dict[str, bytes], extra: list[tuple[tarfile.TarInfo, bytes | None]] = ()) -> bytes:
    folder = tarfile.TarInfo("cifar-10-batches-py")
    folder.type = tarfile.DIRTYPE
    folder.mode = 0o755
    return tar_gz([(folder, None)] + [(tarfile.TarInfo(f"cifar-10-batches-py/{k}"), v) for k, v in batches.items()]
                  + list(extra))


def mnist_resources(files: dict[str, bytes]) -> list[tuple[str, str]]:
    return [(f + ".gz", md5(files[f + ".gz"])) for f in MNIST_FILES]


def cifar_resources(archive: bytes, batches: dict[str, bytes]) -> list[tuple[str, str]]:
    return [(CIFAR_ARCHIVE, md5(archive))] + [(f, md5(batches[f])) for f in CIFAR_FILES]


class Mirror:
    """Files served at ``/<path>``; ``requests`` logs every GET; paths in ``cut`` stop after half the body
    (``reset=True``: with a TCP reset instead of an orderly close)."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.cut: set[str] = set()
        self.reset = False
        self.requests: list[str] = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server name
                mirror.requests.append(self.path)
                body = mirror.files.get(self.path)
                if body is None:
                    self.send_error(404, "not on this mirror")
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.path in mirror.cut:  # the server goes away mid-file: half the bytes, then close
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    if mirror.reset:  # close at once with linger 0: a RST, no FIN first
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        self.connection.close()
                    self.close_connection = True
                    return
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # torchvision's redirect probe hangs up early
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda *a: None
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def put(self, key: str, files: dict[str, bytes]) -> None:
        for name, body in files.items():
            self.files[f"/{key}/{name}"] = body


@pytest.fixture(autouse=True)
def local_only(monkeypatch):
    """Only 127.0.0.1, never through a proxy; no mirror from the environment; fresh fallback warnings."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        if address[0] not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"a test tried to reach {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.delenv(data.ENV_MIRROR, raising=False)
    monkeypatch.setattr(data.loading, "_WARNED", set())


@pytest.fixture
def mirror():
    m = Mirror()
    yield m
    m.server.shutdown()
    m.server.server_close()
    m.thread.join(5)


@pytest.fixture
def served(mirror):
    """The mirror holding tiny MNIST, Fashion-MNIST and CIFAR-10; their checksum tables and contents."""
    mn, mn_truth = tiny_mnist(0)
    fa, fa_truth = tiny_mnist(1)
    batches, cifar_truth = cifar_members()
    archive = cifar_archive(batches)
    mirror.put("mnist", mn)
    mirror.put("fashion-mnist", fa)
    mirror.put("cifar10", {CIFAR_ARCHIVE: archive})
    resources = {"mnist": mnist_resources(mn), "fashion-mnist": mnist_resources(fa),
                 "cifar10": cifar_resources(archive, batches)}
    return mirror, resources, {"mnist": mn_truth, "fashion-mnist": fa_truth, "cifar10": cifar_truth}


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


@pytest.mark.parametrize("name, loader", [("mnist", "mnist"), ("fashion-mnist", "fashion_mnist"),
                                          ("fashion_mnist", "fashion_mnist")])
def test_fetch_then_load_mnist_family(served, data_root, name, loader):
    mirror, resources, truth = served
    key = name.replace("_", "-")
    res = data.fetch(name, base_url=mirror.url, progress=False, resources=resources[key])
    assert res.downloaded and res.folder == data_root / ("MNIST/raw" if key == "mnist" else "FashionMNIST/raw")
    assert sorted(p.name for p in files_under(data_root)) == sorted(MNIST_FILES)  # the .gz and the temp folder gone
    train = data.load(loader, fallback=None)
    np.testing.assert_allclose(train.X[:, 0].numpy() * 255, truth[key]["train"][0], atol=1e-3)
    assert train.y.tolist() == truth[key]["train"][1].tolist()
    assert data.load(loader, train=False, fallback=None).y.tolist() == truth[key]["t10k"][1].tolist()
    assert all(r.startswith(f"/{key}/") for r in mirror.requests)


def test_fetch_then_load_cifar10(served, data_root):
    mirror, resources, truth = served
    res = data.fetch("cifar10", base_url=mirror.url, progress=False, resources=resources["cifar10"])
    assert res.downloaded and res.folder == data_root / "cifar-10-batches-py" and len(res.files) == 7
    assert sorted(p.name for p in files_under(data_root)) == sorted(CIFAR_FILES)
    tr = data.load("cifar10", fallback=None)
    assert tr.X.shape == (10, 3, 32, 32)
    x0 = truth["cifar10"]["data_batch_1"][0][0].reshape(3, 32, 32)
    np.testing.assert_allclose(tr.X[0].numpy() * 255, x0, atol=1e-3)
    assert data.cifar10(train=False).y.tolist() == truth["cifar10"]["test_batch"][1]


@pytest.mark.parametrize("name", ["mnist", "cifar10"])
def test_second_fetch_downloads_nothing(served, data_root, name):
    mirror, resources, _ = served
    data.fetch(name, base_url=mirror.url, progress=False, resources=resources[name])
    n = len(mirror.requests)
    assert n >= 1
    again = data.fetch(name, base_url=mirror.url, progress=False, resources=resources[name])
    assert not again.downloaded and len(mirror.requests) == n
    assert "already present" in str(again)


def test_a_corrupt_local_file_is_fetched_again(served, data_root):
    mirror, resources, _ = served
    data.fetch("mnist", base_url=mirror.url, progress=False, resources=resources["mnist"])
    bad = data_root / "MNIST/raw/t10k-labels-idx1-ubyte"
    bad.write_bytes(bad.read_bytes()[:-1])  # truncated: the header no longer matches the size
    n = len(mirror.requests)
    assert data.fetch("mnist", base_url=mirror.url, progress=False, resources=resources["mnist"]).downloaded
    assert len(mirror.requests) > n and len(data.mnist(train=False)) == 2


@pytest.mark.parametrize("name", ["mnist", "cifar10"])
def test_checksum_mismatch_is_refused_and_leaves_nothing(served, data_root, name):
    mirror, resources, _ = served
    table = list(resources[name])
    wrong = "0" * 32
    table[0] = (table[0][0], wrong)  # the first download (a .gz or the archive) expects another md5
    with pytest.raises(data.DataDownloadError) as err:
        data.fetch(name, base_url=mirror.url, progress=False, resources=table)
    msg = str(err.value)
    got = md5(mirror.files[f"/{name}/{table[0][0]}"])
    assert table[0][0] in msg and wrong in msg and got in msg and "\n" not in msg
    assert not data_root.exists() or files_under(data_root) == []
    assert list(data_root.glob(".fetch-*")) == []


def test_unpacked_batch_with_wrong_checksum_is_refused(served, data_root):
    mirror, resources, _ = served
    table = [(f, "f" * 32 if f == "test_batch" else m) for f, m in resources["cifar10"]]
    with pytest.raises(data.DataDownloadError, match=r"test_batch .*expected md5 f{32}"):
        data.fetch("cifar10", base_url=mirror.url, progress=False, resources=table)
    assert not data_root.exists() or files_under(data_root) == []


def _hostile(name: str, body: bytes = b"pwned", kind: bytes = tarfile.REGTYPE, link: str = "") -> tuple:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info, (body if kind == tarfile.REGTYPE else None)


@pytest.mark.parametrize("member", ["../evil", "../../evil", "cifar-10-batches-py/../../../evil", "ABS",
                                    "symlink"])
def test_archive_members_outside_the_folder_are_refused(mirror, tmp_path, monkeypatch, member):
    root = tmp_path / "deep" / "data"
    monkeypatch.setenv("WORKBENCH_DATA", str(root))
    outside = tmp_path / "abs-evil"
    batches, _ = cifar_members()
    if member == "ABS":
        extra = _hostile(str(outside))
    elif member == "symlink":
        extra = _hostile("cifar-10-batches-py/link", kind=tarfile.SYMTYPE, link=str(outside))
    else:
        extra = _hostile(member)
    archive = cifar_archive(batches, [extra])
    mirror.put("cifar10", {CIFAR_ARCHIVE: archive})
    with pytest.raises(data.DataFormatError, match="refused, nothing was extracted") as err:
        data.fetch("cifar10", base_url=mirror.url, progress=False, resources=cifar_resources(archive, batches))
    assert repr(extra[0].name) in str(err.value)
    assert files_under(tmp_path) == []  # nothing anywhere: not in the data folder, not beside it, not at the path


@pytest.mark.parametrize("reset", [False, True], ids=["close", "reset"])
def test_server_closing_mid_file_raises_and_leaves_nothing(served, data_root, reset):
    mirror, resources, _ = served
    mirror.cut.add("/mnist/t10k-images-idx3-ubyte.gz")  # two files arrive whole, the third is cut off
    mirror.reset = reset
    with pytest.raises(data.DataDownloadError) as err:
        data.fetch("mnist", base_url=mirror.url, progress=False, resources=resources["mnist"])
    msg = str(err.value)
    assert "t10k-images-idx3-ubyte.gz" in msg and "\n" not in msg
    if reset:
        assert "Connection reset" in msg and "failed" in msg
    else:  # an orderly close is silent in http.client (a short read): only the checksum catches it
        assert "cut short" in msg and "expected md5" in msg
    assert not data_root.exists() or files_under(data_root) == []


def test_unreachable_file_names_the_url(served, data_root):
    mirror, resources, _ = served
    del mirror.files["/fashion-mnist/train-labels-idx1-ubyte.gz"]
    with pytest.raises(data.DataDownloadError, match=r"fashion-mnist/train-labels-idx1-ubyte\.gz failed: .*404"):
        data.fetch("fashion-mnist", base_url=mirror.url, progress=False, resources=resources["fashion-mnist"])
    assert not data_root.exists() or files_under(data_root) == []


def test_fetch_arguments_are_checked(data_root):
    with pytest.raises(ValueError, match="cannot fetch 'imagenet'"):
        data.fetch("imagenet")
    with pytest.raises(ValueError, match="http:// or https://"):
        data.fetch("mnist", base_url="ftp://127.0.0.1/", progress=False)
    with pytest.raises(ValueError, match="md5 .* for exactly these files"):
        data.fetch("mnist", base_url="http://127.0.0.1:9/", resources=[("train-images-idx3-ubyte.gz", "x")])
    assert not any(data_root.iterdir())


def test_default_checksums_are_torchvisions():
    import torchvision.datasets as tvd

    assert data._default_resources("mnist") == [tuple(r) for r in tvd.MNIST.resources]
    table = dict(data._default_resources("cifar10"))
    assert table[CIFAR_ARCHIVE] == tvd.CIFAR10.tgz_md5 and table["test_batch"] == tvd.CIFAR10.test_list[0][1]
    assert len(table) == 8


def test_load_download_fetches_from_the_mirror_in_the_environment(served, data_root, monkeypatch):
    mirror, resources, truth = served
    monkeypatch.setenv(data.ENV_MIRROR, mirror.url)
    monkeypatch.setattr(data, "fetch", functools.partial(data.fetch, resources=resources["fashion-mnist"],
                                                         progress=False))
    d = data.load("fashion-mnist", download=True, fallback=None)
    assert d.name == "Fashion-MNIST (train)" and d.y.tolist() == truth["fashion-mnist"]["train"][1].tolist()


def test_missing_set_warns_one_line_once_and_falls_back(data_root):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        d = data.load("mnist", n=20)
        data.load("mnist", n=20)
        data.load("mnist", train=False)
    assert d.name == "digits" and len(d) == 20
    rec = [r for r in rec if r.category is UserWarning]  # not a ResourceWarning of an earlier test's socket
    assert len(rec) == 1
    msg = str(rec[0].message)
    assert "\n" not in msg and str(data_root / "MNIST" / "raw") in msg and "workbench data fetch mnist" in msg
    with pytest.warns(UserWarning, match="workbench data fetch cifar10"):  # once per name
        data.load("cifar10")
    with pytest.raises(data.DataNotFoundError) as err:
        data.load("fashion_mnist", fallback=None)
    assert "workbench data fetch fashion-mnist" in str(err.value)
    assert str(data_root / "FashionMNIST/raw/train-images-idx3-ubyte") in str(err.value)
    assert err.value.folder == data_root / "FashionMNIST" / "raw"


def test_cli_data_fetch_and_list(served, data_root, monkeypatch, capsys):
    mirror, resources, _ = served
    assert cli.main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert str(data_root) in out and "missing" in out and "workbench data fetch cifar10" in out

    monkeypatch.setattr(data, "fetch", functools.partial(data.fetch, resources=resources["mnist"]))
    assert cli.main(["data", "fetch", "mnist", "--mirror", mirror.url]) == 0
    assert f"4 files downloaded into {data_root / 'MNIST' / 'raw'}" in capsys.readouterr().out
    n = len(mirror.requests)
    assert cli.main(["data", "fetch", "mnist", "--mirror", mirror.url]) == 0
    assert "already present" in capsys.readouterr().out and len(mirror.requests) == n

    assert cli.main(["data", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    mn = next(line for line in lines if line.startswith("mnist "))
    assert "present" in mn and str(data_root / "MNIST" / "raw") in mn and "3.9 KiB" in mn
    assert "missing" in next(line for line in lines if line.startswith("cifar10 "))

    other = data_root / "elsewhere"
    assert cli.main(["data", "fetch", "mnist", "--mirror", mirror.url, "--root", str(other)]) == 0
    assert f"WORKBENCH_DATA={other}" in capsys.readouterr().out
    assert cli.main(["data", "list", "--root", str(other)]) == 0
    assert "present" in next(x for x in capsys.readouterr().out.splitlines() if x.startswith("mnist "))


def test_cli_data_errors_are_one_line_exit_2(served, data_root, capsys):
    mirror, _, _ = served
    # torchvision's real checksums against the tiny mirror: refused
    assert cli.main(["data", "fetch", "cifar10", "--mirror", mirror.url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: CIFAR-10: cifar-10-python.tar.gz") and "expected md5" in err[-1]
    assert sum(line.startswith("error:") for line in err) == 1
    assert not data_root.exists() or files_under(data_root) == []
    assert cli.main(["data", "fetch", "mnist", "--mirror", "ftp://127.0.0.1/"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("error: base_url must be an http")
    assert cli.main(["data", "fetch", "mnist", "--mirror", mirror.url + "/nowhere"]) == 2
    assert "404" in capsys.readouterr().err.strip().splitlines()[-1]
    afile = data_root / "a-file"
    afile.write_text("x")
    assert cli.main(["data", "fetch", "mnist", "--root", str(afile / "sub")]) == 2
    assert "regular file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as ex:
        cli.main(["data", "fetch", "imagenet"])
    assert ex.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["data"])


def test_archive_that_does_not_unpack_is_refused(mirror, data_root):
    batches, _ = cifar_members()
    archive = cifar_archive(batches)[:-40]  # cut inside the gzip stream; its md5 is the one the table expects
    mirror.put("cifar10", {CIFAR_ARCHIVE: archive})
    with pytest.raises(data.DataFormatError, match="could not be unpacked"):
        data.fetch("cifar10", base_url=mirror.url, progress=False, resources=cifar_resources(archive, batches))
    assert not data_root.exists() or files_under(data_root) == []


def test_a_killed_fetchs_temporary_folder_is_removed_by_the_next_fetch(served, data_root):
    import os
    import subprocess
    import sys

    mirror, resources, _ = served
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)  # a process that has exited: its fetch was killed mid-download
    data_root.mkdir(parents=True, exist_ok=True)
    stale = data_root / f".fetch-mnist-{dead_pid}-abc123"
    (stale / "partial").mkdir(parents=True)
    (stale / "partial" / "train-images-idx3-ubyte.gz").write_bytes(b"half a file")
    live = data_root / f".fetch-mnist-{os.getppid()}-def456"  # a live process (the test runner's parent)
    live.mkdir()
    unnamed = data_root / ".fetch-mnist-xyz"  # an older name without a process id: left alone
    unnamed.mkdir()
    other = data_root / f".fetch-cifar10-{dead_pid}-ghi789"  # another data set's: not this fetch's business
    other.mkdir()
    data.fetch("mnist", base_url=mirror.url, progress=False, resources=resources["mnist"])
    assert not stale.exists() and live.is_dir() and unnamed.is_dir() and other.is_dir()
    assert sorted(p.name for p in data_root.glob(".fetch-*")) == sorted([live.name, unnamed.name, other.name])
