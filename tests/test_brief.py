"""The brief: dated by the release, cited, linked only to what the documents print, and its
words placed as text (never parsed as markup) in both Typst and HTML."""

import datetime as dt
import json
import re

import pytest
import yaml

from analysis import __version__, paths
from analysis.report import brief

BRIEF = paths.ROOT / "reports" / "brief"
SOURCE_FILES = {"pcm2018": "pcm-giz-2018-sistematizacion-cocreacion-2017-2019.txt",
                "irm2019": "irm-2019-peru-design-report-2017-2019.txt",
                "ogp_web": "ogp-web-pe0066-and-commitment-list.txt",
                "spda2022": "spda-2022-agenda-gobierno-abierto.txt",
                "pcm2017": "pcm-2017-presentacion-plan-2017-2019.txt"}


def test_citation_cff_is_complete():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == __version__
    assert isinstance(cff["date-released"], dt.date)
    assert cff["authors"] == [{"name": brief.AUTHOR}]
    changelog = (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {__version__} ({cff['date-released'].isoformat()})" in changelog


@pytest.mark.parametrize("lang", ["es", "en"])
def test_brief_is_dated_by_the_release_and_records_its_parameters(lang):
    doc = json.loads((BRIEF / f"brief_{lang}.json").read_text(encoding="utf-8"))
    rel = brief.release()
    assert doc["date_iso"] == rel["date"].isoformat() and doc["version"] == __version__
    params = yaml.safe_load((paths.ROOT / "params.yaml").read_text(encoding="utf-8"))
    for key, value in doc["parameters"].items():
        assert params[key] == value, key
    assert doc["raw_checksum"] == brief.raw_checksum()  # findings.raw_checksum
    assert doc["raw_checksum"] in " ".join(doc["colophon"].split())
    # the citation names the release date (never the build date); the version is in the colophon
    assert doc["date_label"] in doc["cite"] and str(rel["date"].year) in doc["cite"]
    assert __version__ in doc["colophon"]
    if lang == "es":
        assert doc["date_label"] == "24 de noviembre de 2026"  # CITATION.cff: 2026-11-24


def test_typst_source_holds_no_words():
    for lang in ("es", "en"):
        source = (BRIEF / f"brief_{lang}.typ").read_text(encoding="utf-8")
        assert source == f'#import "brief_template.typ": brief\n#brief(json("brief_{lang}.json"))\n'


def test_links_are_printed_in_the_documents(sources_dir):
    links = yaml.safe_load((brief.TEMPLATES / "brief_words.yaml").read_text(encoding="utf-8"))["links"]
    assert set(links) <= set(SOURCE_FILES)
    for source_id, link in links.items():
        text = (sources_dir / SOURCE_FILES[source_id]).read_text(encoding="utf-8")
        flat = re.sub(r"-\s*\n\s*", "-", text)  # URLs broken over lines in the extraction
        assert link["url"] in flat, (source_id, link["url"])


def test_every_reference_has_a_link_or_says_it_has_none():
    for lang in ("es", "en"):
        doc = json.loads((BRIEF / f"brief_{lang}.json").read_text(encoding="utf-8"))
        # the five documents, and the IRM's web pages (issue 22) that a finding cites: the final
        # design report (beside the draft, where it prints the same level), the implementation
        # report and the 2019-2021 design report (the finding across the plans)
        assert brief.PAGE_REFERENCES
        assert [r["id"] for r in doc["references"]] == [
            "pcm2018", "irm2019", "ogp_web", "spda2022", "pcm2017",
            "irm_design_2017_web", "irm_impl_2017_web", "irm_design_2019_web"]
        for ref in doc["references"]:
            assert ref["link_note"], ref["id"]
            assert ref["url"] is None or ref["url"].startswith("http")


TRICKY = 'Estado <b>"27"</b> & *no* _markup_ #set $x$ [link] @ref \\ `code` // comment'


def _tricky_doc():
    doc = json.loads((BRIEF / "brief_es.json").read_text(encoding="utf-8"))
    doc["findings"][0]["text"] = TRICKY
    doc["headline"] = TRICKY
    return doc


def test_html_escapes_words_from_the_data():
    doc = _tricky_doc()
    phones = {name: b"<svg xmlns='http://www.w3.org/2000/svg' width='10pt' height='10pt'/>"
              for name in doc["figure_order"]}
    page = brief.to_html(doc, paths.ROOT / "reports" / "figures", phones)
    assert "<b>" not in page and "&lt;b&gt;&#34;27&#34;&lt;/b&gt; &amp; *no*" in page


def test_typst_places_words_from_the_data_as_text(tmp_path):
    import shutil

    import typst

    from analysis.report.audit import pdf_pages

    out = tmp_path / "reports" / "brief"
    out.mkdir(parents=True)
    shutil.copytree(paths.ROOT / "reports" / "figures", tmp_path / "reports" / "figures")
    shutil.copy(brief.TEMPLATES / "brief.typ", out / "brief_template.typ")
    (out / "brief_es.json").write_text(json.dumps(_tricky_doc(), ensure_ascii=False), encoding="utf-8")
    shutil.copy(BRIEF / "brief_es.typ", out / "brief_es.typ")
    pdf = typst.compile(str(out / "brief_es.typ"), root=str(tmp_path), ignore_system_fonts=True)
    (tmp_path / "x.pdf").write_bytes(pdf)
    text = " ".join(" ".join(pdf_pages(tmp_path / "x.pdf")).split())
    assert "*no* _markup_ #set $x$ [link] @ref" in text


def test_alt_text_describes_the_figure_with_computed_numbers():
    doc = json.loads((BRIEF / "brief_es.json").read_text(encoding="utf-8"))
    alt = " ".join(doc["figures"]["shares_by_stage"]["alt"].split())
    # IRM 2019, national tables: 37 civil society of 113 (state + civil society) = 32.7% -> 33%
    assert "33% en mesas nacionales" in alt
    assert doc["figures"]["shares_by_stage"]["caption"] not in alt
