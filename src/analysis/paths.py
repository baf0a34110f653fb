"""Where things live. Every path the project uses is resolved here."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW_DIR = ROOT / "data" / "raw"
NOTEBOOKS_DIR = ROOT / "notebooks"
PARAMS_FILE = ROOT / "params.yaml"

#: Set by the pipeline to a staging folder, so that a failed run leaves the
#: repository's outputs untouched; unset, outputs go to the repository itself.
OUTPUT_ROOT_ENV = "ANALYSIS_OUTPUT_ROOT"
#: Set by the pipeline, once it has validated data/raw, to the package's fingerprint
#: (``analysis.raw.package.fingerprint``): ``load_raw`` then skips validating it again as
#: long as the files still have that fingerprint.
RAW_VALIDATED_ENV = "ANALYSIS_RAW_VALIDATED"
#: Where the plain-text extractions of the five documents live (for provenance checks).
SOURCES_ENV = "OGP_SOURCES_DIR"


def output_root() -> Path:
    """Root against which relative output paths (data/processed, reports/...) resolve."""
    value = os.environ.get(OUTPUT_ROOT_ENV)
    return Path(value) if value else ROOT


def output_path(relative: str | os.PathLike) -> Path:
    """Resolve an output path given relative to the repository root."""
    return output_root() / Path(relative)


def sources_dir() -> Path | None:
    """The shared/sources folder beside the repository, or None when it is absent."""
    value = os.environ.get(SOURCES_ENV)
    candidate = Path(value) if value else ROOT.parent / "shared" / "sources"
    return candidate if candidate.is_dir() else None
