"""Outputs know their parameters (issue 9.2), and notebooks run by hand are safe (9.5)."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pipeline_repo import copy_repo, in_process_target

from analysis import outputs, paths
from analysis.run import guard, params, pipeline, stamps


def _digests(root: Path, skip: str = "scratch") -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] != skip
            and "__pycache__" not in p.parts}


def _env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (paths.OUTPUT_ROOT_ENV, paths.PIPELINE_ENV)}
    env["PYTHONPATH"] = str(repo / "src")
    if paths.sources_dir() is not None:
        env[paths.SOURCES_ENV] = str(paths.sources_dir())
    return env


def _papermill(repo: Path, name: str, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papermill", f"notebooks/{name}.ipynb", str(out),
                           "--no-progress-bar", "-k", "python3", *args], cwd=repo, env=_env(repo),
                          capture_output=True, text=True, timeout=600)


# --- the raw-data checksum ------------------------------------------------------------------

def test_raw_checksum_follows_the_bytes_of_raw_and_corrections(raw_copy, tmp_path):
    corrections = tmp_path / "corrections"
    shutil.copytree(stamps.CORRECTIONS_DIR, corrections)
    before = stamps.raw_checksum(raw_copy, corrections)
    assert before == stamps.raw_checksum(raw_copy, corrections)
    assert before == stamps.raw_checksum()  # the copies hold the same bytes as data/
    csv = raw_copy / "bodies.csv"
    csv.write_bytes(csv.read_bytes() + b"\n")
    assert stamps.raw_checksum(raw_copy, corrections) != before
    shutil.copy2(paths.RAW_DIR / "bodies.csv", csv)
    fix = corrections / "commitment_titles.csv"
    fix.write_bytes(fix.read_bytes().replace(b",", b";", 1))
    assert stamps.raw_checksum(raw_copy, corrections) != before


# --- what the committed outputs record ------------------------------------------------------

def test_every_processed_table_records_its_parameters_and_raw_checksum():
    descriptor = json.loads((paths.ROOT / "data/processed/datapackage.json").read_text(encoding="utf-8"))
    defaults = params.load()
    checksum = stamps.raw_checksum()
    assert descriptor["resources"]
    for resource in descriptor["resources"]:
        name = resource["name"]
        assert resource["raw_checksum"] == checksum, name
        writer = resource["produced_by"]
        if writer in pipeline.notebook_names():  # exactly the parameters that notebook has
            declared = stamps.declared(writer)
            expected = {k: defaults[k] for k in declared if not params.SPEC[k].is_path}
            assert resource["parameters"] == expected, name
        else:  # a step of the runner itself: the run's parameters
            assert resource["parameters"] == stamps.recorded_parameters(defaults), name


def test_the_manifest_covers_every_committed_output_with_its_bytes():
    manifest = json.loads((paths.ROOT / stamps.MANIFEST).read_text(encoding="utf-8"))["files"]
    defaults = params.load()
    checksum = stamps.raw_checksum()
    outputs_ = [p for d in ("data/processed", "reports/figures", "reports/notebooks", "reports/brief")
                for p in sorted((paths.ROOT / d).iterdir()) if p.name != "datapackage.json"]
    assert len(outputs_) > 40
    for path in outputs_:
        rel = path.relative_to(paths.ROOT).as_posix()
        assert rel in manifest, rel
        rec = manifest[rel]
        assert rec["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(), rel
        assert rec["raw_checksum"] == checksum, rel
        assert all(defaults[k] == v for k, v in rec["parameters"].items()), rel
    assert manifest["reports/brief/brief_es.pdf"]["produced_by"] == "brief"
    assert manifest["reports/brief/brief_es.pdf"]["parameters"] == stamps.recorded_parameters(defaults)
    assert manifest["reports/figures/bodies_parity_en.svg"]["produced_by"] == "05_multistakeholder_bodies"


def test_a_record_is_dropped_when_its_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_ENV, str(tmp_path))
    with stamps.stamping("01_clean_and_reconcile", {"account": "pcm2018", "processed_dir": "x"}):
        outputs.write_text(tmp_path / "data/processed/funnel.csv", "a,b\n1,2\n")
    outputs.write_text(tmp_path / "data/processed/plans.csv", "a\n1\n")  # no stamp: no record
    found = stamps.records(tmp_path)
    rec = found["data/processed/funnel.csv"]
    assert rec["parameters"] == {"account": "pcm2018"} and rec["produced_by"] == "01_clean_and_reconcile"
    assert "data/processed/plans.csv" not in found
    (tmp_path / "data/processed/funnel.csv").write_text("a,b\n1,3\n")
    assert "data/processed/funnel.csv" not in stamps.records(tmp_path)


# --- inputs computed under other parameters ---------------------------------------------------

def test_inputs_under_other_parameters_are_named():
    earlier = stamps.earlier_notebooks("02_participation_shares", pipeline.NEEDS)
    assert earlier == ["01_clean_and_reconcile"]
    defaults = params.load()
    passed = {k: defaults[k] for k in stamps.declared("02_participation_shares")}
    assert stamps.stale_inputs(earlier, passed, paths.ROOT) == []
    problems = stamps.stale_inputs(earlier, {**passed, "other_as": "state"}, paths.ROOT)
    assert [w for w, _ in problems] == ["01_clean_and_reconcile"]
    assert "attendance_reconciled.csv" in problems[0][1]
    assert "other_as='exclude'; this run has other_as='state'" in problems[0][1]
    # a parameter the earlier notebook does not have cannot make its tables stale
    assert stamps.stale_inputs(earlier, {**passed, "lang": "en", "seed": 1}, paths.ROOT) == []
    assert stamps.stale_inputs(earlier, passed, paths.ROOT, checksum="sha256:other")


def test_a_table_without_record_is_not_trusted(tmp_path):
    table = tmp_path / "data/processed/attendance_reconciled.csv"
    table.parent.mkdir(parents=True)
    table.write_bytes((paths.ROOT / "data/processed/attendance_reconciled.csv").read_bytes() + b"\n")
    problems = stamps.stale_inputs(["01_clean_and_reconcile"], {"account": "irm2019"}, tmp_path)
    assert problems[0][0] is None and "has no record of the parameters" in problems[0][1]
    got = stamps.with_dependencies(("03_proposal_survival",), params.load(), tmp_path, pipeline.NEEDS)
    assert got == ("01_clean_and_reconcile", "03_proposal_survival")


def test_only_reruns_what_it_depends_on():
    defaults = params.load()
    only = ("02_participation_shares",)
    assert stamps.with_dependencies(only, defaults, paths.ROOT, pipeline.NEEDS, log=print) == only
    said = []
    got = stamps.with_dependencies(only, {**defaults, "account": "pcm2018"}, paths.ROOT,
                                   pipeline.NEEDS, log=said.append)
    assert got == ("01_clean_and_reconcile", "02_participation_shares")
    assert "02_participation_shares needs 01_clean_and_reconcile again" in said[0]
    # notebook 04 has no account parameter: the tables it reads still fit
    assert stamps.with_dependencies(("04_commitment_evolution",), {**defaults, "account": "pcm2018"},
                                    paths.ROOT, pipeline.NEEDS) == ("04_commitment_evolution",)


def _tables_read(name: str) -> set[str]:
    """The processed tables a notebook's code reads (``read_table("...")`` calls)."""
    import ast

    nb = json.loads((paths.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    found = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert "read_csv" not in source, f"{name} reads a CSV behind the pipeline's back"
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
                    == "read_table" and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    return found


def test_each_notebook_waits_for_exactly_the_notebooks_whose_tables_it_reads():
    """The runner starts a notebook once its ``NEEDS`` are done (05 and 06 beside 01); a
    missing need would let it read a table before it is written, a spare one costs time."""
    writers = {r["name"]: r["produced_by"] for r in json.loads(
        (paths.ROOT / "data/processed/datapackage.json").read_text(encoding="utf-8"))["resources"]}
    for name in pipeline.notebook_names():
        read = {writers[t] for t in _tables_read(name)} - {name}
        assert set(pipeline.NEEDS[name]) == read, name
    assert _tables_read("02_participation_shares") >= {"attendance", "attendance_reconciled"}
    assert pipeline.NEEDS["05_multistakeholder_bodies"] == ()
    assert stamps.earlier_notebooks("05_multistakeholder_bodies", pipeline.NEEDS) == []


@pytest.mark.parametrize("names,width", [
    (["01_clean_and_reconcile", "02_participation_shares"], 1),            # --only 02: a chain
    (["05_multistakeholder_bodies"], 1),
    (["01_clean_and_reconcile", "05_multistakeholder_bodies", "06_process_and_standards"], 3),
    (["01_clean_and_reconcile", "02_participation_shares", "05_multistakeholder_bodies"], 2),
    # everything: 01, 05, 06 and 07 need nothing; 02, 03 and 04 need 01
    (list(pipeline.NEEDS), 4),
])
def test_a_run_starts_no_more_kernels_than_notebooks_can_run_at_once(names, width):
    assert pipeline.parallel_width(names) == width


# --- the guard cell -------------------------------------------------------------------------

def test_every_notebook_checks_its_parameters_right_after_the_parameters_cell():
    for name in pipeline.notebook_names():
        nb = json.loads((paths.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert "parameters" in code[0]["metadata"]["tags"], name
        assert code[1]["id"] == "parameter-guard", name
        assert f'guard.start("{name}", globals())' in "".join(code[1]["source"]), name


def test_parameters_cells_show_type_default_meaning_and_allowed_values():
    """The form papermill --help-notebook reads; generated from SPEC and params.yaml."""
    import papermill as pm

    defaults = params.load()
    for name in pipeline.notebook_names():
        nb = json.loads((paths.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        names = list(stamps.declared(name))
        assert "".join(cell["source"]) == params.parameters_cell(names), name
        inspected = pm.inspect_notebook(str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"))
        for key in names:
            info = inspected[key]
            assert info["inferred_type_name"] == params.SPEC[key].kind.__name__, (name, key)
            assert info["help"].startswith(params.SPEC[key].help), (name, key)
            assert params.allowed(key, " | ") in info["help"], (name, key)
            assert info["default"] in (json.dumps(defaults[key]), repr(defaults[key])), (name, key)


def test_guard_stops_a_bad_value_before_writing(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_ENV, str(tmp_path / "out"))
    monkeypatch.delenv(paths.PIPELINE_ENV, raising=False)
    namespace = dict(stamps.declared("02_participation_shares"), other_as="bogus")
    with pytest.raises(params.ParameterError, match="allowed values: exclude, state, civil_society"):
        guard.start("02_participation_shares", namespace)
    namespace = dict(stamps.declared("05_multistakeholder_bodies"), figures_dir="../elsewhere")
    with pytest.raises(params.ParameterError, match="relative path"):
        guard.start("05_multistakeholder_bodies", namespace)
    assert not (tmp_path / "out").exists()


def test_guard_refuses_a_name_papermill_injected_that_the_notebook_does_not_declare(
        tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_ENV, str(tmp_path / "out"))
    monkeypatch.delenv(paths.PIPELINE_ENV, raising=False)
    name = "05_multistakeholder_bodies"
    guard_cell = f"_ = guard.start({name!r}, globals())"
    # as papermill injects `-p acount pcm2018 -p lang en` after the parameters cell
    injected = '# Parameters\nacount = "pcm2018"\nlang = "en"\n'
    namespace = dict(stamps.declared(name), acount="pcm2018", lang="en",
                     In=["", "lang: str = 'es'", injected, guard_cell])
    with pytest.raises(params.ParameterError, match="has no parameter 'acount'; its parameters are lang"):
        guard.start(name, namespace)
    assert not (tmp_path / "out").exists()
    # a misspelt name and a bad value: one message names both
    with pytest.raises(params.ParameterError) as info:
        guard.check(name, {**namespace, "lang": "fr"})
    assert "has no parameter 'acount'" in str(info.value)
    assert "'lang' cannot be 'fr'" in str(info.value)
    # declared names only, or nothing injected (nbval, JupyterLab): the run goes on
    namespace["In"] = ["", "lang: str = 'es'", '# Parameters\nlang = "en"\n', guard_cell]
    assert guard.check(name, namespace)["lang"] == "en"
    namespace["In"] = ["", "lang: str = 'es'", "acount = 1", guard_cell]   # typed by hand
    assert guard.check(name, namespace)["lang"] == "en"
    assert guard.injected_names({}) == set()


def test_guard_stops_on_inputs_from_other_parameters(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_ENV, str(tmp_path))
    monkeypatch.delenv(paths.PIPELINE_ENV, raising=False)
    namespace = dict(stamps.declared("02_participation_shares"), account="pcm2018")
    with pytest.raises(guard.StaleInputs) as info:
        guard.start("02_participation_shares", namespace)
    message = str(info.value)
    assert "account='irm2019'; this run has account='pcm2018'" in message
    assert "papermill notebooks/01_clean_and_reconcile.ipynb" in message and "-p account pcm2018" in message
    # the committed tables were copied into the scratch folder, never the other way round
    assert (tmp_path / "data/processed/attendance_reconciled.csv").read_bytes() == \
        (paths.ROOT / "data/processed/attendance_reconciled.csv").read_bytes()
    outputs.set_stamp(None)


def test_scratch_is_the_default_output_root_and_git_ignores_it(monkeypatch):
    monkeypatch.delenv(paths.OUTPUT_ROOT_ENV, raising=False)
    assert paths.output_root() == paths.SCRATCH
    assert paths.output_path("data/processed") == paths.ROOT / "scratch" / "data" / "processed"
    ignored = subprocess.run(["git", "check-ignore", "-q", "scratch/data/processed/shares.csv"],
                             cwd=paths.ROOT)
    assert ignored.returncode == 0


# --- end to end: papermill by hand, and --only -----------------------------------------------

@pytest.mark.pipeline
def test_direct_papermill_runs_never_touch_the_repository(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    before = _digests(repo)
    # a bad value and a misspelt name in one run: the guard names both, and stops it
    bad = _papermill(repo, "02_participation_shares", tmp_path / "bad.ipynb", "-p", "other_as", "bogus",
                     "-p", "acount", "pcm2018")
    assert bad.returncode != 0
    assert "parameter 'other_as' cannot be 'bogus'" in bad.stdout + bad.stderr
    assert "has no parameter 'acount'" in bad.stdout + bad.stderr
    assert not (repo / "scratch").exists()
    good = _papermill(repo, "05_multistakeholder_bodies", tmp_path / "good.ipynb", "-p", "lang", "en")
    assert good.returncode == 0, good.stdout + good.stderr
    assert _digests(repo) == before
    assert (repo / "scratch/reports/figures/bodies_parity_en.svg").is_file()
    log = json.loads((repo / "scratch/.stamps/05_multistakeholder_bodies.json").read_text())
    assert log["parameters"] == {"lang": "en"}
    executed = (tmp_path / "good.ipynb").read_text(encoding="utf-8")
    assert f"outputs go to {repo / 'scratch'} (ignored by git)" in executed


@pytest.mark.pipeline
def test_only_with_other_parameters_reruns_its_inputs_and_labels_truthfully(tmp_path, monkeypatch):
    """In this process (the runner's own code), into a copy of the committed outputs."""
    target = in_process_target(tmp_path, monkeypatch)
    messages = []
    code = pipeline.run(overrides=("account=pcm2018",), only=("02_participation_shares",),
                        log=messages.append, target=target)
    assert code == 0, messages
    assert any("02_participation_shares needs 01_clean_and_reconcile again" in m for m in messages)
    resources = {r["name"]: r for r in json.loads(
        (target / "data/processed/datapackage.json").read_text(encoding="utf-8"))["resources"]}
    assert resources["attendance_reconciled"]["parameters"]["account"] == "pcm2018"
    assert resources["shares"]["parameters"]["account"] == "pcm2018"
    assert resources["survival"]["parameters"]["account"] == "irm2019"  # not re-run: still true
    manifest = json.loads((target / stamps.MANIFEST).read_text(encoding="utf-8"))["files"]
    assert manifest["reports/figures/shares_by_stage_es.svg"]["parameters"]["account"] == "pcm2018"
    assert manifest["reports/notebooks/02_participation_shares.ipynb"]["parameters"]["account"] == "pcm2018"
    assert manifest["reports/figures/proposal_funnel_es.svg"]["parameters"]["account"] == "irm2019"
    assert not (target / ".stamps").exists() and not (target / "scratch").exists()
    assert not (tmp_path / "callers-scratch").exists()   # the caller's own output root: untouched
