"""The evidence brief for NGOs: Spanish and English, PDF (Typst) and self-contained HTML.

Code and words are kept apart. This module gathers *data*: the content from
``findings.brief_content`` (headline, findings, methods ...), numbers for the figures' alt
text, the references, the release (version and date from ``CITATION.cff``), the parameters
and the raw-data checksum, into one JSON-serialisable document per language. The words
around them live in ``templates/``: ``brief_words.yaml`` (fixed words, Jinja2 snippets for alt
text and citation), ``brief.typ`` (Typst layout, reading ``brief_<lang>.json`` with
``json()``) and ``brief.html.j2`` (Jinja2 with autoescape).

Outputs, in ``brief_dir``: ``brief_<lang>.json`` (the document), ``brief_<lang>.typ`` (two
lines: import the layout, read the JSON), ``brief_template.typ``, ``brief_<lang>.pdf`` and
``brief_<lang>.html``. The PDF compiles from the repository root with
``typst compile --root . reports/brief/brief_es.typ``. Output is deterministic: the date
is the release date, never today's.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import labels, paths
from ..clean import process as _declares_process_tables  # noqa: F401  (notebook 06's tables)
from ..clean import processed
from ..outputs import write_bytes, write_text
from ..questions import evolution
from ..questions import participation_across_plans as _declares_plans_tables  # noqa: F401  (07's)
from ..raw.package import PAGES
from . import figures as F
from . import findings

LANGS = ("es", "en")
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The brief's figures, in the order they are introduced when no finding points to them.
#: Placed at their natural width, so the sizes drawn are the sizes printed (>= 7 pt).
#: A finding may point to a figure not listed here (shares_by_event): the brief then shows none
#: for it, to stay within four pages.
FIGURES = [{"name": n, "width_in": F.PRINT["width"]}
           for n in ("shares_by_stage", "survival_by_theme", "commitments_per_plan", "bodies_parity",
                     "specification_curve")]
NEEDED = ["attendance", "shares", "stage_tests", "attendance_discrepancies", "survival", "funnel",
          "commitments", "plans", "bodies"]
OPTIONAL = ["multiverse", "standards", "standards_scorecard", "disagreements", "public_influence", "forum_status",
            "bodies_civil_society", "timeline_stages",
            "influence_by_plan", "forum_by_plan", "irm_summary"]  # the last three: notebook 07
AUTHOR = "Peru OGP participation project"
#: Whether the web pages a finding cites (issue 22) get their own entries in the references
#: (the brief may run to six pages; the page test keeps every combination within them).
PAGE_REFERENCES = True


# ------------------------------------------------------------------------ release and inputs
@cache
def words(lang: str) -> dict[str, Any]:
    return yaml.safe_load((TEMPLATES / "brief_words.yaml").read_text(encoding="utf-8"))[lang]


@cache
def _links() -> dict[str, Any]:
    return yaml.safe_load((TEMPLATES / "brief_words.yaml").read_text(encoding="utf-8"))["links"]


def release(citation: Path | None = None) -> dict[str, Any]:
    """Title, version, release date and authors from CITATION.cff (never today's date)."""
    from .. import __version__

    cff = yaml.safe_load(Path(citation or paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    if str(cff["version"]) != __version__:
        raise ValueError(f"CITATION.cff: version {cff['version']} differs from the package's {__version__}")
    date = cff["date-released"]
    date = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
    return {"title": cff["title"], "version": __version__, "date": date,
            "authors": [a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
                        for a in cff["authors"]]}


def raw_checksum() -> str:
    """The checksum of data/raw that every output records (``analysis.raw.package.raw_checksum``)."""
    return findings.raw_checksum()


def brief_content(tables: dict[str, pd.DataFrame], params: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the brief says, in one language (``findings.brief_content``: question, headline,
    findings [{id, text, source, figure}], what_this_means, methods, robustness, parameters,
    raw_checksum)."""
    return findings.brief_content(tables, params, lang)


# ------------------------------------------------------------------------ alt text data
def _render_words(template: str, **values) -> str:
    """Fill a word template from brief_words.yaml (plain text; escaping happens at output)."""
    from jinja2 import Environment, StrictUndefined

    env = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False)
    return " ".join(env.from_string(template).render(**values).split())


def _alt_values(name: str, tables: dict[str, pd.DataFrame], raw: dict[str, pd.DataFrame],
                params: dict[str, Any], lang: str) -> dict[str, Any]:
    pct = lambda x: labels.fmt_percent(float(x), lang, 0)  # noqa: E731
    if name == "shares_by_stage":
        s = tables["shares"]
        s = s[(s["unit"] == "persons") & (s["other_as"] == params["other_as"])]
        rows = {src: [{"stage": labels.label(r.stage, lang).lower(), "share": pct(r.share_civil_society)}
                      for r in s[s["source_id"] == src].itertuples() if r.stage in labels.STAGES]
                for src in ("irm2019", "pcm2018")}
        points = s[s["stage"].isin(labels.STAGES)]
        return {"irm": rows["irm2019"], "pcm": rows["pcm2018"],
                "below": labels.fmt_int(int((points["share_civil_society"] < 0.5).sum()), lang),
                "n_points": labels.fmt_int(len(points), lang)}
    if name == "survival_by_theme":
        source = "irm2019" if params["account"] == "both" else params["account"]
        s = tables["survival"]
        s = s[(s["source_id"] == source) & s["survival_low"].notna()]
        return {"rows": [{"theme": labels.label(r.theme, lang), "low": pct(r.survival_low),
                          "high": pct(r.survival_high)} for r in s.itertuples()]}
    if name == "commitments_per_plan":
        per_plan = evolution.per_plan(tables["commitments"], tables["plans"])
        stated = evolution.stated_counts(raw)
        return {"bars": [{"plan": r.plan, "period": r.canonical_label, "n": labels.fmt_int(r.n_ogp_list, lang)}
                         for r in per_plan.itertuples()],
                "stated": [{"plan": r.plan, "source": labels.label(f"stated_{r.source_id}", lang),
                            "n": labels.fmt_int(r.n_commitments, lang)} for r in stated.itertuples()]}
    if name == "bodies_parity":
        return {"rows": [{"body": labels.label_of(r.body, lang), "state": labels.fmt_int(r.state, lang),
                          "non_state": labels.fmt_int(r.non_state, lang)} for r in tables["bodies"].itertuples()]}
    if name == "specification_curve":
        multi = tables.get("multiverse")
        if multi is None:
            from ..questions import multiverse

            multi = multiverse.multiverse(tables["attendance"])
        rows = []
        for stage in ("national_table", "regional_workshop"):
            known = multi[(multi["stage"] == stage) & multi["reported"].fillna(False).astype(bool)]
            if len(known):
                share = known["share_civil_society"].astype(float)
                rows.append({"stage": labels.label(stage, lang).lower(), "n": labels.fmt_int(len(known), lang),
                             "low": pct(share.min()), "high": pct(share.max()),
                             "below": labels.fmt_int(int((share < 0.5).sum()), lang)})
        return {"rows": rows}
    raise KeyError(f"no alt text for figure {name!r}")


# ------------------------------------------------------------------------ front and back matter
def _label(source_id: str, lang: str) -> str:
    """The label a document carries in the text, the figures and its reference entry."""
    from .sentences import render

    return render("source", lang, account=source_id)


def reference_text(reference: str, lang: str) -> str:
    """A reference entry wholly in ``lang``: the few words sources.csv writes in the other
    language ("n.d.", "Web page", ...) replaced as ``brief_words.yaml`` says."""
    text = str(reference)
    for a, b in words(lang)["reference_words"].items():
        text = text.replace(a, b)
    return text


def _who(account: str, lang: str) -> str:
    return {"irm2019": {"es": "el IRM", "en": "the IRM"},
            "pcm2018": {"es": "el Gobierno", "en": "the government"}}["irm2019" if account == "both" else account][lang]


def _day_range(start: dt.date, end: dt.date, lang: str) -> str:
    """'11-20 set. 2017', '21 set.-2 oct. 2017', '27 dic. 2017' (month abbreviations in the words)."""
    month = words(lang)["months"]
    if start == end:
        return f"{start.day} {month[start.month - 1]} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {month[end.month - 1]} {end.year}"
    return f"{start.day} {month[start.month - 1]}–{end.day} {month[end.month - 1]} {end.year}"


DIAGRAM_STAGES = ("thematic_table", "regional_workshop", "national_table", "approval")


def stage_diagram(tables: dict[str, pd.DataFrame], parameters: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The stages of 2017 with their dates and counts, under the chosen account only
    (``account=both``: the IRM's, as the headline). A count or date the account does not give
    is said to be missing, never taken from the other account."""
    w = words(lang)
    account = "irm2019" if parameters["account"] == "both" else parameters["account"]
    timeline = tables.get("timeline_stages")
    funnel, shares = tables["funnel"], tables["shares"]
    rows = []
    for stage in DIAGRAM_STAGES:
        date = w["stage_counts"]["no_date"]
        if timeline is not None:
            t = timeline[(timeline["source_id"] == account) & (timeline["milestone"] == stage)]
            if len(t):
                date = _day_range(dt.date.fromisoformat(str(t["date_start"].iloc[0])),
                                  dt.date.fromisoformat(str(t["date_end"].iloc[0])), lang)
        counts = []
        f = funnel[(funnel["source_id"] == account) & (funnel["theme"] == "total")
                   & (funnel["stage"] == ("final_plan" if stage == "approval" else stage))]
        if len(f):
            unit = {"national_table": "potential", "approval": "commitments"}.get(stage, "proposals")
            values = " / ".join(labels.fmt_int(int(v), lang) for v in dict.fromkeys(f["count"]))
            counts.append(f"{values} {w['stage_counts'][unit]}")
        s = shares[(shares["source_id"] == account) & (shares["stage"] == stage) & (shares["unit"] == "persons")]
        if len(s):
            r = s.iloc[0]
            total = int(r["n_state"]) + int(r["n_civil_society"]) + int(r["n_other"])
            counts.append(f"{labels.fmt_int(total, lang)} {w['stage_counts']['signatures']}")
        elif stage != "approval":
            counts.append(f"{w['stage_counts']['signatures']}: {w['stage_counts']['not_reported']}")
        rows.append({"stage": stage, "name": w["stage_names"][stage], "date": date, "counts": counts})
    return rows


def _standard_addressee(text: str) -> str:
    """Who the standard's own sentence names as acting: the forum, or else the government."""
    return "multistakeholder_forum" if "foro" in text.lower() else "government_secretariat"


def recommendations(raw: dict[str, pd.DataFrame], numbers: dict[str, int], lang: str) -> list[dict[str, Any]]:
    """The asks, grouped by who can act: the documents' own recommendations
    (data/raw/recommendations.csv), then, for every OGP standard the IRM rated amber or red
    (data/raw/standards.csv), the standard's own words. Nothing else."""
    w = words(lang)
    recs = raw.get("recommendations")
    groups = []
    for key, title in w["addressees"].items():
        items = []
        if recs is not None:
            for r in recs[recs["addressee"] == key].itertuples():
                items.append({"quote": str(r.quote), "source": _label(r.source_id, lang), "locator": str(r.locator),
                              "answers": numbers.get(r.answers)})
        asks = []
        std = raw.get("standards")
        if std is not None:
            for r in std[std["colour"].isin(["amber", "red"])].itertuples():
                if _standard_addressee(str(r.text_printed)) == key:
                    asks.append({"name": str(r.name_printed), "text": str(r.text_printed).rstrip(" ,;."),
                                 "colour": w["standard_colour"][r.colour]})
        if items or asks:
            groups.append({"addressee": key, "title": title, "asks": items, "standards": asks,
                           "standards_answers": numbers.get("standards"),
                           "standards_source": f"{_label('irm2019', lang)}, {'anexo I' if lang == 'es' else 'Annex I'}"})
    return groups


# ------------------------------------------------------------------------ the document
def _svg_size_px(svg: bytes) -> tuple[int, int]:
    head = svg[:2000].decode("utf-8", "replace")
    w = re.search(r'width="([\d.]+)pt"', head)
    h = re.search(r'height="([\d.]+)pt"', head)
    return round(float(w.group(1)) * 96 / 72), round(float(h.group(1)) * 96 / 72)


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def document(tables: dict[str, pd.DataFrame], raw: dict[str, pd.DataFrame], raw_sources: pd.DataFrame,
             parameters: dict[str, Any], lang: str, figures_dir: Path, figures_rel: str) -> dict[str, Any]:
    """Everything one language's brief shows, JSON-serialisable (the HTML's images aside)."""
    w = words(lang)
    content = brief_content(tables, parameters, lang)
    rel = release()
    date_label = labels.format_date(rel["date"], lang)
    keep = labels.keep_together

    shown = [f["name"] for f in FIGURES]
    order: list[str] = []
    for item in content["findings"]:
        if item.get("figure") in shown and item["figure"] not in order:
            order.append(item["figure"])
    order += [name for name in shown if name not in order]
    widths = {f["name"]: f["width_in"] for f in FIGURES}
    figs = {}
    for number, name in enumerate(order, start=1):
        figs[name] = {
            "name": name, "number": number, "width_in": widths.get(name, F.PRINT["width"]),
            "file": f"/{figures_rel.strip('/')}/{name}_{lang}.svg",
            "caption": keep(_render_words(w["captions"][name], account=_who(parameters["account"], lang))),
            "source": w["figure_sources"][name],
            "alt": keep(_render_words(w["alt"][name], **_alt_values(name, tables, raw, parameters, lang))),
        }

    params = content["parameters"]
    shown_params = {"account": labels.name(params.get("account", ""), lang),
             "other_as": labels.name(f"other_{params.get('other_as', '')}", lang),
             "ci_method": params.get("ci_method"),
             "confidence": labels.fmt_percent(float(params["confidence"]), lang, 0) if "confidence" in params else None,
             "seed": params.get("seed")}
    param_text = "; ".join(f"{w['parameter_names'][k]} = {v}" for k, v in shown_params.items() if v is not None)
    links = _links()
    refs = []
    # web pages (issue 22: their table lines are in data/raw/pages/) are listed when a finding
    # cites them, with the address the page was found at
    cited = {s for f in content["findings"] for s in f.get("source_ids", [])}
    for r in raw_sources.itertuples():
        link = links.get(r.source_id)
        page = (paths.RAW_DIR / PAGES / r.file).is_file()
        if page and (r.source_id not in cited or not PAGE_REFERENCES):
            continue
        if link is None and page and isinstance(r.url, str) and r.url:
            link = {"url": r.url, lang: w["page_link"]}
        refs.append({"id": r.source_id, "label": _label(r.source_id, lang),
                     "text": reference_text(r.reference, lang),
                     "url": link["url"] if link else None,
                     "link_note": link[lang] if link else w["no_link"]})
    values = {"author": w["author_name"], "year": rel["date"].year, "title": w["title"], "kind": w["kind"],
              "version": rel["version"], "date": date_label, "repo_title": rel["title"], "project": w["project"],
              "parameters": param_text, "checksum": content["raw_checksum"]}
    numbers = {item["id"]: i for i, item in enumerate(content["findings"], start=1)}
    return {
        "lang": lang, "words": {k: v for k, v in w.items() if isinstance(v, str)},
        "title": w["title"], "subtitle": w["subtitle"], "kind": w["kind"], "author": AUTHOR,
        "version": rel["version"], "version_label": f"v{rel['version']}",
        "date_iso": rel["date"].isoformat(), "date_label": date_label,
        "headline": keep(content["headline"]), "question": w["question"],
        "project": w["project"], "licence": w["licence"],
        "key_messages": [{**k, "text": keep(k["text"])} for k in content.get("key_messages", [])],
        "stages": stage_diagram(tables, parameters, lang),
        "recommendations": recommendations(raw, numbers, lang),
        "glossary": [{"term": a, "text": b} for a, b in w["glossary"]],
        "findings": [{**item, "text": keep(item["text"]),
                      "figure": item.get("figure") if item.get("figure") in figs else None}
                     for item in content["findings"]],
        "figures": figs, "figure_order": order,
        "what_this_means": [keep(x) for x in content["what_this_means"]],
        "methods": [keep(x) for x in content["methods"]], "robustness": keep(content["robustness"]),
        "disagreements": keep(content.get("disagreements", "")),
        "references": refs,
        "cite": _render_words(w["cite"], **values), "colophon": _render_words(w["colophon"], **values),
        "parameters": params, "raw_checksum": content["raw_checksum"],
    }


def to_html(doc: dict[str, Any], figures_dir: Path, phone_svgs: dict[str, bytes] | None) -> str:
    """The HTML brief; without ``phone_svgs`` phones are shown the print figures."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    doc = json.loads(json.dumps(doc))
    for name, f in doc["figures"].items():
        svg = (Path(figures_dir) / f"{name}_{doc['lang']}.svg").read_bytes()
        f["print_uri"] = _data_uri(svg)
        f["width_px"], f["height_px"] = _svg_size_px(svg)
        f["phone_uri"] = _data_uri(phone_svgs[name]) if phone_svgs is not None else f["print_uri"]
    return env.get_template("brief.html.j2").render(d=doc)


def phone_figures(tables: dict[str, pd.DataFrame], raw: dict[str, pd.DataFrame], parameters: dict[str, Any],
                  lang: str, names: list[str]) -> dict[str, bytes]:
    """The brief's figures drawn narrow with large type, as SVG, for phones."""
    catalogue = F.catalogue(raw, tables, parameters["other_as"], parameters["account"])
    out = {}
    for name in names:
        with F.phone(), F.style():
            out[name] = F.render_svg(catalogue[name](lang))
    return out


def build(parameters: dict[str, Any], root: Path, raw_sources: pd.DataFrame,
          raw: dict[str, pd.DataFrame] | None = None, phones: bool = True,
          figure_files_written: Callable[[], None] | None = None) -> list[Path]:
    """Write the brief (JSON, Typst, PDF, HTML per language) into ``brief_dir`` under ``root``.

    ``phones=False`` skips drawing the phone figures (four fifths of the build) and lets the
    HTML show the print figures on phones too: for checks that read only the words.
    ``figure_files_written`` is called before the print figures' files are read: the
    pipeline's kernels may still be writing them while the phone figures are drawn.
    """
    import typst

    if raw is None:
        from ..raw import read_raw

        raw = read_raw()
    root = Path(root)
    processed_dir = root / parameters["processed_dir"]
    figures_dir = root / parameters["figures_dir"]
    out_dir = root / parameters["brief_dir"]
    tables = {name: processed.read_table(name, processed_dir) for name in NEEDED}
    tables |= {name: processed.read_table(name, processed_dir) for name in OPTIONAL
               if (processed_dir / f"{name}.csv").is_file()}
    template = (TEMPLATES / "brief.typ").read_text(encoding="utf-8")
    written = [write_text(out_dir / "brief_template.typ", template)]
    docs = {lang: document(tables, raw, raw_sources, parameters, lang, figures_dir, parameters["figures_dir"])
            for lang in LANGS}
    phone_svgs = {lang: phone_figures(tables, raw, parameters, lang, docs[lang]["figure_order"])
                  if phones else None for lang in LANGS}
    if figure_files_written is not None:
        figure_files_written()
    for lang, doc in docs.items():
        data = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"
        wrapper = (f'#import "brief_template.typ": brief\n'
                   f'#brief(json("brief_{lang}.json"))\n')
        written += [write_text(out_dir / f"brief_{lang}.json", data),
                    write_text(out_dir / f"brief_{lang}.typ", wrapper)]
        # the figures keep their words as SVG text in DejaVu Sans: Typst reads matplotlib's copy
        pdf = typst.compile(str(out_dir / f"brief_{lang}.typ"), root=str(root), ignore_system_fonts=True,
                            font_paths=[str(F.FONT_DIR)])
        written.append(write_bytes(out_dir / f"brief_{lang}.pdf", pdf))
        written.append(write_text(out_dir / f"brief_{lang}.html", to_html(doc, figures_dir, phone_svgs[lang])))
    return written
