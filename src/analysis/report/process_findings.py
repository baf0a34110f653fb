"""Sentences of issue 11's analyses, in Spanish and English, every number read from a table.

The notebooks close with these sentences and the brief can pick them up (``scorecard``
and ``disagreements_box`` are written for it); no number is typed here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean import processed
from ..labels import fmt_number, fmt_percent, name

COLOUR = {"es": {"green": "verde", "amber": "ámbar", "red": "rojo"},
          "en": {"green": "green", "amber": "amber", "red": "red"}}
LEVEL = {"es": {"empower": "empoderar", "collaborate": "colaborar", "involve": "involucrar",
                "consult": "consultar", "inform": "informar", "no_consultation": "sin consulta"},
         "en": {"empower": "empower", "collaborate": "collaborate", "involve": "involve",
                "consult": "consult", "inform": "inform", "no_consultation": "no consultation"}}
TREATMENT = {"es": {"both_kept": "se conservan ambas versiones",
                    "chosen_by_parameter": "se elige con un parámetro",
                    "corrected_with_reason": "se corrige con una razón",
                    "only_noted": "solo se anota"},
             "en": {"both_kept": "both kept", "chosen_by_parameter": "chosen by a parameter",
                    "corrected_with_reason": "corrected with a reason", "only_noted": "only noted"}}


def _pct(x: float, lang: str) -> str:
    return fmt_percent(float(x), lang, 0)


def _n(card: pd.DataFrame, section: str, colour: str) -> int:
    row = card[(card["section"] == section) & (card["colour"] == colour)]
    return int(row["n_standards"].iloc[0])


def scorecard(std: pd.DataFrame, card: pd.DataFrame, lang: str) -> str:
    """Which standards the IRM rated red, and the colours overall (the brief's scorecard finding)."""
    total = int(card.loc[card["section"] == "all", "of"].iloc[0])
    g, a, r = (_n(card, "all", c) for c in ("green", "amber", "red"))
    red = std[std["colour"] == "red"]
    red_text = ", ".join(f"{row.standard_id} «{row.name}»" if lang == "es" else
                         f"{row.standard_id} '{row.name}'" for row in red.itertuples())
    forum = std[std["section"] == std["section"].iloc[0]]
    forum_all_amber = bool((forum["colour"] == "amber").all())
    if lang == "es":
        text = (f"El IRM evaluó el proceso de cocreación contra {total} estándares de participación y "
                f"cocreación de OGP: {g} en verde (cumple), {a} en ámbar (en proceso) y {r} en rojo "
                f"(sin evidencia de acción): {red_text}.")
        if forum_all_amber:
            text += f" Los {len(forum)} estándares del foro multiactor quedaron en ámbar."
        return text + " Fuente: IRM (2019), anexo I."
    text = (f"The IRM assessed the co-creation process against {total} OGP participation and co-creation "
            f"standards: {g} green (met), {a} amber (in progress) and {r} red (no evidence of "
            f"action): {red_text}.")
    if forum_all_amber:
        text += f" All {len(forum)} multistakeholder-forum standards were amber."
    return text + " Source: IRM (2019), Annex I."


def influence(inf: pd.DataFrame, lang: str) -> str:
    r = inf.iloc[0]
    lv = LEVEL[lang]
    if lang == "es":
        return (f"Nivel de influencia del público durante el desarrollo del plan: «{lv[r['level_marked']]}» "
                f"(escalón {r['rank_marked']} de {r['n_levels']} del espectro IAP2), {r['levels_below_minimum']} por debajo "
                f"de «{lv[r['level_minimum']]}», el mínimo para actuar conforme al proceso de OGP, y "
                f"{r['levels_below_aspiration']} por debajo de «{lv[r['level_aspiration']]}», al que OGP "
                "pide aspirar. Fuente: IRM (2019), tabla 3.2.")
    return (f"Level of public influence during development: '{lv[r['level_marked']]}' (step "
            f"{r['rank_marked']} of {r['n_levels']} on the IAP2 spectrum), {r['levels_below_minimum']} below "
            f"'{lv[r['level_minimum']]}', the minimum for acting in line with the OGP process, and "
            f"{r['levels_below_aspiration']} below '{lv[r['level_aspiration']]}', the level OGP asks "
            "countries to aim for. Source: IRM (2019), table 3.2.")


def forum(gap: dict, lang: str) -> str:
    a, b, n = gap["first_year_not_operating"], gap["year_recreated"], gap["years_without_forum"]
    if lang == "es":
        return (f"Foro multiactor: los documentos lo dan por inactivo desde {a} (la sociedad civil "
                f"dejó la comisión de 2013) y no se recrea hasta {b}: {n} años sin foro, incluido "
                "todo el diseño del plan que evalúa el IRM.")
    return (f"Multistakeholder forum: the documents describe it as inactive from {a} (civil society "
            f"left the 2013 commission) until it was re-created in {b}: {n} years without a forum, "
            "including the whole design of the plan the IRM assessed.")


def timeline(iv: pd.DataFrame, lang: str) -> str:
    def days(source, a, b):
        row = iv[(iv["source_id"] == source) & (iv["from_milestone"] == a) & (iv["to_milestone"] == b)]
        return int(row["days"].iloc[0])

    ft = {s: days(s, "thematic_table", "approval") for s in ("pcm2018", "irm2019")}
    sc = {s: days(s, "schedule_published", "closing_event") for s in ("pcm2018", "irm2019")}
    lead = days("irm2019", "schedule_published", "thematic_table")
    if lang == "es":
        return (f"Del primer día de las mesas temáticas a la aprobación del plan pasaron {ft['pcm2018']} "
                f"días con las fechas del Gobierno y {ft['irm2019']} con las del IRM. Las mesas empezaron "
                f"{lead} días después de publicarse el cronograma; el desayuno de cierre llegó "
                f"{sc['pcm2018']} días después de ella según el Gobierno y {sc['irm2019']} según el IRM.")
    return (f"From the first thematic table to the plan's approval: {ft['pcm2018']} days under the "
            f"government's dates and {ft['irm2019']} under the IRM's. The tables began {lead} days after "
            f"the schedule was published; the closing breakfast came {sc['pcm2018']} days after it by the "
            f"government's account and {sc['irm2019']} by the IRM's.")


def consultation(rate: pd.DataFrame, themes: pd.DataFrame, lang: str) -> str:
    r = rate.iloc[0]
    top = themes.sort_values(["share_contributions", "theme"], ascending=[False, True]).iloc[0]
    per = fmt_number(r["per_100_visits"], lang, 1)
    lo, hi = fmt_number(r["ci_low"], lang, 1), fmt_number(r["ci_high"], lang, 1)
    level = _pct(r["confidence"], lang)
    if lang == "es":
        return (f"Consulta virtual: {r['contributions']} aportes en {r['visits']} visitas, {per} por cada "
                f"100 visitas (IC {level}: {lo}–{hi}; visitas, no visitantes). El tema con más aportes fue "
                f"{name(top['theme'], lang).lower()} ({_pct(top['share_contributions'], lang)} de los aportes, "
                f"frente a {_pct(top['share_proposals_thematic'], lang)} de las propuestas de las mesas "
                f"temáticas y {_pct(top['share_final'], lang)} de los compromisos finales). Fuente: PCM (2018), Cuadro 4.")
    return (f"Virtual consultation: {r['contributions']} contributions in {r['visits']} visits, {per} per "
            f"100 visits ({level} CI: {lo}–{hi}; visits, not visitors). The theme with most contributions was "
            f"{name(top['theme'], lang).lower()} ({_pct(top['share_contributions'], lang)} of contributions, "
            f"against {_pct(top['share_proposals_thematic'], lang)} of the thematic tables' proposals and "
            f"{_pct(top['share_final'], lang)} of the final commitments). Source: PCM (2018), Cuadro 4.")


def table_shares(table: pd.DataFrame, flips: list[tuple[str, str]], lang: str) -> str:
    mt = table[(table["source_id"] == "irm2019") & (table["stage"] == "thematic_table")]
    lo, hi = mt["share_civil_society"].min(), mt["share_civil_society"].max()
    low_event = mt.loc[mt["share_civil_society"].idxmin(), "event"]
    flipped = [e for s, e in flips if s == "irm2019" and e in set(mt["event"])]
    names = ", ".join(e.replace("_", " ") for e in flipped)
    if lang == "es":
        return (f"Mesas temáticas (actas del IRM), con cualquier tratamiento de los «otros»: la proporción de "
                f"sociedad civil va de {_pct(lo, lang)} ({low_event.replace('_', ' ')}) a {_pct(hi, lang)}; "
                f"la mayoría cambia según ese tratamiento en {len(flipped)} mesas ({names}).")
    return (f"Thematic tables (IRM sheets), under every treatment of 'other': the civil-society share "
            f"ranges from {_pct(lo, lang)} ({low_event.replace('_', ' ')}) to {_pct(hi, lang)}; the majority "
            f"depends on that treatment at {len(flipped)} tables ({names}).")


def volume(vol: pd.DataFrame, lang: str) -> str:
    irm = vol[vol["source_id"] == "irm2019"].set_index("stage")
    parts = ", ".join(f"{name(s, lang).lower()} {int(irm.loc[s, 'attendances'])}"
                      for s in irm.index if s != "all")
    total = int(irm.loc["all", "attendances"])
    distinct = vol["distinct_persons_printed"].dropna()
    if lang == "es":
        text = (f"Volumen de asistencia según las actas del IRM: {total} asistencias ({parts}). Son "
                "asistencias, no personas: quien fue a dos eventos cuenta dos veces.")
        if len(distinct):
            text += f" El Gobierno da {int(distinct.iloc[0])} personas distintas para todo el proceso."
        return text
    text = (f"Attendance volume by the IRM's sheets: {total} attendances ({parts}). These are "
            "attendances, not persons: someone at two events counts twice.")
    if len(distinct):
        text += f" The government gives {int(distinct.iloc[0])} distinct persons for the whole process."
    return text


def regional(surv: pd.DataFrame, lang: str) -> str:
    s = surv.set_index("source_id")
    n = int(s["n_proposed"].iloc[0])
    irm, pcm = s.loc["irm2019"], s.loc["pcm2018"]
    if lang == "es":
        return (f"De las {n} propuestas de los talleres regionales llegaron al plan, documentadas, "
                f"{irm['n_final_from_regional_known']} según el IRM ({_pct(irm['survival_documented'], lang)}) y "
                f"{pcm['n_final_from_regional_known']} según el Gobierno ({_pct(pcm['survival_documented'], lang)}); "
                f"como máximo posible, {irm['n_possible']} ({_pct(irm['survival_possible'], lang)}), porque los "
                "documentos no trazan el origen de los demás compromisos.")
    return (f"Of the {n} regional-workshop proposals, the documented survivors are "
            f"{irm['n_final_from_regional_known']} by the IRM ({_pct(irm['survival_documented'], lang)}) and "
            f"{pcm['n_final_from_regional_known']} by the government ({_pct(pcm['survival_documented'], lang)}); "
            f"at most {irm['n_possible']} ({_pct(irm['survival_possible'], lang)}) could have survived, since "
            "the documents do not trace the other commitments' origins.")


def sectors(cs: pd.DataFrame, lang: str) -> str:
    parts = []
    for r in cs.itertuples():
        if lang == "es":
            parts.append(f"{r.body}: {r.civil_society} de {r.total} asientos ({_pct(r.share_civil_society, lang)}), "
                         f"{r.seats_short_of_state} menos que el Estado")
        else:
            parts.append(f"{r.body}: {r.civil_society} of {r.total} seats ({_pct(r.share_civil_society, lang)}), "
                         f"{r.seats_short_of_state} fewer than the state")
    parity = _pct(cs["parity_share"].iloc[0], lang)
    if lang == "es":
        return ("Sociedad civil sola (sin empresas ni academia): " + "; ".join(parts)
                + f". Ninguno llega a la paridad ({parity}).")
    return ("Civil society alone (business and academia excluded): " + "; ".join(parts)
            + f". Neither reaches parity ({parity}).")


def without_source(text: str) -> str:
    """A sentence without its closing source note (the brief prints sources beside findings)."""
    for mark in (" Fuente: ", " Source: "):
        if mark in text:
            return text.rsplit(mark, 1)[0]
    return text


def disagreements_box(reg: pd.DataFrame, lang: str) -> str:
    """A short box for the brief: how many disagreements, where, and how they are treated."""
    n = len(reg)
    within = reg[reg["scope"] == "within_document"]
    by_treat = reg["treatment"].value_counts()
    treat = "; ".join(f"{TREATMENT[lang][k]}: {int(by_treat[k])}" for k in TREATMENT[lang] if k in by_treat)
    if lang == "es":
        return (f"Los documentos se contradicen en {n} puntos: {n - len(within)} entre documentos y "
                f"{len(within)} dentro de un mismo documento. Tratamiento: {treat}. Cada contradicción, con "
                "sus citas, está en data/raw/disagreements.csv.")
    return (f"The documents contradict each other on {n} points: {n - len(within)} between documents and "
            f"{len(within)} within a single document. Treatment: {treat}. Every contradiction, "
            "with its quotes, is in data/raw/disagreements.csv.")


def for_brief(processed_dir: Path, lang: str) -> dict[str, str]:
    """The brief's scorecard finding and disagreements box, read from ``data/processed``."""
    std = processed.read_table("standards", processed_dir)
    card = processed.read_table("standards_scorecard", processed_dir)
    reg = processed.read_table("disagreements", processed_dir)
    return {"scorecard": scorecard(std, card, lang), "disagreements_box": disagreements_box(reg, lang)}
