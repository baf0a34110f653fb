"""The code-held contract: what ``data/raw/datapackage.json`` may not weaken.

``contract.json`` (beside this module) holds, per resource, the schema frozen from the
descriptor (path, field names and order, types, constraints, primary and foreign keys)
and the resource's quote binding (``analysis.raw.binding``). Validation compares the
descriptor with it, so deleting a constraint, a key or a whole resource from the
descriptor is itself an error, and a resource the contract does not know is refused.

Adding a resource (one command, after adding it to datapackage.json)::

    python -m analysis contract --add NAME

freezes its schema into ``contract.json`` with an empty binding to fill in. Changing
an existing contract on purpose is ``--add NAME --replace``, a diff of a code file
that review sees.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import paths
from ..problems import Problem

CONTRACT_FILE = Path(__file__).with_name("contract.json")
_SCHEMA_KEYS = ("name", "type", "constraints")


def load_contract(path: Path | None = None) -> dict:
    return json.loads(Path(path or CONTRACT_FILE).read_text(encoding="utf-8"))


def frozen_schema(resource: dict) -> dict:
    """The parts of a descriptor resource that results depend on."""
    schema = resource.get("schema", {})
    return {
        "path": resource.get("path"),
        "fields": [{k: f[k] for k in _SCHEMA_KEYS if k in f} for f in schema.get("fields", [])],
        "primaryKey": schema.get("primaryKey", []),
        "foreignKeys": schema.get("foreignKeys", []),
    }


def add_resource(name: str, replace: bool = False, raw_dir: Path | None = None,
                 contract_file: Path | None = None) -> str:
    """Freeze resource ``name`` of the descriptor into the contract; return a summary."""
    from ..outputs import write_text

    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    contract_file = Path(contract_file or CONTRACT_FILE)
    try:
        descriptor = json.loads((raw_dir / "datapackage.json").read_text(encoding="utf-8"))
        resources = [r for r in descriptor["resources"] if isinstance(r, dict)]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError("data/raw/datapackage.json cannot be read as a data package "
                         f"({type(exc).__name__}); run 'python -m analysis validate'") from None
    found = [r for r in resources if r.get("name") == name and isinstance(r.get("schema"), dict)]
    if not found:
        raise ValueError(f"datapackage.json has no resource named {name!r}; add it there first")
    contract = load_contract(contract_file) if contract_file.exists() else {"resources": {}}
    if name in contract["resources"] and not replace:
        raise ValueError(f"{name!r} is already in the contract; pass --replace to overwrite it "
                         "on purpose")
    entry = frozen_schema(found[0])
    previous = contract["resources"].get(name, {})
    numeric = [f["name"] for f in entry["fields"] if f.get("type") in ("integer", "number")]
    entry["binding"] = previous.get("binding", {"values": [], "unbound": {
        f: "TODO: bind to the quote (add to 'values' and a value_locator column) or say why "
           "the document does not print it" for f in numeric}})
    contract["resources"][name] = entry
    write_text(contract_file, json.dumps(contract, ensure_ascii=False, indent=1) + "\n")
    todo = [k for k, v in entry["binding"].get("unbound", {}).items() if str(v).startswith("TODO")]
    return (f"froze {name} ({len(entry['fields'])} fields) into {contract_file.name}"
            + (f"; bind or explain: {', '.join(todo)}" if todo else ""))


def _differences(name: str, frozen: dict, current: dict) -> list[str]:
    out = []
    if current["path"] != frozen["path"]:
        out.append(f"path {current['path']!r} differs from the contract's {frozen['path']!r}")
    want = [f["name"] for f in frozen["fields"]]
    have = [f["name"] for f in current["fields"]]
    if want != have:
        missing = [f for f in want if f not in have]
        extra = [f for f in have if f not in want]
        out.append(f"fields differ from the contract (missing {missing}, extra {extra})"
                   if missing or extra else "fields are out of the contract's order")
        return out
    for f, g in zip(frozen["fields"], current["fields"]):
        if f.get("type", "string") != g.get("type", "string"):
            out.append(f"field '{f['name']}' has type {g.get('type', 'string')!r}; the contract "
                       f"says {f.get('type', 'string')!r}")
        fc, gc = f.get("constraints", {}), g.get("constraints", {})
        for key in sorted(set(fc) | set(gc)):
            if fc.get(key) != gc.get(key):
                have_text = "removed" if key not in gc else f"set to {gc[key]!r}"
                out.append(f"field '{f['name']}': constraint '{key}' is {have_text}; the contract "
                           f"says {fc.get(key, 'none')!r}")
    for key in ("primaryKey", "foreignKeys"):
        if frozen[key] != current[key]:
            out.append(f"{key} differs from the contract")
    return out


def contract_problems(descriptor: dict, descriptor_name: str,
                      contract: dict | None = None) -> list[Problem]:
    """Every way the descriptor departs from the code-held contract."""
    contract = contract if contract is not None else load_contract()
    frozen = contract["resources"]
    have = {r["name"]: r for r in descriptor["resources"]}
    fix = ("restore datapackage.json from git, or change the contract on purpose with "
           "'python -m analysis contract --add NAME --replace'")
    problems = []
    for name in frozen:
        if name not in have:
            problems.append(Problem(descriptor_name, f"resource '{name}' is missing; the "
                                    f"code-held contract requires it ({fix})"))
    for name, res in have.items():
        if name not in frozen:
            problems.append(Problem(descriptor_name, f"resource '{name}' has no code-held contract; "
                                    f"after review run 'python -m analysis contract --add {name}'"))
            continue
        for diff in _differences(name, frozen[name], frozen_schema(res)):
            problems.append(Problem(descriptor_name, f"resource '{name}': {diff} ({fix})"))
        binding = frozen[name].get("binding", {})
        covered = set(binding.get("values", [])) | set(binding.get("in_quote", [])) \
            | set(binding.get("in_locator", [])) | set(binding.get("unbound", {}))
        for field in frozen[name]["fields"]:
            if field.get("type") in ("integer", "number") and field["name"] not in covered:
                problems.append(Problem(descriptor_name, f"resource '{name}': numeric field "
                                        f"'{field['name']}' is neither bound to the quote nor "
                                        "explained in the contract's binding (see CONTRIBUTING, "
                                        "'Quote binding')"))
        for reason in binding.get("unbound", {}).values():
            if str(reason).startswith("TODO"):
                problems.append(Problem(descriptor_name, f"resource '{name}': the contract's quote "
                                        "binding is unfinished (src/analysis/raw/contract.json): "
                                        + reason))
                break
    return problems


def binding_for(name: str, contract: dict | None = None) -> dict:
    contract = contract if contract is not None else load_contract()
    return contract["resources"].get(name, {}).get("binding", {})
