"""Benchmarks (not tests): the pipeline against its floor and against a plain run; the test
suite; scaling with peak memory.

    .venv/bin/python benchmarks/run.py                   # everything (make benchmark)
    .venv/bin/python benchmarks/run.py --no-tests        # skip timing the test suite
    .venv/bin/python benchmarks/run.py --repeat 5 --pause 10 --max-rows 10000000

1. Side by side, interleaved, each run after ``--pause`` seconds of rest, ``--repeat``
   rounds (a heavy run slows the next one on a shared VM, and interleaving spreads any
   drift in the machine's load over every variant alike), each in its own scratch copy:
   - **pipeline**: ``python -m analysis run`` (warm kernels, the default);
   - **pipeline, fresh kernels**: ``--fresh-kernels``, one new kernel per notebook;
   - **floor**: the same runner in a copy whose notebooks are emptied (same names, same
     parameter cells), so it pays for validation, kernels, staging, the commit and the
     brief but for no analysis;
   - **plain**: ``benchmarks/plain_run.py``, the same code in one Python process with no
     kernel and no Papermill.
   Ratios: pipeline / floor (target 1.5 or less; the cost of the analyses themselves) and
   pipeline / plain (target 1.5 or less; the cost of the runner), of the minima and of the
   medians; and pipeline / floor round by round (a round's runs follow each other within a
   minute or so, so that ratio suffers least from the machine's drift). No figure cache is
   used.
2. The test suite: ``make test``'s pytest command, once, wall time.
3. Scaling: ``attendance.tidy`` and ``shares.stage_shares`` on synthetic attendance tables
   of 10^3 to 10^7 rows, each size in a fresh process that reports its peak memory (RSS).
Timings depend on the machine and its load; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def timed(repo: Path, command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the run and all its processes, kernels
    included): CPU time is much less sensitive than wall time to other load on the machine."""
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


VARIANTS = {
    "pipeline": ("full", ["-m", "analysis", "run"]),
    "pipeline, fresh kernels": ("full", ["-m", "analysis", "run", "--fresh-kernels"]),
    "floor: same runner, empty notebooks": ("floor", ["-m", "analysis", "run"]),
    "plain: same code, one process": ("full", ["benchmarks/plain_run.py"]),
}


def side_by_side(repeat: int, pause: float) -> dict[str, list[tuple[float, float]]]:
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        repos = {}
        for name, (kind, _) in VARIANTS.items():
            repos[name] = copy_repo(Path(tmp) / name.split(":")[0].replace(" ", "_").replace(",", ""))
            if kind == "floor":
                empty_notebooks(repos[name])
        for name, (_, args) in VARIANTS.items():  # warm the disk cache and compiled files
            timed(repos[name], [sys.executable, *args])
        for _ in range(repeat):
            for name, (_, args) in VARIANTS.items():
                time.sleep(pause)
                times[name].append(timed(repos[name], [sys.executable, *args]))
    return times


def test_suite() -> float:
    """make test's pytest, with its notebook outputs in a temporary folder as make test has them."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "ANALYSIS_OUTPUT_ROOT": scratch}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "auto", "--dist", "loadfile",
                        "--nbval", "tests", "notebooks"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        return time.perf_counter() - start


SCALING_CHILD = r"""
import json, resource, sys, time
import numpy as np, pandas as pd
sys.path.insert(0, sys.argv[2])
from analysis.clean import attendance
from analysis.questions import shares

def synthetic_attendance(n, seed=1):
    # Choices index object arrays, so rows share their string objects as in a table read
    # from CSV with repeated values; only the ids are distinct strings.
    rng = np.random.default_rng(seed)
    pick = lambda values: np.array(list(values), dtype=object)[rng.integers(0, len(values), n)]
    labels = sorted(attendance.ACTOR_LABELS)
    stages = ["thematic_table", "regional_workshop", "national_table", "closing_event"]
    frame = pd.DataFrame({
        "id": np.char.add("syn-", np.arange(n).astype(str)).astype(object),
        "source_id": pick(["irm2019", "pcm2018"]), "plan": 3,
        "stage": pick(stages), "event": pick([f"Evento {i}" for i in range(50)]),
        "table": "synthetic", "date_as_printed": None, "actor_printed": pick(labels),
        "unit": pick(["persons", "organisations"]),
        "count": pd.array(rng.integers(0, 60, n), dtype="Int64"), "printed_percent": None,
        "row_type": "value", "locator": "synthetic", "quote": "synthetic", "note": None,
    })
    return {"attendance": frame}

import scipy.stats  # imported by the first interval otherwise: an import, not work per row
kib = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
base = kib()
raw = synthetic_attendance(int(sys.argv[1]))
data = kib()
start = time.perf_counter()
att = attendance.tidy(raw)
mid = time.perf_counter()
shares.stage_shares(att)
end = time.perf_counter()
print(json.dumps({"tidy": mid - start, "shares": end - mid, "base": base, "data": data, "peak": kib()}))
"""


def scaling(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-c", SCALING_CHILD, str(n), str(ROOT / "src")],
                             capture_output=True, text=True, check=True).stdout
        rows.append({"n": n, **json.loads(out.strip().splitlines()[-1])})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pause", type=float, default=10.0, help="seconds of rest before each run")
    parser.add_argument("--no-tests", action="store_true")
    parser.add_argument("--max-rows", type=int, default=10_000_000)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
          f"{load:.1f} at the start")
    times = side_by_side(args.repeat, args.pause)
    print(f"\n| run ({args.repeat} rounds, interleaved, {args.pause:g} s rest before each) "
          "| wall min s | wall median s | CPU median s |\n|---|---:|---:|---:|")
    for name, values in times.items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        print(f"| {name} | {min(walls):.1f} | {statistics.median(walls):.1f} | "
              f"{statistics.median(cpus):.1f} |")
    full, floor = times["pipeline"], times["floor: same runner, empty notebooks"]
    plain, fresh = times["plain: same code, one process"], times["pipeline, fresh kernels"]
    for label, a, b in (("pipeline / floor (target <= 1.5)", full, floor),
                        ("pipeline / plain (target <= 1.5)", full, plain),
                        ("fresh kernels / warm kernels", fresh, full)):
        wa, wb = [w for w, _ in a], [w for w, _ in b]
        ca, cb = [c for _, c in a], [c for _, c in b]
        print(f"| ratio {label} | {min(wa) / min(wb):.2f} | "
              f"{statistics.median(wa) / statistics.median(wb):.2f} | "
              f"{statistics.median(ca) / statistics.median(cb):.2f} |")
    # Each round runs every variant within about a minute, so a round's own ratio is less
    # exposed to the machine's drift over the whole benchmark than a ratio of minima.
    rounds = [a[0] / b[0] for a, b in zip(full, floor)]
    print(f"\npipeline / floor, round by round (wall): {', '.join(f'{r:.2f}' for r in rounds)}; "
          f"median {statistics.median(rounds):.2f}")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    if not args.no_tests:
        print(f"\ntest suite (make test's pytest), once: {test_suite():.1f} s wall")
    sizes = [n for n in (10**3, 10**4, 10**5, 10**6, 10**7) if n <= args.max_rows]
    print("\n| rows | tidy (s) | shares (s) | µs per row | peak RSS (MiB) | of which input table (MiB) |"
          "\n|---:|---:|---:|---:|---:|---:|")
    for r in scaling(sizes):
        print(f"| {r['n']:,} | {r['tidy']:.3f} | {r['shares']:.3f} | "
              f"{1e6 * (r['tidy'] + r['shares']) / r['n']:.2f} | {r['peak'] / 1024:.0f} | "
              f"{(r['data'] - r['base']) / 1024:.0f} |")


if __name__ == "__main__":
    main()
