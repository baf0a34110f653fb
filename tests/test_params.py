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
            key = node.targets[0].id
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


def test_readme_prints_the_one_definition():
    from analysis import parameters, paths

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert parameters.markdown_table() in readme
