"""Command line: ``python -m analysis {run,validate,checksums,contract,params,sweep,docs,explore}``."""

from __future__ import annotations

import argparse
import sys


def _seconds(text: str) -> float:
    """A finite, non-negative number of seconds (``nan``, ``inf`` and ``-1`` are refused)."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number of seconds (0 or more)")
    return value


def main(argv: list[str] | None = None) -> int:
    """Every command ends in messages, never a traceback (see ``_main``)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        first = (str(exc).strip().splitlines() or [""])[0]
        print(f"error: {type(exc).__name__}: {first} (an unexpected failure of 'python -m analysis"
              f" {' '.join(argv if argv is not None else sys.argv[1:])}'; please report it)",
              file=sys.stderr)
        return 1


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the main job: raw data -> processed -> notebooks")
    run.add_argument("--params", help="parameter file (default: params.yaml)")
    run.add_argument("--set", dest="overrides", action="append", default=[],
                     metavar="KEY=VALUE", help="override a parameter (repeatable)")
    run.add_argument("--only", action="append", default=[], metavar="NOTEBOOK",
                     help="run only this notebook (repeatable)")
    run.add_argument("--jobs", type=int, default=None, help="notebooks run in parallel")
    run.add_argument("--wait", type=_seconds, default=0.0, metavar="SECONDS",
                     help="wait this long for another run of this repository to finish")
    run.add_argument("--timeout", type=_seconds, default=None, metavar="SECONDS",
                     help="stop the run when one notebook cell runs longer than this "
                     "(default: 600)")
    run.add_argument("--fresh-kernels", action="store_true",
                     help="one new kernel per notebook instead of reused warm kernels")
    sub.add_parser("validate", help="validate data/raw (and quotes, if the sources are beside)")
    check = sub.add_parser("checksums", help="verify or record data/raw checksums")
    check.add_argument("--update", action="store_true", help="record the current checksums")
    con = sub.add_parser("contract", help="freeze a data/raw resource's schema into the code-held "
                         "contract (src/analysis/raw/contract.json)")
    what = con.add_mutually_exclusive_group(required=True)
    what.add_argument("--add", metavar="NAME", help="resource name in datapackage.json")
    what.add_argument("--documents", action="store_true",
                      help="re-derive the document contract (src/analysis/raw/documents.json: "
                      "what each source prints, which resources need rows, which printed texts "
                      "are bound to their quotes) from the validated data/raw")
    con.add_argument("--replace", action="store_true",
                     help="overwrite the resource's existing contract (a deliberate change)")
    sub.add_parser("params", help="list the parameters and their allowed values")
    dc = sub.add_parser("docs", aliases=["readme"],
                        help="rewrite the generated pages of docs/ (the data dictionary from both "
                        "datapackage.json files, the register's section from data/raw/disagreements.csv)")
    dc.add_argument("--check", action="store_true", help="only check that docs/ is in sync")
    ex = sub.add_parser("explore", help="build a SQLite database of data/raw and data/processed and "
                        "serve it with Datasette on localhost")
    ex.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (default 8001; 0: any free)")
    ex.add_argument("--db", help="database file (default: a temporary folder, removed afterwards)")
    ex.add_argument("--build-only", action="store_true", help="build the database and metadata, do not serve")
    sw = sub.add_parser("sweep", help="every account x treatment of other x language, into sweeps/")
    sw.add_argument("--out", help="folder inside the repository (default: sweeps/)")
    sw.add_argument("--combo", action="append", default=[], metavar="ACCOUNT,OTHER_AS,LANG",
                    help="run only this combination (repeatable)")
    args = parser.parse_args(argv)

    if args.command == "run":
        from .run.pipeline import run as run_pipeline

        return run_pipeline(args.params, tuple(args.overrides), tuple(args.only), args.jobs,
                            wait=args.wait, fresh_kernels=args.fresh_kernels,
                            **({"timeout": args.timeout} if args.timeout is not None else {}))
    if args.command == "sweep":
        from pathlib import Path

        from .run.pipeline import sweep

        combos = [tuple(c.split(",")) for c in args.combo] or None
        if combos and any(len(c) != 3 for c in combos):
            parser.error("--combo takes ACCOUNT,OTHER_AS,LANG")
        return sweep(Path(args.out) if args.out else None, combos)
    if args.command == "validate":
        from .raw.validation import validate_all

        problems, notes = validate_all()
        for note in notes:
            print(note)
        for problem in problems:
            print(f"  - {problem}")
        print("valid" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if args.command == "checksums":
        from .raw.package import update_checksums, validate

        if args.update:
            from .problems import RawDataError

            try:
                changed = update_checksums()
            except RawDataError as exc:
                print(exc)
                return 1
            print("updated: " + (", ".join(changed) if changed else "nothing changed"))
            return 0
        _, problems = validate()
        for problem in problems:
            print(f"  - {problem}")
        return 1 if problems else 0
    if args.command in ("docs", "readme"):  # readme: its old name, when it wrote README.md
        if args.command == "readme":
            print("python -m analysis readme is now python -m analysis docs: the register's section "
                  "lives in docs/register.md")
        from . import paths
        from .raw import load_raw
        from .report import dictionary, register

        missing = dictionary.missing_descriptions()
        if missing:
            print("fields without a description (add one in the datapackage.json, or for data/processed "
                  "in src/analysis/clean/processed.py):")
            for name in missing:
                print(f"  - {name}")
            return 1
        claims = load_raw()["disagreements"]
        pages = {register.PAGE: (register.in_sync, register.update, (claims,)),
                 dictionary.PAGE: (lambda: dictionary.in_sync(), dictionary.update, ())}
        stale = []
        for page, (check, update, extra) in pages.items():
            name = page.relative_to(paths.ROOT).as_posix()
            if args.check:
                if not check(*extra):
                    stale.append(name)
                continue
            print(f"{name} updated" if update(*extra) else f"{name} already in sync")
        if args.check:
            for name in stale:
                print(f"{name} differs from the data; run 'python -m analysis docs'")
            if not stale:
                print("docs/ is in sync with the data packages and the register")
            return 1 if stale else 0
        return 0
    if args.command == "contract" and args.documents:
        from .problems import RawDataError
        from .raw import documents
        from .raw.package import validate

        tables, problems = validate(documents=False)
        if problems:
            print(RawDataError(problems))
            print("error: the document contract is derived from valid data only; fix the above first")
            return 1
        print(documents.write(tables))
        return 0
    if args.command == "explore":
        from .run import explore

        return explore.main(port=args.port, db=args.db, build_only=args.build_only)
    if args.command == "contract":
        from .raw.contract import add_resource

        try:
            print(add_resource(args.add, replace=args.replace))
        except ValueError as exc:
            print(f"error: {exc}")
            return 1
        return 0
    from .run.params import describe

    print(describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
