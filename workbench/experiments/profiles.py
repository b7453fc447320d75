"""Profiles for people: what a notebook's profile costs before it starts, from one table of measured costs.

Every notebook runs in one of these profiles (its ``parameters`` cell holds ``PROFILE = "quick"``):

* ``quick`` (the default): Run All finishes in about two minutes on a 2-core laptop and shows the paper's
  shape at reduced size (numbers are not the paper's sizes; the notebook says so in its first output);
* ``paper``: the papers' sizes, on the GPU when there is one; its estimate is printed first, and a run
  estimated over an hour on a CPU is refused unless asked for (``allow_long=True``, the environment
  variable ``WORKBENCH_ALLOW_LONG=1`` or ``workbench reproduce --allow-long``);
* ``smoke``: the smallest sizes that exercise every cell (the test suite runs it; numbers mean nothing);
* ``cpu``: where a notebook has one (02), the largest sizes a CPU finishes; other notebooks run ``paper``.

:data:`PROFILE_COSTS` is the one table of measured costs ``(notebook, profile, device) -> ProfileCost``; the
banner, :func:`cell_timeout` (what ``workbench reproduce`` allows one cell), the README and BENCHMARKS.md
read it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["PROFILES", "PROFILE_COSTS", "ProfileCost", "ProfileTooLongError", "profile_banner", "profile_cost",
           "cell_timeout", "notebook_profile", "ENV_ALLOW_LONG", "LONG_MINUTES"]

PROFILES = ("quick", "paper", "smoke", "cpu")
"""Every profile a notebook or ``workbench reproduce`` accepts."""

ENV_ALLOW_LONG = "WORKBENCH_ALLOW_LONG"
LONG_MINUTES = 60.0
"""A ``paper`` run estimated above this many minutes on a CPU is refused unless asked for."""


class ProfileTooLongError(RuntimeError):
    """A profile estimated to take longer than :data:`LONG_MINUTES` here, started without ``allow_long``."""


@dataclass(frozen=True)
class ProfileCost:
    """The measured cost of running one notebook in one profile on one kind of device.

    ``minutes`` is the wall time measured on ``measured_on`` (``None``: not measured yet); ``gpu`` is ``"no"``,
    ``"helps"`` or ``"needed"``; ``note`` says where the time goes or where the number comes from.
    """

    minutes: float | None
    gpu: str
    measured_on: str
    note: str = ""


_CPU2 = "the project's 2-core x86_64 CPU, no GPU"
_SMOKE = ("a bound, not a measurement: smoke profiles are sized to finish within about a minute, "
          "and the test suite runs each one")
_RUN = ("measured 2026-12-07 in one `workbench reproduce --profile quick` of all ten notebooks at commit 10f38f5 "
        "(docs/report): {wall} s wall with the kernel start, {kernel} s in the cells, {cpu} s of CPU, load average "
        "{load} on the 2 cores{extra}")
_ALONE = " (this one measured alone right after, same commit; {wall} s wall at load {load} inside the ten-notebook run)"
_BESIDE = ", while the unit tests ran beside it (an upper bound)"


def _q(wall: int, kernel: int | None, cpu: int, load: str, extra: str = "") -> ProfileCost:
    """A quick profile's cost from the 2026-12-07 run: wall seconds (what a user waits) as the minutes."""
    return _c(round(wall / 60, 1), "no", _RUN.format(wall=wall, kernel="not split" if kernel is None else kernel,
                                                      cpu=cpu, load=load, extra=extra))


def _c(minutes, gpu, note="", on=_CPU2) -> ProfileCost:
    return ProfileCost(minutes, gpu, on, note)


PROFILE_COSTS: dict[tuple[str, str, str], ProfileCost] = {
    ("00_tour", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("00_tour", "quick", "cpu"): _q(37, 21, 26, "5.5"),
    ("00_tour", "paper", "cpu"): _c(0.5, "no", (
        "measured 2026-12-07 in `workbench reproduce --profile paper` at commit 0c2abc5 "
        "(docs/report-full): 15 s in the cells, 26 s wall with the kernel start, load average 1.6-1.8 on "
        "the 2 cores with other work beside it (an upper bound)")),
    ("01_spanning_dimension", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("01_spanning_dimension", "quick", "cpu"): _q(104, 89, 114, "0.6-1.1", _ALONE.format(wall=240, load="5-6")),
    ("01_spanning_dimension", "paper", "cpu"): _c(106, "helps", (
        "measured 2026-12-07 at commit f6d57cc, 2 torch threads, mostly alone: 6,358 s for the whole notebook "
        "(about 6 min through Fig. 2, Fig. 3's 5 x 200 networks about 63 min, Fig. 4's 5 grids of 4,800 networks "
        "about 33 min, Figs. 5-6 and Table 1 about 6 min); Figs. 3 and 4 resume from their stores: a second run "
        "into the same folder took 980 s beside the test suite")),
    ("02_esd_real_networks", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("02_esd_real_networks", "quick", "cpu"): _q(114, 81, 61, "5.6-6.1"),
    ("02_esd_real_networks", "cpu", "cpu"): _c(45, "no", (
        "all 18 models at 3x64x64 inputs; measured 2026-12-07: the same sweep (ESDRealConfig.cpu(), sign inputs, "
        "54 (model, repeat) cells) took 42.5 min inside 09's paper run at commit 7b7f43a (2 torch threads, alone; "
        "VGG cells 90-120 s, ResNet-18 13 s); an earlier 25 min was not reproduced")),
    ("02_esd_real_networks", "paper", "cpu"): _c(
        33 * 60, "needed", "extrapolated from 3 inputs per model (BENCHMARKS.md, 'ESD of real-world networks'): a "
                           "GPU job; PROFILE = \"cpu\" runs all 18 models in about 45 min"),
    ("03_linear_regions", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("03_linear_regions", "quick", "cpu"): _q(112, 84, 85, "3.2-5.6"),
    ("03_linear_regions", "paper", "cpu"): _c(3.3, "no", (
        "measured 2026-12-07 in `workbench reproduce --profile paper` at commit 0c2abc5 "
        "(docs/report-full): 186 s in the cells, 198 s wall with the kernel start, load average 2.1-2.7 "
        "on the 2 cores with other work beside it (an upper bound); 5 seeds judged")),
    ("04_trajectories", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("04_trajectories", "quick", "cpu"): _q(111, 97, 114, "2.3-3.2", _BESIDE),
    ("04_trajectories", "paper", "cpu"): _c(23, "no", (
        "measured 2026-12-07 in `workbench reproduce --profile paper` at commit 0c2abc5 "
        "(docs/report-full): 1364 s in the cells, 1391 s wall with the kernel start, load average "
        "2.5-4.8 on the 2 cores with other work beside it (an upper bound); 9 min on 2026-12-02 before "
        "the paper profile judged 5 seeds, and this run shared the cores with a 9-minute partition run")),
    ("05_edjm", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("05_edjm", "quick", "cpu"): _q(107, 92, 116, "0.2-1.0", _ALONE.format(wall=125, load="2.3-2.5")),
    ("05_edjm", "paper", "cpu"): _c(None, "needed", "the paper's MNIST sizes (EDJMConfig.paper(): 6k hidden units, "
                                                    "10 M parameters): needs MNIST on disk and a GPU; not measured"),
    ("06_layer_algebra", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("06_layer_algebra", "quick", "cpu"): _q(51, 38, 50, "2.2-2.5", _BESIDE),
    ("06_layer_algebra", "paper", "cpu"): _c(2.6, "no", (
        "measured 2026-12-07 in `workbench reproduce --profile paper` at commit 0c2abc5 "
        "(docs/report-full): 140 s in the cells, 153 s wall with the kernel start, load average 1.6-2.7 "
        "on the 2 cores with other work beside it (an upper bound); no weights are allocated")),
    ("07_pl_training", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("07_pl_training", "quick", "cpu"): _q(73, 63, 72, "2.2-2.5", _BESIDE),
    ("07_pl_training", "paper", "cpu"): _c(30, "helps", (
        "measured 2026-12-07 in `workbench reproduce --profile paper` at commit 0c2abc5 "
        "(docs/report-full): 1802 s in the cells, 1816 s wall with the kernel start, load average 1.2-4.4 "
        "on the 2 cores, other work beside it for the first half (an upper bound); 5 seeds and the "
        "catalogue's rate grid")),
    ("08_trajectories_more", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("08_trajectories_more", "quick", "cpu"): _q(89, 78, 92, "1.0", _ALONE.format(wall=136, load="2.5-3.0")),
    ("08_trajectories_more", "paper", "cpu"): _c(6.1, "no", (
        "measured 2026-12-07 in `workbench reproduce --profile paper` at commit 0c2abc5 "
        "(docs/report-full): 350 s in the cells, 364 s wall with the kernel start, load average 2.1-4.8 "
        "on the 2 cores with other work beside it (an upper bound)")),
    ("09_esd_more", "smoke", "cpu"): _c(1.0, "no", _SMOKE),
    ("09_esd_more", "quick", "cpu"): _q(65, 52, 64, "2.3-3.0", _BESIDE),
    ("09_esd_more", "paper", "cpu"): _c(95, "helps", (
        "measured 2026-12-07 over three resumed runs (commits 7b7f43a, 0a5a7b5, 1a319ac; 2 torch threads, alone): "
        "3 min before the ESD of the 18 real models at 3x64x64, its sign-input kind 41.8 min and its digit-image "
        "kind 43.5 min (54 (model, repeat) cells each, the cells' own seconds), the cells after it about 3 min; "
        "the run resumes from its stores; 6,140 s measured 2026-12-02 beside other runs")),
    ("10_atlas", "smoke", "cpu"): _c(1.7, "no", "measured 2026-12-07 at commit 209a166 with run_notebook: 103 s "
                                                "(155 s with the interpreter start) at load average 10-11 on the 2 "
                                                "cores, other sessions' tests beside it (an upper bound); the four "
                                                "atlases take 4.2, 0.5, 0.4 and 0.9 s of it"),
    ("10_atlas", "quick", "cpu"): _c(2.1, "no", "measured 2026-12-07 at commit 209a166 with run_notebook: 127 s "
                                                "(177 s with the interpreter start) at load average 10-11 on the 2 "
                                                "cores, other sessions' tests beside it (an upper bound); the four "
                                                "atlases take 5.7, 1.1, 1.4 and 2.5 s, the rest is the kernel start, "
                                                "imports, figures and the panel"),
    ("10_atlas", "paper", "cpu"): _c(1.4, "no", (
        "measured 2026-12-07 in `workbench reproduce --profile paper` at commit 0c2abc5 "
        "(docs/report-full): 62 s in the cells, 85 s wall with the kernel start, load average 4.5-4.8 on "
        "the 2 cores with other work beside it (an upper bound)")),
}
"""Measured costs: ``(notebook stem, profile, device kind) -> ProfileCost``. Device kinds: ``"cpu"`` (the
project's 2-core machine) and ``"cuda"`` (none measured yet: no GPU was lent to the sessions that measured)."""


def fmt_minutes(minutes: float) -> str:
    """``minutes`` as a person reads it: seconds under a minute, minutes under 90, hours above."""
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if minutes < 10:
        return f"{minutes:.1f} min".replace(".0 min", " min")
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.0f} h"


def _hardware() -> str:
    import torch

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return f"{os.cpu_count()} CPU cores, {gpu}"


def _device_kind() -> str:
    from workbench._runtime import device

    return "cuda" if device().type == "cuda" else "cpu"


def notebook_profile(notebook: str, profile: str) -> str:
    """The profile ``notebook`` runs for ``profile``: ``cpu`` means ``paper`` where a notebook has no ``cpu`` sizes."""
    _check_names(notebook, profile)
    if profile == "cpu" and (notebook, "cpu", "cpu") not in PROFILE_COSTS:
        return "paper"
    return profile


def _check_names(notebook, profile) -> None:
    if not isinstance(notebook, str) or not isinstance(profile, str):
        raise TypeError(f"notebook and profile must be strings, got {notebook!r}, {profile!r}")
    names = sorted({n for n, _, _ in PROFILE_COSTS})
    if notebook not in names:
        raise ValueError(f"unknown notebook {notebook!r}; known: {names}")
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {list(PROFILES)}")


def profile_cost(notebook: str, profile: str, device: str | None = None) -> ProfileCost | None:
    """The measured cost of ``notebook`` in ``profile`` on ``device`` (``"cpu"``/``"cuda"``; default: here).

    On CUDA, where nothing was measured, the CPU figure stands as an upper bound (the banner says so).
    """
    profile = notebook_profile(notebook, profile)
    kind = device or _device_kind()
    if kind not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    return PROFILE_COSTS.get((notebook, profile, kind)) or PROFILE_COSTS.get((notebook, profile, "cpu"))


def cell_timeout(notebook: str, profile: str) -> int:
    """Seconds ``workbench reproduce`` lets one cell of ``notebook`` run: the whole run's estimate doubled
    (a single cell can be all of it), at least 10 minutes; 4 hours when nothing was measured."""
    c = profile_cost(notebook, profile, "cpu")
    if c is None or c.minutes is None:
        return 4 * 3600
    return int(max(600.0, 2 * 60 * c.minutes))


def profile_banner(notebook: str, profile: str, *, show: bool = True, allow_long: bool | None = None) -> str:
    """One paragraph, printed first by every notebook: what ``profile`` will cost here and what it shows.

    States the measured run time (and on what machine), whether a GPU is needed, and this machine's cores
    and GPU; ``quick`` says that it shows the paper's shape at reduced size. A ``paper`` (or ``cpu``) run
    estimated over :data:`LONG_MINUTES` on this machine raises :class:`ProfileTooLongError` unless
    ``allow_long`` (default: the environment variable ``WORKBENCH_ALLOW_LONG=1``). Returns the text.
    """
    _check_names(notebook, profile)
    run_as = notebook_profile(notebook, profile)
    if not any(k[:2] == (notebook, run_as) for k in PROFILE_COSTS):
        have = sorted({p for n, p, _ in PROFILE_COSTS if n == notebook})
        raise ValueError(f"notebook {notebook!r} has no profile {profile!r}; it has {have}")
    kind = _device_kind()
    c = profile_cost(notebook, run_as, kind)
    measured_here = (notebook, run_as, kind) in PROFILE_COSTS
    if c.minutes is None:
        when = f"run time not measured yet (on {c.measured_on})"
    elif measured_here:
        when = f"about {fmt_minutes(c.minutes)} on {c.measured_on}"
    else:
        when = f"at most about {fmt_minutes(c.minutes)} (measured on {c.measured_on}; not yet measured on a GPU)"
    gpu = {"no": "no GPU needed", "helps": "a GPU makes it faster",
           "needed": "needs a GPU (on a CPU it takes far too long)"}[c.gpu]
    head = {"quick": "Quick profile: the paper's shape at reduced size (numbers are not at the papers' sizes; "
                     "set PROFILE = \"paper\" for those).",
            "paper": "Paper profile: the papers' sizes.",
            "smoke": "Smoke profile: the smallest sizes that run every cell (for tests; the numbers mean nothing).",
            "cpu": "CPU profile: the largest sizes a CPU finishes."}[profile]
    lines = [head, f"Profile {run_as!r} of {notebook}: {when}; {gpu}." + (f" {c.note}." if c.note else ""),
             f"This machine: {_hardware()}."]
    text = "\n".join(lines)
    long = c.minutes is None or c.minutes > LONG_MINUTES
    if run_as in ("paper", "cpu") and kind == "cpu" and long:
        allow = allow_long if allow_long is not None else os.environ.get(ENV_ALLOW_LONG, "") == "1"
        if not allow:
            est = "an unmeasured time" if c.minutes is None else f"about {fmt_minutes(c.minutes)}"
            raise ProfileTooLongError(
                f"{text}\nRefusing to start: profile {profile!r} of {notebook} is estimated at {est} on this "
                f"machine (over {LONG_MINUTES:.0f} min). Set PROFILE = \"quick\", run it on a GPU, or allow it: "
                f"{ENV_ALLOW_LONG}=1 in the environment (workbench reproduce --allow-long).")
        text += f"\nLong run allowed ({ENV_ALLOW_LONG}=1 or allow_long=True)."
    store = os.environ.get("WORKBENCH_STORE", "").strip()  # distributed.ENV_STORE (set by workbench reproduce)
    if run_as in ("paper", "cpu") and store:
        text += (f"\nIts long sweeps keep each finished cell in {store}: stopped part-way, the same "
                 "command resumes them (--fresh starts over).")
    if show:
        print(text)
    return text
