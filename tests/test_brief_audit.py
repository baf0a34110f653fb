"""Audit every number the brief prints, for every account x treatment of other, in both languages.

The brief is built in a temporary folder, in-process, from the committed processed tables
(which hold every account and treatment) and figures; its PDF (PDFium) and HTML text are
parsed and each number is recomputed by ``analysis.report.audit``, which shares no code with
the sentences. This is the test that catches "37 of 118 participants (36%)".
"""

from __future__ import annotations

import ast
import json
import re
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.clean import processed
from analysis.report import audit, brief, findings
from analysis.run import params as params_mod

COMBOS = [(a, o) for a in ("irm2019", "pcm2018") for o in ("exclude", "state", "civil_society")]
SOURCES = paths.RAW_DIR / "sources.csv"


@pytest.fixture(scope="module")
def sources(raw):
    return raw["sources"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, sources):
    """Build the brief once per combination (both languages) into a temporary folder.

    Without the phone figures: the audit reads words only, and the phone figures of every
    combination are checked in test_figure_text.py (and drawn by every pipeline run)."""
    out = {}
    base = params_mod.load()
    for account, other_as in COMBOS:
        root = tmp_path_factory.mktemp(f"brief-{account}-{other_as}")
        for rel in (base["processed_dir"], base["figures_dir"]):
            shutil.copytree(paths.ROOT / rel, root / rel)
        parameters = {**base, "account": account, "other_as": other_as}
        brief.build(parameters, root, sources, phones=False)
        out[(account, other_as)] = (root, parameters)
    return out


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("account,other_as", COMBOS)
def test_every_number_in_the_brief_is_recomputed(built, account, other_as, lang):
    root, parameters = built[(account, other_as)]
    facts = audit.Facts(root / parameters["processed_dir"], parameters, SOURCES)
    out_dir = root / parameters["brief_dir"]
    pdf = audit.body(audit.brief_text_from_pdf(out_dir / f"brief_{lang}.pdf"))
    html = audit.body(audit.brief_text_from_html(out_dir / f"brief_{lang}.html"))
    assert len(audit.KOFN.findall(audit.normalise(html).replace("\n", " "))) >= 3  # the audit has work to do
    assert audit.audit_text(pdf, facts, lang) == []
    assert audit.audit_text(html, facts, lang) == []


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("account,other_as", COMBOS)
def test_brief_content_names_its_account_and_headline_count(account, other_as, lang):
    base = params_mod.load()
    tables = {name: processed.read_table(name, paths.ROOT / base["processed_dir"])
              for name in brief.NEEDED + brief.OPTIONAL}
    parameters = {**base, "account": account, "other_as": other_as, "lang": lang}
    content = findings.brief_content(tables, parameters, lang)
    json.loads(json.dumps(content))  # the brief helper's templates read it as JSON
    assert {"question", "headline", "findings", "what_this_means", "methods", "robustness",
            "parameters", "raw_checksum"} <= set(content)
    # issue 21's three process findings and issue 22's finding across the plans
    assert 5 <= len(content["findings"]) <= 12
    assert 3 <= len(content["key_messages"]) <= 5
    assert all({"id", "text", "source", "figure"} <= set(f) for f in content["findings"])
    # no statistical detail in the findings: it belongs to the methods box
    for f in content["findings"] + content["key_messages"]:
        assert not re.search(r"\b(IC|CI|p [<=]|chi|Wilson|interval)", f["text"]), f["text"]
    facts = audit.Facts(paths.ROOT / base["processed_dir"], parameters, SOURCES)
    assert audit.audit_content(content, facts, account, lang) == []
    # the government gives no national-table attendance: its findings never borrow the IRM's
    if account == "pcm2018":
        national = next(f for f in content["findings"] if f["id"] == "national_tables")
        # the only number is the potential commitments the government itself prints (26)
        funnel = tables["funnel"]
        own = funnel[(funnel["source_id"] == "pcm2018") & (funnel["stage"] == "national_table")
                     & (funnel["theme"] == "total")]["count"]
        assert set(re.findall(r"\d+", national["text"])) == {str(int(own.iloc[0]))}


@pytest.fixture(scope="module")
def facts_civil():
    base = params_mod.load()
    return audit.Facts(paths.ROOT / base["processed_dir"], {**base, "other_as": "civil_society"}, SOURCES)


def test_audit_catches_the_count_taken_before_the_treatment(facts_civil):
    # the old headline under other_as=civil_society: 37 is the count before adding the 5 "other"
    problems = audit.audit_text("By the IRM's recount, civil society was 37 of 118 participants (36%).",
                                facts_civil, "en")
    assert any("37/118 is 31%" in p for p in problems)
    assert any("not a count of irm2019" in p for p in problems)


def test_audit_catches_a_borrowed_account_and_an_unnamed_one(facts_civil):
    wrong = "By the government's systematization, civil society was 42 of 118 participants (36%)."
    assert any("pcm2018" in p for p in audit.audit_text(wrong, facts_civil, "en"))
    unnamed = "Civil society was 42 of 118 participants (36%)."
    assert any("no account named" in p for p in audit.audit_text(unnamed, facts_civil, "en"))
    right = "By the IRM's recount, civil society was 42 of 118 participants (36%)."
    assert audit.audit_text(right, facts_civil, "en") == []


def test_audit_catches_a_typed_number_and_a_wrong_format(facts_civil):
    assert audit.audit_text("By the IRM's recount, 999 people came.", facts_civil, "en")
    assert audit.audit_text("Según el IRM, la sociedad civil fue 42 de 118 participantes (36.0 %).",
                            facts_civil, "es")


def test_whole_percent_rounds_half_to_even_exactly():
    assert audit.whole_percent(1, 8) == 12 and audit.whole_percent(3, 8) == 38  # 12.5 -> 12, 37.5 -> 38
    assert audit.whole_percent(37, 118) == 31 and audit.whole_percent(42, 118) == 36


def test_the_audit_shares_no_code_with_the_sentences():
    tree = ast.parse((paths.ROOT / "src/analysis/report/audit.py").read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    forbidden = {"findings", "sentences", "questions", "clean", "brief"}
    assert not {m for m in imported if set(m.split(".")) & forbidden}, imported


def _tables(**replace):
    base = params_mod.load()
    tables = {name: processed.read_table(name, paths.ROOT / base["processed_dir"])
              for name in brief.NEEDED + brief.OPTIONAL}
    return {**tables, **replace}, base


@pytest.mark.parametrize("lang", ["es", "en"])
def test_other_as_changes_nothing_under_the_government_account(lang):
    # documented in analysis.parameters: the government's account has no "other" category
    tables, base = _tables()
    texts = {o: findings.brief_content(tables, {**base, "account": "pcm2018", "other_as": o}, lang)
             for o in ("exclude", "state", "civil_society")}
    # the national tables' finding says what the IRM's sheets hold; the government's account has
    # no "other", and the finding gives no IRM count under it
    findings_text = {o: [f["text"] for f in c["findings"]] + [c["headline"]] for o, c in texts.items()}
    assert findings_text["exclude"] == findings_text["state"] == findings_text["civil_society"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_interval_method_changes_no_finding(raw, lang):
    # documented in analysis.parameters: intervals live in the methods box only
    from analysis.clean import attendance as A
    from analysis.questions import shares as S

    att = A.tidy(raw)
    outs = []
    for method, level in (("wilson", 0.95), ("exact", 0.9)):
        tables, base = _tables(shares=S.stage_shares(att, method, level))
        c = findings.brief_content(tables, {**base, "ci_method": method, "confidence": level}, lang)
        outs.append(([f["text"] for f in c["findings"]] + [c["headline"]], c["methods"][1]))
    assert outs[0][0] == outs[1][0]
    assert outs[0][1] != outs[1][1]  # ...while the methods box does change


def test_seed_has_no_effect_with_the_current_data():
    # documented in analysis.parameters: every expected count is at least 5, so no permutation test
    # (which the seed drives) runs; if this fails, update the seed's documentation
    tables, _ = _tables()
    tests = tables["stage_tests"]
    ran = tests[tests["p_value"].notna()]
    assert len(ran) > 0 and ran["method"].str.startswith("chi-square").all()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_both_accounts_side_by_side_same_findings(lang):
    tables, base = _tables()
    parameters = {**base, "account": "both", "other_as": "civil_society"}
    content = findings.brief_content(tables, parameters, lang)
    assert [f["id"] for f in content["findings"]] == ["national_tables", "stages", "accounts_disagree",
                                                      "survival", "influence", "forum", "bodies",
                                                      "standards", "evolution",
                                                      "plans_participation"]
    facts = audit.Facts(paths.ROOT / base["processed_dir"], parameters, SOURCES)
    assert audit.audit_content(content, facts, "both", lang) == []


# ----------------------------------------------------------------------- issue 21: wording and length
@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("account,other_as", COMBOS)
def test_every_brief_of_the_sweep_keeps_the_vocabulary_and_fits_six_pages(built, account, other_as, lang):
    """Every combination `make sweep` runs: the checked vocabulary (templates/brief_vocabulary.yaml),
    at most 6 A4 pages, and page 1 carrying the headline, the key messages, the date, the licence
    and the citation."""
    root, parameters = built[(account, other_as)]
    out = root / parameters["brief_dir"]
    doc = json.loads((out / f"brief_{lang}.json").read_text(encoding="utf-8"))
    pages = audit.pdf_pages(out / f"brief_{lang}.pdf")
    assert len(pages) <= 6, f"{len(pages)} pages"
    for text in ("\n".join(pages), audit.brief_text_from_html(out / f"brief_{lang}.html")):
        assert audit.vocabulary_problems(text, lang) == []
    # URLs break only after a slash: never "2017-" / "-2019" (Typst repeats a hyphen in Spanish)
    whole = "\n".join(pages)
    assert not re.search(r"-\s*\n\s*-", whole)
    for ref in doc["references"]:
        if ref["url"]:
            assert ref["url"] in re.sub(r"[\s\u200b]+", "", whole), ref["url"]
    first = " ".join(audit.normalise(pages[0]).split())
    flat = lambda s: " ".join(audit.normalise(s).split())  # noqa: E731
    assert flat(doc["headline"])[:60] in first
    assert len(doc["key_messages"]) >= 3
    for key in doc["key_messages"]:
        assert flat(key["lead"]) in first, key["lead"]
    for must in (doc["date_label"], doc["licence"][:20], flat(doc["cite"])[:40]):
        assert flat(must) in first, must
    # the recommendations: at least four asks, each from data/raw, each tied to a finding
    asks = [a for g in doc["recommendations"] for a in g["asks"]]
    standards = [s for g in doc["recommendations"] for s in g["standards"]]
    assert len(asks) + len(standards) >= 4
    assert all(a["answers"] for a in asks)
    # no ask that no source makes: every quote is a row of data/raw/recommendations.csv, and the
    # standards are exactly those the IRM rated amber or red, in their own words
    raw_recs = pd.read_csv(paths.RAW_DIR / "recommendations.csv")
    assert sorted(a["quote"] for a in asks) == sorted(raw_recs["quote"])
    std = pd.read_csv(paths.RAW_DIR / "standards.csv")
    flagged = std[std["colour"].isin(["amber", "red"])]
    assert sorted(s["name"] for s in standards) == sorted(flagged["name_printed"])
    assert {s["text"] for s in standards} <= {t.rstrip(" ,;.") for t in flagged["text_printed"]}


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("account", ["irm2019", "pcm2018", "both"])
def test_no_sentence_is_said_twice(account, lang):
    # under account=both, finding 4's first sentence and "narrowed down" were printed twice
    tables, base = _tables()
    content = findings.brief_content(tables, {**base, "account": account, "other_as": "exclude"}, lang)
    texts = [content["headline"]] + [k["text"] for k in content["key_messages"]]
    texts += [f["text"] for f in content["findings"]]
    sentences = [s for t in texts for s in re.split(r"(?<=[.])\s+", t) if len(s) > 30]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated, repeated
    narrowed = "acotaron" if lang == "es" else "narrowed"
    assert " ".join(f["text"] for f in content["findings"]).count(narrowed) <= 1


@pytest.mark.parametrize("lang", ["es", "en"])
def test_vocabulary_holds_under_both_accounts(lang):
    tables, base = _tables()
    content = findings.brief_content(tables, {**base, "account": "both", "other_as": "state"}, lang)
    text = " ".join([content["headline"], *(k["lead"] + " " + k["text"] for k in content["key_messages"]),
                     *(f["text"] for f in content["findings"])])
    problems = audit.vocabulary_problems(text + " Anexo técnico Technical annex", lang)
    # the content alone carries no reference list: only the forbidden wordings can be judged here
    assert [p for p in problems if not p.startswith("required")] == []


def test_the_vocabulary_check_can_fail():
    bad = ("Según el IRM, en las mesas nacionales, donde se decidieron los compromisos, hubo 37 de 113 "
           "participantes; cada contradicción está en data/raw/disagreements.csv. Anexo técnico")
    problems = audit.vocabulary_problems(bad, "es")
    assert any("decid" in p for p in problems) and any("participantes" in p for p in problems)
    assert any("contradicci" in p for p in problems) and any(".csv" in p for p in problems)
    assert any("required wording" in p for p in problems)
