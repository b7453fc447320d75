"""What the hostile probe of the new surfaces found (issue 28 item 5; benchmarks/hostile/hostile_probe_surfaces.py),
kept as tests: the claims catalogue, the download guard, the report writer and the command line."""
from __future__ import annotations

import json
import math
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

import workbench.catalogue as C
from workbench import cli, data, report
from workbench.claims import Claim
from workbench.runs import NotebookRun


def st(rule=None, **kw):
    base = dict(id="x.one", paper="ESD", where="§1", quote="q", quantity="a number", rule=rule or C.above(0.0),
                recipe="workbench.measures.esd", random=True)
    base.update(kw)
    return C.Statement(**base)


class Live(float):
    """A number that agrees with whatever it is compared to: a rule built on it would read its own result."""

    def __gt__(self, other):
        return True

    __lt__ = __ge__ = __le__ = __gt__


def test_a_rule_cannot_read_its_own_result():
    r = C.Rule("above", threshold=Live(5.0))
    assert type(r.threshold) is float  # a plain float now: 1 is not above 5, whatever the subclass says
    assert C.judge(st(r, random=False), 1.0).verdict == "differs"

    class Sneaky(C.Rule):
        def band(self):
            return (-math.inf, math.inf)

    with pytest.raises(TypeError, match="rule must be a Rule of constants"):
        C.check_catalogue([st(Sneaky("above", threshold=100.0))])
    with pytest.raises(TypeError, match="rule must be a Rule"):
        C.judge(st(lambda v: v > 0), [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="relative"):
        C.Rule("within", target=1.0, tolerance=0.1, relative="yes")


@pytest.mark.parametrize("field, value, match", [
    ("claims", "esd.key", "claims is a tuple"), ("random", "no", "random must be True or False"),
    ("exploratory", 1, "exploratory must be"), ("recipe", print, "recipe must be the dotted path"),
    ("recipe", "not a path", "recipe must be the dotted path"), ("id", ["x"], "id must be a non-empty string"),
])
def test_malformed_catalogue_entries_are_refused(field, value, match):
    with pytest.raises((TypeError, ValueError), match=match):
        C.check_catalogue([st(**{field: value})])
    with pytest.raises(ValueError, match="one-line reason"):
        C.check_catalogue([st(not_run="needs a GPU\nand more", recipe=None)])


@pytest.mark.parametrize("values", ["abc", [1.0, None, 2.0], [True, False, True], {"a": 1.0}])
def test_judge_names_bad_values(values):
    with pytest.raises(TypeError, match="values must be one number or a sequence of numbers"):
        C.judge(st(), values)


def test_judge_near_the_float_range():
    j = C.judge(st(), [1e308, 1e308, 1e308])
    assert j.verdict == "reproduced" and j.estimate == 1e308
    assert C.judge(st(), np.array([-12.0, -11.0, -10.0])).verdict == "differs"


EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _run(tmp_path):
    c = Claim(key="k", paper=f"P{EVIL}", where=f"§1{EVIL}", quantity=f"q{EVIL}", paper_value=f"v{EVIL}",
              ours=f"o{EVIL}", tolerance="qualitative", verdict="reproduced", reason=f"r{EVIL}", profile="smoke",
              notebook=f"nb{EVIL}")
    nb = tmp_path / "nb.ipynb"
    return NotebookRun(nb, nb, [], 1.0, f"Error {EVIL}\n````\n# not a heading", profile="smoke", claims=[c],
                       started="now", machine={"host": f"h{EVIL}"})


def test_report_escapes_html_in_claims(tmp_path):
    run = _run(tmp_path)
    h = report.report_html([run], profile="smoke", title=f"T{EVIL}")
    assert "<script>alert" not in h and "<img src=x" not in h and "&lt;script&gt;" in h
    md = report.report_markdown([run], profile="smoke", title=f"T{EVIL}")
    fence = "`````"  # longer than the four backticks in the error
    before, code, after = md.split(fence)
    assert "# not a heading" in code and EVIL in code  # inside the code block, shown as text
    assert "<script>" not in before + after and "<img src=x" not in before + after
    assert "&lt;script&gt;" in before


def _folder(tmp_path, claims_text=None, nb_text=None):
    nb = {"cells": [], "metadata": {"papermill": {"duration": 1.0, "start_time": "2026-01-01T00:00:00",
                                                  "end_time": "2026-01-01T00:00:01",
                                                  "parameters": {"PROFILE": "smoke"}}},
          "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "01_x.ipynb").write_text(nb_text if nb_text is not None else json.dumps(nb))
    if claims_text is not None:
        (tmp_path / "01_x.claims.json").write_text(claims_text)
    return tmp_path


@pytest.mark.parametrize("claims_text, nb_text, name", [
    ("{not json", None, "01_x.claims.json"),
    (json.dumps({"claims": [{"key": "k", "verdict": "reproduced", "bogus": 1}]}), None, "01_x.claims.json"),
    (json.dumps({"claims": [5]}), None, "01_x.claims.json"),
    (None, "{broken", "01_x.ipynb"),
    (None, json.dumps({"cells": [], "metadata": {"papermill": {"duration": "abc"}}, "nbformat": 4,
                       "nbformat_minor": 5}), "01_x.ipynb"),
])
def test_report_folder_names_the_corrupt_file(tmp_path, capsys, claims_text, nb_text, name):
    folder = _folder(tmp_path, claims_text, nb_text)
    with pytest.raises(ValueError, match=name.replace(".", r"\.")):
        report.runs_from_folder(folder)
    assert cli.main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert name in err and "Traceback" not in err


class _Server:
    """``/file`` over plain http on 127.0.0.1; ``endless`` sends a body that never ends."""

    def __init__(self, endless=False):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(200)
                if not endless:
                    self.send_header("Content-Length", "5")
                self.end_headers()
                try:
                    if endless:
                        for _ in range(1 << 14):
                            self.wfile.write(b"\0" * 65536)
                    else:
                        self.wfile.write(b"hello")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


def test_no_silent_retry_over_http(tmp_path):
    """torchvision's download_url retries a failed https download over http; the guard refuses that."""
    import hashlib

    import torchvision.datasets.utils as tvu

    srv = _Server()
    try:
        url = f"https://127.0.0.1:{srv.port}/file"  # the server speaks plain http: the https GET fails
        saved = tvu._get_redirect_url
        tvu._get_redirect_url = lambda u, max_hops=3: u  # as if the HEAD had answered
        try:
            with data._download_settings(False), pytest.raises(data.DataDownloadError, match="plain http; refused"):
                tvu.download_url(url, str(tmp_path), filename="f", md5=hashlib.md5(b"hello").hexdigest())
        finally:
            tvu._get_redirect_url = saved
        assert not (tmp_path / "f").exists() or (tmp_path / "f").stat().st_size == 0
        assert tvu._urlretrieve.__module__ == "torchvision.datasets.utils"  # torchvision's own restored
    finally:
        srv.server.shutdown()


def test_a_download_that_never_ends_is_cut_off(tmp_path, monkeypatch):
    import torchvision.datasets.utils as tvu

    monkeypatch.setattr(data.fetching, "_MAX_DOWNLOAD_BYTES", 1 << 20)
    srv = _Server(endless=True)
    try:
        with data._download_settings(False), pytest.raises(data.DataDownloadError, match="sent more than 1.0 MiB"):
            tvu._urlretrieve(f"http://127.0.0.1:{srv.port}/file", str(tmp_path / "f"))
    finally:
        srv.server.shutdown()


def test_fetch_arguments_and_empty_data_folder(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="name must be one of"):
        data.fetch(["mnist"])
    with pytest.raises(ValueError, match="root must be a folder path"):
        data.fetch("mnist", root="")
    with pytest.raises(ValueError, match="root must be a folder path"):
        data.fetch("mnist", root=42)
    with pytest.raises(TypeError, match="progress must be True or False"):
        data.fetch("mnist", progress="no", root=tmp_path)
    monkeypatch.setenv(data.ENV_DATA, "  ")
    assert data.data_dir() == Path("~/.cache/workbench/data").expanduser()


@pytest.mark.parametrize("argv, words", [
    (["reproduce", "--out", ""], "--out is empty"),
    (["reproduce", "--out", "/tmp/" + "a" * 300 + "/x"], "not a usable folder path"),
    (["data", "fetch", "mnist", "--root", ""], "--root is empty"),
    (["data", "fetch", "mnist", "--root", "/tmp/" + "a" * 300], "not a usable folder path"),
    (["data", "list", "--root", "/tmp/" + "a" * 300], "not a usable folder path"),
])
def test_cli_folder_flags_with_bad_values(argv, words, capsys, monkeypatch):
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("tried to connect"))
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_cli_data_list_root_that_is_a_file(tmp_path, capsys):
    f = tmp_path / "afile"
    f.write_text("x")
    assert cli.main(["data", "list", "--root", str(f)]) == 2
    assert "is a regular file" in capsys.readouterr().err


# ------------------------------------------------------------------ the atlas and the Playground (issue 30 surfaces)
def test_atlas_refuses_bad_points_and_options_by_name():
    import torch

    import workbench as wb

    net = wb.mlp([2, 8, 1], seed=0)
    X = torch.rand(8, 2)
    kw = dict(inits=2, sd_points=8, n_points=8, circle_points=32, progress=False)
    with pytest.raises(TypeError, match="X must be a float tensor"):
        wb.atlas(net, "abc", **kw)
    with pytest.raises(TypeError, match="floating-point.*X.float"):
        wb.atlas(net, torch.randint(0, 3, (8, 2)), **kw)
    with pytest.raises(ValueError, match=r"net\(X\) fails .*shape \(8, 3\)"):
        wb.atlas(net, torch.rand(8, 3), **kw)
    with pytest.raises(TypeError, match="measures must be a list"):
        wb.atlas(net, X, measures="exact regions", **kw)
    for bounds in [(1, 2), (1, 0, 0, 1), ("a", "b", "c", "d"), (0, 1, 0, float("nan"))]:
        with pytest.raises(ValueError, match="plane_bounds must be"):
            wb.atlas(net, X, plane_bounds=bounds, **kw)


def test_playground_refuses_a_string_seed_and_a_missing_neuron_by_name():
    from workbench.widgets import PlaygroundPanel

    with pytest.raises(TypeError, match="seed must be an int"):
        PlaygroundPanel(seed="x", auto=False, background=False, n_points=40)
    with pytest.raises(ValueError, match=r"control 'neuron': \(9, 9\) is not a neuron of width 8, depth 2"):
        PlaygroundPanel(neuron=(9, 9), width=8, depth=2, auto=False, background=False, n_points=40)
