"""The reproduction report: ``report.html`` (self-contained) and ``report.md`` from notebook runs.

``report.html`` holds every figure inline (base64 PNG), the claims table with
filters by paper, verdict and notebook (a few lines of inline JavaScript, no
network), and per notebook its status, run time and machine.  ``report.md``
has the same tables and links the figures (``figures/*.png`` beside it).
A smoke-profile report says so at the top.
"""
from __future__ import annotations

import base64
import html
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from workbench.runs import NotebookRun, extract_figures, git_commit, machine, unrun_cells_error

__all__ = ["write_reports", "report_html", "report_markdown", "runs_from_folder", "SMOKE_NOTICE", "catalogue_rows",
           "catalogue_counts", "readme_table", "missing_notebooks"]

SMOKE_NOTICE = ("This is a SMOKE run: every notebook ran with cut-down sizes (PROFILE = \"smoke\") so that it "
                "finishes in about a minute on a laptop CPU. Its numbers are not the papers' sizes; verdicts "
                "below say what this run measured, not whether the full-size reproduction holds. "
                "Run `bash scripts/reproduce.sh --profile full` for that.")


def _plain(text: str) -> str:
    """An error message without terminal colour codes (papermill's tracebacks carry them)."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)[-4000:]


def _machine_text(m: dict) -> str:
    if not m:
        return ""
    dev = m.get("gpu") or m.get("device", "")
    commit = f", commit {m['commit']}" if m.get("commit") else ", commit not recorded"
    return (f"{m.get('host', '')}: {m.get('cpus', '?')} CPUs, {dev}, torch {m.get('torch', '')}, {m.get('os', '')}"
            + commit)


def _all_claims(runs) -> list:
    return [c for r in runs for c in r.claims]


def _verdict_counts(claims) -> str:
    from workbench.claims import VERDICTS

    n = Counter(c.verdict for c in claims)
    return ", ".join(f"{n[v]} {v}" for v in VERDICTS if n[v]) or "none"


NOT_JUDGED = ("not judged in this run: no notebook computed it against the catalogue's rule yet "
              "(its recipe exists; see the legacy comparisons below)")


def catalogue_rows(claims) -> list[dict]:
    """One row per catalogued statement: its verdict in ``claims`` (judged against the catalogue), or not run.

    A statement the run did not judge reads ``not run`` with the catalogue's reason (a data set, weights or a
    GPU we do not have) or, when a recipe exists, that no notebook judged it in this run. Legacy comparisons
    (registered without the catalogue) never stand in for a catalogue verdict.
    """
    from workbench.claims import catalogue

    judged = {c.catalogue: c for c in claims if getattr(c, "catalogue", "")}
    rows = []
    for st in catalogue():
        c = judged.get(st.id)
        if c is not None:
            rows.append(dict(id=st.id, paper=st.paper, where=st.where, quote=st.quote, quantity=st.quantity,
                             paper_value=st.paper_value, rule=c.rule, verdict=c.verdict, ours=c.ours,
                             interval=c.interval, seeds=c.seeds, reason=c.reason, notebook=c.notebook,
                             exploratory=st.exploratory, history=list(st.history)))
        else:
            rows.append(dict(id=st.id, paper=st.paper, where=st.where, quote=st.quote, quantity=st.quantity,
                             paper_value=st.paper_value, rule=st.rule.text() if st.rule else "", verdict="not run",
                             ours=None, interval=None, seeds=0, reason=st.not_run or NOT_JUDGED,
                             notebook=st.notebook or "", exploratory=st.exploratory, history=list(st.history)))
    return rows


def catalogue_counts(rows: list[dict]) -> list[dict]:
    """Per paper: how many statements are reproduced, differ, inconclusive, not comparable, not run."""
    from workbench.claims import PAPERS, VERDICTS

    out = []
    for paper in PAPERS:
        mine = [r for r in rows if r["paper"] == paper]
        n = Counter(r["verdict"] for r in mine)
        out.append(dict(paper=paper, statements=len(mine), **{v: n[v] for v in VERDICTS}))
    return out


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


def _changes_md(ch: dict, label: str) -> list[str]:
    from workbench.claims import VERDICTS

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


def _changes_html(ch: dict, label: str) -> list[str]:
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


README_START = "<!-- claims-table:start (generated by scripts/claims_table.py from docs/report; do not edit) -->"
README_END = "<!-- claims-table:end -->"


def readme_table(folder) -> str:
    """The README's paper table: per paper, the catalogue's counts of verdicts in the report at ``folder``."""
    from workbench.claims import load

    folder = Path(folder)
    claims = [c for f in sorted(folder.glob("*.claims.json")) for c in load(f)]
    counts = catalogue_counts(catalogue_rows(claims))
    lines = [README_START, "", "| paper | statements | reproduced | differs | inconclusive | not run |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for c in counts:
        lines.append(f"| {_md_cell(c['paper'])} | {c['statements']} | {c['reproduced']} | {c['differs']} | "
                     f"{c['inconclusive']} | {c['not run'] + c['not comparable']} |")
    profiles = sorted({str(c.profile) for c in claims if getattr(c, "profile", None)})
    which = f"{' + '.join(profiles)}-profile " if profiles else ""
    reduced = (" The quick profile judges the papers' statements at reduced sizes: a verdict there is the shape "
               "at small scale, not the paper's numbers." if "quick" in profiles else "")
    lines += ["", f"Counts from the committed {which}report [`{folder.as_posix()}`]({folder.as_posix()}/report.md); "
              f"every statement, its rule, interval and reason are listed there.{reduced}", "", README_END]
    return "\n".join(lines)


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


def _lint_text(r) -> str:
    """A run's figure-lint column: how many figures were checked and how many findings they had."""
    lint = getattr(r, "lint", None)
    if lint is None:
        return "not linted"
    n = sum(getattr(r, "linted", {}).values())
    return f"{n} checked, clean" if not lint else f"{n} checked, **{len(lint)} findings**"


def _interval_text(r: dict) -> str:
    if not r["interval"]:
        return "exact" if r["verdict"] not in ("not run",) and r["seeds"] == 0 else ""
    lo, hi = r["interval"]
    return f"[{lo:.3g}, {hi:.3g}] ({r['seeds']} seeds)"


def _fmt(v, c) -> str:
    from workbench.claims import format_value

    return format_value(v, c.fmt)


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} .meta{color:#555} table{border-collapse:collapse;margin:1em 0;width:100%}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f3f3f3} .smoke{background:#fff3cd;border:2px solid #e0a800;padding:1em;font-size:16px;margin:1em 0}
.v-reproduced{background:#e6f4ea} .v-differs{background:#fde8e8} .v-not-comparable{background:#eef}
.v-inconclusive{background:#fff8e1} .v-not-run{color:#666}
.failed{color:#b00;font-weight:bold} img{max-width:100%;border:1px solid #ddd;margin:.5em 0}
pre{background:#f6f6f6;padding:.5em;overflow:auto;max-height:20em} .filters select{margin-right:1em}
figure{margin:1em 0} figcaption{color:#555;font-size:13px}
"""

_JS = """
function wbFilter(){
  var p=document.getElementById('f-paper').value, v=document.getElementById('f-verdict').value,
      n=document.getElementById('f-notebook').value, shown=0;
  document.querySelectorAll('#claims tbody tr').forEach(function(r){
    var ok=(!p||r.dataset.paper===p)&&(!v||r.dataset.verdict===v)&&(!n||r.dataset.notebook===n);
    r.style.display=ok?'':'none'; if(ok) shown++;});
  document.getElementById('f-count').textContent=shown+' shown';
}
"""


def _select(ident: str, label: str, values) -> str:
    opts = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in sorted(set(values)))
    return (f'<label>{label} <select id="{ident}" onchange="wbFilter()"><option value="">all</option>{opts}'
            "</select></label>")


def report_html(runs: Sequence, *, profile: str, scheduler: str | None = None, title: str | None = None,
                commit: str = "", since: tuple[str, list] | None = None) -> str:
    """The self-contained HTML report of ``runs`` (a list of :class:`workbench.reproduce.NotebookRun`).

    ``since``: ``(label, claims of an earlier report)``: adds "What changed since the last report".
    """
    e = html.escape
    claims = _all_claims(runs)
    title = title or f"Expressivity Workbench: reproduction report ({profile} profile)"
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(title)}</title><style>{_CSS}</style>"
           f"<script>{_JS}</script></head><body>", f"<h1>{e(title)}</h1>"]
    meta = f"Generated {time.strftime('%Y-%m-%d %H:%M %Z')}"
    if commit:
        meta += f" by the workbench at commit {e(commit)} (each notebook's own commit is in its row)"
    meta += f"; profile <b>{e(profile)}</b>; sweeps ran " + (f"on the Dask scheduler {e(scheduler)}" if scheduler
                                                            else "in each notebook's kernel")
    out.append(f"<p class='meta'>{meta}.</p>")
    if "smoke" in profile.split("+"):
        out.append(f"<div class='smoke'>{e(SMOKE_NOTICE)}</div>")
    total = sum(r.seconds for r in runs)
    out.append("<h2>Notebooks</h2><table><thead><tr><th>notebook</th><th>status</th><th>seconds</th>"
               "<th>figures</th><th>figure lint</th><th>claims</th><th>started</th><th>machine</th></tr></thead>"
               "<tbody>")
    for r in runs:
        status = "ok" if r.ok else "<span class='failed'>FAILED</span>"
        lint = e(_lint_text(r)).replace("**", "")
        out.append(f"<tr><td><a href='#nb-{e(r.notebook.stem)}'>{e(r.notebook.stem)}</a></td><td>{status}</td>"
                   f"<td>{r.seconds:.1f}</td><td>{len(r.figures)}</td><td>{lint}</td><td>{_verdict_counts(r.claims)}"
                   f"</td><td>{e(r.started)}</td><td>{e(_machine_text(r.machine))}</td></tr>")
    out.append(f"</tbody></table><p>Total {total:.0f} s. Claims: {_verdict_counts(claims)}.</p>")
    missing = missing_notebooks(runs, profile)
    if missing:
        out.append("<h2>Not in this report</h2><p>The repository's other notebooks, not run in this profile, and "
                   "why (their cost on the project's 2-core CPU, <code>workbench.experiments.PROFILE_COSTS</code>):"
                   "</p><table><thead><tr><th>notebook</th><th>why</th></tr></thead><tbody>")
        out += [f"<tr><td>{e(m['notebook'])}</td><td>{e(m['reason'])}</td></tr>" for m in missing]
        out.append("</tbody></table>")
    findings = [f for r in runs for f in (r.lint or [])]
    if findings:
        out.append("<h2>Figure lint findings</h2><table><thead><tr><th>notebook</th><th>cell</th><th>rule</th>"
                   "<th>artist</th><th>message</th></tr></thead><tbody>")
        out += [f"<tr><td>{e(f.notebook)}</td><td>{'' if f.cell is None else f.cell}</td><td>{e(f.rule)}</td>"
                f"<td>{e(f.artist)}</td><td>{e(f.message)}</td></tr>" for f in findings]
        out.append("</tbody></table>")
    if since is not None:
        out += _changes_html(changes_since(claims, since[1]), since[0])
    rows = catalogue_rows(claims)
    out.append("<h2>The papers' statements (catalogue)</h2><p>Every testable statement of each paper, catalogued "
               "from the paper before any run with the rule that judges it (<code>workbench/papers/*/catalogue"
               "</code>). Random quantities are judged on a 95% interval over at least three seeds; a tie or an "
               "interval across the bound is inconclusive.</p><table><thead><tr><th>paper</th><th>statements</th>"
               + "".join(f"<th>{v}</th>" for v in ("reproduced", "differs", "inconclusive", "not comparable",
                                                    "not run")) + "</tr></thead><tbody>")
    for c in catalogue_counts(rows):
        out.append(f"<tr><td>{e(c['paper'])}</td><td>{c['statements']}</td><td>{c['reproduced']}</td>"
                   f"<td>{c['differs']}</td><td>{c['inconclusive']}</td><td>{c['not comparable']}</td>"
                   f"<td>{c['not run']}</td></tr>")
    out.append("</tbody></table><table id='catalogue'><thead><tr><th>id</th><th>paper</th><th>where</th>"
               "<th>the paper says</th><th>quantity</th><th>rule</th><th>ours</th><th>interval</th><th>verdict</th>"
               "<th>reason</th></tr></thead><tbody>")
    for r in rows:
        cls = "v-" + r["verdict"].replace(" ", "-")
        flag = " (exploratory)" if r["exploratory"] else ""
        hist = f"<br><i>rule history: {e(' | '.join(r['history']))}</i>" if r["history"] else ""
        ours = "" if r["ours"] is None else f"{r['ours']:.4g}" if isinstance(r["ours"], float) else str(r["ours"])
        out.append(f"<tr class='{cls}'><td>{e(r['id'])}</td><td>{e(r['paper'])}</td><td>{e(r['where'])}</td>"
                   f"<td>“{e(r['quote'])}”</td><td>{e(r['quantity'])}</td><td>{e(r['rule'])}{flag}</td>"
                   f"<td>{e(ours)}</td><td>{e(_interval_text(r))}</td><td>{e(r['verdict'])}</td>"
                   f"<td>{e(r['reason'])}{hist}</td></tr>")
    out.append("</tbody></table>")
    out.append("<h2>Paper vs ours (every comparison registered in this run)</h2>")
    if not claims:
        out.append("<p>No notebook registered a claim in this run.</p>")
    else:
        out.append("<div class='filters'>" + _select("f-paper", "paper", [c.paper for c in claims])
                   + _select("f-verdict", "verdict", [c.verdict for c in claims])
                   + _select("f-notebook", "notebook", [c.notebook for c in claims])
                   + f"<span id='f-count'>{len(claims)} shown</span></div>")
        out.append("<table id='claims'><thead><tr><th>paper</th><th>where</th><th>quantity</th><th>paper</th>"
                   "<th>ours</th><th>tolerance</th><th>verdict</th><th>reason</th><th>profile</th>"
                   "<th>notebook</th></tr></thead><tbody>")
        for c in claims:
            cls = "v-" + c.verdict.replace(" ", "-")
            out.append(f"<tr class='{cls}' data-paper='{e(c.paper)}' data-verdict='{e(c.verdict)}' "
                       f"data-notebook='{e(c.notebook)}'><td>{e(c.paper)}</td><td>{e(c.where)}</td>"
                       f"<td>{e(c.quantity)}</td><td>{e(_fmt(c.paper_value, c))}</td><td>{e(_fmt(c.ours, c))}</td>"
                       f"<td>{e(c.tolerance_text())}</td><td>{e(c.verdict)}</td><td>{e(c.reason)}</td>"
                       f"<td>{e(c.profile)}</td><td>{e(c.notebook)}</td></tr>")
        out.append("</tbody></table>")
    for r in runs:
        stem = r.notebook.stem
        out.append(f"<h2 id='nb-{e(stem)}'>{e(stem)}</h2><p class='meta'>{'ok' if r.ok else 'FAILED'}, "
                   f"{r.seconds:.1f} s, started {e(r.started)}, {e(_machine_text(r.machine))}</p>")
        if r.error:
            out.append(f"<pre class='failed'>{e(_plain(r.error))}</pre>")
        for f in r.figures:
            data = base64.b64encode(Path(f).read_bytes()).decode("ascii")
            out.append(f"<figure><img alt='{e(Path(f).name)}' src='data:image/png;base64,{data}'>"
                       f"<figcaption>{e(Path(f).name)}</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out)


def _md_text(v) -> str:
    """Text for Markdown outside code: HTML in it (a claim's quote, a notebook's name) shows as text, not markup."""
    return html.escape(str(v), quote=False)


def _md_cell(v) -> str:
    return _md_text(v).replace("|", "\\|").replace("\n", " ")


def _md_code(text: str) -> list[str]:
    """A fenced code block that ``text`` cannot close: the fence is longer than any run of backticks in it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, text, fence]


def report_markdown(runs: Sequence, *, profile: str, scheduler: str | None = None, title: str | None = None,
                    commit: str = "", figures_rel: Path | None = None, since: tuple[str, list] | None = None) -> str:
    """The Markdown report; figures are linked relative to ``figures_rel`` (the report's folder).

    ``since``: ``(label, claims of an earlier report)``: adds "What changed since the last report".
    """
    claims = _all_claims(runs)
    title = title or f"Expressivity Workbench: reproduction report ({profile} profile)"
    lines = [f"# {_md_text(title)}", ""]
    meta = f"Generated {time.strftime('%Y-%m-%d %H:%M %Z')}" + (
        f" by the workbench at commit {commit} (each notebook's own commit is in its row)" if commit else "")
    where = f"on the Dask scheduler {_md_text(scheduler)}" if scheduler else "in each notebook's kernel"
    meta += f"; profile **{_md_text(profile)}**; sweeps ran {where}."
    lines += [meta, ""]
    if "smoke" in profile.split("+"):
        lines += [f"> **{SMOKE_NOTICE}**", ""]
    lines += ["## Notebooks", "",
              "| notebook | status | seconds | figures | figure lint | claims | started | machine |",
              "| --- | --- | ---: | ---: | --- | --- | --- | --- |"]
    for r in runs:
        lines.append(f"| {_md_cell(r.notebook.stem)} | {'ok' if r.ok else '**FAILED**'} | {r.seconds:.1f} "
                     f"| {len(r.figures)} | {_lint_text(r)} | {_verdict_counts(r.claims)} | {_md_cell(r.started)} "
                     f"| {_md_cell(_machine_text(r.machine))} |")
    lines += ["", f"Total {sum(r.seconds for r in runs):.0f} s. Claims: {_verdict_counts(claims)}.", ""]
    missing = missing_notebooks(runs, profile)
    if missing:
        lines += ["## Not in this report", "",
                  "The repository's other notebooks, not run in this profile, and why (their cost on the project's "
                  "2-core CPU, `workbench.experiments.PROFILE_COSTS`):", "",
                  "| notebook | why |", "| --- | --- |"]
        lines += [f"| {_md_cell(m['notebook'])} | {_md_cell(m['reason'])} |" for m in missing]
        lines.append("")
    findings = [f for r in runs for f in (r.lint or [])]
    if findings:
        lines += ["## Figure lint findings", "",
                  "`workbench.plots.lint_figure` on every figure the notebooks drew (rule, artist, message):", "",
                  "| notebook | cell | rule | artist | message |", "| --- | ---: | --- | --- | --- |"]
        lines += [f"| {_md_cell(f.notebook)} | {f.cell if f.cell is not None else ''} | {_md_cell(f.rule)} "
                  f"| {_md_cell(f.artist)} | {_md_cell(f.message)} |" for f in findings]
        lines += [""]
    if since is not None:
        lines += _changes_md(changes_since(claims, since[1]), since[0])
    rows = catalogue_rows(claims)
    lines += ["## The papers' statements (catalogue)", "",
              "Every testable statement of each paper, catalogued from the paper before any run with the rule that "
              "judges it (`workbench/papers/*/catalogue`). Random quantities are judged on a 95% interval over "
              "at least three seeds; a tie or an interval across the bound is inconclusive.", "",
              "| paper | statements | reproduced | differs | inconclusive | not comparable | not run |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c in catalogue_counts(rows):
        lines.append(f"| {_md_cell(c['paper'])} | {c['statements']} | {c['reproduced']} | {c['differs']} | "
                     f"{c['inconclusive']} | {c['not comparable']} | {c['not run']} |")
    lines += ["", "| id | where | rule | ours | interval | verdict | reason |",
              "| --- | --- | --- | ---: | --- | --- | --- |"]
    for r in rows:
        ours = "" if r["ours"] is None else f"{r['ours']:.4g}" if isinstance(r["ours"], float) else str(r["ours"])
        rule = r["rule"] + (" (exploratory)" if r["exploratory"] else "")
        reason = r["reason"] + (f"; rule history: {' | '.join(r['history'])}" if r["history"] else "")
        lines.append("| " + " | ".join(_md_cell(x) for x in (r["id"], f"{r['paper']}, {r['where']}", rule, ours,
                                                            _interval_text(r), f"**{r['verdict']}**", reason)) + " |")
    lines += ["", "## Paper vs ours (every comparison registered in this run)", ""]
    if not claims:
        lines += ["No notebook registered a claim in this run.", ""]
    else:
        lines += ["| paper | where | quantity | paper | ours | tolerance / rule | verdict | reason | profile "
                  "| notebook |",
                  "| --- | --- | --- | ---: | ---: | --- | --- | --- | --- | --- |"]
        for c in claims:
            lines.append("| " + " | ".join(_md_cell(x) for x in (
                c.paper, c.where, c.quantity, _fmt(c.paper_value, c), _fmt(c.ours, c), c.tolerance_text(),
                f"**{c.verdict}**", c.reason, c.profile, c.notebook)) + " |")
        lines.append("")
    for r in runs:
        lines += [f"## {_md_text(r.notebook.stem)}", "", f"{'ok' if r.ok else '**FAILED**'}, {r.seconds:.1f} s, "
                  f"started {_md_text(r.started)}, {_md_text(_machine_text(r.machine))}", ""]
        if r.error:
            lines += [*_md_code(_plain(r.error)), ""]
        for f in r.figures:
            f = Path(f).resolve()
            rel = f.relative_to(figures_rel) if figures_rel is not None and f.is_relative_to(figures_rel) else f
            lines.append(f"![{_md_text(f.name)}]({rel.as_posix()})")
        lines.append("")
    return "\n".join(lines)


def write_reports(runs: Sequence, out_dir, *, profile: str, scheduler: str | None = None,
                  title: str | None = None, since: tuple[str, list] | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.md`` into ``out_dir``; returns their paths.

    ``since``: ``(label, claims)`` of an earlier report (:func:`previous_claims`), compared in both reports.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    commit = git_commit(Path(__file__).resolve().parent.parent)
    h = out_dir / "report.html"
    m = out_dir / "report.md"
    h.write_text(report_html(runs, profile=profile, scheduler=scheduler, title=title, commit=commit, since=since),
                 encoding="utf-8")
    m.write_text(report_markdown(runs, profile=profile, scheduler=scheduler, title=title, commit=commit,
                                 figures_rel=out_dir, since=since), encoding="utf-8")
    return h, m


def runs_from_folder(folder) -> list:
    """Rebuild the runs of ``workbench reproduce --out FOLDER`` from what it left there.

    Reads every executed notebook (``*.ipynb``) in ``folder``: run time, start
    and error from papermill's metadata, the profile papermill injected,
    figures (extracted again into ``figures/``) and ``<name>.claims.json``.
    The machine and commit are those recorded in each executed notebook's
    metadata by :func:`workbench.reproduce.run_notebook`; a notebook executed
    without that record gets this machine, and its commit reads "not recorded".
    Lets notebooks executed separately (or in parallel) share one report:
    ``workbench report FOLDER``.
    """
    import nbformat

    from workbench import claims as claims_mod

    folder = Path(folder)
    paths = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("_"))
    if not paths:
        raise FileNotFoundError(f"no executed notebooks (*.ipynb) in {str(folder)!r}")
    here = machine()
    runs = []
    for p in paths:
        try:
            runs.append(_run_from_notebook(p, folder, here, nbformat, claims_mod))
        except Exception as exc:
            if isinstance(exc, ValueError) and str(p.stem) in str(exc):  # names its file already
                raise  # noqa: BLE001 - a corrupt file: say which one, never a bare traceback
            raise ValueError(f"{p} could not be read as an executed notebook ({type(exc).__name__}: "
                             f"{' '.join(str(exc).split())[:300]})") from exc
    return runs


def _run_from_notebook(p: Path, folder: Path, here: dict, nbformat, claims_mod):
    """One :class:`NotebookRun` from an executed notebook ``p`` and its claims file; ``ValueError`` naming the file
    that is not what it should be."""
    try:
        nb = nbformat.read(str(p), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises NotJSONError, KeyError, UnicodeDecodeError...
        raise ValueError(f"{p} is not a readable notebook ({type(exc).__name__}: "
                         f"{' '.join(str(exc).split())[:200]})") from exc
    pm = nb.metadata.get("papermill", {})
    if not isinstance(pm, dict) or not pm:
        raise ValueError(f"{p} was not executed by papermill (no metadata.papermill): not a reproduce output")
    error = None
    if pm.get("exception"):
        error = "the notebook raised an exception; see " + p.name
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                if o.get("output_type") == "error":
                    error = f"{o.get('ename')}: {o.get('evalue')}\n" + "\n".join(o.get("traceback", []))
    elif pm.get("end_time") is None:
        error = "the run did not finish (no end time: interrupted or timed out)"
    error = error or unrun_cells_error(nb)
    cf = folder / f"{p.stem}.claims.json"
    started = str(pm.get("start_time") or "").replace("T", " ")[:19]
    recorded = nb.metadata.get("workbench", {}).get("machine")  # where and at which commit it ran
    try:
        seconds = float(pm.get("duration") or 0.0)
    except (TypeError, ValueError):
        raise ValueError(f"{p}: metadata.papermill.duration must be a number of seconds, got "
                         f"{pm.get('duration')!r}") from None
    params = pm.get("parameters") if isinstance(pm.get("parameters"), dict) else {}
    claims = []
    if cf.exists():
        try:
            claims = claims_mod.load(cf)
        except Exception as exc:  # noqa: BLE001 - JSONDecodeError, TypeError (unknown field), AttributeError
            msg = " ".join(str(exc).split())[:200]
            raise ValueError(f"{cf} is not a claims file written by workbench.claims.save "
                             f"({type(exc).__name__}: {msg})") from exc
    from workbench.runs import load_lint

    lf = folder / f"{p.stem}.lint.json"
    lint, linted = None, {}
    if lf.exists():
        try:
            lint, linted = load_lint(lf, nb, p.stem)
        except Exception as exc:  # noqa: BLE001 - JSONDecodeError, KeyError, TypeError
            raise ValueError(f"{lf} is not a figure-lint record written by workbench.runs "
                             f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]})") from exc
    return NotebookRun(p, p, extract_figures(nb, folder / "figures", p.stem), seconds,
                       error, profile=str(params.get("PROFILE", "unknown")), claims=claims,
                       claims_file=cf if cf.exists() else None,
                       started=started + (" UTC" if started else ""),
                       machine=dict(recorded) if isinstance(recorded, dict) else dict(here),
                       lint=lint, lint_file=lf if lf.exists() else None, linted=linted)
