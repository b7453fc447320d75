"""Opt-in downloads: :func:`fetch` (``workbench data fetch``) through torchvision's own download code.

Files land in a temporary folder inside the data folder and are moved into place only when verified; see
:func:`fetch`.  :func:`_inventory` backs ``workbench data list``.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import socket
import sys
import tarfile
import tempfile
import threading
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

from workbench.data.dataset import DataDownloadError, DataFormatError, data_dir
from workbench.data.image_sets import _CIFAR_FILES, _MNIST_FILES, _check_idx
from workbench.limits import format_bytes

ENV_MIRROR = "WORKBENCH_DATA_MIRROR"
_FETCH_NAMES = {"mnist": "mnist", "fashion-mnist": "fashion-mnist", "fashion_mnist": "fashion-mnist",
                "cifar10": "cifar10"}
_FETCH_KEYS = {"mnist": "mnist", "fashion_mnist": "fashion-mnist", "cifar10": "cifar10"}  # load name -> fetch name
FETCHABLE = ("mnist", "fashion-mnist", "cifar10")
_MD5 = re.compile(r"[0-9a-f]{32}")
_MAX_ARCHIVE_BYTES = 2**30  # the CIFAR-10 archive unpacks to 178 MB; refuse archives claiming more than this
_TIMEOUT_S = 60.0  # a socket timeout for the download when none is set: a stalled server ends the fetch
_MAX_DOWNLOAD_BYTES = 2**30  # the largest file fetched (CIFAR-10's archive) is 170 MB; a server sending more is refused
_PATCH_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Spec:
    pretty: str
    folder: str  # relative to the data folder
    files: tuple[str, ...]  # what the loader reads, in ``folder``


_SPECS = {
    "mnist": _Spec("MNIST", "MNIST/raw", _MNIST_FILES),
    "fashion-mnist": _Spec("Fashion-MNIST", "FashionMNIST/raw", _MNIST_FILES),
    "cifar10": _Spec("CIFAR-10", "cifar-10-batches-py", _CIFAR_FILES),
}


@dataclass(frozen=True)
class FetchResult:
    """What :func:`fetch` did: the data set's ``folder``, its ``files``, their total ``n_bytes`` and whether
    anything was ``downloaded`` (``False`` when the files were already present and valid)."""

    name: str
    folder: Path
    files: tuple[Path, ...]
    n_bytes: int
    downloaded: bool

    def __str__(self) -> str:
        what = "downloaded into" if self.downloaded else "already present in"
        return f"{self.name}: {len(self.files)} files {what} {self.folder} ({format_bytes(self.n_bytes)})"


def _default_resources(key: str) -> list[tuple[str, str]]:
    """torchvision's own table: the files downloaded and, for CIFAR-10, the unpacked batches, with md5s."""
    import torchvision.datasets as tvd

    if key == "cifar10":
        c = tvd.CIFAR10
        return ([(c.filename, c.tgz_md5)] + [(f, m) for f, m in c.train_list + c.test_list]
                + [(c.meta["filename"], c.meta["md5"])])
    return [(f, m) for f, m in (tvd.MNIST if key == "mnist" else tvd.FashionMNIST).resources]


def _check_resources(key: str, resources) -> dict[str, str]:
    spec = _SPECS[key]
    try:
        table = {str(f): str(m).lower() for f, m in resources}
    except (TypeError, ValueError):
        raise TypeError(f"resources must be a list of (file name, md5) pairs, got {resources!r}") from None
    need = [f + ".gz" for f in spec.files] if key != "cifar10" else ["cifar-10-python.tar.gz", *spec.files]
    missing = [f for f in need if f not in table]
    bad = [f for f, m in table.items() if not _MD5.fullmatch(m)]
    if missing or bad or len(table) != len(need):
        raise ValueError(f"resources for {key} must give an md5 (32 hex digits) for exactly these files: "
                         f"{need}; missing {missing}, bad md5 for {bad}, extra {sorted(set(table) - set(need))}")
    return table


def _mirror(key: str, base_url: str | None) -> str | None:
    """The URL of the folder holding the set's files on the mirror, or ``None`` for torchvision's hosts."""
    base = base_url if base_url is not None else (os.environ.get(ENV_MIRROR, "").strip() or None)
    if base is None:
        return None
    where = "base_url" if base_url is not None else f"the environment variable {ENV_MIRROR}"
    if not isinstance(base, str) or not re.match(r"https?://[^/\s]+", base):
        raise ValueError(f"{where} must be an http:// or https:// URL of a mirror holding <mirror>/{key}/<file>, "
                         f"got {base!r}")
    return f"{base.rstrip('/')}/{key}/"


def _md5(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _valid_mnist(folder: Path, pretty: str) -> bool:
    try:
        return all(_check_idx(folder / f"{p}-images-idx3-ubyte", pretty, 3)
                   == _check_idx(folder / f"{p}-labels-idx1-ubyte", pretty, 1) for p in ("train", "t10k"))
    except DataFormatError:
        return False


def _present(key: str, folder: Path, table: dict[str, str]) -> bool:
    """The loader's files are in ``folder`` and valid: IDX headers and sizes (MNIST), md5s (CIFAR-10)."""
    spec = _SPECS[key]
    if not all((folder / f).is_file() for f in spec.files):
        return False
    if key == "cifar10":
        return all(_md5(folder / f) == table[f] for f in spec.files)
    return _valid_mnist(folder, spec.pretty)


class _NoDowngrade(urllib.request.HTTPRedirectHandler):
    """Follow redirects, except from https to anything else (urllib follows https -> http without a word)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if req.full_url.lower().startswith("https:") and not newurl.lower().startswith("https:"):
            raise DataDownloadError(f"{req.full_url} redirects to {newurl}, which is not https; refused (the data "
                                    "would travel unencrypted)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _guarded_download(tvu, tried_https: set[str]):
    """torchvision's ``_urlretrieve`` with what it lacks: a timeout on every read, a size limit, no https -> http
    redirect, and no retry over http of an https URL that failed (``download_url`` does that silently)."""
    opener = urllib.request.build_opener(_NoDowngrade)

    def urlretrieve(url: str, filename, chunk_size: int = 1 << 15) -> None:
        low = str(url).lower()
        if low.startswith("http:") and "https:" + str(url)[5:] in tried_https:
            raise DataDownloadError(f"https:{str(url)[5:]} failed and torchvision would retry it over plain http; "
                                    "refused (the data would travel unencrypted). Check the https mirror, or give "
                                    "an http:// mirror explicitly")
        if low.startswith("https:"):
            tried_https.add(str(url))
        request = urllib.request.Request(url, headers={"User-Agent": tvu.USER_AGENT})
        with opener.open(request, timeout=_TIMEOUT_S) as response:
            length = response.length
            if length is not None and length > _MAX_DOWNLOAD_BYTES:
                raise DataDownloadError(f"{url} is {length:,} bytes, larger than the "
                                        f"{format_bytes(_MAX_DOWNLOAD_BYTES)} a data set file may take; refused")
            n = 0
            with open(filename, "wb") as fh, tvu.tqdm(total=length, unit="B", unit_scale=True) as bar:
                while chunk := response.read(chunk_size):
                    n += len(chunk)
                    if n > _MAX_DOWNLOAD_BYTES:
                        raise DataDownloadError(f"{url} sent more than {format_bytes(_MAX_DOWNLOAD_BYTES)}, larger "
                                                "than a data set file may take; stopped and refused")
                    fh.write(chunk)
                    bar.update(len(chunk))

    def redirect_url(url: str, max_hops: int = 3) -> str:
        final = _get_redirect(url, max_hops=max_hops)
        if str(url).lower().startswith("https:") and not str(final).lower().startswith("https:"):
            raise DataDownloadError(f"{url} redirects to {final}, which is not https; refused (the data would "
                                    "travel unencrypted)")
        return final

    _get_redirect = tvu._get_redirect_url
    return urlretrieve, redirect_url


@contextlib.contextmanager
def _download_settings(progress: bool):
    """Quiet torchvision's progress bars (``progress=False``), bound a stalled socket, put the guarded download in
    place of torchvision's (see :func:`_guarded_download`), then restore all three."""
    import torchvision.datasets.utils as tvu

    with _PATCH_LOCK:
        bar, timeout = tvu.tqdm, socket.getdefaulttimeout()
        retrieve, redirect = tvu._urlretrieve, tvu._get_redirect_url
        try:
            if not progress:
                tvu.tqdm = functools.partial(bar, disable=True)
            if timeout is None:
                socket.setdefaulttimeout(_TIMEOUT_S)
            tvu._urlretrieve, tvu._get_redirect_url = _guarded_download(tvu, set())
            yield
        finally:
            tvu.tqdm = bar
            tvu._urlretrieve, tvu._get_redirect_url = retrieve, redirect
            socket.setdefaulttimeout(timeout)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    text = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return re.sub(r"^Error downloading \S+: ", "", text)  # MNIST.download's preamble; the URL is named already


def _download_failure(pretty: str, downloads, where: Path, url_of, exc: BaseException, dest: Path) -> DataDownloadError:
    """Name the first file that did not arrive intact: its URL, and the expected and actual md5 where the
    download ran to its end but the checksum failed (torchvision's generic message says neither)."""
    cause = _one_line(exc)
    for fname, md5 in downloads:
        path = where / fname
        if path.is_file() and _md5(path) == md5:
            continue
        if path.is_file() and "File not found or corrupted" in cause:  # torchvision's checksum failure
            return DataDownloadError(
                f"{pretty}: {fname} from {url_of(fname)} does not match its checksum: expected md5 {md5}, got "
                f"{_md5(path)} ({path.stat().st_size:,} bytes); the download is corrupt or was cut short. "
                f"Nothing was written to {dest}")
        after = f" after {path.stat().st_size:,} bytes" if path.is_file() else ""
        return DataDownloadError(f"{pretty}: downloading {url_of(fname)} failed{after}: {cause}. Nothing was "
                                 f"written to {dest}")
    return DataDownloadError(f"{pretty}: the download failed: {cause}. Nothing was written to {dest}")


def _fetch_mnist(key: str, tmp: Path, table: dict[str, str], mirror: str | None, dest: Path) -> Path:
    """Download and gunzip through torchvision's ``MNIST.download`` into ``tmp``; return the folder of the files."""
    import torchvision.datasets as tvd

    base = tvd.MNIST if key == "mnist" else tvd.FashionMNIST
    downloads = [(f + ".gz", table[f + ".gz"]) for f in _MNIST_FILES]
    mirrors = [mirror] if mirror else list(base.mirrors)
    # a subclass, so torchvision's classes stay untouched; the same name keeps torchvision's raw_folder layout
    cls = type(base.__name__, (base,), {"mirrors": mirrors, "resources": downloads, "__module__": __name__})
    ds = cls.__new__(cls)
    tvd.VisionDataset.__init__(ds, str(tmp))
    raw = Path(ds.raw_folder)
    try:
        ds.download()
    except Exception as exc:  # noqa: BLE001 - torchvision raises RuntimeError, URLError, OSError, HTTPException
        raise _download_failure(_SPECS[key].pretty, downloads, raw, lambda f: f"{mirrors[-1]}{f}", exc,
                                dest) from exc
    return raw


def _unsafe_member(m: tarfile.TarInfo) -> str | None:
    name = m.name.replace("\\", "/")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name) or os.path.isabs(m.name):
        return "an absolute path"
    if ".." in name.split("/"):
        return "a '..' component"
    if not (m.isfile() or m.isdir()):
        return "a link or special file"
    return None


def _safe_extract(archive: Path, to: Path, pretty: str, url: str) -> None:
    """Unpack a tar archive into ``to`` after checking every member (torchvision's ``extract_archive`` does not)."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = tar.getmembers()
            for m in members:
                why = _unsafe_member(m)
                if why is not None:
                    raise DataFormatError(f"{pretty}: the archive {url} holds the member {m.name!r}, {why}, which "
                                          "could be written outside the data folder; refused, nothing was extracted")
            total = sum(m.size for m in members)
            if total > _MAX_ARCHIVE_BYTES:
                raise DataFormatError(f"{pretty}: the archive {url} unpacks to {format_bytes(total)}, over the "
                                      f"{format_bytes(_MAX_ARCHIVE_BYTES)} a data set archive may take; refused")
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: a second line of defence
                tar.extractall(to, members=members, filter="data")
            else:  # pragma: no cover - older Pythons; every member was checked above
                tar.extractall(to, members=members)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise DataFormatError(f"{pretty}: the archive {url} could not be unpacked ({type(exc).__name__}: "
                              f"{_one_line(exc)})") from None


def _fetch_cifar(tmp: Path, table: dict[str, str], mirror: str | None, dest: Path) -> Path:
    """Download through torchvision's ``download_url`` (md5 checked), unpack safely, check the batches' md5s."""
    import torchvision.datasets as tvd
    from torchvision.datasets.utils import download_url

    name = tvd.CIFAR10.filename
    url = f"{mirror}{name}" if mirror else tvd.CIFAR10.url
    try:
        download_url(url, str(tmp), filename=name, md5=table[name])
    except Exception as exc:  # noqa: BLE001 - RuntimeError (checksum), URLError, OSError, HTTPException
        raise _download_failure("CIFAR-10", [(name, table[name])], tmp, lambda f: url, exc, dest) from exc
    out = tmp / "unpacked"
    out.mkdir()
    _safe_extract(tmp / name, out, "CIFAR-10", url)
    folder = out / _SPECS["cifar10"].folder
    for f in _CIFAR_FILES:
        path = folder / f
        if not path.is_file():
            raise DataFormatError(f"CIFAR-10: the archive {url} has no {_SPECS['cifar10'].folder}/{f}; "
                                  f"nothing was written to {dest}")
        got = _md5(path)
        if got != table[f]:
            raise DataDownloadError(f"CIFAR-10: {f} unpacked from {url} does not match its checksum: expected md5 "
                                    f"{table[f]}, got {got}; nothing was written to {dest}")
    return folder


def fetch(name: str, *, root: str | os.PathLike | None = None, base_url: str | None = None, progress: bool = True,
          resources=None) -> FetchResult:
    """Download MNIST, Fashion-MNIST (``fashion-mnist`` or ``fashion_mnist``) or CIFAR-10 into the data folder.

    The files go to ``root`` (default :func:`data_dir`) in the layout the
    loaders read.  The download runs through torchvision's own code
    (``MNIST.download``, ``download_url``), so torchvision's md5 checksums
    are checked.  Everything lands first in a temporary folder inside the data
    folder; only when every file is verified (checksums, IDX headers, archive
    members) are the files moved into place, so a failed or interrupted fetch
    leaves nothing half-written.  Archive members with an absolute path, a
    ``..`` component or a link are refused.  When the files are already there
    and valid, nothing is downloaded.

    ``base_url`` (default: the environment variable ``WORKBENCH_DATA_MIRROR``,
    else torchvision's hosts) is a mirror holding ``<base_url>/<name>/<file>``
    under the official file names, ``name`` one of ``mnist``,
    ``fashion-mnist``, ``cifar10``.  ``progress`` shows torchvision's progress
    bars.  ``resources`` replaces torchvision's checksum table, a list of
    ``(file name, md5)``: the ``.gz`` files (MNIST-family) or
    ``cifar-10-python.tar.gz`` and the seven unpacked batch files (CIFAR-10);
    it is for tests and for mirrors of re-packed files.

    Raises :class:`DataDownloadError` (unreachable server, a download cut
    short, a checksum mismatch) or :class:`DataFormatError` (an archive that
    does not unpack, an unsafe member, a file in the wrong format).
    """
    if not isinstance(name, str) or name not in _FETCH_NAMES:
        raise ValueError(f"cannot fetch {name!r}: name must be one of {sorted(_FETCH_NAMES)}")
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    if root is not None and (not isinstance(root, (str, os.PathLike)) or not str(os.fspath(root)).strip()):
        raise ValueError(f"root must be a folder path (a str or pathlib.Path; None for {data_dir()}), got {root!r}")
    key = _FETCH_NAMES[name]
    spec = _SPECS[key]
    table = _check_resources(key, _default_resources(key) if resources is None else resources)
    mirror = _mirror(key, base_url)
    root_dir = Path(root).expanduser() if root is not None else data_dir()
    root_dir = root_dir.absolute()
    dest = root_dir / spec.folder
    if _present(key, dest, table):
        files = tuple(dest / f for f in spec.files)
        return FetchResult(spec.pretty, dest, files, sum(p.stat().st_size for p in files), False)
    if root_dir.exists() and not root_dir.is_dir():
        raise NotADirectoryError(f"the data folder {root_dir} is a file, not a folder")
    made_root = not root_dir.exists()
    root_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_fetches(root_dir, key)
    tmp = Path(tempfile.mkdtemp(prefix=f".fetch-{key}-{os.getpid()}-", dir=root_dir))
    try:
        if progress:
            source = mirror or "torchvision's hosts"
            print(f"fetching {spec.pretty} from {source} into {dest}", file=sys.stderr)
        with _download_settings(progress):
            if key == "cifar10":
                got = _fetch_cifar(tmp, table, mirror, dest)
            else:
                got = _fetch_mnist(key, tmp, table, mirror, dest)
                for p in ("train", "t10k"):  # the loader's own header and size checks, before anything moves
                    n_img = _check_idx(got / f"{p}-images-idx3-ubyte", spec.pretty, 3)
                    n_lab = _check_idx(got / f"{p}-labels-idx1-ubyte", spec.pretty, 1)
                    if n_img != n_lab:
                        raise DataFormatError(f"{spec.pretty}: the downloaded {p} files hold {n_img:,} images but "
                                              f"{n_lab:,} labels; nothing was written to {dest}")
        dest.mkdir(parents=True, exist_ok=True)
        for f in spec.files:  # verified: move into place (same file system, each move atomic)
            os.replace(got / f, dest / f)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if made_root:
            with contextlib.suppress(OSError):
                root_dir.rmdir()  # only when empty: a failed first fetch leaves no folder behind
    files = tuple(dest / f for f in spec.files)
    return FetchResult(spec.pretty, dest, files, sum(p.stat().st_size for p in files), True)


def _remove_stale_fetches(root_dir: Path, key: str) -> list[Path]:
    """Remove the temporary folders (``.fetch-KEY-PID-*``) of fetches whose process is gone (killed mid-download:
    its ``finally`` never ran); a live fetch's folder, or one named without a process id, is left alone.
    Returns the folders removed."""
    gone = []
    for d in root_dir.glob(f".fetch-{key}-*"):
        pid = d.name[len(f".fetch-{key}-"):].split("-", 1)[0]
        if not d.is_dir() or not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        shutil.rmtree(d, ignore_errors=True)
        gone.append(d)
    return gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: assume it is a live fetch
    return True


def _inventory(root: str | os.PathLike | None = None) -> list[tuple[str, Path, str, int]]:
    """``(name, folder, state, n_bytes)`` for each fetchable set; ``state`` is present, missing or 'k of n files'."""
    root_dir = Path(root).expanduser().absolute() if root is not None else data_dir()
    rows = []
    for key, spec in _SPECS.items():
        folder = root_dir / spec.folder
        have = [folder / f for f in spec.files if (folder / f).is_file()]
        n = sum(p.stat().st_size for p in have)
        state = ("present" if len(have) == len(spec.files) else "missing" if not have
                 else f"{len(have)} of {len(spec.files)} files")
        rows.append((key, folder, state, n))
    return rows
