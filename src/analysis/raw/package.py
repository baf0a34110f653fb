"""Load and validate the cited raw data package (``data/raw``).

``load_raw`` is the one entry point: it validates the package and returns one typed
``pandas.DataFrame`` per resource. Validation runs in layers, each naming the file,
the line and the field of every problem it finds:

1. the descriptor (``datapackage.json``) parses and lists its resources;
2. each CSV is plain UTF-8 with ``\\n`` line ends, ``,`` as delimiter and exactly the
   header the schema declares (spreadsheet exports fail here, with a hint);
3. each file matches the SHA-256 checksum recorded in the descriptor;
4. every cell reads as its declared type and meets its constraints (required, enum,
   range, pattern), read with the loader's own readers; the descriptor is valid
   Frictionless metadata; primary keys are unique and foreign keys find their rows;
5. the documents' own arithmetic: every printed total equals its printed parts
   (``analysis.raw.totals``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from .. import paths
from ..problems import Problem, RawDataError
from .corrections import CORRECTIONS

DESCRIPTOR = "datapackage.json"
#: The largest raw file validation reads. The biggest today is under 100 kB; a file beyond
#: this is refused from its size alone, before a byte of it is read, so a runaway export
#: costs neither memory nor time (a 4 MB table, 40,000 rows, validates in about 4 s and
#: 130 MB). Raise it here, with a test, if a document needs more.
MAX_RAW_BYTES = 4 * 1024 * 1024
#: The longest cell: a quote is a short passage, a note a few sentences (the longest today
#: is under 2,000 characters).
MAX_CELL_CHARS = 20_000
_CHUNK = 1 << 20
#: Folder (inside data/raw) of the web pages' summary-table lines that quotes are checked
#: against; each file's checksum is recorded in the descriptor under ``pages``.
PAGES = "pages"


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


_TYPES = {"string", "integer", "number", "boolean"}


def _path_problem(raw_dir: Path, rel, name: str) -> str | None:
    """Why a resource path may not be read, or None: it must stay inside data/raw."""
    if not isinstance(rel, str) or not rel:
        return "'path' must be a file name inside data/raw"
    if rel.startswith(("/", "\\")) or "\\" in rel or ":" in rel:
        return f"path {rel!r} must be relative to data/raw (no drive, no absolute path)"
    parts = Path(rel).parts
    if ".." in parts:
        return f"path {rel!r} leaves data/raw ('..')"
    current = Path(raw_dir)
    for part in parts:
        current = current / part
        if current.is_symlink():
            return f"path {rel!r} is a symbolic link; raw files must be plain files inside data/raw"
    try:
        current.resolve().relative_to(Path(raw_dir).resolve())
    except ValueError:
        return f"path {rel!r} resolves outside data/raw"
    if not rel.endswith(".csv"):
        return f"path {rel!r} must name a .csv file"
    return None


def read_descriptor(raw_dir: Path, require_checksums: bool = True) -> tuple[dict | None, list[Problem]]:
    """The descriptor, or None and the problems that make it unusable (never a traceback)."""
    path = Path(raw_dir) / DESCRIPTOR
    name = _rel(path)
    if path.is_symlink():
        return None, [Problem(name, "is a symbolic link; the descriptor must be a plain file "
                              "inside data/raw")]
    if not path.is_file():
        return None, [Problem(name, "the data package descriptor is missing")]
    too_big = _size_problem(path)
    if too_big:
        return None, [too_big]
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        return None, [Problem(name, f"not UTF-8 text ({exc.reason})")]
    except json.JSONDecodeError as exc:
        return None, [Problem(name, f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno)]
    problems = []
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [Problem(name, "must be a JSON object with a 'resources' list")]
    seen = set()
    for i, res in enumerate(descriptor["resources"]):
        schema = res.get("schema") if isinstance(res, dict) else None
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(res, dict) or not res.get("name") or not res.get("path") or not fields:
            problems.append(Problem(name, f"resource #{i + 1} needs 'name', 'path' and 'schema.fields'"))
            continue
        label = f"resource '{res['name']}'"
        if not isinstance(res["name"], str) or res["name"] in seen:
            problems.append(Problem(name, f"resource #{i + 1}: name must be a unique string"))
        seen.add(res["name"] if isinstance(res["name"], str) else None)
        why = _path_problem(Path(raw_dir), res["path"], res["name"])
        if why:
            problems.append(Problem(name, f"{label}: {why}"))
        if not isinstance(fields, list) or not all(
                isinstance(f, dict) and isinstance(f.get("name"), str) and f["name"]
                and f.get("type", "string") in _TYPES
                and isinstance(f.get("constraints", {}), dict) for f in fields):
            problems.append(Problem(name, f"{label}: every field needs a 'name', a 'type' among "
                                    f"{sorted(_TYPES)} and, if any, a 'constraints' object"))
        for key in ("hash", "bytes") if require_checksums else ():
            if key not in res:
                problems.append(Problem(name, f"{label} has no '{key}'; every resource must carry "
                                        "its checksum and size: review the data, then run "
                                        "'python -m analysis checksums --update'"))
        if "hash" in res and not (isinstance(res["hash"], str) and res["hash"].startswith("sha256:")):
            problems.append(Problem(name, f"{label}: 'hash' must be 'sha256:<hex digest>'"))
        if "bytes" in res and (not isinstance(res["bytes"], int) or isinstance(res["bytes"], bool)):
            problems.append(Problem(name, f"{label}: 'bytes' must be a whole number"))
        for key in ("primaryKey", "foreignKeys"):
            if key in schema and not isinstance(schema[key], (list, str)):
                problems.append(Problem(name, f"{label}: schema '{key}' must be a list"))
    return (None if problems else descriptor), problems


def sha256(path: Path) -> str:
    """The file's SHA-256, read in 1 MB chunks (memory stays bounded whatever its size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _size_problem(path: Path) -> Problem | None:
    """A file beyond ``MAX_RAW_BYTES``, judged from its size alone (nothing is read)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size > MAX_RAW_BYTES:
        return Problem(_rel(path), f"is {size / 2**20:.1f} MB; raw files are limited to "
                       f"{MAX_RAW_BYTES // 2**20} MB (analysis.raw.package.MAX_RAW_BYTES), so it "
                       "was not read: is it the right file?")
    return None


def _file_problems(path: Path, fields: list[str]) -> list[Problem]:
    """Structural checks that catch spreadsheet round-trips before any cell is read."""
    name = _rel(path)
    if not path.is_file():
        return [Problem(name, "file is missing")]
    too_big = _size_problem(path)
    if too_big:
        return [too_big]
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
    try:
        rows = _csv_rows(text, fields)
    except _CellTooLong as exc:
        return [Problem(name, str(exc), exc.line, exc.field)]
    header = rows[0] if rows else []
    expected = ",".join(fields)
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        return [Problem(name, f"column name(s) {dupes} appear more than once in the header; "
                        f"each column must appear once: expected '{expected}'", 1)]
    if header != list(fields):
        if ";" in text.split("\n", 1)[0] and len(header) == 1:
            hint = "the file uses ';' as delimiter (a spreadsheet export?); use ','"
        else:
            missing = [f for f in fields if f not in header]
            extra = [f for f in header if f not in fields]
            bits = []
            if missing:
                bits.append(f"missing column(s) {missing}")
            if extra:
                bits.append(f"unexpected column(s) {extra}")
            if not bits:
                bits.append("columns are out of the declared order")
            hint = "; ".join(bits)
        return [Problem(name, f"header does not match the schema: {hint}; expected '{expected}'", 1)]
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(fields):
            problems.append(Problem(name, f"Extra Cell: {_HINTS['extra-cell']} ({len(row)} cells, "
                                    f"the header has {len(fields)})", number))
        elif len(row) < len(fields):
            problems.append(Problem(name, f"Missing Cell: {_HINTS['missing-cell']} ({len(row)} "
                                    f"cells, the header has {len(fields)})", number))
    return problems


class _CellTooLong(ValueError):
    def __init__(self, line: int, field: str | None, size: int):
        super().__init__(f"a cell of {size} characters; cells are limited to {MAX_CELL_CHARS} "
                         "(a missing closing quote swallows the rest of the file into one cell)")
        self.line, self.field = line, field


def _csv_rows(text: str, fields: list[str] | None = None) -> list[list[str]]:
    """The file's rows as the loader reads them (blank lines skipped, as pandas does).

    A cell longer than ``MAX_CELL_CHARS`` raises ``_CellTooLong`` naming its line and field
    (the csv module's own limit would raise without either)."""
    import csv
    import io

    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_RAW_BYTES + 1))
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = []
        for row in reader:
            if not row:
                continue
            for i, cell in enumerate(row):
                if len(cell) > MAX_CELL_CHARS:
                    names = fields or (rows[0] if rows else [])
                    field = names[i] if i < len(names) else None
                    start = reader.line_num - cell.count("\n")
                    raise _CellTooLong(start, field, len(cell))
            rows.append(row)
        return rows
    finally:
        csv.field_size_limit(limit)


def _cells(path: Path) -> pd.DataFrame:
    """Every cell as text, header as columns: the one reading of a raw CSV."""
    rows = _csv_rows(Path(path).read_text(encoding="utf-8"))
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object) if len(rows) > 1 \
        else pd.DataFrame({c: pd.Series([], dtype=object) for c in rows[0]})


def _cell_problems(path: Path, fields: list[dict], digest: str | None = None) -> list[Problem]:
    """Types and constraints, read with the loader's own readers (``analysis.raw.types``).

    ``digest``: the SHA-256 of the file's bytes; bytes and fields that passed before in this
    process pass again without being read (problems are always found afresh)."""
    key = _digest(digest, fields) if digest else None
    if key in _KNOWN_GOOD["cells"]:
        return []
    problems = _cell_problems_of(path, fields)
    if key and not problems:
        _KNOWN_GOOD["cells"].add(key)
    return problems


def _cell_problems_of(path: Path, fields: list[dict]) -> list[Problem]:
    import re

    from .types import CellError, read_cell

    name = _rel(path)
    frame = _cells(path)
    problems = []
    for field in fields:
        kind, c = field.get("type", "string"), field.get("constraints", {})
        for i, text in enumerate(frame[field["name"]]):
            line, where = i + 2, field["name"]
            try:
                value = read_cell(kind, text)
            except CellError as exc:
                problems.append(Problem(name, f"Type Error: {text!r} {exc}", line, where))
                continue
            if value is None:
                if c.get("required"):
                    problems.append(Problem(name, "Constraint Error: a value is required here "
                                            "(the cell is empty); fill it in from the source", line,
                                            where))
                continue
            if "enum" in c and value not in c["enum"]:
                allowed = ", ".join(str(v) for v in c["enum"])
                problems.append(Problem(name, f"Constraint Error: {text!r} is not an allowed "
                                        f"value; use one of: {allowed}", line, where))
            if "minimum" in c and value < c["minimum"]:
                problems.append(Problem(name, f"Constraint Error: {text!r} is below the minimum "
                                        f"{c['minimum']}; correct the value", line, where))
            if "maximum" in c and value > c["maximum"]:
                problems.append(Problem(name, f"Constraint Error: {text!r} is above the maximum "
                                        f"{c['maximum']}; correct the value or, for a new plan or "
                                        "category, follow CONTRIBUTING", line, where))
            if "pattern" in c and isinstance(value, str) and not re.fullmatch(c["pattern"], value):
                problems.append(Problem(name, f"Constraint Error: {text!r} does not match the "
                                        f"pattern {c['pattern']}", line, where))
            if "minLength" in c and isinstance(value, str) and len(value) < c["minLength"]:
                problems.append(Problem(name, f"Constraint Error: {text!r} is shorter than "
                                        f"{c['minLength']} characters", line, where))
    return problems


#: Inputs already found valid in this process, by check. A resource whose descriptor, bytes
#: and foreign-key targets are all unchanged is not checked again: the tests and the fuzzing
#: validate hundreds of copies of data/raw that each differ from the original in one file.
#: Only passes are remembered; a resource with problems is always checked afresh, so every
#: message names the files of the copy being validated.
_KNOWN_GOOD: dict[str, set[str]] = {"descriptor": set(), "binding": set(), "cells": set(),
                                     "documents": set()}
#: Typed tables by the digest of their file's bytes and fields (a few dozen at most, oldest
#: dropped first); callers get copies.
_TYPED: OrderedDict[str, pd.DataFrame] = OrderedDict()
_TYPED_MAX = 64


def _digest(*parts) -> str:
    """A key for what a check read. Parts other than bytes are JSON data (a descriptor,
    its fields), keyed by their ``repr``: the same repr is the same data, and the same
    data written in another order is only a miss (checked afresh), never a false hit;
    ``repr`` is about ten times quicker than ``json.dumps(sort_keys=True)`` here."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _descriptor_problems(descriptor: dict, raw_dir: Path) -> list[Problem]:
    """The descriptor is valid Frictionless metadata (Data Package and Table Schema).

    Rows are not read here: their types and constraints are checked by ``_cell_problems``
    (with the loader's own readers) and their keys by ``key_problems``; the test suite has
    Frictionless validate the committed package as a whole, rows and keys included, as a
    second opinion (tests/test_raw_package.py). A descriptor that passed in this process
    is not checked again."""
    clean = json.loads(json.dumps(descriptor))
    clean.pop("pages", None)  # the page files' checksums: checked by page_problems
    for res in clean["resources"]:
        res.pop("hash", None)
        res.pop("bytes", None)
    known = _KNOWN_GOOD["descriptor"]
    key = _digest(clean)
    if key in known:
        return []
    from frictionless import FrictionlessException, Package, system

    with system.use_context(trusted=True):
        try:   # what Package.validate checks first, before any resource
            Package(clean, basepath=str(raw_dir)).to_descriptor(validate=True)
        except FrictionlessException as exc:
            return [Problem(_rel(Path(raw_dir) / DESCRIPTOR), f"{e.title}: {e.note}")
                    for e in exc.to_errors()]
    known.add(key)
    return []


def _as_list(fields) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields or [])


def key_problems(descriptor: dict, tables: dict[str, pd.DataFrame],
                 files: dict[str, str]) -> list[Problem]:
    """Primary keys are unique and every foreign key finds its row, over the typed tables.

    Each problem names the file, the line (the header is line 1) and the field, and says
    which earlier line holds the same key or which table lacks the value."""
    problems = []
    for res in descriptor["resources"]:
        name, schema = res["name"], res.get("schema", {})
        frame = tables[name]
        pk = _as_list(schema.get("primaryKey"))
        if pk:
            seen: dict[tuple, int] = {}
            for line, values in enumerate(zip(*(frame[f] for f in pk)), start=2):
                if any(v is None or v is pd.NA for v in values):
                    continue   # a required cell left empty: reported by _cell_problems
                if values in seen:
                    shown = ", ".join(repr(v) for v in values)
                    problems.append(Problem(files[name], f"Primary Key Error: {_HINTS['primary-key']} "
                                            f"(line {seen[values]} has the same {', '.join(pk)}, "
                                            f"{shown})", line, ",".join(pk)))
                else:
                    seen[values] = line
        for fk in schema.get("foreignKeys", []):
            own = _as_list(fk.get("fields"))
            ref = fk.get("reference", {})
            target = ref.get("resource") or name
            theirs = _as_list(ref.get("fields"))
            present = set(zip(*(tables[target][f] for f in theirs)))
            for line, values in enumerate(zip(*(frame[f] for f in own)), start=2):
                if any(v is None or v is pd.NA for v in values) or values in present:
                    continue
                value = values[0] if len(values) == 1 else values
                where = ", ".join(theirs)
                problems.append(Problem(files[name], f"Foreign Key Error: {_HINTS['foreign-key']} "
                                        f"(no row of {files[target].rsplit('/', 1)[-1]} has {where} "
                                        f"{value!r}); value {value!r}", line, ",".join(own)))
    return problems


_HINTS = {
    "extra-cell": "the row has more cells than the header: a decimal comma or a stray ',' "
                  "in an unquoted value?",
    "missing-cell": "the row has fewer cells than the header",
    "primary-key": "duplicates the key of an earlier row",
    "foreign-key": "refers to a row that does not exist",
}


def _read_typed(path: Path, fields: list[dict], digest: str | None = None) -> pd.DataFrame:
    """Typed columns, read with the same readers the schema check uses.

    ``digest``: the SHA-256 of the file's bytes, when the caller has it; the same bytes
    with the same fields are then read once per process (a copy is returned)."""
    from .types import typed_column

    key = _digest(digest, fields) if digest else None
    if key in _TYPED:
        _TYPED.move_to_end(key)
        return _TYPED[key].copy()
    frame = _cells(path)
    typed = pd.DataFrame({f["name"]: typed_column(f.get("type", "string"), frame[f["name"]])
                          for f in fields}, index=frame.index)
    if key:
        _TYPED[key] = typed.copy()
        while len(_TYPED) > _TYPED_MAX:
            _TYPED.popitem(last=False)
    return typed


def _page_files(raw_dir: Path) -> list[Path]:
    folder = Path(raw_dir) / PAGES
    return sorted(folder.glob("*.txt")) if folder.is_dir() else []


def page_problems(descriptor: dict, raw_dir: Path) -> list[Problem]:
    """Each committed page file (data/raw/pages/*.txt) has its checksum and size recorded in
    the descriptor's ``pages`` list, and every recorded page exists."""
    raw_dir = Path(raw_dir)
    name = _rel(raw_dir / DESCRIPTOR)
    recorded = descriptor.get("pages", [])
    if not isinstance(recorded, list) or not all(
            isinstance(e, dict) and {"path", "hash", "bytes"} <= set(e) for e in recorded):
        return [Problem(name, "'pages' must be a list of {path, hash, bytes}")]
    by_path = {e["path"]: e for e in recorded}
    problems = []
    on_disk = {f"{PAGES}/{p.name}": p for p in _page_files(raw_dir)}
    for rel, path in on_disk.items():
        entry = by_path.get(rel)
        if entry is None:
            problems.append(Problem(_rel(path), "page file has no checksum in datapackage.json "
                                    "'pages'; review it, then run 'python -m analysis checksums --update'"))
        elif entry["hash"] != f"sha256:{sha256(path)}" or entry["bytes"] != path.stat().st_size:
            problems.append(Problem(_rel(path), "content differs from the checksum recorded in "
                                    "datapackage.json 'pages'; if the change is intended, review it "
                                    "and run 'python -m analysis checksums --update'"))
    for rel in sorted(set(by_path) - set(on_disk)):
        problems.append(Problem(_rel(raw_dir / rel), "page file is missing (recorded in "
                                "datapackage.json 'pages')"))
    return problems


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
    return problems + page_problems(descriptor, raw_dir)


def validate(raw_dir: Path | None = None,
             documents: bool = True) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate the package; return the typed tables read so far and every problem found.

    ``documents``: also check the tables against the document contract
    (``analysis.raw.documents``); off only while that contract is being derived."""
    from .contract import contract_problems, load_contract
    from .documents import document_problems, row_problems

    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    descriptor, problems = read_descriptor(raw_dir)
    if descriptor is None:
        return {}, problems
    contract = load_contract()
    problems += contract_problems(descriptor, _rel(raw_dir / DESCRIPTOR), contract)
    if problems:
        return {}, problems
    digests = {}   # each file's SHA-256: what it was checked as, below
    for res in descriptor["resources"]:
        path = raw_dir / res["path"]
        structural = _file_problems(path, [f["name"] for f in res["schema"]["fields"]])
        problems += structural
        if structural:
            continue
        digests[res["name"]] = sha256(path)
        if res["hash"] != f"sha256:{digests[res['name']]}" or res["bytes"] != path.stat().st_size:
            problems.append(Problem(_rel(path), "content differs from the checksum recorded in "
                                    "datapackage.json; if the change is intended, review it and run "
                                    "'python -m analysis checksums --update'"))
    problems += page_problems(descriptor, raw_dir)
    if problems:
        return {}, problems
    frozen = contract["resources"]
    for res in descriptor["resources"]:
        problems += _cell_problems(raw_dir / res["path"], frozen[res["name"]]["fields"],
                                   digests[res["name"]])
    if problems:
        return {}, problems
    problems += _descriptor_problems(descriptor, raw_dir)
    if problems:
        return {}, problems
    tables = {res["name"]: _read_typed(raw_dir / res["path"], res["schema"]["fields"],
                                       digests[res["name"]])
              for res in descriptor["resources"]}
    files = {r["name"]: _rel(raw_dir / r["path"]) for r in descriptor["resources"]}
    problems += key_problems(descriptor, tables, files)
    if problems:
        return {}, problems
    if documents:   # a header-only table would break the checks below: refused first
        problems += row_problems(tables, files)
        if problems:
            return {}, problems
    keys = {r["name"]: _digest(digests[r["name"]], r["schema"]["fields"])
            for r in descriptor["resources"]}
    problems += content_problems(tables, files, contract, keys)
    if documents:
        problems += document_problems(tables, files, keys=keys, known=_KNOWN_GOOD["documents"])
    return tables, problems


def raw_checksum(raw_dir: Path | None = None, corrections_dir: Path | None = None) -> str:
    """The raw-data checksum every output records (the manifest, the processed datapackage,
    the brief): SHA-256 over every raw resource (as listed in data/raw/datapackage.json), every
    committed page file (data/raw/pages/*.txt) and every corrections table, each by name and
    the SHA-256 of its bytes as they are on disk."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    corrections_dir = Path(corrections_dir) if corrections_dir is not None else CORRECTIONS.parent
    descriptor = json.loads((raw_dir / "datapackage.json").read_text(encoding="utf-8"))
    files = [(f"data/raw/{r['path']}", raw_dir / r["path"]) for r in descriptor["resources"]]
    files += [(f"data/corrections/{p.name}", p) for p in sorted(corrections_dir.glob("*.csv"))]
    files += [(f"data/raw/{PAGES}/{p.name}", p) for p in _page_files(raw_dir)]
    digest = hashlib.sha256()
    for name, path in sorted(files):
        digest.update(f"{name} {sha256(path)}\n".encode())
    return f"sha256:{digest.hexdigest()}"


def fingerprint(raw_dir: Path | None = None) -> str:
    """SHA-256 over the descriptor and every file in ``raw_dir`` (names and bytes)."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    digest = hashlib.sha256(str(raw_dir.resolve()).encode())
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(raw_dir)).encode() + b"\0")
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def content_problems(tables: dict[str, pd.DataFrame], files: dict[str, str],
                     contract: dict, keys: dict[str, str] | None = None) -> list[Problem]:
    """What the typed tables say against the documents' arithmetic and their quotes.

    ``keys``: per table, a digest of what it was read from (bytes and fields), when the
    tables are exactly as read; otherwise each table's contents are hashed."""
    from .assessments import irm_reading_problems
    from .binding import binding_problems
    from .process_checks import process_problems
    from .totals import printed_total_problems

    problems = printed_total_problems(tables, files)
    problems += irm_reading_problems(tables, files)
    problems += process_problems(tables, files)
    known = _KNOWN_GOOD["binding"]
    for name, frame in tables.items():
        binding = contract["resources"][name].get("binding", {})
        if keys and name in keys:
            read_as = keys[name]
        else:
            read_as = _digest(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes(),
                              list(frame.columns), [str(t) for t in frame.dtypes])
        key = _digest(binding, read_as)
        if key in known:
            continue
        found = binding_problems(frame, files[name], binding)
        if not found:
            known.add(key)
        problems += found
    return problems


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
    # a warm kernel runs several notebooks that each read data/raw: each file is parsed
    # once per process for its bytes (see _read_typed), and each caller gets copies
    return {res["name"]: _read_typed(raw_dir / res["path"], res["schema"]["fields"],
                                     sha256(raw_dir / res["path"]))
            for res in descriptor["resources"]}


def update_checksums(raw_dir: Path | None = None) -> list[str]:
    """Record each resource's SHA-256 and size in datapackage.json; return changed names."""
    from ..outputs import write_text

    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    descriptor, problems = read_descriptor(raw_dir, require_checksums=False)
    if descriptor is None:
        raise RawDataError(problems)
    changed = []
    for res in descriptor["resources"]:
        path = raw_dir / res["path"]
        if not path.is_file():
            raise RawDataError([Problem(_rel(path), "file is missing; nothing to record")])
        too_big = _size_problem(path)
        if too_big:
            raise RawDataError([too_big])
        digest, size = f"sha256:{sha256(path)}", path.stat().st_size
        if res.get("hash") != digest or res.get("bytes") != size:
            res["hash"], res["bytes"] = digest, size
            changed.append(res["name"])
    pages = [{"path": f"{PAGES}/{p.name}", "hash": f"sha256:{sha256(p)}", "bytes": p.stat().st_size}
             for p in _page_files(raw_dir)]
    if pages != descriptor.get("pages", []):
        changed += [e["path"] for e in pages if e not in descriptor.get("pages", [])]
        if pages:
            descriptor["pages"] = pages
        else:
            descriptor.pop("pages", None)
    write_text(raw_dir / DESCRIPTOR, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    return changed
