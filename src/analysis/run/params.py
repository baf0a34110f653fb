"""Parameters of the main job: defaults from ``params.yaml``, overrides from the command line.

Values are read as YAML scalars (never evaluated as code) and checked against the
specification below before anything runs; an unknown key or value stops the run with a
message that lists what is allowed.

YAML 1.1 (what PyYAML reads) has implicit types that surprise: ``lang: no`` is the boolean
False, ``seed: 017`` is octal 15, ``seed: 12:30`` is 750, ``confidence: 95e-2`` is a
string and ``processed_dir: 2017-10-12`` is a date. So each value is read from the text the
user typed, against the type the specification asks for (see ``_typed``): text parameters
keep the text as written, numbers must be written as plain decimals, and anything that
YAML would read differently from how it reads stops the run with a message.

Output folders are resolved (symlinks included) and must lie inside the repository,
outside the protected folders (``PROTECTED``), and must not overlap one another.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .. import paths


class ParameterError(ValueError):
    """An invalid parameter; the message says which and what is allowed."""


@dataclass(frozen=True)
class Spec:
    kind: type
    help: str
    choices: tuple | None = None
    low: float | None = None
    high: float | None = None
    is_path: bool = False


SPEC: dict[str, Spec] = {
    "account": Spec(str, "whose attendance counts drive the headline shares: the IRM's recount "
                         "from the signed sheets, the government's systematization, or both",
                    ("irm2019", "pcm2018", "both")),
    "other_as": Spec(str, "treatment of the IRM's 'other' participants (mostly GIZ consultants): "
                          "left out, counted as state, or counted as civil society",
                     ("exclude", "state", "civil_society")),
    "ci_method": Spec(str, "confidence-interval method for shares (scipy.stats.binomtest): Wilson, "
                           "Wilson with continuity correction, or exact Clopper-Pearson",
                      ("wilson", "wilsoncc", "exact")),
    "confidence": Spec(float, "confidence level of the intervals", low=0.5, high=0.999),
    "lang": Spec(str, "language of everything the notebooks display (narrative, tables, figure "
                      "shown, answer); a pipeline run writes figures and brief in both languages, a "
                      "notebook run by hand its figures in this language only",
                 ("es", "en")),
    "seed": Spec(int, "seed for permutation tests (none runs with the current data)", low=0, high=2**32 - 1),
    "processed_dir": Spec(str, "folder of the processed tables", is_path=True),
    "figures_dir": Spec(str, "folder of the figures (PNG and SVG)", is_path=True),
    "executed_dir": Spec(str, "folder of the executed copies of the notebooks", is_path=True),
    "brief_dir": Spec(str, "folder of the evidence brief (PDF and HTML)", is_path=True),
}

#: Folders no output may be written into, nor replace (relative to the repository root).
PROTECTED = ("data/raw", "data/corrections", "notebooks", "src", "tests", ".git", ".venv",
             ".staging", "benchmarks")

# ----------------------------------------------------------------------- YAML scalars
_DECIMAL_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class Scalar:
    """A value as the user typed it: its text, whether it was quoted, YAML 1.1's reading."""
    text: str
    quoted: bool
    tag: str

    @property
    def yaml_value(self) -> Any:
        """What YAML 1.1 alone would make of the text."""
        try:
            return yaml.safe_load(self.text)
        except yaml.YAMLError:
            return self.text


def _scalar(node: yaml.Node, where: str) -> Scalar:
    if not isinstance(node, yaml.ScalarNode):
        raise ParameterError(f"{where}: value must be a single scalar, not a list or mapping")
    if node.tag not in _STANDARD_TAGS:
        raise ParameterError(f"{where}: YAML tag {node.tag!r} is not allowed; write a plain value")
    return Scalar(node.value, node.style in ("'", '"', "|", ">"), node.tag)


def _typed(key: str, scalar: Scalar) -> Any:
    """The value the user meant, or a ParameterError saying why it is ambiguous or wrong."""
    spec = SPEC[key]
    text = scalar.text.strip() if not scalar.quoted else scalar.text
    if not scalar.quoted and scalar.tag.endswith(":null"):
        raise ParameterError(f"parameter '{key}' has no value (YAML reads {scalar.text!r} as null)")
    if spec.kind is str:
        return scalar.text  # 'no', '2017-10-12', '0o17' stay what was typed
    kind = spec.kind.__name__
    if scalar.quoted:
        raise ParameterError(f"parameter '{key}' must be of type {kind}, got str {scalar.text!r} "
                             f"(quoted, so YAML reads it as text)")
    if spec.kind is int and _DECIMAL_INT.fullmatch(text):
        return int(text)
    if spec.kind is float and _DECIMAL_FLOAT.fullmatch(text):
        return float(text)
    reading = scalar.yaml_value
    hint = ""
    if not isinstance(reading, str) and repr(reading) != text:
        hint = f"; YAML 1.1 would read it as {type(reading).__name__} {reading!r}"
    example = "like 20171012" if spec.kind is int else "like 0.95"
    raise ParameterError(f"parameter '{key}' must be of type {kind}, written as a plain decimal "
                         f"number ({example}), got {text!r}{hint}")


# ----------------------------------------------------------------------- output paths
def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def resolve_output(key: str, value: str, base: Path | None = None) -> Path:
    """The resolved folder an output parameter names; ParameterError when not contained.

    ``base`` is where outputs go (the repository, or a sweep folder inside it); the folder
    must lie inside it. The path is resolved with symlinks followed, so a link to
    ``data/raw`` is seen for what it is; protected folders of the repository are refused
    whatever the base.
    """
    root = paths.ROOT.resolve()
    base = Path(base).resolve() if base is not None else root
    where = "the repository" if base == root else str(base)
    pure = PurePosixPath(value)
    if (not value or not value.strip() or pure.is_absolute() or ".." in pure.parts
            or "\\" in value or pure == PurePosixPath(".")):
        raise ParameterError(f"parameter '{key}' must be a relative path inside {where} "
                             f"(like 'data/processed'), got {value!r}")
    resolved = (base / value).resolve()
    if resolved == base or not _inside(resolved, base):
        raise ParameterError(f"parameter '{key}' must be a relative path inside {where} "
                             f"(like 'data/processed'), got {value!r}, which resolves to {resolved}")
    check_not_protected(f"parameter '{key}'", resolved, value)
    if resolved.is_dir() and resolved.is_mount():
        raise ParameterError(f"parameter '{key}' names a mount point ({resolved}), which cannot be "
                             "replaced as a whole; name a folder inside it")
    return resolved


def check_not_protected(what: str, resolved: Path, given: str | Path) -> None:
    """Refuse a folder that is, lies in, or contains a protected folder of the repository."""
    root = paths.ROOT.resolve()
    for rel in PROTECTED:
        protected = (root / rel).resolve()
        if _inside(resolved, protected) or _inside(protected, resolved):
            raise ParameterError(f"{what} must not point into {rel} or contain it "
                                 f"(protected: {', '.join(PROTECTED)}), got {str(given)!r}"
                                 + (f", which resolves to {resolved}" if str(given) != rel else ""))


def check_outputs(parameters: dict[str, Any], base: Path | None = None) -> dict[str, Path]:
    """Resolve every output folder and check that no two overlap; return them by parameter."""
    resolved = {k: resolve_output(k, parameters[k], base) for k, s in SPEC.items()
                if s.is_path and k in parameters}
    keys = list(resolved)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if _inside(resolved[a], resolved[b]) or _inside(resolved[b], resolved[a]):
                raise ParameterError(f"parameters '{a}' ({parameters[a]}) and '{b}' ({parameters[b]}) "
                                     "must name separate folders, neither inside the other")
    return resolved


# ----------------------------------------------------------------------- checking and loading
def _check(key: str, value: Any) -> Any:
    if key not in SPEC:
        raise ParameterError(f"unknown parameter '{key}'; allowed: {', '.join(SPEC)}")
    if isinstance(value, Scalar):
        value = _typed(key, value)
    spec = SPEC[key]
    if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, spec.kind):
        raise ParameterError(f"parameter '{key}' must be of type {spec.kind.__name__}, "
                             f"got {type(value).__name__} {value!r}")
    if spec.choices is not None and value not in spec.choices:
        raise ParameterError(f"parameter '{key}' cannot be {value!r}; allowed values: "
                             f"{', '.join(spec.choices)}")
    if spec.low is not None and not spec.low <= value <= spec.high:
        raise ParameterError(f"parameter '{key}' must lie between {spec.low} and {spec.high}, "
                             f"got {value!r}")
    if spec.is_path:
        resolve_output(key, value)
    return value


def check_values(values: dict[str, Any]) -> dict[str, Any]:
    """Check some parameters (a notebook's own, say) against the specification."""
    return {key: _check(key, value) for key, value in values.items()}


def parse_override(text: str) -> tuple[str, Scalar]:
    """``key=value`` with the value read as the user typed it (``0.9`` is a number)."""
    if "=" not in text:
        raise ParameterError(f"override {text!r} must look like key=value")
    key, raw = text.split("=", 1)
    where = f"override {text!r}"
    if not raw.strip():
        return key.strip(), Scalar("", False, "tag:yaml.org,2002:null")
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{where}: value is not a plain scalar ({exc})") from exc
    if node is None:
        return key.strip(), Scalar("", False, "tag:yaml.org,2002:null")
    return key.strip(), _scalar(node, where)


def _read_file(path: Path) -> dict[str, Scalar]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ParameterError(f"parameter file {path} not found") from exc
    except UnicodeDecodeError as exc:
        raise ParameterError(f"parameter file {path} is not UTF-8 text ({exc.reason})") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"parameter file {path} is not valid YAML: {exc}") from exc
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise ParameterError(f"parameter file {path} must hold a mapping of key: value")
    data: dict[str, Scalar] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise ParameterError(f"parameter file {path}, line {line}: keys must be plain names")
        key = key_node.value
        if key in data:
            raise ParameterError(f"parameter file {path}, line {line}: '{key}' is given twice")
        data[key] = _scalar(value_node, f"parameter file {path}, line {line}, '{key}'")
    return data


def load(path: Path | None = None, overrides: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Validated parameters: the YAML file, then ``key=value`` overrides in order."""
    path = Path(path) if path is not None else paths.PARAMS_FILE
    data: dict[str, Any] = dict(_read_file(path))
    for item in overrides:
        key, value = parse_override(item)
        data[key] = value
    missing = [k for k in SPEC if k not in data]
    unknown = [k for k in data if k not in SPEC]
    if unknown:
        raise ParameterError(f"unknown parameter '{unknown[0]}'; allowed: {', '.join(SPEC)}")
    if missing:
        raise ParameterError(f"parameter file {path} lacks: {', '.join(missing)}")
    checked = {key: _check(key, value) for key, value in data.items()}
    check_outputs(checked)
    return checked


def allowed(key: str, sep: str = ", ") -> str:
    """What a parameter may be, in words."""
    spec = SPEC[key]
    return (sep.join(spec.choices) if spec.choices else
            f"{spec.low} to {spec.high}" if spec.low is not None else
            "relative path inside the repository" if spec.is_path else spec.kind.__name__)


def describe() -> str:
    return "\n".join(f"{key:14} {spec.help} ({allowed(key)})" for key, spec in SPEC.items())


def parameters_cell(names: list[str], defaults: dict[str, Any] | None = None) -> str:
    """A notebook's ``parameters`` cell: type, default, meaning and allowed values of each
    parameter, in the form ``papermill --help-notebook`` reads (no '=' in comments)."""
    defaults = defaults if defaults is not None else load()
    lines = []
    for key in names:
        spec = SPEC[key]
        value = json.dumps(defaults[key]) if isinstance(defaults[key], str) else repr(defaults[key])
        lines.append(f"{key}: {spec.kind.__name__} = {value}  # {spec.help}; "
                     f"allowed: {allowed(key, ' | ')}")
    return "\n".join(lines)
