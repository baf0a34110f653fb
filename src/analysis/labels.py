"""Shared vocabulary: slugs for printed labels, display names in two languages, number formats.

Every label a figure draws comes from :data:`VOCAB`, one entry per key with a Spanish and an
English text (accents included). :func:`label` is strict (an unknown key is an error naming
the key), :func:`name` is lenient (an unknown key comes back unchanged) for prose.

Numbers are formatted with Babel (CLDR data) and the locale is a parameter. The Spanish
default is ``es_PE``: Peruvian public documents print a decimal point and no space before
the percent sign (the government's systematization, Cuadro 1: "70.5%").
"""

from __future__ import annotations

import functools
import re
import unicodedata

from babel import Locale
from babel.numbers import format_decimal, format_percent

#: A no-break space: keeps a number with its unit or noun at a line end.
NBSP = "\u00a0"
#: CLDR locale used for each language unless a locale is passed explicitly.
LOCALES = {"es": "es_PE", "en": "en"}
LANGS = ("es", "en")


def slug(text: str) -> str:
    """'San Martín' -> 'san_martin'; 'SEGURIDAD CIUDADANA' -> 'seguridad_ciudadana'."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


#: Stages in the order of the process (the whole process first).
STAGE_ORDER = ["overall", "thematic_table", "regional_workshop", "national_table", "closing_event"]
#: The stages that are single events, in process order (for figures).
STAGES = STAGE_ORDER[1:]


def _v(es: str, en: str) -> dict[str, str]:
    return {"es": es, "en": en}


#: One vocabulary: key -> {"es": ..., "en": ...}.
VOCAB: dict[str, dict[str, str]] = {
    # stages and actors
    "thematic_table": _v("Mesas temáticas", "Thematic tables"),
    "regional_workshop": _v("Talleres regionales", "Regional workshops"),
    "national_table": _v("Mesas nacionales", "National tables"),
    "closing_event": _v("Desayuno de cierre", "Closing breakfast"),
    "overall": _v("Proceso completo", "Whole process"),
    "final_plan": _v("Plan final", "Final plan"),
    "state": _v("Estado", "State"),
    "civil_society": _v("Sociedad civil", "Civil society"),
    "other": _v("Otros", "Other"),
    "non_state": _v("No estatal", "Non-state"),
    "unspecified": _v("Sin desagregar", "Not broken down"),
    "total": _v("Total", "Total"),
    # sources, as named on attendance charts and on proposal/commitment charts
    "irm2019": _v("IRM (actas firmadas)", "IRM (signed sheets)"),
    "pcm2018": _v("Gobierno (sistematización)", "Government (systematization)"),
    "irm2019_report": _v("IRM (informe de diseño)", "IRM (design report)"),
    "pcm2018_report": _v("Gobierno (sistematización)", "Government (systematization)"),
    "spda2022_report": _v("SPDA (2022)", "SPDA (2022)"),
    "ogp_web_report": _v("Lista de compromisos de OGP (web)", "OGP commitment list (web)"),
    "stated_irm2019": _v("cifra del IRM (2019)", "number stated by the IRM (2019)"),
    "stated_pcm2018": _v("cifra del Gobierno (2018)", "number stated by the government (2018)"),
    "stated_spda2022": _v("cifra de SPDA (2022)", "number stated by SPDA (2022)"),
    "stated_pcm2017": _v("cifra del Gobierno (2017)", "number stated by the government (2017)"),
    # events (attendance)
    "ambiente_y_saneamiento": _v("Ambiente y saneamiento", "Environment and sanitation"),
    "interior": _v("Interior", "Interior"),
    "arequipa": _v("Arequipa", "Arequipa"),
    "la_libertad": _v("La Libertad", "La Libertad"),
    "san_martin": _v("San Martín", "San Martín"),
    "primera_mesa": _v("Primera mesa", "First table"),
    "segunda_mesa": _v("Segunda mesa", "Second table"),
    "desayuno_de_trabajo": _v("Desayuno de trabajo", "Working breakfast"),
    # themes (proposals and commitments)
    "ambiente": _v("Ambiente", "Environment"),
    "educacion": _v("Educación", "Education"),
    "infraestructura": _v("Infraestructura", "Infrastructure"),
    "salud": _v("Salud", "Health"),
    "saneamiento": _v("Saneamiento", "Sanitation"),
    "seguridad_ciudadana": _v("Seguridad ciudadana", "Citizen security"),
    "transversal": _v("Transversal", "Cross-cutting"),
    "contrataciones": _v("Contrataciones públicas", "Public procurement"),
    "ambiente_e_industrias_extractivas": _v("Ambiente e industrias extractivas",
                                            "Environment and extractive industries"),
    "programas_sociales": _v("Programas sociales", "Social programmes"),
    "justicia": _v("Justicia", "Justice"),
    "calidad_regulatoria": _v("Calidad regulatoria", "Regulatory quality"),
    "thematic_table_pool": _v("Mesas temáticas y talleres", "Thematic tables and workshops"),
    # OGP policy areas (the OGP list)
    "capacity_building": _v("Fortalecimiento de capacidades", "Capacity building"),
    "e_government": _v("Gobierno electrónico", "E-government"),
    "access_to_information": _v("Acceso a la información", "Access to information"),
    "anti_corruption": _v("Anticorrupción", "Anti-corruption"),
    "access_to_justice": _v("Acceso a la justicia", "Access to justice"),
    "open_regulations": _v("Regulación abierta", "Open regulations"),
    "dispute_resolution_legal_assistance": _v("Resolución de disputas y asistencia legal",
                                              "Dispute resolution and legal assistance"),
    "fiscal_openness": _v("Apertura fiscal", "Fiscal openness"),
    "labor": _v("Trabajo", "Labour"),
    "public_participation": _v("Participación ciudadana", "Public participation"),
    "education": _v("Educación", "Education"),
    "environment_and_climate": _v("Ambiente y clima", "Environment and climate"),
    "infrastructure_transport": _v("Infraestructura y transporte", "Infrastructure and transport"),
    "legislation_regulation": _v("Legislación y regulación", "Legislation and regulation"),
    "legislative": _v("Poder legislativo", "Legislature"),
    "not_published": _v("Sin área publicada", "No area published"),
    "private_sector": _v("Sector privado", "Private sector"),
    "public_service_delivery": _v("Servicios públicos", "Public service delivery"),
    "records_management": _v("Gestión documental", "Records management"),
    # OGP values (IRM) and principles (SPDA); IRM potential impact
    "civic_participation": _v("Participación cívica", "Civic participation"),
    "public_accountability": _v("Rendición de cuentas", "Public accountability"),
    "technology_innovation": _v("Tecnología e innovación", "Technology and innovation"),
    "transparency": _v("Transparencia", "Transparency"),
    "participation": _v("Participación", "Participation"),
    "accountability": _v("Rendición de cuentas", "Accountability"),
    "integrity": _v("Integridad", "Integrity"),
    "irm_relevance_pre_2020": _v("relevancia según el IRM (antes de 2020)", "IRM relevance (before 2020)"),
    "spda_related_principles": _v("principios según SPDA", "principles according to SPDA"),
    "none": _v("ninguno", "none"),
    "minor": _v("menor", "minor"),
    "moderate": _v("moderado", "moderate"),
    "transformative": _v("transformador", "transformative"),
    # multistakeholder bodies
    "comision_multisectorial_2013": _v("Comisión Multisectorial (2013)", "Multisectoral Commission (2013)"),
    "foro_multiactor_de_gobierno_abierto_2020": _v("Foro Multiactor de Gobierno Abierto (2020)",
                                                   "Open Government Multistakeholder Forum (2020)"),
    # figure titles, axes and notes
    "project_name": _v("Proyecto Participación en Gobierno Abierto Perú",
                       "Peru OGP participation project"),
    "cite_irm2019": _v("IRM, informe de diseño 2017-2019 (2019)", "IRM design report 2017-2019 (2019)"),
    "cite_pcm2018": _v("PCM-GIZ, sistematización (2018)", "PCM-GIZ systematization (2018)"),
    "cite_spda2022": _v("SPDA (2022)", "SPDA (2022)"),
    "cite_ogp_web": _v("lista de compromisos de OGP", "OGP commitment list"),
    "cite_pcm2017": _v("PCM, presentación (2017)", "PCM presentation (2017)"),
    "irm2019_short": _v("IRM", "IRM"),
    "pcm2018_short": _v("Gobierno", "Government"),
    "not_reported": _v("no informa", "not reported"),
    "proposals": _v("Propuestas", "Proposals"),
    "potential_commitments": _v("Compromisos potenciales", "Potential commitments"),
    "funnel_axis": _v("Propuestas o compromisos (número)", "Proposals or commitments (number)"),
    "civil_society_seats": _v("Sociedad civil", "Civil society"),
    "other_non_state": _v("Empresas y academia", "Business and academia"),
    "seats_share": _v("% de los asientos", "% of the seats"),
    "bound_range": _v("rango entre ambos", "range between the two"),
    "share_title": _v("Participación de la sociedad civil por etapa",
                      "Civil-society share of participants by stage"),
    "share_axis_exclude": _v("Sociedad civil, % de las firmas de Estado y sociedad civil",
                             "Civil society, % of state and civil-society signatures"),
    "share_axis_state": _v("Sociedad civil, % de todas las firmas (otros como Estado)",
                           "Civil society, % of all signatures (other as state)"),
    "share_axis_civil_society": _v("Sociedad civil y otros, % de todas las firmas",
                                   "Civil society and other, % of all signatures"),
    "share_axis_any": _v("Proporción de sociedad civil", "Civil-society share"),
    "event_title": _v("Participación de la sociedad civil por evento", "Civil-society share by event"),
    "sens_title": _v("¿Cuánto pesan los «otros» (consultores)? Conteo del IRM",
                     "How much do the “other” participants (consultants) matter? IRM count"),
    "other_exclude": _v("excluidos", "excluded"),
    "other_state": _v("como Estado", "as state"),
    "other_civil_society": _v("como sociedad civil", "as civil society"),
    "funnel_title": _v("Del embudo de propuestas al plan 2017-2019", "From proposals to the 2017-2019 plan"),
    "count": _v("Número", "Number"),
    "survival_title": _v("Supervivencia de las propuestas por tema", "Proposal survival by theme"),
    "survival_axis": _v("Propuestas que llegaron al plan", "Proposals that reached the plan"),
    "low": _v("mínimo documentado", "lower bound (documented)"),
    "high": _v("máximo posible", "upper bound (possible)"),
    "plans_title": _v("Compromisos por plan de acción", "Commitments per action plan"),
    "ogp_list": _v("lista de OGP (contados)", "OGP list (counted)"),
    "plan": _v("Plan", "Plan"),
    "areas_title": _v("Áreas de política por plan (lista de OGP)", "Policy areas by plan (OGP list)"),
    "values_title": _v("Valores y principios por plan (instrumentos distintos)",
                       "Values and principles by plan (different instruments)"),
    "share_of_plan": _v("Proporción de los compromisos del plan", "Share of the plan's commitments"),
    "themes_title": _v("Temas de los planes III y IV", "Themes of plans III and IV"),
    "recurs_note": _v("* tema presente en ambos planes", "* theme present in both plans"),
    "irm_title": _v("Evaluación de diseño del IRM, plan 2017-2019", "IRM design assessment, 2017-2019 plan"),
    "impact": _v("Impacto potencial", "Potential impact"),
    "relevance": _v("Relevancia por valor de OGP", "Relevance by OGP value"),
    "commitments": _v("Compromisos", "Commitments"),
    "bodies_title": _v("Asientos en los espacios multiactor", "Seats in the multistakeholder bodies"),
    "seats": _v("Asientos", "Seats"),
    "parity": _v("paridad", "parity"),
    "spec_title": _v("La proporción de sociedad civil en cada especificación",
                     "The civil-society share under every specification"),
    "spec_axis": _v("Especificaciones, ordenadas por proporción", "Specifications, ordered by share"),
    "silent_stage": _v("no informa esta etapa", "does not report this stage"),
    "ci_note": _v("Barras: intervalo de confianza", "Bars: confidence interval"),
    "ci_note_plain": _v("Barras: margen por variación al azar", "Bars: allowance for chance variation"),
    # the process figures (standards scorecard, timeline)
    # OGP standards as the IRM's Annex I names them (es as printed; en, OGP's English names)
    "std_1a": _v("Foro establecido", "Forum established"),
    "std_1b": _v("Frecuencia", "Regularity"),
    "std_1c": _v("Desarrollo colaborativo del mandato", "Collaborative mandate development"),
    "std_1d": _v("Mandato público", "Mandate public"),
    "std_2a": _v("Multiactor", "Multistakeholder"),
    "std_2b": _v("Paridad", "Parity"),
    "std_2c": _v("Selección transparente", "Transparent selection"),
    "std_2d": _v("Representantes de Gobierno de alto nivel", "High-level government representatives"),
    "std_3d": _v("Apertura", "Openness"),
    "std_3e": _v("Participación remota", "Remote participation"),
    "std_3f": _v("Minutas", "Minutes"),
    "std_4a": _v("Transparencia en el proceso", "Process transparency"),
    "std_4b": _v("Documentación previa", "Documentation in advance"),
    "std_4c": _v("Sensibilización", "Awareness-raising"),
    "std_4d": _v("Canales de comunicación", "Communication channels"),
    "std_4e": _v("Respuesta fundamentada", "Reasoned response"),
    "std_5a": _v("Repositorio", "Repository"),
    "score_title": _v("Estándares de participación y cocreación de OGP: evaluación del IRM",
                      "OGP participation and co-creation standards: the IRM's assessment"),
    "score_green": _v("Verde: cumple con el estándar", "Green: meets the standard"),
    "score_amber": _v("Amarillo: en proceso", "Yellow (Amarillo): in progress"),
    "score_red": _v("Rojo: sin evidencia de acción", "Red: no evidence of action"),
    "section_forum": _v("Foro multiactor", "Multistakeholder forum"),
    "section_development": _v("Desarrollo del plan de acción", "Action plan development"),
    "score_source": _v("Fuente: IRM (2019), anexo I. Letras sobre la celda: código impreso junto al color.",
                       "Source: IRM (2019), Annex I. Letters above a cell: code printed beside the colour."),
    "timeline_title": _v("El proceso de cocreación según cada documento",
                         "The co-creation process according to each document"),
    "timeline_axis": _v("Días desde la publicación del cronograma", "Days since the schedule was published"),
    "invitations_sent": _v("Oficios de invitación", "Invitation letters"),
    "schedule_published": _v("Cronograma publicado", "Schedule published"),
    "regional_call_posted": _v("Convocatoria a talleres en la web", "Workshop call posted online"),
    "self_assessment_consultation": _v("Consulta de la autoevaluación", "Self-assessment consultation"),
    "virtual_consultation": _v("Consulta virtual", "Virtual consultation"),
    "participation_stage": _v("Etapa de participación", "Participation stage"),
    "approval": _v("Aprobación del plan", "Plan approved"),
    # participation across the plans (notebook 07): the IRM tables' IAP2 levels, as the IRM's
    # Spanish table 3.2 and English "At a glance" tables print them
    "iap2_no_consultation": _v("Sin consulta", "No consultation"),
    "iap2_inform": _v("Informar", "Inform"),
    "iap2_consult": _v("Consultar", "Consult"),
    "iap2_involve": _v("Involucrar", "Involve"),
    "iap2_collaborate": _v("Colaborar", "Collaborate"),
    "iap2_empower": _v("Empoderar", "Empower"),
    "stage_development": _v("Durante el desarrollo", "During development"),
    "stage_implementation": _v("Durante la implementación", "During implementation"),
    "influence_title": _v("Influencia del público en cada plan, según las tablas del IRM",
                          "Public influence in each plan, according to the IRM's tables"),
    "ogp_minimum": _v("Mínimo de OGP durante el desarrollo", "OGP minimum during development"),
    "forum_row": _v("¿Foro multiactor?", "Multistakeholder forum?"),
    "forum_yes": _v("Sí", "Yes"),
    "forum_no": _v("No", "No"),
    "no_table": _v("sin tabla", "no table"),
    "action_plan": _v("Plan de acción", "Action plan"),
    "plan_numerals": _v("I II III IV V", "I II III IV V"),
    "standard_codes": _v("a b c d e f P I PM M", "a b c d e f P I PM M"),  # Annex I ids and codes, as printed
    "month_names": _v("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
                      "diciembre setiembre de", "January February March April May June July August September "
                      "October November December"),
}

#: Per-language view of the vocabulary (kept for modules that read ``NAMES[lang]``).
NAMES = {lang: {k: v[lang] for k, v in VOCAB.items()} for lang in LANGS}


def label(key: str, lang: str = "es") -> str:
    """Display text of a vocabulary key; an unknown key or language is an error naming it."""
    try:
        return VOCAB[key][lang]
    except KeyError:
        raise KeyError(f"no {lang!r} label for {key!r} in analysis.labels.VOCAB; add an es and an "
                       f"en entry") from None


def name(key: str, lang: str = "es") -> str:
    """Display name of a vocabulary key; unknown keys come back unchanged."""
    return NAMES[lang].get(key, key)


def label_of(text: str, lang: str = "es") -> str:
    """Display text for a printed label (e.g. a body's name or an instrument), via its slug."""
    return label(slug(text), lang)


def words(lang: str) -> set[str]:
    """Every word the vocabulary uses in ``lang`` (lower case), for checking drawn text."""
    found: set[str] = set()
    for entry in VOCAB.values():
        found.update(w.lower() for w in re.findall(r"[^\W\d_]+", entry[lang]))
    return found


# ------------------------------------------------------------------------- numbers
def locale_for(lang: str, locale: str | None = None) -> str:
    return locale or LOCALES[lang]


def fmt_number(value: float, lang: str = "es", digits: int = 1, locale: str | None = None) -> str:
    """A number with ``digits`` decimals in the language's CLDR locale ('70.5' in es_PE)."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(float(value), format=pattern, locale=locale_for(lang, locale))


def fmt_int(value: int, lang: str = "es", locale: str | None = None) -> str:
    return format_decimal(int(value), locale=locale_for(lang, locale))


@functools.lru_cache(maxsize=4096)  # axis formatters ask for the same ticks at every draw
def fmt_percent(share: float, lang: str = "es", digits: int = 0, locale: str | None = None) -> str:
    """A share (0-1) as a percentage in the locale's own pattern; any space in it is no-break."""
    loc = Locale.parse(locale_for(lang, locale))
    pattern = loc.percent_formats[None].pattern.split(";")[0]
    if digits > 0:
        pattern = pattern.replace("0", "0." + "0" * digits, 1) if "." not in pattern else pattern
    text = format_percent(float(share), format=pattern, locale=loc)
    return text.replace(" ", NBSP).replace("\u202f", NBSP)


_NUMBER_THEN_WORD = re.compile(r"(?<=\d)[ \t]+(?=[%\w–-])")


def keep_together(text: str) -> str:
    """Replace the space between a number and the word or sign after it by a no-break space."""
    return _NUMBER_THEN_WORD.sub(NBSP, str(text))


def format_date(date, lang: str = "es", locale: str | None = None) -> str:
    """A date in words in the locale ('24 de noviembre de 2026', 'November 24, 2026')."""
    from babel.dates import format_date as _format_date

    return _format_date(date, format="long", locale=locale_for(lang, locale))
