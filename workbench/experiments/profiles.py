"""What a notebook's profile costs before it starts: measured run times and whether it needs a GPU."""
from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["PROFILE_COSTS", "profile_banner"]  # ProfileCost: the entries' type, importable from here


@dataclass(frozen=True)
class ProfileCost:
    """The measured cost of running one notebook in one profile.

    ``minutes`` is the wall time measured on ``measured_on`` (``None``: not
    measured yet); ``gpu`` is ``"no"``, ``"helps"`` or ``"needed"``; ``note``
    says where the time goes or where the number comes from.
    """

    minutes: float | None
    gpu: str
    measured_on: str
    note: str = ""


_CPU2 = "the project's 2-core x86_64 CPU, no GPU"
_SMOKE = ("a bound, not a measurement: smoke profiles are sized to finish within about a minute, "
          "and the test suite runs each one")
PROFILE_COSTS: dict[tuple[str, str], ProfileCost] = {
    ("00_tour", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("00_tour", "full"): ProfileCost(0.2, "no", _CPU2, "measured 2026-12-02: 9 s (17 s with the kernel start)"),
    ("01_spanning_dimension", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("01_spanning_dimension", "full"): ProfileCost(
        33, "helps", _CPU2, "measured 2026-12-02 08:07 UTC: 1,933 s with one torch thread beside other full runs"),
    ("02_esd_real_networks", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("02_esd_real_networks", "cpu"): ProfileCost(25, "no", _CPU2, "all 18 models at 3x64x64 inputs"),
    ("02_esd_real_networks", "full"): ProfileCost(
        33 * 60, "needed", _CPU2, "extrapolated from 3 inputs per model (BENCHMARKS.md, 'ESD of real-world "
                                  "networks'): a GPU job; PROFILE = \"cpu\" runs all 18 models in about 25 min"),
    ("03_linear_regions", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("03_linear_regions", "full"): ProfileCost(0.75, "no", _CPU2, "measured 2026-12-02 06:49 UTC: 40 s in the "
                                                                 "kernel, 48 s in all"),
    ("04_trajectories", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("04_trajectories", "full"): ProfileCost(9.0, "no", _CPU2, "measured 2026-12-02 06:55 UTC: 545 s in the "
                                                               "kernel (length growth 234 s, dichotomies 148 s)"),
    ("05_edjm", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("05_edjm", "full"): ProfileCost(1.0, "no", _CPU2, "measured 2026-12-02 06:50 UTC: 56 s in the kernel, 64 s "
                                                        "in all (14 min on 2026-12-01 at load 17)"),
    ("06_layer_algebra", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("06_layer_algebra", "full"): ProfileCost(1.0, "no", _CPU2, "measured 2026-12-02 06:51 UTC: 52 s in the "
                                                                "kernel, 60 s in all; no weights are allocated"),
    ("07_pl_training", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("07_pl_training", "full"): ProfileCost(5.0, "helps", _CPU2, "measured 2026-12-02 07:40 UTC beside another full-"
                                                             "profile notebook: 293 s (Fig. 2.2 with the probe rates "
                                                             "212 s)"),
    ("08_trajectories_more", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("08_trajectories_more", "full"): ProfileCost(2.5, "no", _CPU2, "measured 2026-12-02 06:52 UTC: 137 s in the "
                                                                    "kernel, 145 s in all"),
    ("09_esd_more", "smoke"): ProfileCost(1.0, "no", _CPU2, _SMOKE),
    ("09_esd_more", "full"): ProfileCost(
        103, "helps", _CPU2, "measured 2026-12-02 07:07 UTC: 6,140 s beside other full runs (the ESD of the 18 real "
                             "models for two input kinds is most of it)"),
}
"""Measured costs: ``(notebook stem, profile) -> ProfileCost``; README and BENCHMARKS.md give the sources."""


def _fmt(minutes: float) -> str:
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.0f} h"


def _hardware() -> str:
    import torch

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return f"{os.cpu_count()} CPU cores, {gpu}"


def profile_banner(notebook: str, profile: str, *, show: bool = True) -> str:
    """One paragraph, printed before a notebook starts: what ``profile`` will cost here.

    States the measured run time (and on what machine), whether a GPU is
    needed, and this machine's cores and GPU; for a long profile it names the
    quick one.  Returns the text (``show=False``: only returns it).
    """
    import torch

    if not isinstance(notebook, str) or not isinstance(profile, str):
        raise TypeError(f"notebook and profile must be strings, got {notebook!r}, {profile!r}")
    known = sorted({p for (n, p) in PROFILE_COSTS if n == notebook})
    if not known:
        names = sorted({n for n, _ in PROFILE_COSTS})
        raise ValueError(f"unknown notebook {notebook!r}; known: {names}")
    if (notebook, profile) not in PROFILE_COSTS:
        raise ValueError(f"notebook {notebook!r} has no profile {profile!r}; it has {known}")
    c = PROFILE_COSTS[(notebook, profile)]
    when = (f"about {_fmt(c.minutes)} on {c.measured_on}" if c.minutes is not None
            else f"run time not measured yet (on {c.measured_on})")
    gpu = {"no": "no GPU needed", "helps": "a GPU makes it faster",
           "needed": "needs a GPU (on a CPU it takes far too long)"}[c.gpu]
    lines = [f"Profile {profile!r} of {notebook}: {when}; {gpu}." + (f" {c.note}." if c.note else ""),
             f"This machine: {_hardware()}."]
    if c.gpu == "needed" and not torch.cuda.is_available():
        lines.append("WARNING: no GPU here. Interrupt the kernel now and choose a smaller profile.")
    if (c.minutes is None or c.minutes >= 5) and profile != "smoke":
        lines.append('For a quick run set PROFILE = "smoke" in the parameters cell (seconds to a minute).')
    text = "\n".join(lines)
    if show:
        print(text)
    return text
