"""Progress on long calls (issue 26 item 6): each bar names its unit, reaches its total, and is silenced by
``progress=False``; bars appear only after ``PROGRESS_DELAY_S`` (set to 0 here so that short calls show one)."""
from __future__ import annotations

import re

import pytest
import torch

import workbench as wb
from workbench import _runtime
from workbench.measures.partition import engine as partition_engine


@pytest.fixture
def no_delay(monkeypatch):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)  # a shell may have silenced tqdm; these tests read the bars
    monkeypatch.setattr(_runtime, "PROGRESS_DELAY_S", 0.0)


def _frames(err: str) -> list[str]:
    return [f.strip() for f in re.split(r"[\r\n]", err) if f.strip()]


def test_partition_meter_counts_the_domain_and_the_regions(no_delay, capsys, monkeypatch):
    seen = {}
    real = partition_engine._Engine._advance

    def spy(self, V, nv):
        real(self, V, nv)
        seen["area_done"], seen["area"], seen["n"] = self.area_done, self.area, self.n_emitted
        seen["shown"], seen["postfix"] = self.bar.n, self.bar.postfix

    monkeypatch.setattr(partition_engine._Engine, "_advance", spy)
    net = wb.mlp([2, 12, 12, 1], seed=0)
    part = wb.partition_2d(net, (-2, 1, -1, 3))
    frames = _frames(capsys.readouterr().err)
    assert any("% of the domain" in f for f in frames)
    assert seen["shown"] == pytest.approx(100.0) and seen["postfix"] == f"{len(part):,} regions finished"
    # the finished regions tile the domain: their areas add up to it
    assert seen["area"] == pytest.approx(12.0) and seen["area_done"] == pytest.approx(12.0, rel=1e-9)
    assert seen["n"] == len(part)


def test_partition_progress_false_is_silent_and_changes_nothing(no_delay, capsys):
    net = wb.mlp([2, 10, 10, 1], seed=1)
    a = wb.partition_2d(net, progress=False)
    assert capsys.readouterr().err == ""
    b = wb.partition_2d(net)
    assert "of the domain" in capsys.readouterr().err
    assert torch.equal(a.patterns, b.patterns) and len(a) == len(b)


def test_partition_plane_has_the_meter(no_delay, capsys):
    net = wb.mlp([5, 8, 8, 1], seed=2)
    x = torch.eye(5)[:3]
    wb.partition_plane(net, x[0], x[1], x[2])
    assert "of the domain" in capsys.readouterr().err


def test_esd_counts_samples_not_chunks(no_delay, capsys):
    wb.esd([2, 3, 1], samples=5, seed=0)
    frames = _frames(capsys.readouterr().err)
    assert any(re.search(r"ESD: .*/5 .*sample", f) for f in frames), frames
    wb.esd([2, 3, 1], samples=5, seed=0, progress=False)
    assert capsys.readouterr().err == ""


def test_fit_counts_epochs(no_delay, capsys):
    X = torch.randn(64, 2, generator=torch.Generator().manual_seed(0))
    data = (X, (X[:, 0] > 0).long())
    net = wb.mlp([2, 8, 2], seed=0)
    wb.fit(net, data, wb.FitConfig(epochs=3))
    frames = _frames(capsys.readouterr().err)
    assert any(re.search(r"training: .*/3 .*epoch", f) for f in frames), frames
    wb.fit(net, data, wb.FitConfig(epochs=2), progress=False)
    assert capsys.readouterr().err == ""


def test_bars_wait_for_the_delay(capsys, monkeypatch):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    monkeypatch.setattr(_runtime, "PROGRESS_DELAY_S", 3600.0)
    wb.esd([2, 3, 1], samples=3, seed=0)
    net = wb.mlp([2, 6, 1], seed=0)
    wb.partition_2d(net)
    assert capsys.readouterr().err == ""  # a quick call never shows a bar


def test_progress_meter_off_is_a_silent_stand_in(capsys):
    with _runtime.progress_meter(10, "x", "thing", progress=False) as bar:
        bar.update(4)
        bar.set_postfix_str("y")
    assert bar.n == 4 and capsys.readouterr().err == ""
