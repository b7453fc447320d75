"""Animations with offline assets only: frames as PNGs, a self-contained HTML player.

``FuncAnimation.to_jshtml()`` links its button icons from an internet CDN
(font-awesome) and shows a picture only once its script has run; the player
here embeds everything, shows the first frame as a plain ``<img>`` (visible
without any script), and plays with a few lines of inline JavaScript.  For a
live notebook, :class:`workbench.widgets.FramePlayer` plays the same frames
with a ``Play`` widget linked to a slider (``jslink``: no kernel round trip).
"""
from __future__ import annotations

import base64
import html
import io
import uuid

from matplotlib.animation import AbstractMovieWriter

__all__ = ["animation_frames", "offline_html"]


class _PNGFrames(AbstractMovieWriter):
    """A movie writer that keeps every frame as PNG bytes (matplotlib's public writer protocol)."""

    def __init__(self, dpi: float):
        super().__init__()
        self.frames: list[bytes] = []
        self._dpi = dpi

    def setup(self, fig, outfile, dpi=None):
        super().setup(fig, outfile, self._dpi if dpi is None else dpi)

    def grab_frame(self, **savefig_kwargs):
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=self.dpi)
        self.frames.append(buf.getvalue())

    def finish(self):
        pass


def animation_frames(anim, *, dpi: float = 80) -> list[bytes]:
    """Every frame of a matplotlib ``FuncAnimation`` as PNG bytes."""
    writer = _PNGFrames(dpi)
    anim.save("frames.png", writer=writer, dpi=dpi)  # the writer never opens the file name
    if not writer.frames:
        raise ValueError("the animation produced no frames")
    return writer.frames


def offline_html(frames: list[bytes], *, interval: int = 600, labels: list[str] | None = None) -> str:
    """A self-contained HTML player for PNG ``frames``: no external URL, first frame shown without script.

    ``interval`` is the time per frame in milliseconds; ``labels`` (one per
    frame) are shown beside the slider.
    """
    if not frames:
        raise ValueError("frames is empty; give at least one PNG frame")
    if not isinstance(interval, int) or isinstance(interval, bool) or interval <= 0:
        raise ValueError(f"interval must be a positive int (milliseconds), got {interval!r}")
    if labels is not None and len(labels) != len(frames):
        raise ValueError(f"labels must have one entry per frame: {len(labels)} labels for {len(frames)} frames")
    uid = "wbp" + uuid.uuid4().hex[:10]
    srcs = ["data:image/png;base64," + base64.b64encode(f).decode("ascii") for f in frames]
    labs = [html.escape(s) for s in (labels or [f"frame {i}" for i in range(len(frames))])]
    js_srcs = "[" + ",".join(f'"{s}"' for s in srcs) + "]"
    js_labs = "[" + ",".join('"' + s.replace('"', "&quot;") + '"' for s in labs) + "]"
    return f"""<div id="{uid}" class="wb-player">
<img id="{uid}-img" src="{srcs[0]}" style="max-width:100%" alt="animation frame">
<div style="display:flex;gap:.5em;align-items:center;font-family:sans-serif">
<button id="{uid}-play" title="play / pause" style="min-width:3em">&#9654;</button>
<input id="{uid}-slider" type="range" min="0" max="{len(frames) - 1}" value="0" step="1" style="flex:1">
<span id="{uid}-label">{labs[0]}</span></div>
<script>(function(){{
var S={js_srcs}, L={js_labs}, i=0, t=null;
var img=document.getElementById("{uid}-img"), sl=document.getElementById("{uid}-slider"),
    lab=document.getElementById("{uid}-label"), btn=document.getElementById("{uid}-play");
function show(k){{i=k; img.src=S[k]; sl.value=k; lab.innerHTML=L[k];}}
sl.oninput=function(){{show(parseInt(sl.value));}};
btn.onclick=function(){{ if(t){{clearInterval(t); t=null; btn.innerHTML="&#9654;";}}
  else{{btn.innerHTML="&#10074;&#10074;"; t=setInterval(function(){{show((i+1)%S.length);}}, {interval});}} }};
}})();</script></div>"""
