"""Load and validate the cited raw data package (``data/raw``).

``load_raw`` is the one entry point: it validates the package and returns one typed
``pandas.DataFrame`` per resource. Validation runs in layers, each naming the file,
the line and the field of every problem it finds:

1. the descriptor (``datapackage.json``) parses and lists its resources;
2. each CSV is plain UTF-8 with ``\\n`` line ends, ``,`` as delimiter and exactly the
   header the schema declares (spreadsheet exports fail here, with a hint);
3. each file matches the SHA-256 checksum recorded in the descriptor;
4. Frictionless checks types, required fields, enums, ranges, patterns, primary and
   foreign keys;
5. the documents' own arithmetic: every printed total equals its printed parts
   (``analysis.raw.totals``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from .. import paths
from ..problems import Problem, RawDataError

DESCRIPTOR = "datapackage.json"


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def read_descriptor(raw_dir: Path) -> tuple[dict | None, list[Problem]]:
    path = Path(raw_dir) / DESCRIPTOR
    name = _rel(path)
    if not path.is_file():
        return None, [Problem(name, "the data package descriptor is missing")]
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        return None, [Problem(name, f"not UTF-8 text ({exc.reason})")]
    except json.JSONDecodeError as exc:
        return None, [Problem(name, f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno)]
    problems = []
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [Problem(name, "must be a JSON object with a 'resources' list")]
    for i, res in enumerate(descriptor["resources"]):
        fields = res.get("schema", {}).get("fields") if isinstance(res, dict) else None
        if not isinstance(res, dict) or not res.get("name") or not res.get("path") or not fields:
            problems.append(Problem(name, f"resource #{i + 1} needs 'name', 'path' and 'schema.fields'"))
    return (None if problems else descriptor), problems


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _file_problems(path: Path, fields: list[str]) -> list[Problem]:
    """Structural checks that catch spreadsheet round-trips before Frictionless sees them."""
    name = _rel(path)
    if not path.is_file():
        return [Problem(name, "file is missing")]
    data = path.read_bytes()
    if not data.strip():
        return [Problem(name, "file is empty")]
    if data.startswith(b"\xef\xbb\xbf"):
        return [Problem(name, "starts with a UTF-8 byte-order mark (BOM), as spreadsheet "
                        "exports do; save as plain 'CSV UTF-8' without BOM", 1)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [Problem(name, f"not UTF-8 (byte {exc.start}); re-save the file as UTF-8", line)]
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        return [Problem(name, "has Windows (CRLF) or old Mac (CR) line endings; use '\\n'", line)]
    header = text.split("\n", 1)[0]
    expected = ",".join(fields)
    if header != expected:
        if ";" in header and "," not in header:
            hint = "the file uses ';' as delimiter (a spreadsheet export?); use ','"
        else:
            got = header.split(",")
            missing = [f for f in fields if f not in got]
            extra = [f for f in got if f not in fields]
            bits = []
            if missing:
                bits.append(f"missing column(s) {missing}")
            if extra:
                bits.append(f"unexpected column(s) {extra}")
            if not bits:
                bits.append("columns are out of the declared order")
            hint = "; ".join(bits)
        return [Problem(name, f"header does not match the schema: {hint}; expected '{expected}'", 1)]
    return []


def _frictionless_problems(descriptor: dict, raw_dir: Path) -> list[Problem]:
    from frictionless import Package, system

    clean = json.loads(json.dumps(descriptor))
    for res in clean["resources"]:
        res.pop("hash", None)
        res.pop("bytes", None)
    with system.use_context(trusted=True):
        package = Package(clean, basepath=str(raw_dir))
        report = package.validate()
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in clean["resources"]}
    problems = []
    for task in report.tasks:
        file = _rel(Path(raw_dir) / task.place) if task.place else task.name
        for error in task.errors:
            problems.append(_describe(error, file, keys.get(task.name, [])))
    return problems


_HINTS = {
    "extra-cell": "the row has more cells than the header: a decimal comma or a stray ',' "
                  "in an unquoted value?",
    "missing-cell": "the row has fewer cells than the header",
    "primary-key": "duplicates the key of an earlier row",
    "foreign-key": "refers to a row that does not exist",
}


def _describe(error, file: str, primary_key: list[str]) -> Problem:
    """A Frictionless error as a Problem naming file, line, field and the offending value."""
    field = getattr(error, "field_name", None) or None
    if field is None and getattr(error, "field_names", None):
        field = ",".join(error.field_names)
    if field is None and error.type == "primary-key":
        field = ",".join(primary_key)
    message = f"{error.title}: {_HINTS.get(error.type, error.note)}"
    if error.type in _HINTS and error.note:
        message += f" ({error.note})"
    cell = getattr(error, "cell", None)
    if cell not in (None, ""):
        message += f"; value {cell!r}"
    return Problem(file, message, getattr(error, "row_number", None), field)


_CONVERTERS = {
    "integer": lambda s: pd.array(pd.to_numeric(s.replace("", None)), dtype="Int64"),
    "number": lambda s: pd.array(pd.to_numeric(s.replace("", None)), dtype="Float64"),
    "boolean": lambda s: pd.array(s.map({"true": True, "false": False, "": None}), dtype="boolean"),
    "string": lambda s: pd.array(s.replace("", None), dtype="string"),
}


def _read_typed(path: Path, fields: list[dict]) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return pd.DataFrame({f["name"]: _CONVERTERS[f.get("type", "string")](frame[f["name"]])
                         for f in fields})


def structural_problems(raw_dir: Path | None = None) -> list[Problem]:
    """The quick layers only (descriptor, file format, checksums): milliseconds, no Frictionless.

    The pipeline runs these before it starts any kernel, so the commonest bad inputs
    (spreadsheet exports, a file changed without its checksum) cost nothing more.
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    descriptor, problems = read_descriptor(raw_dir)
    if descriptor is None:
        return problems
    for res in descriptor["resources"]:
        path = raw_dir / res["path"]
        structural = _file_problems(path, [f["name"] for f in res["schema"]["fields"]])
        problems += structural
        recorded = res.get("hash")
        if not structural and recorded and recorded != f"sha256:{sha256(path)}":
            problems.append(Problem(_rel(path), "content differs from the checksum"))
    return problems


def validate(raw_dir: Path | None = None) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate the package; return the typed tables read so far and every problem found."""
    from .totals import printed_total_problems

    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    descriptor, problems = read_descriptor(raw_dir)
    if descriptor is None:
        return {}, problems
    for res in descriptor["resources"]:
        path = raw_dir / res["path"]
        structural = _file_problems(path, [f["name"] for f in res["schema"]["fields"]])
        problems += structural
        recorded = res.get("hash")
        if not structural and recorded and recorded != f"sha256:{sha256(path)}":
            problems.append(Problem(_rel(path), "content differs from the checksum recorded in "
                                    "datapackage.json; if the change is intended, review it and run "
                                    "'python -m analysis checksums --update'"))
    if problems:
        return {}, problems
    problems += _frictionless_problems(descriptor, raw_dir)
    if problems:
        return {}, problems
    tables = {res["name"]: _read_typed(raw_dir / res["path"], res["schema"]["fields"])
              for res in descriptor["resources"]}
    problems += printed_total_problems(tables, {r["name"]: _rel(raw_dir / r["path"])
                                                for r in descriptor["resources"]})
    return tables, problems


def fingerprint(raw_dir: Path | None = None) -> str:
    """SHA-256 over the descriptor and every file in ``raw_dir`` (names and bytes)."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    digest = hashlib.sha256(str(raw_dir.resolve()).encode())
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(raw_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_raw(raw_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Validated raw tables by resource name; raises ``RawDataError`` listing every problem.

    Within a pipeline run, which has validated ``data/raw`` already, the files are only
    read, provided they still have the fingerprint the pipeline validated (see
    ``paths.RAW_VALIDATED_ENV``).
    """
    stamp = os.environ.get(paths.RAW_VALIDATED_ENV)
    if stamp and stamp == fingerprint(raw_dir):
        return read_raw(raw_dir)
    tables, problems = validate(raw_dir)
    if problems:
        raise RawDataError(problems)
    return tables


def read_raw(raw_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Typed raw tables without validation, for steps that run after it.

    The pipeline validates ``data/raw`` (and notebook 01 validates it again) before any
    analysis notebook runs, so those notebooks need not pay for Frictionless once more.
    Anything else should call ``load_raw``.
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    descriptor, problems = read_descriptor(raw_dir)
    if descriptor is None:
        raise RawDataError(problems)
    return {res["name"]: _read_typed(raw_dir / res["path"], res["schema"]["fields"])
            for res in descriptor["resources"]}


def update_checksums(raw_dir: Path | None = None) -> list[str]:
    """Record each resource's SHA-256 and size in datapackage.json; return changed names."""
    from ..outputs import write_text

    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    descriptor, problems = read_descriptor(raw_dir)
    if descriptor is None:
        raise RawDataError(problems)
    changed = []
    for res in descriptor["resources"]:
        path = raw_dir / res["path"]
        digest, size = f"sha256:{sha256(path)}", path.stat().st_size
        if res.get("hash") != digest or res.get("bytes") != size:
            res["hash"], res["bytes"] = digest, size
            changed.append(res["name"])
    write_text(raw_dir / DESCRIPTOR, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    return changed
