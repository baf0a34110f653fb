"""The evidence brief for NGOs: Spanish and English, PDF (Typst) and self-contained HTML.

Everything with a number is read from the pipeline's outputs (processed tables and
figures) through ``analysis.report.findings``; this module only arranges words around them.
PDF output is deterministic: no creation date, fonts embedded in the Typst package only.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import pandas as pd

from ..clean import processed
from ..outputs import write_bytes, write_text
from . import findings

LANGS = ("es", "en")
FIGURES = [
    ("shares_by_stage", {"es": "Proporción de sociedad civil por etapa y por cuenta (IC: intervalo de confianza).",
                         "en": "Civil-society share by stage and account (bars: confidence interval)."}),
    ("survival_by_theme", {"es": "Propuestas que llegaron al plan: mínimo documentado y máximo posible, por tema.",
                           "en": "Proposals that reached the plan: documented lower bound and possible upper bound, by theme."}),
    ("commitments_per_plan", {"es": "Compromisos por plan: lista de OGP y la cifra que da cada documento.",
                              "en": "Commitments per plan: OGP list and the number each document states."}),
    ("bodies_parity", {"es": "Asientos estatales y no estatales frente a la paridad.",
                       "en": "State and non-state seats against parity."}),
    ("specification_curve", {"es": "La proporción de sociedad civil en cada combinación de cuenta, tratamiento de los «otros», método y nivel de confianza.",
                             "en": "The civil-society share under every combination of account, treatment of 'other', interval method and confidence level."}),
]
TEXT = {
    "es": {
        "title": "¿Quién estuvo en la sala?",
        "subtitle": "Participación de la sociedad civil en los planes de acción de gobierno abierto del Perú",
        "question_h": "La pregunta",
        "question": ("El Perú ha formulado cuatro planes de acción ante la Alianza para el Gobierno Abierto, "
                     "que deberían co-crearse entre el Estado y la sociedad civil. Para el plan 2017-2019 hay "
                     "dos relatos de quién participó: la sistematización del propio Gobierno y el Mecanismo de "
                     "Revisión Independiente (IRM), que recontó las actas de asistencia firmadas. Este resumen "
                     "compara ambos y sigue los compromisos a lo largo de los cuatro planes."),
        "findings_h": "Hallazgos clave",
        "figures_h": "Figuras",
        "methods_h": "Métodos y advertencias",
        "sources_h": "Fuentes",
        "data_date": "Datos: {n} documentos públicos fechados entre {first} y {last}; cada cifra lleva fuente, "
                     "ubicación y cita en el repositorio (versión {version}).",
        "reproduce": "Reproducir: make all en el repositorio; todas las cifras se calculan a partir de data/raw.",
    },
    "en": {
        "title": "Who was in the room?",
        "subtitle": "Civil-society participation in Peru's open government action plans",
        "question_h": "The question",
        "question": ("Peru has written four Open Government Partnership action plans, each meant to be "
                     "co-created by the state and civil society. For the 2017-2019 plan there are two accounts "
                     "of who took part: the government's own systematization and the Independent Reporting "
                     "Mechanism (IRM), which recounted the signed attendance sheets. This brief compares them "
                     "and follows the commitments across the four plans."),
        "findings_h": "Key findings",
        "figures_h": "Figures",
        "methods_h": "Methods and caveats",
        "sources_h": "Sources",
        "data_date": "Data: {n} public documents dated {first} to {last}; every number carries its source, "
                     "locator and quote in the repository (version {version}).",
        "reproduce": "Reproduce: make all in the repository; every number is computed from data/raw.",
    },
}


HEADS = {
    "es": {"national_tables": "Mesas nacionales", "stages": "Entre etapas", "accounts_disagree": "Dos cuentas",
           "survival": "Qué sobrevivió", "evolution": "Cuatro planes", "bodies": "Espacios multiactor",
           "headline_h": "Respuesta", "means_h": "Qué significa", "robustness_h": "¿Depende de las decisiones de análisis?"},
    "en": {"national_tables": "National tables", "stages": "Across stages", "accounts_disagree": "Two accounts",
           "survival": "What survived", "evolution": "Four plans", "bodies": "Multistakeholder bodies",
           "headline_h": "Answer", "means_h": "What this means", "robustness_h": "Does it depend on analysis choices?"},
}


def content(tables: dict[str, pd.DataFrame], raw_sources: pd.DataFrame, parameters: dict[str, Any],
            lang: str) -> dict[str, Any]:
    """Everything the brief says, in one language: the words of ``findings.brief_content``."""
    from .. import __version__

    text, heads = TEXT[lang], HEADS[lang]
    bc = findings.brief_content(tables, parameters, lang)
    years = raw_sources["year"].dropna().astype(int)
    return {
        "lang": lang, "title": text["title"], "subtitle": text["subtitle"],
        "question_h": text["question_h"], "question": bc["question"] + " " + text["question"],
        "headline_h": heads["headline_h"], "headline": bc["headline"],
        "findings_h": text["findings_h"],
        "findings": [(heads.get(f["id"].rsplit("_", 1)[0] if f["id"] not in heads else f["id"], f["id"]),
                      f"{f['text']} ({f['source']})") for f in bc["findings"]],
        "means_h": heads["means_h"], "what_this_means": bc["what_this_means"],
        "robustness_h": heads["robustness_h"], "robustness": bc["robustness"],
        "figures_h": text["figures_h"],
        "figures": [(f"{fig}_{lang}.png", caption[lang]) for fig, caption in FIGURES],
        "methods_h": text["methods_h"], "methods": bc["methods"],
        "sources_h": text["sources_h"],
        "sources": [f"{r.reference}" + (f" {r.url}" if pd.notna(r.url) else "") + f" [{r.source_id}]"
                    for r in raw_sources.itertuples()],
        "data_date": text["data_date"].format(n=len(raw_sources), first=years.min(), last=years.max(),
                                              version=__version__),
        "reproduce": text["reproduce"],
        "parameters": bc["parameters"], "raw_checksum": bc["raw_checksum"],
    }


_TYPST_SPECIAL = set("\\#$*_`<>@[]~\"'=/")


def typst_escape(text: str) -> str:
    return "".join(f"\\{c}" if c in _TYPST_SPECIAL else c for c in str(text))


def to_typst(c: dict[str, Any]) -> str:
    e = typst_escape
    lines = [
        f'#set document(title: "{e(c["title"])}", author: "Peru OGP participation project", date: none)',
        '#set page(paper: "a4", margin: (x: 1.8cm, y: 1.6cm), numbering: "1 / 1")',
        f'#set text(lang: "{c["lang"]}", font: "Libertinus Serif", size: 10pt)',
        "#set par(justify: true, leading: 0.55em)",
        "#show heading: set text(size: 11pt)",
        f"#text(size: 18pt, weight: \"bold\")[{e(c['title'])}] \\",
        f"#text(size: 12pt)[{e(c['subtitle'])}]",
        f"#v(2pt)#text(size: 8.5pt, fill: luma(90))[{e(c['data_date'])}]",
        f"== {e(c['question_h'])}", e(c["question"]),
        f"== {e(c['headline_h'])}", f"*{e(c['headline'])}*",
        f"== {e(c['findings_h'])}",
    ]
    for head, body in c["findings"]:
        lines.append(f"+ *{e(head)}.* {e(body)}")
    lines.append(f"== {e(c['means_h'])}")
    for m in c["what_this_means"]:
        lines.append(f"- {e(m)}")
    lines.append(f"== {e(c['robustness_h'])}")
    lines.append(e(c["robustness"]))
    lines.append(f"== {e(c['figures_h'])}")
    lines.append("#grid(columns: 2, gutter: 8pt,")
    for path, caption in c["figures"]:
        lines.append(f'  figure(image("{path}", width: 100%), caption: [{e(caption)}]),')
    lines.append(")")
    lines.append(f"#block(fill: luma(240), inset: 8pt, radius: 3pt, width: 100%, breakable: false)[*{e(c['methods_h'])}*")
    for m in c["methods"]:
        lines.append(f"- {e(m)}")
    lines.append("]")
    lines.append(f"== {e(c['sources_h'])}")
    lines.append("#text(size: 8.5pt)[")
    for s in c["sources"]:
        lines.append(f"- {e(s)}")
    lines.append("]")
    lines.append(f"#text(size: 8.5pt)[{e(c['reproduce'])}]")
    return "\n".join(lines) + "\n"


def to_html(c: dict[str, Any], figures_dir: Path) -> str:
    h = html.escape
    parts = [
        "<!DOCTYPE html>", f'<html lang="{c["lang"]}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(c['title'])}</title>",
        "<style>body{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45;color:#222}h1{margin-bottom:.2rem}.sub{font-size:1.15rem;margin-top:0}"
        ".date{color:#555;font-size:.9rem}figure{margin:1rem 0}img{max-width:100%}"
        "figcaption{font-size:.9rem;color:#444}.box{background:#f0f0f0;padding:.6rem 1rem;"
        "border-radius:4px}.refs{font-size:.85rem}</style>",
        "</head>", "<body>",
        f"<h1>{h(c['title'])}</h1>", f'<p class="sub">{h(c["subtitle"])}</p>',
        f'<p class="date">{h(c["data_date"])}</p>',
        f"<h2>{h(c['question_h'])}</h2>", f"<p>{h(c['question'])}</p>",
        f"<h2>{h(c['headline_h'])}</h2>", f"<p><strong>{h(c['headline'])}</strong></p>",
        f"<h2>{h(c['findings_h'])}</h2>", "<ol>",
    ]
    parts += [f"<li><strong>{h(head)}.</strong> {h(body)}</li>" for head, body in c["findings"]]
    parts += ["</ol>", f"<h2>{h(c['means_h'])}</h2>", "<ul>"]
    parts += [f"<li>{h(m)}</li>" for m in c["what_this_means"]]
    parts += ["</ul>", f"<h2>{h(c['robustness_h'])}</h2>", f"<p>{h(c['robustness'])}</p>"]
    parts += [f"<h2>{h(c['figures_h'])}</h2>"]
    for path, caption in c["figures"]:
        data = base64.b64encode((Path(figures_dir) / path).read_bytes()).decode("ascii")
        parts.append(f'<figure><img alt="{h(caption)}" src="data:image/png;base64,{data}">'
                     f"<figcaption>{h(caption)}</figcaption></figure>")
    parts += [f'<div class="box"><h2>{h(c["methods_h"])}</h2><ul>']
    parts += [f"<li>{h(m)}</li>" for m in c["methods"]]
    parts += ["</ul></div>", f"<h2>{h(c['sources_h'])}</h2>", '<ul class="refs">']
    parts += [f"<li>{h(s)}</li>" for s in c["sources"]]
    parts += ["</ul>", f"<p class=\"refs\">{h(c['reproduce'])}</p>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


NEEDED = ["attendance", "shares", "stage_tests", "attendance_discrepancies", "survival", "funnel",
          "commitments", "plans", "bodies"]
OPTIONAL = ["multiverse"]


def build(parameters: dict[str, Any], root: Path, raw_sources: pd.DataFrame) -> list[Path]:
    """Write brief_<lang>.typ, .pdf and .html into ``brief_dir`` under ``root``."""
    import typst

    processed_dir = Path(root) / parameters["processed_dir"]
    figures_dir = Path(root) / parameters["figures_dir"]
    out_dir = Path(root) / parameters["brief_dir"]
    tables = {name: processed.read_table(name, processed_dir) for name in NEEDED}
    tables |= {name: processed.read_table(name, processed_dir) for name in OPTIONAL
               if (processed_dir / f"{name}.csv").is_file()}
    written = []
    for lang in LANGS:
        c = content(tables, raw_sources, parameters, lang)
        source = to_typst(c)
        typ = out_dir / f"brief_{lang}.typ"
        write_text(typ, source)
        # compile from inside the figures folder so image paths stay relative and stable
        staged = figures_dir / f".brief_{lang}.typ"
        write_text(staged, source)
        try:
            pdf = typst.compile(str(staged), root=str(figures_dir), ignore_system_fonts=True)
        finally:
            staged.unlink(missing_ok=True)
        written += [typ, write_bytes(out_dir / f"brief_{lang}.pdf", pdf),
                    write_text(out_dir / f"brief_{lang}.html", to_html(c, figures_dir))]
    return written
