"""Benchmarks (not tests): the whole pipeline against its floor, the test suite, and scaling.

    .venv/bin/python benchmarks/run.py               # everything
    .venv/bin/python benchmarks/run.py --no-tests    # skip timing the test suite

1. Pipeline: ``python -m analysis run`` in a scratch copy of the repository (median of
   ``--repeat`` runs).
2. Floor: the same runner in another copy whose notebooks are replaced by empty ones
   (same names, same parameter cells), so it pays for validation, kernel start-ups,
   staging and the brief but for no analysis. The ratio pipeline / floor is the cost of
   the analyses themselves; the target is 1.5 or less.
3. The test suite (``make test``'s pytest command), once.
4. Scaling: ``attendance.tidy`` and ``shares.stage_shares`` on synthetic attendance tables
   of 10^3 to 10^6 rows; time per row should stay flat if the growth is linear.
Timings depend on the machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def copy_repo(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target / rel)
    return target


def empty_notebooks(repo: Path) -> None:
    import nbformat

    for path in sorted((repo / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        for cell in params:
            cell.outputs = []
        nb.cells = params
        nbformat.write(nb, path)


def timed_run(repo: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "run"], cwd=repo, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - start


def pipeline_vs_floor(repeat: int, pause: float) -> tuple[list[float], list[float]]:
    """Interleaved runs, each after a pause: on a shared VM a heavy run slows the next one."""
    with tempfile.TemporaryDirectory() as tmp:
        full = copy_repo(Path(tmp) / "full")
        floor = copy_repo(Path(tmp) / "floor")
        empty_notebooks(floor)
        timed_run(full), timed_run(floor)  # warm caches
        fulls, floors = [], []
        for _ in range(repeat):
            for repo, times in ((floor, floors), (full, fulls)):
                time.sleep(pause)
                times.append(timed_run(repo))
    return fulls, floors


def test_suite() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "auto", "--dist", "loadfile",
                    "--nbval", "tests", "notebooks"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def synthetic_attendance(n: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    from analysis.clean.attendance import ACTOR_LABELS

    rng = np.random.default_rng(seed)
    labels = np.array(sorted(ACTOR_LABELS))
    stages = np.array(["thematic_table", "regional_workshop", "national_table", "closing_event"])
    frame = pd.DataFrame({
        "id": [f"syn-{i}" for i in range(n)],
        "source_id": rng.choice(["irm2019", "pcm2018"], n), "plan": 3,
        "stage": rng.choice(stages, n), "event": rng.choice([f"Evento {i}" for i in range(50)], n),
        "table": "synthetic", "date_as_printed": None, "actor_printed": rng.choice(labels, n),
        "unit": rng.choice(["persons", "organisations"], n),
        "count": pd.array(rng.integers(0, 60, n), dtype="Int64"), "printed_percent": None,
        "row_type": "value", "locator": "synthetic", "quote": "synthetic", "note": None,
    })
    return {"attendance": frame}


def scaling(sizes: list[int]) -> list[tuple[int, float, float]]:
    from analysis.clean import attendance
    from analysis.questions import shares

    rows = []
    for n in sizes:
        raw = synthetic_attendance(n)
        start = time.perf_counter()
        att = attendance.tidy(raw)
        mid = time.perf_counter()
        shares.stage_shares(att)
        end = time.perf_counter()
        rows.append((n, mid - start, end - mid))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-tests", action="store_true")
    parser.add_argument("--max-rows", type=int, default=1_000_000)
    parser.add_argument("--pause", type=float, default=10.0, help="seconds of rest before each run")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    fulls, floors = pipeline_vs_floor(args.repeat, args.pause)
    print(f"\n| run ({args.repeat} runs, {args.pause:g} s rest before each) | min s | median s |")
    print("|---|---:|---:|")
    print(f"| whole pipeline (5 notebooks + brief) | {min(fulls):.1f} | {statistics.median(fulls):.1f} |")
    print(f"| floor: same runner, 5 empty notebooks | {min(floors):.1f} | {statistics.median(floors):.1f} |")
    print(f"| ratio pipeline / floor | {min(fulls) / min(floors):.2f} | "
          f"{statistics.median(fulls) / statistics.median(floors):.2f} |")
    if not args.no_tests:
        print(f"| test suite (make test's pytest), once | {test_suite():.1f} | |")
    sizes = [n for n in (10**3, 10**4, 10**5, 10**6) if n <= args.max_rows]
    print("\n| rows | tidy (s) | shares (s) | µs per row (tidy + shares) |\n|---:|---:|---:|---:|")
    for n, t_tidy, t_shares in scaling(sizes):
        print(f"| {n:,} | {t_tidy:.3f} | {t_shares:.3f} | {1e6 * (t_tidy + t_shares) / n:.2f} |")


if __name__ == "__main__":
    main()
