"""benchmarks/run_gpu.py: the one GPU benchmark run (plan, dry run, argument checks, the appended section).

Nothing here runs a benchmark: the plan and the arguments are checked on the CPU, and the runner
itself is exercised with two tiny stand-in scripts.
"""
from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rg():
    spec = importlib.util.spec_from_file_location("run_gpu", ROOT / "benchmarks" / "run_gpu.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["run_gpu"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_every_benchmark_is_run_or_skipped_with_a_reason(rg):
    scripts = {p.name for p in (ROOT / "benchmarks").glob("bench_*.py")}
    planned = {b.script for b in rg.BENCHES}
    assert planned | set(rg.CPU_ONLY) == scripts
    assert not planned & set(rg.CPU_ONLY)


def test_every_flag_passed_is_one_the_script_defines(rg):
    for b in rg.BENCHES:
        tree = ast.parse((ROOT / "benchmarks" / b.script).read_text())
        flags = {a.value for n in ast.walk(tree) if isinstance(n, ast.Call)
                 and getattr(n.func, "attr", "") == "add_argument" for a in n.args if isinstance(a, ast.Constant)}
        passed = {a for a in b.args if a.startswith("--")}
        assert passed <= flags, (b.script, passed - flags)
        assert "cuda" in b.args, f"{b.script} is not asked for the GPU"
        assert b.estimate_s <= b.timeout_s


def test_the_default_plan_fits_the_budget_and_runs_everything_with_a_gpu_mode(rg):
    run, skipped = rg.plan(rg.DEFAULT_BUDGET_S)
    assert [b.name for b in run] == [b.name for b in rg.BENCHES]
    assert sum(b.estimate_s for b in run) <= rg.DEFAULT_BUDGET_S < 8 * 60
    assert [s for s, _ in skipped] == sorted(rg.CPU_ONLY)


def test_a_small_budget_skips_what_does_not_fit(rg):
    first = rg.BENCHES[0]
    run, skipped = rg.plan(first.estimate_s + 1)
    assert run == [first]
    why = dict(skipped)
    assert why[rg.BENCHES[1].script] == f"its estimate {rg.BENCHES[1].estimate_s} s exceeds the 1 s left of the budget"
    run, skipped = rg.plan(400, ["edjm"])
    assert [b.name for b in run] == ["edjm"] and dict(skipped)["bench_ensemble.py"] == "not in --only"


def test_dry_run_lists_the_commands_and_runs_nothing(rg, capsys, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("a dry run must not start anything")

    monkeypatch.setattr(rg.subprocess, "Popen", boom)
    assert rg.main(["--dry-run", "--python", "py"]) == 0
    out = capsys.readouterr().out
    for b in rg.BENCHES:
        assert f"[{b.name}] ~{b.estimate_s} s (limit {b.timeout_s} s): py " in out
        assert str(ROOT / "benchmarks" / b.script) in out
    assert "bench_slope.py: CPU-only" in out and out.startswith(f"budget 470 s; {len(rg.BENCHES)} benchmark(s) to run")


@pytest.mark.parametrize("argv,msg", [
    (["--budget", "0"], r"--budget must be in \(0, 480\] seconds, got 0"),
    (["--budget", "600"], r"--budget must be in \(0, 480\] seconds, got 600"),
    (["--only", "edjm,nope"], r"unknown benchmark\(s\) \['nope'\]; choose from \['ensemble'"),
    (["--budget", "many"], "invalid float value: 'many'"),
])
def test_bad_arguments_are_refused(rg, capsys, argv, msg):
    with pytest.raises(SystemExit) as e:
        rg.parse_args(argv)
    assert e.value.code == 2
    import re

    assert re.search(msg, capsys.readouterr().err)


def test_without_cuda_nothing_runs(rg, capsys, monkeypatch):
    monkeypatch.setattr(rg, "_device_name", lambda: "")
    assert rg.main(["--budget", "60"]) == 2
    assert "no CUDA device here: nothing run" in capsys.readouterr().err


def test_runner_appends_outputs_and_stops_at_the_limit(rg, tmp_path, monkeypatch):
    ok = tmp_path / "ok.py"
    ok.write_text("print('| a | b |')\nprint('|---|---|')\nprint('| 1 | 2 |')\n")
    slow = tmp_path / "slow.py"
    slow.write_text("import sys, time\nprint('partial', flush=True)\nsys.stderr.write('still going\\n')\n"
                    "time.sleep(30)\n")
    benches = (rg.Bench("ok", str(ok), ("--device", "cuda"), 1, 20, "a table"),
               rg.Bench("slow", str(slow), ("--device", "cuda"), 1, 2, "too slow"))
    monkeypatch.setattr(rg, "BENCHES", benches)
    monkeypatch.setattr(rg, "_device_name", lambda: "Fake GPU")
    md = tmp_path / "BENCH.md"
    md.write_text("# Benchmarks\n")
    assert rg.main(["--budget", "30", "--output", str(md)]) == 1  # one run did not finish
    text = md.read_text()
    assert text.startswith("# Benchmarks\n\n## GPU run ") and ": Fake GPU" in text
    assert "### ok: a table" in text and "(exit 0," in text and "| 1 | 2 |" in text
    assert "### slow: too slow" in text and "(exit timeout," in text and "partial" in text
    assert "still going" in text
    assert "Not run here: `bench_dask.py` (Dask LocalCluster" in text


def test_a_run_that_would_start_after_the_budget_is_skipped(rg, tmp_path):
    slow = tmp_path / "slow.py"
    slow.write_text("import time\ntime.sleep(30)\n")
    b1 = rg.Bench("a", str(slow), (), 1, 3, "sleeps")
    b2 = rg.Bench("b", str(slow), (), 1, 3, "never starts")
    res = rg.run_all([b1, b2], budget_s=3, python=sys.executable)
    assert res[0]["rc"] == "timeout" and res[1]["skipped"].startswith("only ")
    assert res[0]["wall_s"] < 10  # stopped at the limit, not after the script's 30 s
    text = rg.section(res, [], "Fake GPU", 3, sys.executable)
    assert "### b: never starts" in text and "skipped: only" in text


def test_a_time_out_also_stops_the_workers_a_benchmark_started(rg, tmp_path):
    import os
    import time

    parent = tmp_path / "parent.py"
    parent.write_text("import subprocess, sys, time\n"
                      "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
                      "print(c.pid, flush=True)\ntime.sleep(60)\n")
    res = rg.run_all([rg.Bench("p", str(parent), (), 1, 3, "starts a worker")], budget_s=10, python=sys.executable)
    assert res[0]["rc"] == "timeout"
    pid = int(res[0]["stdout"].split()[0])
    time.sleep(0.5)

    def alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        status = Path(f"/proc/{pid}/status")
        return not (status.exists() and "\nState:\tZ" in status.read_text())  # a zombie is stopped

    assert not alive(pid)
