"""Panel: retrain a small 2-D network and scrub through its epochs (rank, slope, exact partition)."""
from __future__ import annotations

import ipywidgets as W

from workbench.papers.pl_geometry.toy import ToyConfig, ToyRun, toy_run
from workbench.plots.pl_training import plot_toy_run
from workbench.widgets._base import Panel

__all__ = ["PLTrainingPanel"]


class PLTrainingPanel(Panel):
    """Learning rate, width, depth and slope-penalty strength retrain the toy network (two moons)
    through :func:`workbench.training.fit`; the epoch scrubber redraws the curves and the exact
    partition at that epoch without retraining.  Runs are cached in memory by their
    :class:`~workbench.papers.pl_geometry.toy.ToyConfig` (``self.cache``), so moving back to a setting
    is instant.  A diverged run is drawn up to its last finite epoch and the status says so.
    """

    title = "Training a piecewise-linear network: rank, slope and regions per epoch"

    def __init__(self, *, lr: float = 0.1, width: int = 16, depth: int = 2, penalty: float = 0.0,
                 epochs: int = 60, epoch: int | None = None, n_points: int = 300, max_cache: int = 32,
                 auto: bool = True):
        self.epochs, self.n_points, self.max_cache = int(epochs), int(n_points), int(max_cache)
        self.cache: dict[ToyConfig, ToyRun] = {}
        slider = dict(continuous_update=False, style={"description_width": "initial"})
        controls = {
            "lr": W.FloatLogSlider(value=lr, base=10, min=-3, max=2, step=0.25, description="learning rate",
                                   **slider),
            "width": W.IntSlider(value=width, min=2, max=64, description="width", **slider),
            "depth": W.IntSlider(value=depth, min=1, max=5, description="depth", **slider),
            "penalty": W.FloatSlider(value=penalty, min=0.0, max=1.0, step=0.05, description="slope penalty λ",
                                     **slider),
            "epoch": W.IntSlider(value=self.epochs if epoch is None else epoch, min=0, max=self.epochs,
                                 description="epoch", **slider),
        }
        # The Play starts where the slider is: jslink copies its *source* into its target when the browser
        # creates the link, so the slider is the source (with the Play as source and value 0, the panel built
        # at its last epoch opened at epoch 0 in a browser).
        self.play = W.Play(value=controls["epoch"].value, min=0, max=self.epochs,
                           step=max(1, self.epochs // 30), interval=400, description="play epochs")
        self.play_link = W.jslink((controls["epoch"], "value"), (self.play, "value"))
        super().__init__(controls, auto=auto)
        # jslink lives in the browser; changes made from Python (``panel.update(epoch=...)``, ``play.value = ...``)
        # are mirrored here too. Changes that came from the browser are skipped (there jslink already moved the
        # other widget, and echoing them back would fight a running Play).
        controls["epoch"].observe(lambda ch: self._mirror(ch, self.play), names="value")
        self.play.observe(lambda ch: self._mirror(ch, controls["epoch"]), names="value")
        self.widget.children = (self.widget.children[0], W.HBox([self.play]), *self.widget.children[1:])

    @staticmethod
    def _mirror(change, other) -> None:
        if "value" in change["owner"]._property_lock:  # the change came from the front end
            return
        if other.value != change["new"]:
            other.value = change["new"]

    def config(self, *, lr, width, depth, penalty, **_) -> ToyConfig:
        return ToyConfig(width=int(width), depth=int(depth), lr=float(lr), penalty=float(penalty),
                         epochs=self.epochs, n_points=self.n_points)

    def run(self, **params) -> ToyRun:
        """The (cached) run of the current controls."""
        cfg = self.config(**params)
        if cfg not in self.cache:
            if len(self.cache) >= self.max_cache:
                self.cache.pop(next(iter(self.cache)))
            self.cache[cfg] = toy_run(cfg)
        return self.cache[cfg]

    def compute(self, **params):
        run = self.run(**params)
        e = run.nearest_epoch(params["epoch"])
        return run, e, run.partition_at(e)

    def draw(self, result, **params):
        run, e, part = result
        axes = plot_toy_run(run, e, partition=part)
        return axes[0].figure

    def describe(self, result, **params) -> str:
        run, e, part = result
        h = run.history
        row = h[h["epoch"] == e].iloc[0]
        msg = (f"epoch <b>{e}</b>: loss {row['loss']:.3g}, accuracy {row['train_acc']:.2f}, "
               f"mean rank {row['rank_mean']:.2f}, median slope {row['slope_q50']:.3g}, <b>{len(part):,}</b> regions")
        if run.diverged:
            last = int(h.loc[h["diverged"], "epoch"].iloc[0])
            msg = (f"<span style='color:#b00'><b>this run diverged at epoch {last}</b> (loss NaN/inf); "
                   f"showing epoch {e}, its last finite state.</span> " + msg)
        return msg
