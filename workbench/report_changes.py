"""Report sections that compare: with an earlier report ("What changed since the last report") and with the
repository's notebooks ("Not in this report").  Used by :mod:`workbench.report`, which re-exports the public names.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

__all__ = ["previous_claims", "changes_since", "changes_markdown", "changes_html", "missing_notebooks"]


def previous_claims(folder) -> list:
    """The claims of an earlier report folder (its ``*.claims.json``), to compare a new run with."""
    from workbench import claims as claims_mod

    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"--since {str(folder)!r}: no such folder (an earlier report's folder)")
    paths = sorted(folder.glob("*.claims.json"))
    if not paths:
        raise FileNotFoundError(f"--since {str(folder)!r}: no *.claims.json in it (an earlier report's folder)")
    out = []
    for path in paths:
        out += claims_mod.load(path)
    return out


def _ours_text(r: dict) -> str:
    v = r["ours"]
    return "" if v is None else f"{v:.4g}" if isinstance(v, float) else str(v)


def changes_since(claims, before) -> dict:
    """What changed between an earlier run's claims (``before``) and ``claims``, statement by statement.

    Returns ``{"counts": [per paper: before and now counts of each verdict], "changed": [rows whose verdict
    changed, with both verdicts, values and intervals]}``; statements judged in one run only count as changed
    (from or to ``not run``).
    """
    from workbench.claims import VERDICTS
    from workbench.report import _interval_text, catalogue_counts, catalogue_rows

    now, was = catalogue_rows(claims), {r["id"]: r for r in catalogue_rows(before)}
    changed = []
    for r in now:
        b = was.get(r["id"])
        bv = b["verdict"] if b else "not in the catalogue"
        if bv != r["verdict"]:
            changed.append(dict(id=r["id"], paper=r["paper"], where=r["where"], before=bv, now=r["verdict"],
                                ours_before=_ours_text(b) if b else "", ours_now=_ours_text(r),
                                interval_before=_interval_text(b) if b else "", interval_now=_interval_text(r)))
    counts = []
    for c_now, c_was in zip(catalogue_counts(now), catalogue_counts(list(was.values()))):
        counts.append(dict(paper=c_now["paper"], **{v: (c_was[v], c_now[v]) for v in VERDICTS}))
    return {"counts": counts, "changed": changed}


def changes_markdown(ch: dict, label: str) -> list[str]:
    """The markdown section of :func:`changes_since`'s result."""
    from workbench.claims import VERDICTS
    from workbench.report import _md_cell, _md_text

    lines = ["## What changed since the last report", "",
             f"Compared with {_md_text(label)}: each paper's verdict counts (before → now) and every catalogued "
             f"statement whose verdict changed ({len(ch['changed'])}).", "",
             "| paper | " + " | ".join(VERDICTS) + " |", "| --- |" + " ---: |" * len(VERDICTS)]
    for c in ch["counts"]:
        lines.append(f"| {_md_cell(c['paper'])} | " + " | ".join(
            f"{a} → {b}" if a != b else str(b) for a, b in (c[v] for v in VERDICTS)) + " |")
    if ch["changed"]:
        lines += ["", "| id | where | before | now | ours before | ours now | interval before | interval now |",
                  "| --- | --- | --- | --- | ---: | ---: | --- | --- |"]
        lines += ["| " + " | ".join(_md_cell(x) for x in (r["id"], f"{r['paper']}, {r['where']}", r["before"],
                                                         f"**{r['now']}**", r["ours_before"], r["ours_now"],
                                                         r["interval_before"], r["interval_now"])) + " |"
                  for r in ch["changed"]]
    return lines + [""]


def changes_html(ch: dict, label: str) -> list[str]:
    """The HTML section of :func:`changes_since`'s result."""
    from workbench.claims import VERDICTS

    e = html.escape
    out = [f"<h2>What changed since the last report</h2><p>Compared with {e(label)}: each paper's verdict counts "
           f"(before → now) and every catalogued statement whose verdict changed ({len(ch['changed'])}).</p>"
           "<table><thead><tr><th>paper</th>" + "".join(f"<th>{v}</th>" for v in VERDICTS) + "</tr></thead><tbody>"]
    for c in ch["counts"]:
        out.append(f"<tr><td>{e(c['paper'])}</td>" + "".join(
            f"<td>{a} → {b}</td>" if a != b else f"<td>{b}</td>" for a, b in (c[v] for v in VERDICTS)) + "</tr>")
    out.append("</tbody></table>")
    if ch["changed"]:
        out.append("<table><thead><tr><th>id</th><th>where</th><th>before</th><th>now</th><th>ours before</th>"
                   "<th>ours now</th><th>interval before</th><th>interval now</th></tr></thead><tbody>")
        out += [f"<tr class='v-{e(r['now'].replace(' ', '-'))}'><td>{e(r['id'])}</td><td>{e(r['paper'])}, "
                f"{e(r['where'])}</td><td>{e(r['before'])}</td><td>{e(r['now'])}</td><td>{e(r['ours_before'])}"
                f"</td><td>{e(r['ours_now'])}</td><td>{e(r['interval_before'])}</td><td>{e(r['interval_now'])}"
                "</td></tr>" for r in ch["changed"]]
        out.append("</tbody></table>")
    return out


def missing_notebooks(runs: Sequence, profile: str, notebooks_dir: Path | None = None) -> list[dict]:
    """The repository's notebooks that ``runs`` lack, each with why: its cost in ``profile`` on the project's
    2-core CPU and whether it needs a GPU (:data:`workbench.experiments.PROFILE_COSTS`).

    ``notebooks_dir``: default the ``notebooks/`` folder beside the package (none in an installed wheel: ``[]``).
    Rows: ``notebook``, ``minutes`` (``None``: not measured), ``gpu``, ``reason``.
    """
    from workbench.experiments import PROFILE_COSTS

    folder = notebooks_dir if notebooks_dir is not None else Path(__file__).resolve().parent.parent / "notebooks"
    if not folder.is_dir():
        return []
    have = {Path(r.notebook).stem for r in runs}
    key = profile.split("+")[0]
    out = []
    for nb in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        if nb.stem in have:
            continue
        cost = PROFILE_COSTS.get((nb.stem, key, "cpu"))
        if cost is None:
            out.append(dict(notebook=nb.stem, minutes=None, gpu="?", reason=f"no cost recorded for the {key} "
                            "profile (workbench.experiments.PROFILE_COSTS)"))
            continue
        what = (f"about {cost.minutes:g} min on {cost.measured_on}" if cost.minutes is not None
                else f"not measured on {cost.measured_on}")
        gpu = {"needed": "; needs a GPU", "helps": "; a GPU would shorten it"}.get(cost.gpu, "")
        out.append(dict(notebook=nb.stem, minutes=cost.minutes, gpu=cost.gpu,
                        reason=f"{what}{gpu}" + (f" ({cost.note})" if cost.note else "")))
    return out
