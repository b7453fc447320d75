"""Command line.

``workbench reproduce [--profile quick|paper|smoke|cpu] [--allow-long] [--out DIR] [--cell-timeout S]
[--scheduler ADDRESS | --workers N] [NOTEBOOK ...]``; ``workbench report DIR``; ``workbench info``;
``workbench data fetch mnist|fashion-mnist|cifar10 [--root DIR] [--mirror URL]``; ``workbench data list [--root DIR]``.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


class UsageError(Exception):
    """A mistake in the command line or the environment: printed as one line, exit code 2."""


def check_environment() -> None:
    """The environment variables the workbench reads (``WORKBENCH_DEVICE``, ``WORKBENCH_MAX_BYTES``) are valid."""
    from workbench._runtime import ENV_DEVICE, device
    from workbench.limits import ENV_MAX_BYTES, parse_bytes

    try:
        device()
    except (ValueError, RuntimeError) as exc:
        raise UsageError(f"{exc} (from the environment variable {ENV_DEVICE}; unset it or give e.g. "
                         f"{ENV_DEVICE}=cpu)") from None
    value = os.environ.get(ENV_MAX_BYTES, "").strip()
    if value:
        try:
            parse_bytes(value, ENV_MAX_BYTES)
        except (ValueError, TypeError) as exc:
            raise UsageError(f"{exc} (from the environment variable {ENV_MAX_BYTES})") from None


def check_out_folder(out: Path, flag: str = "--out", *, writable: bool = True) -> Path:
    """``out`` can be a folder: it is one, or its first existing ancestor is a writable folder."""
    p = out
    try:
        while not p.exists():
            if p.parent == p:
                break
            p = p.parent
    except OSError as exc:  # a name too long for the file system, a loop of links
        raise UsageError(f"{flag} {out}: not a usable folder path ({exc.strerror or exc}); choose another") from None
    if p.exists() and not p.is_dir():
        where = "is a regular file" if p == out else f"lies under {p}, which is a regular file"
        raise UsageError(f"{flag} {out}: {where}, not a folder; choose another output folder")
    if writable and p.exists() and not os.access(p, os.W_OK | os.X_OK):
        raise UsageError(f"{flag} {out}: {p} is not writable; choose another output folder")
    return out


def _folder_arg(value: str, flag: str) -> Path:
    """A folder given on the command line: not empty (an empty string would mean the current folder)."""
    if not value.strip():
        raise UsageError(f"{flag} is empty; give a folder path (an empty value would mean the current folder)")
    return Path(value).expanduser().absolute()


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from workbench.reproduce import reproduce

    out = check_out_folder(_folder_arg(args.out, "--out").resolve())
    if args.scheduler and args.workers:
        print("error: give --scheduler ADDRESS or --workers N, not both", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print(f"error: --workers must be at least 1, got {args.workers}", file=sys.stderr)
        return 2
    if args.cell_timeout is not None and args.cell_timeout < 1:
        print(f"error: --cell-timeout must be at least 1 second, got {args.cell_timeout}", file=sys.stderr)
        return 2
    cluster = None
    scheduler = args.scheduler
    try:
        if args.workers:
            from distributed import LocalCluster

            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            scheduler = cluster.scheduler_address
            print(f"started a local Dask cluster: {args.workers} worker processes at {scheduler}")
        runs = reproduce(args.notebooks or None, profile=args.profile, out_dir=out, scheduler=scheduler,
                         timeout=args.cell_timeout, allow_long=args.allow_long, fresh=args.fresh)
    except (FileNotFoundError, ConnectionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if cluster is not None:
            cluster.close()
    print()
    print(f"{'notebook':<36} {'status':<7} {'figures':>7} {'seconds':>8}")
    for r in runs:
        print(f"{r.notebook.stem:<36} {'ok' if r.ok else 'FAILED':<7} {len(r.figures):>7} {r.seconds:>8.1f}")
    n_fig = sum(len(r.figures) for r in runs)
    print(f"\nExecuted notebooks: {out}")
    print(f"Figures ({n_fig} PNG): {out / 'figures'}")
    print(f"Report: {out / 'report.html'} and {out / 'report.md'}")
    failed = [r for r in runs if not r.ok]
    for r in failed:
        print(f"\n--- {r.notebook.name} failed ---\n{r.error}", file=sys.stderr)
    return 1 if failed else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from workbench.report import runs_from_folder, write_reports

    since = None
    if args.since is not None:
        from workbench.report import previous_claims

        try:
            since = (args.since_label or f"the report in {args.since}", previous_claims(args.since))
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    folder = Path(args.folder).resolve()
    try:
        runs = runs_from_folder(folder)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    profiles = sorted({r.profile for r in runs})
    h, m = write_reports(runs, folder, profile=profiles[0] if len(profiles) == 1 else "+".join(profiles),
                         scheduler=args.scheduler, since=since)
    print(f"Report of {len(runs)} notebooks ({', '.join(profiles)}): {h} and {m}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    import torch

    import workbench

    print(f"workbench {workbench.__version__}, torch {torch.__version__}, device {workbench.device()}")
    return 0


def _cmd_data_fetch(args: argparse.Namespace) -> int:
    from workbench import data

    root = _folder_arg(args.root, "--root") if args.root is not None else None
    if root is not None:
        check_out_folder(root, "--root")
    try:
        result = data.fetch(args.name, root=root, base_url=args.mirror, progress=True)
    except (data.DataDownloadError, data.DataFormatError, ValueError) as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    print(result)
    if root is not None and root != data.data_dir().absolute():
        print(f"the loaders read {data.data_dir()}; set {data.ENV_DATA}={root} to read this folder")
    return 0


def _cmd_data_list(args: argparse.Namespace) -> int:
    from workbench import data
    from workbench.limits import format_bytes

    if args.root is not None:
        check_out_folder(_folder_arg(args.root, "--root"), "--root", writable=False)
    rows = data._inventory(args.root)
    root = Path(args.root).expanduser().absolute() if args.root is not None else data.data_dir()
    where = ("--root" if args.root is not None else f"${data.ENV_DATA}" if os.environ.get(data.ENV_DATA)
             else f"the default; set ${data.ENV_DATA} to change it")
    print(f"data folder: {root} ({where})")
    for name, folder, state, n in rows:
        size = format_bytes(n) if n else "-"
        hint = f"  (workbench data fetch {name})" if state != "present" else ""
        print(f"{name:<14} {state:<14} {size:>10}  {folder}{hint}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbench", description="Expressivity Workbench command line.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("reproduce", help="execute notebooks headless and save them and their figures")
    r.add_argument("notebooks", nargs="*", help="notebook names or paths (default: all in notebooks/)")
    from workbench.experiments.profiles import PROFILES

    r.add_argument("--profile", choices=PROFILES, default="quick",
                   help="problem sizes: quick (about 2 min per notebook, the default), paper (the papers' sizes), "
                        "smoke (tests), cpu (the largest a CPU finishes; paper where a notebook has no cpu sizes)")
    r.add_argument("--allow-long", action="store_true",
                   help="start paper runs estimated over an hour on this machine (refused otherwise)")
    r.add_argument("--out", default="results", help="output folder (default: ./results)")
    r.add_argument("--fresh", action="store_true",
                   help="start the long sweeps over: a paper or cpu run keeps their finished cells in "
                        "OUT/stores/<notebook>/ and, run again into the same --out, resumes them (the default)")
    r.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run the notebooks' sweeps on this running Dask scheduler (e.g. tcp://10.0.0.5:8786)")
    r.add_argument("--workers", type=int, default=None, metavar="N",
                   help="start a local Dask cluster of N worker processes for the notebooks' sweeps")
    r.add_argument("--cell-timeout", type=int, default=None, metavar="SECONDS",
                   help="stop a notebook whose single cell runs longer than this (default: twice the notebook's "
                        "measured run time in the profile, at least 600; see workbench.experiments.PROFILE_COSTS)")
    r.set_defaults(func=_cmd_reproduce)
    rep = sub.add_parser("report", help="write report.html and report.md from a reproduce output folder")
    rep.add_argument("folder", help="the --out folder of an earlier `workbench reproduce` (or of run_notebook calls)")
    rep.add_argument("--scheduler", default=None, help=argparse.SUPPRESS)
    rep.add_argument("--since", default=None, metavar="FOLDER",
                     help="an earlier report's folder (its *.claims.json): adds 'What changed since the last report'")
    rep.add_argument("--since-label", default=None, metavar="TEXT",
                     help="how the report names that earlier report (e.g. 'the committed report at 00fc6f8')")
    rep.set_defaults(func=_cmd_report)
    i = sub.add_parser("info", help="print versions and the default device")
    i.set_defaults(func=_cmd_info)
    d = sub.add_parser("data", help="fetch MNIST, Fashion-MNIST, CIFAR-10 into the data folder, or list what is there")
    dsub = d.add_subparsers(dest="data_command", required=True)
    f = dsub.add_parser("fetch", help="download a data set (torchvision's md5 checksums are checked)")
    f.add_argument("name", choices=["mnist", "fashion-mnist", "cifar10"], help="the data set")
    f.add_argument("--root", default=None, metavar="DIR",
                   help="the data folder (default: $WORKBENCH_DATA, else ~/.cache/workbench/data)")
    f.add_argument("--mirror", default=None, metavar="URL",
                   help="a mirror holding URL/<name>/<file> under the official file names (default: "
                        "$WORKBENCH_DATA_MIRROR, else torchvision's hosts)")
    f.set_defaults(func=_cmd_data_fetch)
    ls = dsub.add_parser("list", help="which data sets are in the data folder, where, and how big")
    ls.add_argument("--root", default=None, metavar="DIR", help="the data folder (default: as for fetch)")
    ls.set_defaults(func=_cmd_data_list)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command; mistakes in the arguments or the environment print one line and return 2."""
    args = build_parser().parse_args(argv)
    try:
        check_environment()
        return int(args.func(args))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (NotADirectoryError, PermissionError, FileExistsError, IsADirectoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)  # e.g. a folder that cannot be created where it was asked for
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
