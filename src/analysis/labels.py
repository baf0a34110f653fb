"""Shared vocabulary: slugs for printed labels and display names in two languages."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    """'San Martín' -> 'san_martin'; 'SEGURIDAD CIUDADANA' -> 'seguridad_ciudadana'."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


#: Stages in the order of the process (the whole process first).
STAGE_ORDER = ["overall", "thematic_table", "regional_workshop", "national_table", "closing_event"]
#: The stages that are single events, in process order (for figures).
STAGES = STAGE_ORDER[1:]

NAMES = {
    "es": {
        "thematic_table": "Mesas temáticas", "regional_workshop": "Talleres regionales",
        "national_table": "Mesas nacionales", "closing_event": "Desayuno de cierre",
        "overall": "Proceso completo", "final_plan": "Plan final",
        "state": "Estado", "civil_society": "Sociedad civil", "other": "Otros",
        "unspecified": "Sin desagregar", "irm2019": "IRM (actas firmadas)",
        "pcm2018": "Gobierno (sistematización)",
        "ambiente": "Ambiente", "educacion": "Educación", "infraestructura": "Infraestructura",
        "salud": "Salud", "saneamiento": "Saneamiento", "seguridad_ciudadana": "Seguridad ciudadana",
        "transversal": "Transversal", "total": "Total",
    },
    "en": {
        "thematic_table": "Thematic tables", "regional_workshop": "Regional workshops",
        "national_table": "National tables", "closing_event": "Closing breakfast",
        "overall": "Whole process", "final_plan": "Final plan",
        "state": "State", "civil_society": "Civil society", "other": "Other",
        "unspecified": "Not broken down", "irm2019": "IRM (signed sheets)",
        "pcm2018": "Government (systematization)",
        "ambiente": "Environment", "educacion": "Education", "infraestructura": "Infrastructure",
        "salud": "Health", "saneamiento": "Sanitation", "seguridad_ciudadana": "Citizen security",
        "transversal": "Cross-cutting", "total": "Total",
    },
}


def name(key: str, lang: str = "es") -> str:
    """Display name of a vocabulary key; unknown keys come back unchanged."""
    return NAMES[lang].get(key, key)


def fmt_number(value: float, lang: str = "es", digits: int = 1) -> str:
    """Decimal comma in Spanish, point in English."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "es" else text


def fmt_percent(share: float, lang: str = "es", digits: int = 0) -> str:
    return f"{fmt_number(100 * share, lang, digits)} %" if lang == "es" else \
        f"{fmt_number(100 * share, lang, digits)}%"
