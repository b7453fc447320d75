"""07's training panel: its Play control starts at, and follows, the epoch slider (issue 30 item 5).

The panel is built at its last epoch; its ``W.Play`` used to start at 0 and was the *source* of the
jslink, so the browser copied 0 into the slider when it created the link and the panel opened at epoch 0.
"""
from __future__ import annotations

import pytest

from workbench.widgets import PLTrainingPanel

EPOCHS = 4


@pytest.mark.parametrize("epoch", [None, 2])
def test_play_starts_at_the_slider_value(epoch):
    p = PLTrainingPanel(width=4, depth=1, epochs=EPOCHS, n_points=40, epoch=epoch)
    want = EPOCHS if epoch is None else epoch
    assert p.controls["epoch"].value == want
    assert p.play.value == want
    assert (p.play.min, p.play.max) == (p.controls["epoch"].min, p.controls["epoch"].max)
    # the browser copies the link's source into its target: the slider must be the source
    assert p.play_link.source == (p.controls["epoch"], "value")
    assert p.play_link.target == (p.play, "value")
    assert f"epoch <b>{p.result[1]}</b>" in p.status.value and p.result[1] == p.run(**p.params).nearest_epoch(want)


def test_play_and_slider_stay_in_sync_from_python():
    p = PLTrainingPanel(width=4, depth=1, epochs=EPOCHS, n_points=40)
    p.update(epoch=1)
    assert p.play.value == 1 and p.result[1] == 1
    p.play.value = 3  # as if the Play stepped, driven from code
    assert p.controls["epoch"].value == 3 and p.result[1] == 3
    p.controls["epoch"].value = 2
    assert p.play.value == 2


def test_a_change_from_the_browser_is_not_echoed_back():
    """In the browser jslink already moved the other widget; the kernel must not fight a running Play."""
    p = PLTrainingPanel(width=4, depth=1, epochs=EPOCHS, n_points=40)
    p.play.set_state({"value": 1})  # what a message from the front end does
    assert p.play.value == 1 and p.controls["epoch"].value == EPOCHS  # jslink moves the slider in the browser
    p.controls["epoch"].set_state({"value": 2})
    assert p.controls["epoch"].value == 2 and p.play.value == 1 and p.result[1] == 2
