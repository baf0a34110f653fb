"""Parameters are checked before anything runs, and never evaluated as code."""

import pytest

from analysis.run import params, pipeline


def test_defaults_load():
    p = params.load()
    assert p["account"] == "irm2019" and p["other_as"] == "exclude" and p["lang"] == "es"


@pytest.mark.parametrize("override,fragment", [
    ("colour=red", "unknown parameter 'colour'"),
    ("account=government", "allowed values: irm2019, pcm2018, both"),
    ("other_as=drop", "allowed values: exclude, state, civil_society"),
    ("confidence=high", "must be of type float"),
    ("confidence=2", "between 0.5 and 0.999"),
    ("seed=1.5", "must be of type int"),
    ("lang=fr", "allowed values: es, en"),
    ("processed_dir=/tmp/out", "relative path inside the repository"),
    ("processed_dir=../elsewhere", "relative path inside the repository"),
    ("figures_dir=data/raw", "must not point into data/raw"),
    ("lang=__import__('os').system('true')", "allowed values: es, en"),
    ("lang", "must look like key=value"),
    ("seed=[1, 2]", "single scalar"),
])
def test_invalid_parameter_is_rejected(override, fragment):
    with pytest.raises(params.ParameterError, match=None) as info:
        params.load(overrides=[override])
    assert fragment in str(info.value)


def test_invalid_parameter_stops_the_run_before_any_notebook(monkeypatch):
    called = []
    monkeypatch.setattr(pipeline, "execute", lambda *a, **k: called.append(a))
    messages = []
    code = pipeline.run(overrides=("account=nobody",), log=messages.append)
    assert code == 2 and called == []
    assert "allowed values" in messages[0]


@pytest.mark.parametrize("argv", [["run", "--set", "processed_dir=.git"],
                                  ["sweep", "--out", "data/raw", "--combo", "pcm2018,exclude,es"]])
def test_a_refusal_imports_no_analysis_stack(argv):
    """Bad parameters are refused before pandas, frictionless or Jupyter are imported, so a
    typo costs a fraction of a second (the tests make a dozen such refusals)."""
    import subprocess
    import sys

    probe = ("import sys\nfrom analysis.__main__ import main\ncode = main(sys.argv[1:])\n"
             "heavy = sorted(m for m in ('pandas', 'frictionless', 'jupyter_client', 'papermill')"
             " if m in sys.modules)\nprint('heavy:', heavy)\nsys.exit(code)")
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "error:" in out.stdout and "heavy: []" in out.stdout


def test_broken_parameter_file(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("account: [irm2019\n", encoding="utf-8")
    with pytest.raises(params.ParameterError, match="not valid YAML"):
        params.load(bad)


@pytest.mark.parametrize("override", [
    "lang=!!python/object/apply:os.system ['echo pwned']",
    "seed=!!python/name:os.getcwd",
])
def test_yaml_tags_are_not_executed(override):
    with pytest.raises(params.ParameterError):
        params.load(overrides=[override])


def test_unknown_key_in_the_parameter_file(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text((params.paths.PARAMS_FILE).read_text(encoding="utf-8") + "colour: red\n",
                   encoding="utf-8")
    with pytest.raises(params.ParameterError, match="unknown parameter 'colour'"):
        params.load(bad)


def test_notebook_defaults_match_params_yaml():
    """The notebooks' parameter cells hold the defaults of params.yaml (nbval runs them as stored)."""
    import ast
    import json

    defaults = params.load()
    for name in pipeline.notebook_names():
        nb = json.loads((params.paths.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        tree = ast.parse("".join(cell["source"]))
        for node in tree.body:
            key = (node.target if isinstance(node, ast.AnnAssign) else node.targets[0]).id
            assert key in defaults, (name, key)
            assert ast.literal_eval(node.value) == defaults[key], (name, key)


def test_every_notebook_is_in_the_run_order():
    names = sorted(p.stem for p in params.paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert sorted(pipeline.notebook_names()) == names


def test_one_definition_of_the_parameters():
    """run.params validates against the same choices analysis.parameters defines."""
    from analysis import parameters

    for key, meaning in parameters.MEANINGS.items():
        assert key in params.SPEC, key
        assert meaning.affects and meaning.no_effect, key  # every parameter says what it leaves alone
        if meaning.choices is not None:
            assert tuple(params.SPEC[key].choices) == tuple(meaning.choices), key


def test_parameters_page_prints_the_one_definition():
    from analysis import parameters, paths

    page = (paths.ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert parameters.markdown_table() in page


# --------------------------------------------------------------------- YAML 1.1 implicit types
def _file_with(tmp_path, **values):
    """params.yaml with some lines replaced by ``key: <text as typed>``."""
    lines = []
    for line in params.paths.PARAMS_FILE.read_text(encoding="utf-8").splitlines():
        key = line.split(":", 1)[0]
        lines.append(f"{key}: {values[key]}" if key in values and not line.startswith("#") else line)
    path = tmp_path / "params.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("key,typed,expected", [
    ("confidence", "95e-2", 0.95),          # YAML 1.1 reads this as the string '95e-2'
    ("confidence", "0.9", 0.9),
    ("confidence", "1", None),              # 1.0 is out of range, but read as a number
    ("seed", "17", 17),
    ("seed", "0", 0),
    ("processed_dir", "2017-10-12", "2017-10-12"),  # YAML 1.1: a date
    ("processed_dir", "no", "no"),                  # YAML 1.1: the boolean False
    ("processed_dir", "'quoted/dir'", "quoted/dir"),
])
def test_values_keep_what_the_user_typed(tmp_path, key, typed, expected):
    path = _file_with(tmp_path, **{key: typed})
    if expected is None:
        with pytest.raises(params.ParameterError, match="between 0.5 and 0.999"):
            params.load(path)
    else:
        value = params.load(path)[key]
        assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("key,typed,fragment", [
    ("lang", "no", "'lang' cannot be 'no'; allowed values: es, en"),      # not False
    ("lang", "off", "'lang' cannot be 'off'"),
    ("lang", "~", "'lang' has no value"),
    ("lang", "", "'lang' has no value"),
    ("seed", "017", "would read it as int 15"),                           # octal in YAML 1.1
    ("seed", "0o17", "plain decimal number"),
    ("seed", "0x1F", "would read it as int 31"),
    ("seed", "12:30", "would read it as int 750"),                        # sexagesimal
    ("seed", "1_000", "would read it as int 1000"),
    ("seed", "1e3", "plain decimal number"),
    ("seed", "yes", "would read it as bool True"),
    ("seed", "2017-10-12", "would read it as date"),
    ("seed", '"17"', "quoted, so YAML reads it as text"),
    ("confidence", ".nan", "would read it as float nan"),
    ("confidence", ".inf", "would read it as float inf"),
    ("confidence", "95%", "plain decimal number"),
    ("account", "[irm2019, pcm2018]", "single scalar"),
    ("account", "!!python/name:os.getcwd", "not allowed"),
])
def test_yaml_implicit_types_are_caught(tmp_path, key, typed, fragment):
    with pytest.raises(params.ParameterError) as info:
        params.load(_file_with(tmp_path, **{key: typed}))
    assert fragment in str(info.value)
    # the same text typed on the command line gives the same verdict
    with pytest.raises(params.ParameterError) as info:
        params.load(overrides=[f"{key}={typed}"])
    assert fragment in str(info.value)


def test_a_key_given_twice_is_refused(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(params.paths.PARAMS_FILE.read_text(encoding="utf-8") + "lang: en\n", encoding="utf-8")
    with pytest.raises(params.ParameterError, match="'lang' is given twice"):
        params.load(path)


def test_yes_as_a_key_is_not_true(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(params.paths.PARAMS_FILE.read_text(encoding="utf-8") + "yes: 1\n", encoding="utf-8")
    with pytest.raises(params.ParameterError, match="unknown parameter 'yes'"):
        params.load(path)


# --------------------------------------------------------------------- contained output paths
@pytest.mark.parametrize("override,fragment", [
    ("processed_dir=.git", "must not point into .git"),
    ("processed_dir=.git/hooks", "must not point into .git"),
    ("brief_dir=data/corrections", "must not point into data/corrections"),
    ("brief_dir=data/raw/../raw", "relative path inside the repository"),
    ("figures_dir=src/analysis", "must not point into src"),
    ("figures_dir=tests", "must not point into tests"),
    ("executed_dir=notebooks", "must not point into notebooks"),
    ("processed_dir=data", "must not point into data/raw or contain it"),   # swapping it would swap raw
    ("processed_dir=.", "relative path inside the repository"),
    ("processed_dir=./", "relative path inside the repository"),
    ("processed_dir=", "has no value"),
    ("figures_dir=reports", "must name separate folders"),                  # contains reports/notebooks
    ("figures_dir=reports/notebooks", "must name separate folders"),
])
def test_output_folders_are_contained(override, fragment):
    with pytest.raises(params.ParameterError) as info:
        params.load(overrides=[override])
    assert fragment in str(info.value)


@pytest.fixture
def link_in_repo():
    """Symlinks inside the repository, removed afterwards (they point at protected places)."""
    made = []

    def make(name, target):
        link = params.paths.ROOT / name
        link.symlink_to(target)
        made.append(link)
        return name

    yield make
    for link in made:
        link.unlink()


@pytest.mark.parametrize("target,fragment", [
    ("data/raw", "must not point into data/raw"),
    (".git", "must not point into .git"),
    ("notebooks", "must not point into notebooks"),
    ("/tmp", "must be a relative path inside the repository"),
])
def test_a_symlink_to_a_protected_place_is_refused(link_in_repo, target, fragment):
    absolute = target if target.startswith("/") else str(params.paths.ROOT / target)
    name = link_in_repo(f".test-link-{target.strip('/').replace('/', '-')}", absolute)
    with pytest.raises(params.ParameterError) as info:
        params.load(overrides=[f"processed_dir={name}"])
    assert fragment in str(info.value) and "resolves to" in str(info.value)


def test_a_symlink_below_the_output_folder_is_seen(link_in_repo):
    name = link_in_repo(".test-link-data", str(params.paths.ROOT / "data"))
    with pytest.raises(params.ParameterError, match="must not point into data/raw"):
        params.load(overrides=[f"processed_dir={name}/raw/x"])


def test_an_unexpected_failure_is_one_line_and_leaves_outputs(monkeypatch, tmp_path):
    """Anything that goes wrong inside the run (here: a kernel that cannot start) is one line."""
    from analysis.run import kernels

    def broken(*args, **kwargs):
        raise OSError("kernel could not start\nsecond line of detail")

    monkeypatch.setattr(kernels.Kernel, "__init__", broken)
    monkeypatch.setattr(pipeline, "STAGING", tmp_path / ".staging")
    monkeypatch.setattr(pipeline, "JOURNAL", tmp_path / ".staging" / "commit.json")
    monkeypatch.setattr(pipeline, "LOCK", tmp_path / ".staging" / "run.lock")
    target = tmp_path / "target"
    target.mkdir()
    messages = []
    code = pipeline.run(log=messages.append, target=target)
    assert code == 1
    assert messages[-1].startswith("error: OSError: kernel could not start; earlier outputs are intact")
    assert "second line" not in messages[-1]
    assert not any(p for p in target.rglob("*") if p.is_file())


def test_a_mount_point_as_output_folder_is_refused_before_anything_runs(monkeypatch):
    target = (params.paths.ROOT / "reports" / "figures").resolve()
    monkeypatch.setattr(params.Path, "is_mount", lambda self: self == target)
    with pytest.raises(params.ParameterError, match="names a mount point"):
        params.load()
