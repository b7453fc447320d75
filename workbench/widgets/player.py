"""A frame player for live notebooks: a ``Play`` control linked to a slider, the frames in a ``Stack``."""
from __future__ import annotations

import ipywidgets as W

__all__ = ["FramePlayer"]


class FramePlayer:
    """Play PNG ``frames`` (e.g. :func:`workbench.plots.animation_frames`) without a kernel round trip.

    ``Play.value`` is ``jslink``-ed to the slider and to the ``Stack``'s
    ``selected_index``, so playback runs in the browser alone and keeps playing
    in a saved notebook with widget state.  The first frame is shown at once.
    """

    def __init__(self, frames: list[bytes], *, interval: int = 600, labels: list[str] | None = None,
                 width: str = "100%"):
        if not frames:
            raise ValueError("frames is empty; give at least one PNG frame")
        if labels is not None and len(labels) != len(frames):
            raise ValueError(f"labels must have one entry per frame: {len(labels)} labels for {len(frames)} frames")
        self.images = [W.Image(value=f, format="png", layout=W.Layout(max_width=width)) for f in frames]
        self.stack = W.Stack(self.images, selected_index=0)
        n = len(frames) - 1
        self.play = W.Play(value=0, min=0, max=n, step=1, interval=interval, description="play")
        self.slider = W.IntSlider(value=0, min=0, max=n, description="frame", continuous_update=True)
        self.links = [W.jslink((self.play, "value"), (self.slider, "value")),
                      W.jslink((self.slider, "value"), (self.stack, "selected_index"))]
        self.labels = labels
        self.label = W.HTML(labels[0] if labels else "")
        if labels:
            self.slider.observe(lambda ch: setattr(self.label, "value", labels[ch["new"]]), names="value")
        self.widget = W.VBox([self.stack, W.HBox([self.play, self.slider, self.label])])
        self.widget.add_class("wb-player")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
