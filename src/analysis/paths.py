"""Where things live. Every path the project uses is resolved here."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW_DIR = ROOT / "data" / "raw"
NOTEBOOKS_DIR = ROOT / "notebooks"
PARAMS_FILE = ROOT / "params.yaml"

#: Where outputs go. The pipeline sets it to its staging folder (moved into the repository
#: only when every step succeeded); ``make test`` sets it to a temporary folder for nbval.
OUTPUT_ROOT_ENV = "ANALYSIS_OUTPUT_ROOT"
#: Set by the pipeline, once it has validated data/raw, to the package's fingerprint
#: (``analysis.raw.package.fingerprint``): ``load_raw`` then skips validating it again as
#: long as the files still have that fingerprint.
RAW_VALIDATED_ENV = "ANALYSIS_RAW_VALIDATED"
#: Set by the pipeline for the notebooks it executes (they then trust its staging folder).
PIPELINE_ENV = "ANALYSIS_PIPELINE"
#: Set by the pipeline for its warm kernels: ``figures.save`` renders at once only the PNG
#: the notebook shows and queues the other files, which the runner has each kernel write
#: after its last notebook, while it builds the brief (``figures.write_queued``).
FIGURES_QUEUED_ENV = "ANALYSIS_QUEUE_FIGURES"
#: Where a notebook run outside the pipeline writes when OUTPUT_ROOT_ENV is unset (papermill
#: CLI, JupyterLab, nbconvert, nbval): a folder git ignores, never the committed outputs.
SCRATCH = ROOT / "scratch"
#: Where the plain-text extractions of the five documents live (for provenance checks).
SOURCES_ENV = "OGP_SOURCES_DIR"


def output_root() -> Path:
    """Root against which relative output paths (data/processed, reports/...) resolve.

    Only the pipeline writes into the repository's committed outputs (through its staging
    folder); anything else, unless told otherwise, writes into ``scratch/``.
    """
    value = os.environ.get(OUTPUT_ROOT_ENV)
    return Path(value) if value else SCRATCH


def output_path(relative: str | os.PathLike) -> Path:
    """Resolve an output path given relative to the repository root."""
    return output_root() / Path(relative)


def figures_queued() -> bool:
    """Whether figure files other than the shown PNG wait for ``figures.write_queued``
    (only in the pipeline's kernels: a notebook run by hand writes its files at once, in its
    own language only; see ``figures.save``)."""
    return os.environ.get(FIGURES_QUEUED_ENV) == "1" and run_by_pipeline()


def run_by_pipeline() -> bool:
    """True inside a notebook that the pipeline executes."""
    return os.environ.get(PIPELINE_ENV) == "1"


def sources_dir() -> Path | None:
    """The shared/sources folder beside the repository, or None when it is absent."""
    value = os.environ.get(SOURCES_ENV)
    candidate = Path(value) if value else ROOT.parent / "shared" / "sources"
    return candidate if candidate.is_dir() else None
