"""Hostile-input probe of the newer surfaces (issue 28, item 5): the claims catalogue, ``workbench data fetch``,
the report writer and the command line.

Each case is classified as

* ``clear``     refused with a message that names one of the case's words (the argument, the file, the flag);
                for the CLI: exit code 2, one message on stderr, no traceback; for a fetch: nothing written
                outside the data folder and nothing left half-written in it;
* ``sensible``  accepted, with the right result (an input that should be accepted);
* ``wrong``     accepted (no error) where it should be refused, or a wrong result: raw HTML in a report, a file
                written outside the data folder, a download silently downgraded from https to http;
* ``obscure``   refused, but the message names none of the case's words, or the CLI printed a traceback or
                exited with another code than 2;
* ``hang``      no answer within the per-case timeout (``signal.alarm``).

Downloads are served by a local HTTP server on 127.0.0.1 only (a guard refuses any other address).

Run: ``PYTHONPATH=$PWD python benchmarks/hostile/hostile_probe_surfaces.py [--timeout S] [--verbose]``.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import gzip
import hashlib
import io
import json
import math
import os
import pickle
import shutil
import signal
import socket
import struct
import sys
import tarfile
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

CASES: list[tuple] = []  # (group, label, kind, words, call, check)


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def bad(group, label, words, call, check=None):
    """Must be refused with a message naming one of ``words``; ``check()`` (optional) True when nothing was
    written where it should not be."""
    CASES.append((group, label, "bad", tuple(words), call, check))


def good(group, label, call, check):
    """Must be accepted; ``check(result)`` True when the result is right."""
    CASES.append((group, label, "good", (), call, check))


# ---------------------------------------------------------------------------------------------------------------
# a local mirror (127.0.0.1 only)
# ---------------------------------------------------------------------------------------------------------------
_real_create_connection = socket.create_connection


def _guarded(address, *args, **kwargs):
    if address[0] not in ("127.0.0.1", "localhost"):
        raise AssertionError(f"the probe tried to reach {address[0]}")
    return _real_create_connection(address, *args, **kwargs)


socket.create_connection = _guarded
for _v in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_v, None)
os.environ["no_proxy"] = "*"


class Mirror:
    """``files`` served at ``/<path>``; ``mode[path]``: 'cut' (half the body, then close), 'stall' (headers, then
    nothing), 'endless' (a body that never ends, no Content-Length), 'redirect:URL'."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.mode: dict[str, str] = {}
        self.requests: list[str] = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self):  # noqa: N802
                self.do_GET(head=True)

            def do_GET(self, head=False):  # noqa: N802
                mirror.requests.append(self.path)
                mode = mirror.mode.get(self.path, "")
                if mode.startswith("redirect:"):
                    self.send_response(302)
                    self.send_header("Location", mode[len("redirect:"):])
                    self.end_headers()
                    return
                body = mirror.files.get(self.path)
                if body is None:
                    self.send_error(404, "not on this mirror")
                    return
                self.send_response(200)
                if mode != "endless":
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if head:
                    return
                try:
                    if mode == "cut":
                        self.wfile.write(body[: len(body) // 2])
                        self.wfile.flush()
                        self.close_connection = True
                    elif mode == "stall":
                        self.wfile.flush()
                        time.sleep(30)
                    elif mode == "endless":
                        chunk = b"\0" * 65536
                        for _ in range(1 << 16):  # 4 GiB at most
                            self.wfile.write(chunk)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda *a: None
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


def md5(b: bytes) -> str:
    return hashlib.md5(b).hexdigest()


MNIST_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
               "t10k-labels-idx1-ubyte"]
CIFAR_FILES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]
CIFAR_ARCHIVE = "cifar-10-python.tar.gz"


def tiny_mnist() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    files = {}
    for prefix, n in (("train", 3), ("t10k", 2)):
        x = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        y = rng.integers(0, 10, size=n, dtype=np.uint8)
        files[f"{prefix}-images-idx3-ubyte.gz"] = gzip.compress(struct.pack(">IIII", 0x803, n, 28, 28) + x.tobytes(),
                                                                mtime=0)
        files[f"{prefix}-labels-idx1-ubyte.gz"] = gzip.compress(struct.pack(">II", 0x801, n) + y.tobytes(), mtime=0)
    return files


def tar_gz(members) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for info, body in members:
            info.mtime = 0
            if body is not None:
                info.size = len(body)
            tar.addfile(info, io.BytesIO(body) if body is not None else None)
    return buf.getvalue()


def cifar_batches() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    out = {}
    for name in CIFAR_FILES[:-1]:
        out[name] = pickle.dumps({"data": rng.integers(0, 256, size=(2, 3072), dtype=np.uint8),
                                  "labels": rng.integers(0, 10, size=2).tolist()})
    out["batches.meta"] = pickle.dumps({"label_names": [str(i) for i in range(10)]})
    return out


def cifar_archive(batches, extra=()) -> bytes:
    folder = tarfile.TarInfo("cifar-10-batches-py")
    folder.type = tarfile.DIRTYPE
    folder.mode = 0o755
    return tar_gz([(folder, None)] + [(tarfile.TarInfo(f"cifar-10-batches-py/{k}"), v) for k, v in batches.items()]
                  + list(extra))


def member(name, body=b"x", kind=None, link=""):
    info = tarfile.TarInfo(name)
    if kind is not None:
        info.type = kind
        info.linkname = link
        return info, None
    return info, body


# ---------------------------------------------------------------------------------------------------------------
# the cases
# ---------------------------------------------------------------------------------------------------------------
def catalogue_cases():
    import workbench.catalogue as C
    from workbench import papers

    def st(rule=None, **kw):
        base = dict(id="x.one", paper="ESD", where="§1", quote="q", quantity="a number", rule=rule or C.above(0.0),
                    recipe="workbench.measures.esd", random=True)
        base.update(kw)
        return C.Statement(**base)

    g = "catalogue"
    bad(g, "Rule kind 'roughly'", ["kind"], lambda: C.Rule("roughly", threshold=1.0))
    bad(g, "above without threshold", ["threshold"], lambda: C.Rule("above"))
    bad(g, "threshold a lambda (reads its own result)", ["threshold", "fixed before the run"],
        lambda: C.Rule("above", threshold=lambda run: run.mean()))
    bad(g, "threshold NaN", ["threshold"], lambda: C.Rule("above", threshold=float("nan")))
    bad(g, "threshold True", ["threshold"], lambda: C.Rule("above", threshold=True))
    bad(g, "threshold '0.5'", ["threshold"], lambda: C.Rule("above", threshold="0.5"))
    bad(g, "within negative tolerance", ["tolerance"], lambda: C.within(1.0, -0.1))
    bad(g, "between low > high", ["low", "high"], lambda: C.between(2.0, 1.0))
    bad(g, "relative='yes'", ["relative"], lambda: C.Rule("within", target=1.0, tolerance=0.1, relative="yes"))

    class Live(float):  # a number that reads the run's result when compared
        def __gt__(self, other):
            return True

        def __lt__(self, other):
            return True

        def __le__(self, other):
            return True

        def __ge__(self, other):
            return True

    def live_threshold():
        r = C.Rule("above", threshold=Live(5.0))
        return C.judge(st(r, random=False), 1.0)

    # refused, or made a plain float (the run cannot choose the verdict either way): 1 is not above 5
    good(g, "threshold a float subclass that compares as the run likes", live_threshold,
         lambda j: j.verdict == "differs")

    class Sneaky(C.Rule):  # a rule subclass whose band reads a global result
        def band(self):
            return (-math.inf, math.inf)

    bad(g, "a Rule subclass overriding band()", ["rule", "Rule"],
        lambda: C.check_catalogue([st(Sneaky("above", threshold=100.0))]))
    bad(g, "judge() of a statement whose rule is a function", ["rule"],
        lambda: C.judge(st(lambda v: v > 0), [1.0, 2.0, 3.0]))
    bad(g, "statement id a list", ["id"], lambda: C.check_catalogue([st(id=["x"])]))
    bad(g, "statement id 123", ["id"], lambda: C.check_catalogue([st(id=123)]))
    bad(g, "duplicate ids", ["duplicate"], lambda: C.check_catalogue([st(), st()]))
    bad(g, "claims a string (would register one key per letter)", ["claims"],
        lambda: C.check_catalogue([st(claims="esd.key")]))
    bad(g, "random='no'", ["random"], lambda: C.check_catalogue([st(random="no")]))
    bad(g, "exploratory=1", ["exploratory"], lambda: C.check_catalogue([st(exploratory=1)]))
    bad(g, "recipe a function, not a dotted path", ["recipe"], lambda: C.check_catalogue([st(recipe=print)]))
    bad(g, "recipe 'not a path'", ["recipe"], lambda: C.check_catalogue([st(recipe="not a path")]))
    bad(g, "not_run two lines", ["not_run"],
        lambda: C.check_catalogue([st(not_run="needs a GPU\nand more", recipe=None)]))
    bad(g, "history a list", ["history"], lambda: C.check_catalogue([st(history=["changed"])]))
    bad(g, "quote None", ["quote"], lambda: C.check_catalogue([st(quote=None)]))
    bad(g, "a dict entry", ["Statement"], lambda: C.check_catalogue([{"id": "x"}]))
    bad(g, "unknown paper", ["paper"], lambda: C.check_catalogue([st()], papers=["EDJM"]))
    bad(g, "judge values 'abc'", ["values"], lambda: C.judge(st(), "abc"))
    bad(g, "judge values [1, None, 2]", ["values"], lambda: C.judge(st(), [1.0, None, 2.0]))
    bad(g, "judge values [True, False, True]", ["values"], lambda: C.judge(st(), [True, False, True]))
    bad(g, "judge values {'a': 1}", ["values"], lambda: C.judge(st(), {"a": 1.0}))
    bad(g, "judge exact with 3 values", ["one", "value"], lambda: C.judge(st(random=False), [1.0, 2.0, 3.0]))
    bad(g, "judge method 'z'", ["method"], lambda: C.judge(st(), [1.0, 2.0, 3.0], method="z"))
    bad(g, "judge a dict statement", ["statement", "Statement"], lambda: C.judge({"id": "x"}, 1.0))
    good(g, "judge numpy values", lambda: C.judge(st(), np.array([10.0, 11.0, 12.0])).verdict,
         lambda v: v == "reproduced")
    good(g, "judge values with inf dropped", lambda: C.judge(st(), [10.0, 11.0, 12.0, math.inf]),
         lambda j: j.verdict == "reproduced" and "1 of 4" in j.reason)
    good(g, "judge [1e308, 1e308, 1e308] above 0", lambda: C.judge(st(), [1e308, 1e308, 1e308]),
         lambda j: j.verdict != "differs" and (j.estimate is None or math.isfinite(j.estimate)))
    good(g, "judge 3 values below 0 differ", lambda: C.judge(st(), [-12.0, -11.0, -10.0]).verdict,
         lambda v: v == "differs")
    good(g, "a quote with HTML is kept as text", lambda: C.check_catalogue([st(quote="<b>x</b> & y")])[0].quote,
         lambda q: q == "<b>x</b> & y")
    good(g, "the five papers' catalogues", lambda: len(papers.catalogue_statements()), lambda n: n > 200)


def fetch_cases(mirror: Mirror, scratch: Path):
    from workbench import data

    mnist = tiny_mnist()
    mres = [(f + ".gz", md5(mnist[f + ".gz"])) for f in MNIST_FILES]
    batches = cifar_batches()
    counter = iter(range(10**6))

    def fresh():
        """A new data folder inside a new parent, and a sentinel file beside it to detect writes outside."""
        parent = scratch / f"case{next(counter)}"
        (parent / "root").mkdir(parents=True)
        return parent, parent / "root"

    def outside_clean(parent: Path, root: Path) -> bool:
        """Nothing beside the data folder, and no temporary fetch folder or half-written file in it."""
        beside = [p for p in parent.rglob("*") if not p.is_relative_to(root)]
        inside = list(root.rglob("*"))
        leftover = [p for p in inside if p.name.startswith(".fetch-")]
        return not beside and not leftover and not any(p.is_file() for p in inside)

    def serve(key, files, mode=None):
        for name, body in files.items():
            mirror.files[f"/{key}/{name}"] = body
        for name, m in (mode or {}).items():
            mirror.mode[f"/{key}/{name}"] = m

    g = "fetch"
    # each case gets its own URL prefix, so modes do not leak between cases
    def mnist_case(label, files, mode=None, words=("MNIST",), resources=None, good_check=None, base=None):
        key = f"m{next(counter)}"
        serve(key + "/mnist", files, mode)
        parent, root = fresh()

        def call():
            return data.fetch("mnist", root=root, base_url=base or f"{mirror.url}/{key}", progress=False,
                              resources=resources or mres)
        if good_check is not None:
            good(g, label, call, good_check)
        else:
            bad(g, label, words, call, lambda: outside_clean(parent, root))

    def cifar_case(label, archive, words, mode=None, res=None, base=None):
        key = f"c{next(counter)}"
        serve(key + "/cifar10", {CIFAR_ARCHIVE: archive}, mode)
        parent, root = fresh()
        res = res or [(CIFAR_ARCHIVE, md5(archive))] + [(f, md5(batches[f])) for f in CIFAR_FILES]
        bad(g, label, words, lambda: data.fetch("cifar10", root=root, base_url=base or f"{mirror.url}/{key}",
                                                progress=False, resources=res),
            lambda: outside_clean(parent, root))

    mnist_case("mnist from the mirror", mnist, good_check=lambda r: r.downloaded and len(r.files) == 4)
    corrupt = dict(mnist)
    corrupt["train-images-idx3-ubyte.gz"] = corrupt["train-images-idx3-ubyte.gz"][:-9] + b"\0" * 9
    mnist_case("checksum mismatch", corrupt, words=("checksum", "md5"))
    mnist_case("server closes mid-file", mnist, mode={"train-images-idx3-ubyte.gz": "cut"},
               words=("train-images", "failed", "checksum"))
    mnist_case("server stalls after the headers", mnist, mode={"train-images-idx3-ubyte.gz": "stall"},
               words=("train-images", "timed out", "timeout"))
    mnist_case("endless body (no Content-Length)", mnist, mode={"train-images-idx3-ubyte.gz": "endless"},
               words=("train-images", "bytes", "larger"))
    mnist_case("404 on one file", {k: v for k, v in mnist.items() if not k.startswith("t10k-labels")},
               words=("t10k-labels", "404"))
    garbage = {k: v for k, v in mnist.items()}
    garbage["t10k-labels-idx1-ubyte.gz"] = b"<html>not a gzip</html>"
    gres = [(f, md5(garbage[f])) for f, _ in mres]
    mnist_case("an HTML page in place of a .gz (its md5 given)", garbage, resources=gres,
               words=("t10k-labels", "gzip", "format", "MNIST"))
    key = f"r{next(counter)}"
    serve(key + "/mnist", {})
    for f in MNIST_FILES:
        mirror.mode[f"/{key}/mnist/{f}.gz"] = "redirect:file:///etc/passwd"
    parent_r, root_r = fresh()
    bad(g, "redirect to file:///etc/passwd", ["redirect", "file", "mnist"],
        lambda key=key: data.fetch("mnist", root=root_r, base_url=f"{mirror.url}/{key}", progress=False,
                                   resources=mres),
        lambda: outside_clean(parent_r, root_r))

    # https -> http: the mirror speaks plain http, asked for over https; torchvision's download_url retries over
    # http without a word
    key = f"h{next(counter)}"
    archive = cifar_archive(batches)
    serve(key + "/cifar10", {CIFAR_ARCHIVE: archive})
    parent_h, root_h = fresh()
    res_h = [(CIFAR_ARCHIVE, md5(archive))] + [(f, md5(batches[f])) for f in CIFAR_FILES]
    bad(g, "an https mirror that speaks only http", ["https", "ssl"],
        lambda key=key: data.fetch("cifar10", root=root_h, base_url=f"https://127.0.0.1:{mirror.port}/{key}",
                                   progress=False, resources=res_h),
        lambda: outside_clean(parent_h, root_h))
    parent_h2, root_h2 = fresh()

    def downgrade(key=key):
        """The https HEAD answers (simulated: torchvision's redirect probe returns the URL), the https GET fails:
        torchvision's download_url then retries over plain http, where this mirror serves the file."""
        import torchvision.datasets.utils as tvu

        saved = tvu._get_redirect_url
        tvu._get_redirect_url = lambda url, max_hops=3: url
        try:
            return data.fetch("cifar10", root=root_h2, base_url=f"https://127.0.0.1:{mirror.port}/{key}",
                              progress=False, resources=res_h)
        finally:
            tvu._get_redirect_url = saved

    bad(g, "https download fails after the HEAD answered: silent retry over http", ["https", "http"], downgrade,
        lambda: outside_clean(parent_h2, root_h2))

    cifar_case("member '../escape'", cifar_archive(batches, [member("../escape")]), ["..", "escape"])
    cifar_case("member 'cifar-10-batches-py/../../escape'",
               cifar_archive(batches, [member("cifar-10-batches-py/../../escape")]), ["..", "escape"])
    cifar_case("member with an absolute path", cifar_archive(batches, [member(str(scratch / "abs-escape"))]),
               ["absolute"])
    cifar_case("symlink member to /etc", cifar_archive(batches, [member("cifar-10-batches-py/x", kind=tarfile.SYMTYPE,
                                                                        link="/etc")]), ["link"])
    cifar_case("hard link member to /etc/passwd",
               cifar_archive(batches, [member("cifar-10-batches-py/y", kind=tarfile.LNKTYPE, link="/etc/passwd")]),
               ["link"])
    cifar_case("the batch folder itself a symlink outside",
               tar_gz([member("cifar-10-batches-py", kind=tarfile.SYMTYPE, link=str(scratch))]
                      + [(tarfile.TarInfo(f"cifar-10-batches-py/{k}"), v) for k, v in batches.items()]), ["link"])
    cifar_case("a device file member", cifar_archive(batches, [member("cifar-10-batches-py/dev",
                                                                      kind=tarfile.CHRTYPE)]), ["link", "special"])
    cifar_case("archive is not a tar (its md5 given)", b"not an archive at all", ["archive", "unpack"])
    cifar_case("archive without a batch", cifar_archive({k: v for k, v in batches.items() if k != "test_batch"}),
               ["test_batch"])
    parent_f, root_f = fresh()
    (parent_f / "afile").write_text("x")
    bad(g, "root is a file", ["file", "folder"],
        lambda: data.fetch("mnist", root=parent_f / "afile", base_url=f"{mirror.url}/m0", progress=False,
                           resources=mres))
    bad(g, "name 'imagenet'", ["imagenet"], lambda: data.fetch("imagenet"))
    bad(g, "name ['mnist'] (a list)", ["name", "mnist"], lambda: data.fetch(["mnist"]))
    bad(g, "name None", ["name", "None"], lambda: data.fetch(None))
    bad(g, "base_url 'ftp://x'", ["base_url"], lambda: data.fetch("mnist", base_url="ftp://x", root=scratch / "n1"))
    bad(g, "base_url 'file:///etc'", ["base_url"], lambda: data.fetch("mnist", base_url="file:///etc",
                                                                      root=scratch / "n2"))
    bad(g, "base_url 42", ["base_url"], lambda: data.fetch("mnist", base_url=42, root=scratch / "n3"))
    bad(g, "resources 'abc'", ["resources"], lambda: data.fetch("mnist", resources="abc", root=scratch / "n4"))
    bad(g, "resources with a short md5", ["md5", "resources"],
        lambda: data.fetch("mnist", resources=[(f, "abc") for f, _ in mres], root=scratch / "n5"))
    bad(g, "root '' (would mean the current folder)", ["root"], lambda: data.fetch("mnist", root=""))
    bad(g, "root 42", ["root"], lambda: data.fetch("mnist", root=42))
    bad(g, "progress 'no'", ["progress"], lambda: data.fetch("mnist", progress="no", root=scratch / "n6"))

    def env_empty_data():
        old = os.environ.get(data.ENV_DATA)
        os.environ[data.ENV_DATA] = ""
        try:
            return data.data_dir()
        finally:
            if old is None:
                del os.environ[data.ENV_DATA]
            else:
                os.environ[data.ENV_DATA] = old

    good(g, "WORKBENCH_DATA='' means the default, not the current folder", env_empty_data,
         lambda p: p.is_absolute() and p != Path.cwd())


def _heading_fenced(text: str) -> bool:
    """The line '# not a heading' of the error lies inside a Markdown code fence (CommonMark: a fence closes only
    on a run of at least as many backticks as opened it)."""
    fence = None
    for line in text.splitlines():
        s = line.strip()
        if fence is None and s.startswith("```"):
            fence = s[: len(s) - len(s.lstrip("`"))]
        elif fence is not None and s.startswith(fence) and not s.strip("`"):
            fence = None
        elif line == "# not a heading":
            return fence is not None
    return False


def _outside_code(text: str) -> str:
    """The Markdown ``text`` without its fenced code blocks (HTML inside a code block is shown as text)."""
    out, fence = [], None
    for line in text.splitlines():
        s = line.strip()
        if fence is None and s.startswith("```"):
            fence = s[: len(s) - len(s.lstrip("`"))]
        elif fence is not None and s.startswith(fence) and not s.strip("`"):
            fence = None
        elif fence is None:
            out.append(line)
    return "\n".join(out)


def report_cases(scratch: Path):
    from workbench import report
    from workbench.claims import Claim
    from workbench.runs import NotebookRun

    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    c = Claim(key="k", paper=f"P{evil}", where=f"§1{evil}", quantity=f"q{evil}", paper_value=f"v{evil}",
              ours=f"o{evil}", tolerance="qualitative", verdict="reproduced", reason=f"r{evil}",
              profile="smoke", notebook=f"nb'{evil}")
    nb = scratch / "nb.ipynb"
    run = NotebookRun(nb, nb, [], 1.0, f"Error {evil}\n```\n# not a heading", profile="smoke", claims=[c],
                      started="now", machine={"host": f"h{evil}"})

    def html_clean(text: str) -> bool:
        return "<script>alert" not in text and "<img src=x" not in text and "'nb'" not in text

    g = "report"
    good(g, "claims text with HTML: report.html escapes it",
         lambda: report.report_html([run], profile="smoke", title=f"T{evil}"), html_clean)
    good(g, "claims text with HTML: report.md escapes it",
         lambda: report.report_markdown([run], profile="smoke", title=f"T{evil}"),
         lambda t: "<script>" not in _outside_code(t) and "<img src=x" not in _outside_code(t))
    good(g, "an error holding ``` stays inside its code block in report.md",
         lambda: report.report_markdown([run], profile="smoke"),
         _heading_fenced)
    good(g, "profile with HTML in report.html", lambda: report.report_html([run], profile=f"smoke{evil}"), html_clean)

    def folder_with(claims_text: str | None, nb_text: str | None = None):
        d = scratch / f"rep{len(os.listdir(scratch))}"
        d.mkdir()
        nbj = {"cells": [], "metadata": {"papermill": {"duration": 1.0, "start_time": "2026-01-01T00:00:00",
                                                       "end_time": "2026-01-01T00:00:01",
                                                       "parameters": {"PROFILE": "smoke"}}},
               "nbformat": 4, "nbformat_minor": 5}
        (d / "01_x.ipynb").write_text(nb_text if nb_text is not None else json.dumps(nbj))
        if claims_text is not None:
            (d / "01_x.claims.json").write_text(claims_text)
        return d

    d1 = folder_with("{not json")
    bad(g, "a claims file that is not JSON", ["01_x.claims.json"], lambda: report.runs_from_folder(d1))
    d2 = folder_with(json.dumps({"claims": [{"key": "k", "verdict": "reproduced", "bogus": 1}]}))
    bad(g, "a claims file with an unknown field", ["01_x.claims.json"], lambda: report.runs_from_folder(d2))
    d3 = folder_with(json.dumps({"claims": [5]}))
    bad(g, "a claims file whose claims are numbers", ["01_x.claims.json"], lambda: report.runs_from_folder(d3))
    d4 = folder_with(None, "{broken notebook")
    bad(g, "a notebook that is not JSON", ["01_x.ipynb"], lambda: report.runs_from_folder(d4))
    nbj = {"cells": [], "metadata": {"papermill": {"duration": "abc", "start_time": "x", "end_time": "y",
                                                   "parameters": {}}}, "nbformat": 4, "nbformat_minor": 5}
    d5 = folder_with(None, json.dumps(nbj))
    bad(g, "a notebook whose papermill duration is 'abc'", ["01_x.ipynb", "duration"],
        lambda: report.runs_from_folder(d5))
    good(g, "a folder with a clean notebook", lambda: report.runs_from_folder(folder_with(None)),
         lambda runs: len(runs) == 1 and runs[0].ok)


def cli_cases(scratch: Path, mirror: Mirror):
    from workbench import cli

    def run(argv, env=None):
        """Run the CLI in-process: (exit code, stderr, traceback or None)."""
        saved = {k: os.environ.get(k) for k in (env or {})}
        os.environ.update(env or {})
        err, out = io.StringIO(), io.StringIO()
        tb = None
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                try:
                    code = cli.main(argv)
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 2
        except (_Timeout, _Accepted):
            raise
        except BaseException:  # noqa: BLE001 - a traceback escaping main is what this probe looks for
            tb = traceback.format_exc()
            code = None
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return code, err.getvalue(), tb

    afile = scratch / "afile.txt"
    afile.write_text("x")
    long = "/tmp/" + "a" * 300 + "/out"
    g = "cli"
    argvs = [
        ("no command", [], {}, ["command", "required", "usage"]),
        ("unknown command", ["frobnicate"], {}, ["frobnicate", "invalid choice"]),
        ("reproduce --profile bogus", ["reproduce", "--profile", "bogus"], {}, ["--profile", "bogus"]),
        ("reproduce --workers abc", ["reproduce", "--workers", "abc"], {}, ["--workers", "abc"]),
        ("reproduce --workers 0", ["reproduce", "--workers", "0", "--out", str(scratch / "o1")], {}, ["--workers"]),
        ("reproduce --workers -3", ["reproduce", "--workers", "-3", "--out", str(scratch / "o1")], {}, ["--workers"]),
        ("reproduce --cell-timeout 0", ["reproduce", "--cell-timeout", "0", "--out", str(scratch / "o1")], {},
         ["--cell-timeout"]),
        ("reproduce --cell-timeout 1.5", ["reproduce", "--cell-timeout", "1.5"], {}, ["--cell-timeout"]),
        ("reproduce --out a file", ["reproduce", "--out", str(afile)], {}, ["--out", "file"]),
        ("reproduce --out under a file", ["reproduce", "--out", str(afile / "sub")], {}, ["--out", "file"]),
        ("reproduce --out a 300-character name", ["reproduce", "--out", long], {}, ["--out", "long"]),
        ("reproduce --out ''", ["reproduce", "--out", ""], {}, ["--out"]),
        ("reproduce --scheduler with --workers", ["reproduce", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2",
                                                  "--out", str(scratch / "o1")], {}, ["--scheduler", "--workers"]),
        ("reproduce --scheduler nobody there", ["reproduce", "--scheduler", "tcp://127.0.0.1:1", "--out",
                                                str(scratch / "o1"), "01_spanning_dimension"], {},
         ["127.0.0.1:1", "scheduler"]),
        ("reproduce --scheduler 'nonsense'", ["reproduce", "--scheduler", "nonsense", "--out", str(scratch / "o1"),
                                              "01_spanning_dimension"], {}, ["nonsense", "scheduler"]),
        ("reproduce an unknown notebook", ["reproduce", "--out", str(scratch / "o1"), "99_nothing"], {},
         ["99_nothing"]),
        ("reproduce --allow-long=yes", ["reproduce", "--allow-long=yes"], {}, ["--allow-long"]),
        ("report of a missing folder", ["report", str(scratch / "nowhere")], {}, ["nowhere"]),
        ("report of a file", ["report", str(afile)], {}, ["afile"]),
        ("report with no folder", ["report"], {}, ["folder"]),
        ("info with an argument", ["info", "extra"], {}, ["extra"]),
        ("WORKBENCH_DEVICE=bogus", ["info"], {"WORKBENCH_DEVICE": "bogus"}, ["WORKBENCH_DEVICE"]),
        ("WORKBENCH_MAX_BYTES=lots", ["info"], {"WORKBENCH_MAX_BYTES": "lots"}, ["WORKBENCH_MAX_BYTES"]),
        ("data with no subcommand", ["data"], {}, ["data_command", "required", "fetch"]),
        ("data fetch imagenet", ["data", "fetch", "imagenet"], {}, ["imagenet"]),
        ("data fetch --root a file", ["data", "fetch", "mnist", "--root", str(afile)], {}, ["--root", "file"]),
        ("data fetch --root a 300-character name", ["data", "fetch", "mnist", "--root", long], {}, ["--root", "long"]),
        ("data fetch --root ''", ["data", "fetch", "mnist", "--root", ""], {}, ["--root"]),
        ("data fetch --mirror ftp://x", ["data", "fetch", "mnist", "--root", str(scratch / "d1"), "--mirror",
                                         "ftp://x"], {}, ["ftp://x", "base_url", "--mirror"]),
        ("data fetch --mirror 'http://[::1'", ["data", "fetch", "mnist", "--root", str(scratch / "d2"), "--mirror",
                                               "http://[::1"], {}, ["[::1", "mirror"]),
        ("data fetch --mirror with nothing there", ["data", "fetch", "mnist", "--root", str(scratch / "d3"),
                                                    "--mirror", f"{mirror.url}/nothing"], {}, ["404", "nothing"]),
        ("data fetch WORKBENCH_DATA_MIRROR=ftp://x", ["data", "fetch", "mnist", "--root", str(scratch / "d4")],
         {"WORKBENCH_DATA_MIRROR": "ftp://x"}, ["WORKBENCH_DATA_MIRROR"]),
        ("data list --root a file", ["data", "list", "--root", str(afile)], {}, ["--root", "file"]),
        ("data list --root a 300-character name", ["data", "list", "--root", long], {}, ["--root", "long"]),
    ]
    for label, argv, env, words in argvs:
        def call(argv=argv, env=env):
            code, err, tb = run(argv, env)
            if tb is not None:
                raise _CliTraceback(tb)
            if code != 2:
                raise _CliWrongCode(f"exit code {code}: {err.strip()[-300:]}")
            return err
        CASES.append((g, label, "cli", tuple(words), call, None))

    good(g, "data list in an empty folder", lambda: run(["data", "list", "--root", str(scratch / "empty")]),
         lambda r: r[0] == 0 and r[2] is None)


class _CliTraceback(Exception):
    pass


class _Accepted(Exception):
    """``workbench reproduce`` got past its checks and would have run notebooks."""


def _stub_reproduce(names=None, *, profile, out_dir, scheduler=None, timeout=None, allow_long=False, **kw):
    """``reproduce`` up to the point where notebooks would run (the probe never runs one)."""
    from workbench.experiments.distributed import connect
    from workbench.reproduce import notebook_paths

    notebook_paths(list(names) if names else None)
    if scheduler is not None:
        connect(scheduler).close()
    raise _Accepted(f"accepted: would run notebooks into {out_dir}")


class _CliWrongCode(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------
def classify(kind, words, call, check, timeout):
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        try:
            result = call()
        finally:
            signal.alarm(0)
    except _Timeout:
        return "hang", "no answer"
    except _Accepted as exc:
        return "wrong", str(exc)
    except (_CliTraceback, _CliWrongCode) as exc:
        return "obscure", str(exc).strip().splitlines()[-1][:300]
    except Exception as exc:  # noqa: BLE001
        msg = f"{type(exc).__name__}: {exc}"
        if "_Timeout" in msg or isinstance(exc.__context__, _Timeout) or isinstance(exc.__cause__, _Timeout):
            return "hang", "stopped only by the probe's alarm: " + msg[:250]  # the alarm, caught and wrapped
        if kind == "good":
            return "refused", msg[:300]
        if check is not None and not check():
            return "wrong", "refused, but wrote outside the data folder or left files: " + msg[:200]
        low = msg.lower()
        if any(w.lower() in low for w in words):
            return "clear", msg[:300]
        return "obscure", msg[:300]
    if kind == "cli":
        low = result.lower()
        if "traceback" in low:
            return "obscure", result[-300:]
        last = result.strip().splitlines()[-1] if result.strip() else ""
        if "error:" in last and any(w.lower() in last.lower() for w in words):  # argparse's usage lines above
            return "clear", last[-300:]
        return "obscure", result.strip()[-300:]
    if kind == "good":
        try:
            ok = bool(check(result))
        except Exception as exc:  # noqa: BLE001
            return "wrong", f"check failed: {type(exc).__name__}: {exc}"
        return ("sensible", "") if ok else ("wrong", f"returned {str(result)[:200]!r}")
    return "wrong", f"accepted: returned {str(result)[:200]!r}"


def run_cases(cases, *, timeout: int, verbose: bool = False) -> list[dict]:
    """Classify every case (printing the ones that are not clear or sensible), print the table, return the rows."""
    table = collections.defaultdict(collections.Counter)
    rows = []
    t0 = time.time()
    for group, label, kind, words, call, check in cases:
        cls, detail = classify(kind, words, call, check, timeout)
        table[group][cls] += 1
        rows.append({"group": group, "case": label, "class": cls, "detail": detail})
        if verbose or cls in ("wrong", "obscure", "hang", "refused"):
            print(f"[{cls:8}] {group}: {label}: {detail}", flush=True)
    cols = ["clear", "sensible", "wrong", "obscure", "refused", "hang"]
    print(f"\n{'group':<12}" + "".join(f"{c:>10}" for c in cols) + f"{'total':>8}")
    tot = collections.Counter()
    for group, cnt in table.items():
        tot.update(cnt)
        print(f"{group:<12}" + "".join(f"{cnt[c]:>10}" for c in cols) + f"{sum(cnt.values()):>8}")
    print(f"{'TOTAL':<12}" + "".join(f"{tot[c]:>10}" for c in cols) + f"{sum(tot.values()):>8}")
    print(f"({len(cases)} cases, {time.time() - t0:.0f} s)")
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    import workbench.reproduce
    from workbench import data

    workbench.reproduce.reproduce = _stub_reproduce  # never run a notebook
    data.fetching._TIMEOUT_S = 3.0  # a stalled mirror: the probe need not wait the default minute
    if hasattr(data.fetching, "_MAX_DOWNLOAD_BYTES"):
        data.fetching._MAX_DOWNLOAD_BYTES = 64 << 20
    scratch = Path(tempfile.mkdtemp(prefix="hostile-surfaces-"))
    mirror = Mirror()
    try:
        catalogue_cases()
        fetch_cases(mirror, scratch / "fetch")
        report_cases(Path(tempfile.mkdtemp(dir=scratch)))
        cli_cases(Path(tempfile.mkdtemp(dir=scratch)), mirror)
        rows = run_cases(CASES, timeout=args.timeout, verbose=args.verbose)
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=1))
    finally:
        mirror.server.shutdown()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
