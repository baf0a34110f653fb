"""Key findings in words, in Spanish and English, every number read from the tables.

Notebooks close with these sentences and the brief is built from them, so the two never
disagree and no number is typed by hand.
"""

from __future__ import annotations

import pandas as pd

from ..labels import fmt_percent, name


def _pct(x: float, lang: str) -> str:
    return fmt_percent(float(x), lang, 0)


def _ci(row, lang: str) -> str:
    level = fmt_percent(float(row["confidence"]), lang, 0)
    low, high = _pct(row["ci_low"], lang), _pct(row["ci_high"], lang)
    return f"IC {level}: {low}–{high}" if lang == "es" else f"{level} CI: {low}–{high}"


def _share_row(shares: pd.DataFrame, source: str, stage: str, other_as: str) -> pd.Series | None:
    d = shares[(shares["source_id"] == source) & (shares["stage"] == stage)
               & (shares["other_as"] == other_as) & (shares["unit"] == "persons")]
    return d.iloc[0] if len(d) else None


def national_tables(shares: pd.DataFrame, other_as: str, lang: str) -> str:
    r = _share_row(shares, "irm2019", "national_table", other_as)
    span = shares[(shares["source_id"] == "irm2019") & (shares["stage"] == "national_table")]
    lo, hi = span["share_civil_society"].min(), span["share_civil_society"].max()
    below = bool((span["share_civil_society"] < 0.5).all())
    if lang == "es":
        text = (f"En las mesas nacionales, donde se acotaron los compromisos, la sociedad civil fue "
                f"{r['n_civil_society']} de {r['n']} participantes según las actas firmadas "
                f"({_pct(r['share_civil_society'], lang)}; {_ci(r, lang)}; fuente: IRM 2019). ")
        text += (f"Con cualquier tratamiento de los «otros» la proporción queda entre {_pct(lo, lang)} "
                 f"y {_pct(hi, lang)}: " + ("el Estado fue mayoría en todos los casos." if below
                                           else "la conclusión depende de ese tratamiento."))
    else:
        text = (f"At the national tables, where commitments were narrowed down, civil society was "
                f"{r['n_civil_society']} of {r['n']} participants by the signed sheets "
                f"({_pct(r['share_civil_society'], lang)}; {_ci(r, lang)}; source: IRM 2019). ")
        text += (f"Whatever is done with the 'other' participants the share stays between "
                 f"{_pct(lo, lang)} and {_pct(hi, lang)}: " +
                 ("the state was the majority in every case." if below
                  else "the conclusion depends on that choice."))
    return text


def stage_shift(shares: pd.DataFrame, tests: pd.DataFrame, other_as: str, lang: str) -> str:
    rows = {s: _share_row(shares, "irm2019", s, other_as)
            for s in ["thematic_table", "regional_workshop", "national_table"]}
    test = tests[(tests["source_id"] == "irm2019") & (tests["other_as"] == other_as)].iloc[0]
    p = float(test["p_value"])
    p_text = "p < 0,001" if lang == "es" and p < 0.001 else "p < 0.001" if p < 0.001 else \
        (f"p = {p:.3f}".replace(".", ",") if lang == "es" else f"p = {p:.3f}")
    parts = ", ".join(f"{name(s, lang).lower()} {_pct(r['share_civil_society'], lang)}"
                      for s, r in rows.items())
    if lang == "es":
        return (f"La proporción de sociedad civil cambió entre etapas ({parts}; prueba chi-cuadrado, "
                f"{p_text}; fuente: IRM 2019). En las mesas temáticas algunas personas asistieron a "
                f"más de una mesa: allí se cuentan asistencias, no personas distintas.")
    return (f"The civil-society share changed across stages ({parts}; chi-square test, {p_text}; "
            f"source: IRM 2019). Some people sat at more than one thematic table, so that stage "
            f"counts attendances, not distinct people.")


def accounts_disagree(disc: pd.DataFrame, lang: str) -> str:
    totals = disc[(disc["actor"] == "total")]
    stage = totals[(totals["level"] == "stage") & (totals["stage"] == "regional_workshop")].iloc[0]
    flips = totals[(totals["level"] == "event") & totals["majority_flips"].fillna(False).astype(bool)]
    cs = disc[(disc["actor"] == "civil_society") & (disc["level"] == "event")].set_index("event")
    st = disc[(disc["actor"] == "state") & (disc["level"] == "event")].set_index("event")
    if lang == "es":
        text = (f"Las dos cuentas no coinciden: para los talleres regionales el Gobierno reporta "
                f"{stage['count_pcm2018']} participantes y el IRM, recontando las actas, "
                f"{stage['count_irm2019']}. ")
        for e in flips["event"]:
            text += (f"En {e.replace('_', ' ').title()} la mayoría se invierte: Estado "
                     f"{st.loc[e, 'count_pcm2018']} y sociedad civil {cs.loc[e, 'count_pcm2018']} según "
                     f"el Gobierno; Estado {st.loc[e, 'count_irm2019']} y sociedad civil "
                     f"{cs.loc[e, 'count_irm2019']} según el IRM (fuentes: PCM 2018, Cuadro 3; IRM 2019).")
        return text
    text = (f"The two accounts disagree: for the regional workshops the government reports "
            f"{stage['count_pcm2018']} participants and the IRM, recounting the signed sheets, "
            f"{stage['count_irm2019']}. ")
    for e in flips["event"]:
        text += (f"In {e.replace('_', ' ').title()} the majority flips: state "
                 f"{st.loc[e, 'count_pcm2018']} and civil society {cs.loc[e, 'count_pcm2018']} by the "
                 f"government; state {st.loc[e, 'count_irm2019']} and civil society "
                 f"{cs.loc[e, 'count_irm2019']} by the IRM (sources: PCM 2018, Cuadro 3; IRM 2019).")
    return text


def survival_range(surv: pd.DataFrame, funnel: pd.DataFrame, source: str, lang: str) -> str:
    r = surv[(surv["source_id"] == source) & (surv["theme"] == "total")].iloc[0]
    national = funnel[(funnel["stage"] == "national_table") & (funnel["theme"] == "total")]["count"]
    n_nat = int(national.iloc[0])
    lo, hi = _pct(r["survival_low"], lang), _pct(r["survival_high"], lang)
    level = fmt_percent(float(r["confidence"]), lang, 0)
    lo_ci = f"{_pct(r['survival_low_ci_low'], lang)}–{_pct(r['survival_low_ci_high'], lang)}"
    hi_ci = f"{_pct(r['survival_high_ci_low'], lang)}–{_pct(r['survival_high_ci_high'], lang)}"
    if lang == "es":
        return (f"Las mesas temáticas y los talleres regionales formularon {r['n_proposed']} "
                f"propuestas; las mesas nacionales trabajaron sobre {n_nat} y el plan final tuvo "
                f"{r['n_final']} compromisos, pero no todos salieron de aquellas propuestas. Según el "
                f"{'IRM' if source == 'irm2019' else 'Gobierno'}, entre {lo} y {hi} de las propuestas "
                f"llegaron al plan (IC {level}: {lo_ci} y {hi_ci}; {r['n_final_from_pool_known']} "
                f"con origen documentado en ellas; {r['n_final_outside_pool_known']} compromisos con "
                f"origen documentado fuera de ellas; fuentes: PCM 2018, IRM 2019).")
    return (f"The thematic tables and regional workshops produced {r['n_proposed']} proposals; the "
            f"national tables worked on {n_nat} and the final plan had {r['n_final']} commitments, "
            f"but not all of them came from those proposals. By the "
            f"{'IRM' if source == 'irm2019' else 'government'}'s account, between {lo} and {hi} of the "
            f"proposals reached the plan ({level} CI: {lo_ci} and {hi_ci}; "
            f"{r['n_final_from_pool_known']} documented as coming from them; "
            f"{r['n_final_outside_pool_known']} commitments documented as coming from elsewhere; "
            f"sources: PCM 2018, IRM 2019).")


def evolution(per_plan: pd.DataFrame, recurring: pd.DataFrame, assess: dict, lang: str) -> str:
    counts = ", ".join(f"{r.canonical_label}: {r.n_ogp_list}" for r in per_plan.itertuples())
    first = per_plan.iloc[0]
    n_all = int((recurring["n_plans"] == per_plan["plan"].nunique()).sum())
    rel = assess["relevant_any"]
    impact = assess["impact"]
    total = int(rel.sum())
    if lang == "es":
        return (f"La lista de OGP registra {counts} compromisos por plan; para el primero el Gobierno "
                f"habla de {first['n_commitments_stated'].split(': ')[-1]}. {n_all} áreas de política "
                f"aparecen en los cuatro planes. El IRM juzgó relevantes a los valores de OGP "
                f"{rel['yes']} de {total} compromisos de 2017-2019, ninguno a la rendición de cuentas "
                f"({assess['relevance']['public_accountability']}); {impact['moderate']} con impacto "
                f"potencial moderado y {impact['transformative']} transformador.")
    return (f"The OGP list records {counts} commitments per plan; for the first the government "
            f"speaks of {first['n_commitments_stated'].split(': ')[-1]}. {n_all} policy areas appear in "
            f"all four plans. The IRM found {rel['yes']} of {total} commitments of 2017-2019 relevant to "
            f"OGP values, none to public accountability ({assess['relevance']['public_accountability']}); "
            f"{impact['moderate']} of moderate potential impact and {impact['transformative']} "
            f"transformative.")


def bodies(seats: pd.DataFrame, lang: str) -> str:
    parts = []
    for r in seats.itertuples():
        if lang == "es":
            parts.append(f"{r.body}: {r.state} asientos estatales y {r.non_state} no estatales "
                         f"({_pct(r.share_non_state, lang)} no estatal; "
                         f"{'paridad' if r.at_parity else 'sin paridad'})")
        else:
            parts.append(f"{r.body}: {r.state} state and {r.non_state} non-state seats "
                         f"({_pct(r.share_non_state, lang)} non-state; "
                         f"{'at parity' if r.at_parity else 'short of parity'})")
    return "; ".join(parts) + "."
