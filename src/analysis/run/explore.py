"""``make explore``: both data packages in a web browser, with Datasette.

``build`` loads every table of ``data/raw`` and ``data/processed`` into two SQLite
databases (``raw.db``, ``processed.db``) with ``sqlite-utils``, typed as their
``datapackage.json`` files declare, with full-text search over every quote column, and
writes Datasette's metadata from the same descriptors: titles, descriptions, sources,
licence, column descriptions, facets and canned queries for the main questions. ``main``
builds them in a temporary folder (never in the repository), serves them read-only on
127.0.0.1 and removes the folder when Datasette stops.
"""

from __future__ import annotations

import csv
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import paths

PACKAGES = {"raw": paths.RAW_DIR, "processed": paths.ROOT / "data" / "processed"}
#: Columns offered as facets wherever a table has them (source_id is the account in the
#: attendance tables).
FACETS = ("source_id", "account", "stage", "event", "plan", "other_as", "actor", "unit", "kind", "scope",
          "treatment", "theme")
#: Columns searched by full-text search: the verbatim quotes and what the register quotes.
SEARCHABLE = ("quote", "claim_as_printed", "title_as_published", "title_es", "topic")

#: Canned queries for the main questions (named parameters become form fields).
QUERIES = {
    "processed": {
        "share_by_stage_and_account": {
            "title": "Civil-society share by stage and account",
            "description": "Every stage under each account (source_id) and treatment of the IRM's "
                           "'other' participants (other_as); shares are proportions 0 to 1, n is the "
                           "denominator after the treatment; thematic tables count attendances.",
            "sql": "select source_id as account, stage, unit, other_as, n_state, n_civil_society, "
                   "n_other, n, round(100.0 * share_civil_society, 1) as civil_society_percent, "
                   "round(100.0 * ci_low, 1) as ci_low_percent, round(100.0 * ci_high, 1) "
                   "as ci_high_percent, ci_method, confidence from shares "
                   "order by source_id, other_as, stage",
        },
    },
    "raw": {
        "event_values_with_quotes": {
            "title": "Every value of an event, with its quote",
            "description": "Every attendance count printed for one event (type part of its name, "
                           "e.g. libertad), under each account, with the locator and the verbatim "
                           "quote it comes from.",
            "sql": "select source_id, stage, event, actor_printed, unit, count, row_type, locator, "
                   "quote, note from attendance where event like '%' || :event || '%' "
                   "order by source_id, stage, event, id",
        },
        "register_by_kind": {
            "title": "The register of disagreements, by kind",
            "description": "How many disagreements the register lists by kind (kind 'noted': rows "
                           "that are not contradictions), scope (between documents or within one) and "
                           "treatment, with their topics.",
            "sql": "select kind, scope, treatment, count(distinct disagreement_id) as disagreements, "
                   "group_concat(distinct topic) as topics from disagreements "
                   "group by kind, scope, treatment order by kind = 'noted', kind, scope, treatment",
        },
    },
}


#: The processed package names no licence of its own: it is derived from data/raw.
LICENCE_DERIVED = "Derived from data/raw, under the same terms (see DATA_LICENSE.md)"


class ExploreError(Exception):
    """The database could not be built or served; the message says why."""


def _value(text: str, kind: str, where: str):
    if text == "":
        return None
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
        if kind == "boolean":
            return {"true": 1, "false": 0}[text.lower()]
    except (ValueError, KeyError):
        raise ExploreError(f"{where}: {text!r} is not of type {kind}") from None
    return text


SQL_TYPES = {"integer": int, "number": float, "boolean": int}


def _package(folder: Path) -> dict:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExploreError(f"{path}: cannot read the data package ({exc})") from None


def build(out_dir: Path, folders: dict[str, Path] | None = None) -> dict:
    """Write ``raw.db``, ``processed.db`` and ``metadata.json`` into ``out_dir``; return the
    metadata. Raises ExploreError naming the file, line and field of a value it cannot load."""
    import sqlite_utils

    folders = folders or PACKAGES
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    metadata = {"title": "Citizen participation in Peru's OGP action plans",
                "description": "Cited raw data and processed tables, from data/raw and data/processed. "
                               "Every raw row cites its document (source_id), a locator and a verbatim "
                               "quote. Field by field: docs/data-dictionary.md in the repository.",
                "databases": {}}
    for level, folder in folders.items():
        folder = Path(folder)
        package = _package(folder)
        db_path = out_dir / f"{level}.db"
        db_path.unlink(missing_ok=True)
        db = sqlite_utils.Database(db_path)
        tables = {}
        for res in package["resources"]:
            fields = res["schema"]["fields"]
            path = folder / res["path"]
            try:
                with path.open(encoding="utf-8", newline="") as handle:
                    reader = csv.DictReader(handle)
                    rows = [{f["name"]: _value(row.get(f["name"]) or "", f["type"],
                                               f"{path}, line {reader.line_num}, field {f['name']}")
                             for f in fields} for row in reader]
            except OSError as exc:
                raise ExploreError(f"{path}: cannot read the table ({exc})") from None
            columns = {f["name"]: SQL_TYPES.get(f["type"], str) for f in fields}
            pk = res["schema"].get("primaryKey")
            table = db[res["name"]]
            table.create(columns, pk=pk if pk else None)
            table.insert_all(rows)
            search = [c for c in columns if c in SEARCHABLE or c.startswith("quote")]
            if search:
                table.enable_fts(search)
            facets = [c for c in FACETS if c in columns]
            sources = sorted({r["source_id"] for r in rows if r.get("source_id")})
            entry = {"title": res.get("title") or res["name"].replace("_", " "),
                     "description": res.get("description", ""),
                     "columns": {f["name"]: f.get("description", "") for f in fields},
                     "facets": facets}
            if level == "raw" and sources:
                entry["source"] = "Documents cited by its rows: " + ", ".join(sources)
            elif level == "processed":
                entry["source"] = f"Derived from data/raw by notebook {res.get('produced_by', '?')}"
            if search:
                entry["searchmode"] = "raw"
            tables[res["name"]] = entry
        licences = [lic.get("title") or lic.get("name") for lic in package.get("licenses", [])]
        licence = "; ".join(licences) if licences else LICENCE_DERIVED
        for entry in tables.values():
            entry["license"] = licence
        metadata["databases"][level] = {
            "title": package.get("title", level), "description": package.get("description", ""),
            "license": licence, "source": "data/" + level + "/datapackage.json",
            "tables": tables, "queries": QUERIES.get(level, {})}
        db.close()
    (out_dir / "metadata.json").write_text(json.dumps(metadata, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    return metadata


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def command(out_dir: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    """Datasette serving both databases read-only (immutable: nothing is written beside them)."""
    out_dir = Path(out_dir)
    return [sys.executable, "-m", "datasette", "serve", "-i", str(out_dir / "raw.db"),
            "-i", str(out_dir / "processed.db"), "-m", str(out_dir / "metadata.json"),
            "-h", host, "-p", str(port), "--setting", "default_page_size", "200",
            "--setting", "sql_time_limit_ms", "3000"]


def _serve(cmd: list[str]) -> int:
    """Run Datasette until it stops, or until this process is interrupted or terminated;
    Datasette dies with this process even when it is killed (parent-death signal)."""
    from .kernels import _die_with_parent

    proc = subprocess.Popen(cmd, preexec_fn=_die_with_parent)

    def stop(signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main(port: int = 8001, db: str | None = None, build_only: bool = False) -> int:
    if port == 0:
        port = free_port()
    elif not build_only and not port_free(port):
        print(f"make explore: port {port} on 127.0.0.1 is taken (another Datasette, or another "
              f"program); choose another with  make explore ARGS=\"--port 8002\"  (or --port 0 for "
              f"any free port)", file=sys.stderr)
        return 1
    out_dir = Path(db) if db else Path(tempfile.mkdtemp(prefix="ogp-explore-"))
    try:
        if out_dir.resolve().is_relative_to(paths.ROOT.resolve()):
            print(f"make explore: {out_dir} is inside the repository; the database is built "
                  "outside it (leave out --db for a temporary folder)", file=sys.stderr)
            return 1
        try:
            build(out_dir)
        except ExploreError as exc:
            print(f"make explore: could not build the database: {exc}", file=sys.stderr)
            return 1
        if build_only:
            print(f"built {out_dir / 'raw.db'}, {out_dir / 'processed.db'} and {out_dir / 'metadata.json'}")
            return 0
        print(f"serving data/raw and data/processed at http://127.0.0.1:{port}/ "
              f"(database in {out_dir}, removed on exit; stop with Ctrl-C)", flush=True)
        return _serve(command(out_dir, port))
    finally:
        if not db:
            shutil.rmtree(out_dir, ignore_errors=True)
