"""Parameters of the main job: defaults from ``params.yaml``, overrides from the command line.

Values are parsed as YAML scalars (never evaluated as code) and checked against the
specification below before anything runs; an unknown key or value stops the run with a
message that lists what is allowed.
"""

from __future__ import annotations

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
    "account": Spec(str, "whose attendance counts drive the headline shares",
                    ("irm2019", "pcm2018", "both")),
    "other_as": Spec(str, "treatment of the IRM's 'other' participants",
                     ("exclude", "state", "civil_society")),
    "ci_method": Spec(str, "confidence-interval method for shares", ("wilson", "wilsoncc", "exact")),
    "confidence": Spec(float, "confidence level of the intervals", low=0.5, high=0.999),
    "lang": Spec(str, "language the notebooks display (figure shown, closing answer); both "
                      "languages of figures and brief are always written", ("es", "en")),
    "seed": Spec(int, "seed for permutation tests (none runs with the current data)", low=0, high=2**32 - 1),
    "processed_dir": Spec(str, "processed tables", is_path=True),
    "figures_dir": Spec(str, "figures (PNG and SVG)", is_path=True),
    "executed_dir": Spec(str, "executed copies of the notebooks", is_path=True),
    "brief_dir": Spec(str, "evidence brief (PDF and HTML)", is_path=True),
}


def _check(key: str, value: Any) -> Any:
    if key not in SPEC:
        raise ParameterError(f"unknown parameter '{key}'; allowed: {', '.join(SPEC)}")
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
        pure = PurePosixPath(value)
        inside = (paths.ROOT / value).resolve()
        if (not value or pure.is_absolute() or ".." in pure.parts or "\\" in value
                or inside == paths.ROOT or paths.ROOT not in inside.parents):
            raise ParameterError(f"parameter '{key}' must be a relative path inside the "
                                 f"repository (like 'data/processed'), got {value!r}")
        if pure.parts[:2] == ("data", "raw") or pure.parts[0] in ("src", "tests", "notebooks"):
            raise ParameterError(f"parameter '{key}' must not point into data/raw, src, tests "
                                 f"or notebooks, got {value!r}")
    return value


def parse_override(text: str) -> tuple[str, Any]:
    """``key=value`` with the value read as a YAML scalar (``0.9`` is a number)."""
    if "=" not in text:
        raise ParameterError(f"override {text!r} must look like key=value")
    key, raw = text.split("=", 1)
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ParameterError(f"override {text!r}: value is not a plain scalar ({exc})") from exc
    if isinstance(value, (dict, list)):
        raise ParameterError(f"override {text!r}: value must be a single scalar")
    return key.strip(), value


def load(path: Path | None = None, overrides: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Validated parameters: the YAML file, then ``key=value`` overrides in order."""
    path = Path(path) if path is not None else paths.PARAMS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ParameterError(f"parameter file {path} not found") from exc
    except yaml.YAMLError as exc:
        raise ParameterError(f"parameter file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ParameterError(f"parameter file {path} must hold a mapping of key: value")
    for item in overrides:
        key, value = parse_override(item)
        data[key] = value
    missing = [k for k in SPEC if k not in data]
    if missing:
        raise ParameterError(f"parameter file {path} lacks: {', '.join(missing)}")
    return {key: _check(key, value) for key, value in data.items()}


def describe() -> str:
    lines = []
    for key, spec in SPEC.items():
        allowed = (", ".join(spec.choices) if spec.choices else
                   f"{spec.low} to {spec.high}" if spec.low is not None else
                   "relative path inside the repository" if spec.is_path else spec.kind.__name__)
        lines.append(f"{key:14} {spec.help} ({allowed})")
    return "\n".join(lines)
