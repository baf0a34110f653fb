"""The same work as the pipeline, in one plain Python process: no kernels, no Papermill.

    python benchmarks/plain_run.py          (run in a copy of the repository)

Validates data/raw, runs the code cells of every notebook in order (each in a fresh
namespace, with its parameter cell), writes the processed descriptor and the brief, all
into a scratch output root. It is the yardstick for the runner's overhead: the pipeline
should take no more than 1.5 times this.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path


def main() -> None:
    root = Path.cwd()
    with tempfile.TemporaryDirectory() as out:
        os.environ["ANALYSIS_OUTPUT_ROOT"] = out
        sys.path.insert(0, str(root / "src"))
        from analysis import paths
        from analysis.clean.processed import write_descriptor
        from analysis.raw.package import fingerprint
        from analysis.raw.validation import checked_tables, write_summary
        from analysis.report.brief import build
        from analysis.run import params as params_mod
        from analysis.run.pipeline import notebook_names

        # the notebooks' code does what it does in the pipeline: every figure in both
        # languages (the brief needs them), no seeding of the output root from the committed tables
        os.environ[paths.PIPELINE_ENV] = "1"
        parameters = params_mod.load()
        tables, _ = checked_tables()
        os.environ[paths.RAW_VALIDATED_ENV] = fingerprint(paths.RAW_DIR)
        write_summary(tables, Path(out) / "reports" / "validation_summary.md")
        os.chdir(paths.NOTEBOOKS_DIR)
        for name in notebook_names():
            nb = json.loads((paths.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
            namespace: dict = {"__name__": "__main__"}
            for cell in nb["cells"]:
                if cell["cell_type"] == "code":
                    with contextlib.redirect_stdout(io.StringIO()):
                        exec(compile("".join(cell["source"]), f"{name}.ipynb", "exec"), namespace)
        write_descriptor(Path(out) / parameters["processed_dir"])
        build(parameters, Path(out), tables["sources"])


if __name__ == "__main__":
    main()
