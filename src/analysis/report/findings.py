"""What the analyses say, in words: facts computed here, sentences rendered from templates.

Every function below first computes the facts a sentence needs from the processed tables
(``*_facts``), then renders ``templates/sentences/<lang>/<id>.j2`` with them. The brief
(``brief_content``) and the notebooks' closing answers (``notebook_answer``) both come from
here, so they never disagree and no number is typed by hand.

Parameters mean what ``analysis.parameters`` says: every attendance sentence uses the
chosen ``account`` only and names it; where that account does not report a stage the
sentence says so and the other account is never substituted; counts are taken after the
treatment of ``other`` (``other_as``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..parameters import ACCOUNTS, headline_accounts
from ..questions import evolution as evo
from ..questions import multiverse as mv
from ..raw.package import raw_checksum
from .sentences import render

PARAMETER_KEYS = ("account", "other_as", "ci_method", "confidence", "lang", "seed")


# --------------------------------------------------------------------------- facts
def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def treated_k(row) -> int:
    """Civil-society participants after the treatment of other (the numerator of the share)."""
    k = int(row["n_civil_society"])
    return k + int(row["n_other"]) if row["other_as"] == "civil_society" else k


def stage_facts(shares: pd.DataFrame, account: str, stage: str, other_as: str,
                unit: str = "persons") -> dict[str, Any]:
    """The civil-society share at one stage in one account, or ``reported: False``."""
    d = shares[(shares["source_id"] == account) & (shares["stage"] == stage)
               & (shares["other_as"] == other_as) & (shares["unit"] == unit)]
    if d.empty:
        return {"stage": stage, "unit": unit, "account": account, "reported": False}
    r = d.iloc[0]
    k, n = treated_k(r), int(r["n"])
    return {"stage": stage, "unit": unit, "account": account, "reported": True, "k": k, "n": n,
            "share": k / n, "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
            "ci_method": str(r["ci_method"]), "confidence": float(r["confidence"]),
            "n_other": int(r["n_other"]),
            "majority": "civil_society" if 2 * k > n else "state" if 2 * k < n else "tie"}


def _multiverse(tables: dict[str, pd.DataFrame], params: dict) -> pd.DataFrame:
    if "multiverse" in tables:
        return tables["multiverse"]
    return mv.multiverse(tables["attendance"], params.get("confidence"))


def robustness_facts(multi: pd.DataFrame, stage: str = "national_table") -> dict[str, Any]:
    return mv.robustness(multi, stage)


def _event_labels(att: pd.DataFrame | None) -> dict[str, str]:
    """Event slug -> label as printed, preferring a spelling with its accents."""
    if att is None:
        return {}
    labels: dict[str, str] = {}
    for r in att[["event", "event_label"]].drop_duplicates().itertuples():
        if r.event not in labels or not str(r.event_label).isascii():
            labels[r.event] = str(r.event_label)
    return labels


def disagreement_facts(disc: pd.DataFrame, att: pd.DataFrame | None = None) -> dict[str, Any]:
    names = _event_labels(att)
    stage = disc[(disc["level"] == "stage") & (disc["stage"] == "regional_workshop")].set_index("actor")
    flips = disc[(disc["level"] == "event") & (disc["actor"] == "total")
                 & disc["majority_flips"].fillna(False).astype(bool)]
    ev = disc[disc["level"] == "event"].set_index(["event", "actor"])
    other = stage["count_irm2019"].get("other")
    return {
        "regional_pcm": _int(stage.loc["total", "count_pcm2018"]),
        "regional_irm": _int(stage.loc["total", "count_irm2019"]),
        "regional_other": _int(other) if other is not None else None,
        "flips": [{"event": names.get(e, e.replace("_", " ").title()),
                   "pcm_state": _int(ev.loc[(e, "state"), "count_pcm2018"]),
                   "pcm_cs": _int(ev.loc[(e, "civil_society"), "count_pcm2018"]),
                   "irm_state": _int(ev.loc[(e, "state"), "count_irm2019"]),
                   "irm_cs": _int(ev.loc[(e, "civil_society"), "count_irm2019"])}
                  for e in flips["event"]],
    }


def survival_facts(surv: pd.DataFrame, account: str) -> dict[str, Any]:
    r = surv[(surv["source_id"] == account) & (surv["theme"] == "total")].iloc[0]
    n_final, outside = int(r["n_final"]), int(r["n_final_outside_pool_known"])
    return {"account": account, "n_proposed": int(r["n_proposed"]), "n_final": n_final,
            "from_pool": int(r["n_final_from_pool_known"]), "outside": outside,
            "low_k": int(r["n_final_from_pool_known"]), "high_k": n_final - outside,
            "low": float(r["survival_low"]), "high": float(r["survival_high"]),
            "low_ci_low": float(r["survival_low_ci_low"]), "low_ci_high": float(r["survival_low_ci_high"]),
            "high_ci_low": float(r["survival_high_ci_low"]),
            "high_ci_high": float(r["survival_high_ci_high"]),
            "ci_method": str(r["ci_method"]), "confidence": float(r["confidence"])}


def _stated(plans: pd.DataFrame) -> list[dict[str, Any]]:
    """Commitment counts a document states that differ from the OGP list."""
    out = []
    for r in plans.itertuples():
        seen = set()
        for part in str(r.n_commitments_stated).split(";"):
            if ":" not in part:
                continue
            source, n = (x.strip() for x in part.split(":", 1))
            if n.isdigit() and int(n) != int(r.n_commitments_ogp_list) and (source, n) not in seen:
                seen.add((source, n))
                out.append({"label": r.canonical_label, "source": source, "n": int(n)})
    return out


def evolution_facts(com: pd.DataFrame, plans: pd.DataFrame) -> dict[str, Any]:
    per_plan = evo.per_plan(com, plans)
    recurring = evo.recurring_policy_areas(com)
    assess = evo.irm_assessments(com)
    assessed = com[com["irm_regime"] == "pre_2020"]
    assessed = assessed[assessed["irm_potential_impact"].notna()]
    label = dict(zip(plans["plan"].astype(int), plans["canonical_label"]))
    return {"plans": [{"label": r.canonical_label, "n": int(r.n_ogp_list)} for r in per_plan.itertuples()],
            "stated": _stated(plans),
            "n_all": int((recurring["n_plans"] == per_plan["plan"].nunique()).sum()),
            "relevant": int(assess["relevant_any"]["yes"]), "assessed": int(assess["relevant_any"].sum()),
            "assessed_label": label[int(assessed["plan"].iloc[0])],
            "accountability": int(assess["relevance"]["public_accountability"]),
            "moderate": int(assess["impact"]["moderate"]),
            "transformative": int(assess["impact"]["transformative"])}


def bodies_facts(seats: pd.DataFrame, civil: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Seats per body; with ``civil`` (bodies_civil_society), civil society's own seats too."""
    cs = {} if civil is None else {r.body: r for r in civil.itertuples()}
    out = []
    for r in seats.itertuples():
        c = cs.get(r.body)
        out.append({"body": r.body, "state": int(r.state), "non_state": int(r.non_state),
                    "at_parity": bool(r.at_parity), "source": r.source_id,
                    "cs": int(c.civil_society) if c is not None else None,
                    "total": int(c.total) if c is not None else int(r.state) + int(r.non_state),
                    "cs_share": float(c.share_civil_society) if c is not None else None})
    return out


#: How the documents date the end of the first forum (analysis.questions.process orders them).
FORUM_ENDS = ("civil_society_left", "no_meetings", "object_concluded")


def potential_commitments(funnel: pd.DataFrame | None, account: str) -> int | None:
    """Potential commitments the national tables approved, as the account prints them."""
    if funnel is None:
        return None
    d = funnel[(funnel["stage"] == "national_table") & (funnel["theme"] == "total")]
    d = d[d["source_id"] == account] if (d["source_id"] == account).any() else d
    return int(d["count"].iloc[0]) if len(d) else None


def forum_facts(forum_status: pd.DataFrame) -> dict[str, Any]:
    """The first forum's creation, the dated statements of its end (first per kind) and the
    year the next forum was created."""
    from ..questions.process import forum_gap

    fs = forum_status[forum_status["year"].notna()]
    created = fs[fs["status"] == "created"].sort_values("year", kind="stable")
    first_body = created["body"].iloc[0]
    ends = fs[(fs["body"] == first_body) & fs["status"].isin(FORUM_ENDS)].sort_values("year", kind="stable")
    ends = ends.drop_duplicates("status")
    gap = forum_gap(forum_status)
    new = created[created["year"] == gap["year_recreated"]].iloc[0]
    return {"created": int(created["year"].iloc[0]), "recreated": gap["year_recreated"],
            "new_body": new["body"], "new_source": new["source_id"],
            "ends": [{"status": r.status, "year": int(r.year), "source": r.source_id}
                     for r in ends.itertuples()]}


def seats_facts(civil: pd.DataFrame, seats: pd.DataFrame) -> dict[str, Any]:
    """The latest body: civil society's own seats and the other non-state ones."""
    r = civil.sort_values("year", kind="stable").iloc[-1]
    non_state = int(seats.loc[seats["body"] == r["body"], "non_state"].iloc[0])
    return {"body": r["body"], "year": int(r["year"]), "civil_society": int(r["civil_society"]),
            "total": int(r["total"]), "share_civil_society": float(r["share_civil_society"]),
            "others": non_state - int(r["civil_society"]), "source": r["source_id"]}


def _test_row(tests: pd.DataFrame, account: str, other_as: str) -> dict[str, Any] | None:
    d = tests[(tests["source_id"] == account) & (tests["other_as"] == other_as)]
    if d.empty or pd.isna(d["p_value"].iloc[0]):
        return None
    r = d.iloc[0]
    return {"p_value": float(r["p_value"]), "method": str(r["method"]), "stages": int(r["stages"])}


def _stage_rows(shares: pd.DataFrame, account: str, other_as: str) -> list[dict[str, Any]]:
    d = shares[(shares["source_id"] == account) & (shares["other_as"] == other_as)]
    rows = []
    for r in d.itertuples():
        if r.stage == "closing_event":
            continue
        rows.append(stage_facts(shares, account, r.stage, other_as, r.unit))
    return rows


def _includes_companies(att: pd.DataFrame | None, account: str) -> bool:
    if att is None:
        return False
    subtypes = set(att.loc[att["source_id"] == account, "civil_society_subtype"].dropna())
    return bool(subtypes & {"private_sector", "international_cooperation"})


# --------------------------------------------------------------------------- sentences
def headline(tables: dict[str, pd.DataFrame], account: str, other_as: str, lang: str) -> str:
    account = headline_accounts(account)[0]
    s = tables["shares"]
    return render("headline", lang, account=account,
                  n_potential=potential_commitments(tables.get("funnel"), account),
                  national=stage_facts(s, account, "national_table", other_as),
                  regional=stage_facts(s, account, "regional_workshop", other_as))


def national_tables(shares: pd.DataFrame, account: str, other_as: str, lang: str,
                    funnel: pd.DataFrame | None = None) -> str:
    """The national tables: what they did, then each account's count (``account`` may be both)."""
    accounts = headline_accounts(account)
    return render("national_tables", lang, other_as=other_as,
                  n_potential=potential_commitments(funnel, accounts[0]),
                  rows=[stage_facts(shares, a, "national_table", other_as) for a in accounts])


def stages(shares: pd.DataFrame, account: str, other_as: str, lang: str,
           att: pd.DataFrame | None = None) -> str:
    rows = _stage_rows(shares, account, other_as)
    persons = {r["stage"]: r for r in rows if r["unit"] == "persons"}
    change = None
    if "regional_workshop" in persons and "national_table" in persons:
        change = persons["national_table"]["share"] - persons["regional_workshop"]["share"]
    return render("stages", lang, account=account, rows=rows, change=change,
                  includes_companies=_includes_companies(att, account))


def accounts_disagree(disc: pd.DataFrame, lang: str, att: pd.DataFrame | None = None) -> str:
    return render("accounts_disagree", lang, **disagreement_facts(disc, att))


def _survival_rows(surv: pd.DataFrame, account: str) -> list[dict[str, Any]]:
    """Both accounts' bounds, the chosen one first (a range always shows both)."""
    first = headline_accounts(account)[0]
    return [survival_facts(surv, a) for a in (first, *(a for a in ACCOUNTS if a != first))]


def survival_range(surv: pd.DataFrame, account: str, lang: str) -> str:
    rows = _survival_rows(surv, account)
    return render("survival", lang, rows=rows, n_proposed=rows[0]["n_proposed"], n_final=rows[0]["n_final"])


def evolution(com: pd.DataFrame, plans: pd.DataFrame, lang: str) -> str:
    return render("evolution", lang, **evolution_facts(com, plans))


def bodies(seats: pd.DataFrame, lang: str, civil: pd.DataFrame | None = None) -> str:
    return render("bodies", lang, bodies=bodies_facts(seats, civil))


def key_message(sentence_id: str, lang: str, **facts) -> dict[str, str]:
    """A key message: bold lead words, then the claim with its number ('lead || text')."""
    lead, _, text = render(sentence_id, lang, **facts).partition("||")
    return {"lead": lead.strip(), "text": text.strip()}


def robustness(multi: pd.DataFrame, lang: str) -> str:
    return render("robustness", lang, national=robustness_facts(multi, "national_table"),
                  regional=robustness_facts(multi, "regional_workshop"))


def coverage(att: pd.DataFrame, account: str, lang: str) -> str:
    from ..clean.attendance import coverage as cov

    table = cov(att)
    accounts = []
    for a in ACCOUNTS:
        d = table[table["account"] == a]
        accounts.append({
            "account": a,
            "stages": [{"stage": r.stage, "unit": r.units} for r in d.itertuples() if r.reported],
            "missing": [r.stage for r in d.itertuples() if not r.reported and r.stage in mv.HEADLINE_STAGES]})
    return render("coverage", lang, accounts=accounts, account=account)


def cleaning(com: pd.DataFrame, lang: str) -> str:
    from ..clean.commitments import NOT_PUBLISHED

    return render("cleaning", lang, n=len(com), plans=int(com["plan"].nunique()),
                  corrected=int(com["title_corrected"].sum()), starred=int(com["starred_label"].sum()),
                  duplicated=int(com["title_duplicated"].sum()),
                  groups=int(com.loc[com["title_duplicated"], "title"].nunique()),
                  missing=int(com["policy_area_missing"].sum()), not_published=NOT_PUBLISHED)


# --------------------------------------------------------------------------- the brief
def _plan_label(plans: pd.DataFrame, plan: int) -> str:
    return str(plans.loc[plans["plan"].astype(int) == plan, "canonical_label"].iloc[0])


def brief_content(tables: dict[str, pd.DataFrame], params: dict, lang: str) -> dict[str, Any]:
    """Everything the brief says, in one language: a JSON-serialisable dict.

    ``tables`` are the processed tables by name (attendance, shares, stage_tests,
    attendance_discrepancies, survival, commitments, plans, bodies; multiverse when
    present, else it is computed from attendance). Keys: question, headline, findings (id,
    text, source, figure), what_this_means, methods, robustness, parameters, raw_checksum.
    Keys are only ever added, never renamed. Finding ids: national_tables, stages,
    accounts_disagree, survival, evolution, bodies (the same six whatever the account).
    """
    account, other_as = params["account"], params["other_as"]
    accounts = headline_accounts(account)
    main = accounts[0]  # with account=both the IRM's recount heads, named as such
    s, att = tables["shares"], tables.get("attendance")
    multi = _multiverse(tables, params)
    plans = tables["plans"]
    src = {a: render("source", lang, account=a) for a in ("irm2019", "pcm2018", "spda2022", "ogp_web")}

    def per_account(fn, figure, fid):
        # with account=both, one finding gives each account in turn, each sentence naming its own
        return [{"id": fid, "text": " ".join(fn(a) for a in accounts),
                 "source": "; ".join(src[a] for a in accounts), "figure": figure}]

    findings: list[dict[str, Any]] = []
    funnel = tables.get("funnel")
    findings.append({"id": "national_tables", "text": national_tables(s, account, other_as, lang, funnel),
                     "source": "; ".join(src[a] for a in accounts), "figure": "shares_by_stage"})
    findings += per_account(lambda a: stages(s, a, other_as, lang, att), "shares_by_stage", "stages")
    findings.append({"id": "accounts_disagree",
                     "text": accounts_disagree(tables["attendance_discrepancies"], lang, att),
                     "source": f"{src['pcm2018']}; {src['irm2019']}", "figure": "shares_by_event"})
    findings.append({"id": "survival", "text": survival_range(tables["survival"], account, lang),
                     "source": f"{src['irm2019']}; {src['pcm2018']}", "figure": "survival_by_theme"})
    co_created = int(tables["attendance"]["plan"].iloc[0])
    plan_label = _plan_label(plans, co_created)
    keys: list[dict[str, Any]] = []
    rows = _survival_rows(tables["survival"], account)
    keys.append({"id": "survival",
                 **key_message("key_survival", lang, rows=rows, n_proposed=rows[0]["n_proposed"]),
                 "source": f"{src['irm2019']}; {src['pcm2018']}"})
    if "public_influence" in tables:
        r = tables["public_influence"].iloc[0].to_dict()
        # the final report's web page, cited beside the public-comment draft where it prints
        # the same level for the same plan and stage (issue 21)
        final = _final_report_agrees(tables.get("influence_by_plan"), int(r["plan"]), r["phase"],
                                     r["level_marked"])
        source = "; ".join([src["irm2019"]] + [render("source", lang, account=i) for i in final])
        keys.append({"id": "influence", **key_message("key_influence", lang, r=r, plan_label=plan_label),
                     "source": source})
        findings.append({"id": "influence", "text": render("influence", lang, r=r, plan_label=plan_label),
                         "source": source, "figure": None, "source_ids": final})
    if "forum_status" in tables:
        ff = forum_facts(tables["forum_status"])
        keys.append({"id": "forum", **key_message("key_forum", lang, plan_label=plan_label, **ff),
                     "source": "; ".join(dict.fromkeys([src.get(e["source"], e["source"]) for e in ff["ends"]]
                                                       + [src.get(ff["new_source"], ff["new_source"])]))})
        findings.append({"id": "forum", "text": render("forum", lang, plan_label=plan_label, **ff),
                         "source": keys[-1]["source"], "figure": None})
    civil = tables.get("bodies_civil_society")
    if civil is not None:
        b = seats_facts(civil, tables["bodies"])
        keys.append({"id": "civil_society_seats", **key_message("key_seats", lang, b=b),
                     "source": src.get(b["source"], b["source"])})
    findings.append({"id": "bodies", "text": bodies(tables["bodies"], lang, civil),
                     "source": "; ".join(dict.fromkeys(src.get(b, b) for b in tables["bodies"]["source_id"])),
                     "figure": "bodies_parity"})
    if "standards" in tables and "standards_scorecard" in tables:
        from . import process_findings

        text = process_findings.scorecard(tables["standards"], tables["standards_scorecard"], lang,
                                          codes=False)
        findings.append({"id": "standards", "text": process_findings.without_source(text),
                         "source": f"{src['irm2019']}, {'anexo I' if lang == 'es' else 'Annex I'}",
                         "figure": "standards_scorecard"})
    findings.append({"id": "evolution", "text": evolution(tables["commitments"], plans, lang),
                     "source": f"{src['ogp_web']}; {src['irm2019']}; {src['pcm2018']}; {src['spda2022']}",
                     "figure": "commitments_per_plan"})
    # public influence and the forum across the plans (notebook 07); the brief lays out any
    # number of findings, and test_brief_audit's page test keeps the whole within 6 pages
    if {"influence_by_plan", "forum_by_plan", "irm_summary"} <= set(tables):
        findings.append(plans_participation_finding(tables, lang))
    disagreements = ""
    if "disagreements" in tables:
        from . import process_findings

        disagreements = process_findings.disagreements_box(tables["disagreements"], lang)

    national = stage_facts(s, main, "national_table", other_as)
    regional = stage_facts(s, main, "regional_workshop", other_as)
    rob = robustness_facts(multi, "national_table")
    reg_majorities = sorted({stage_facts(s, a, "regional_workshop", other_as).get("majority")
                             for a in ACCOUNTS} - {None})
    nat_accounts = [a for a in ACCOUNTS if stage_facts(s, a, "national_table", other_as)["reported"]]
    nat_majorities = {stage_facts(s, a, "national_table", other_as)["majority"] for a in nat_accounts}
    dis = disagreement_facts(tables["attendance_discrepancies"], att)
    surv = survival_facts(tables["survival"], main)
    what = [
        render("means_parity", lang, account=main, national=national),
        render("means_accounts", lang, regional_majorities=reg_majorities,
               flips=[f["event"] for f in dis["flips"]], national_accounts=nat_accounts,
               national_majority=next(iter(nat_majorities)) if len(nat_majorities) == 1 else None),
        render("means_robust", lang, national=rob, regional=robustness_facts(multi, "regional_workshop")),
        render("means_survival", lang, account=main, low=surv["low"], high=surv["high"]),
        render("means_bodies", lang, bodies=bodies_facts(tables["bodies"])),
    ]
    shown = national if national["reported"] else regional
    regimes = tables["commitments"][["plan", "irm_regime"]].dropna().drop_duplicates()
    before = int(regimes.loc[regimes["irm_regime"] == "pre_2020", "plan"].max())
    after = int(regimes.loc[regimes["irm_regime"] == "from_2020", "plan"].min())
    methods = [
        render("methods_account", lang, account=account, other_as=other_as),
        # the interval method and level are read from the table the bounds come from, so the
        # words can never name a method the numbers were not computed with
        render("methods_intervals", lang, ci_method=shown.get("ci_method", params["ci_method"]),
               confidence=shown.get("confidence", params["confidence"]),
               national=national, regional=regional, account=main),
        render("methods_test", lang, account=main, test=_test_row(tables["stage_tests"], main, other_as)),
        render("methods_survival", lang, **surv),
        render("methods_caveats", lang, before_label=_plan_label(plans, before),
               after_label=_plan_label(plans, after)),
    ]
    return {
        "lang": lang,
        "question": render("question", lang, plan_label=_plan_label(plans, co_created)),
        "headline": headline(tables, main, other_as, lang),
        "key_messages": keys,
        "findings": findings,
        "what_this_means": what,
        "methods": methods,
        "robustness": robustness(multi, lang),
        "disagreements": disagreements,
        "parameters": {k: params[k] for k in PARAMETER_KEYS if k in params},
        "raw_checksum": raw_checksum(),
    }


def _final_report_agrees(influence: pd.DataFrame | None, plan: int, stage: str, level: str) -> list[str]:
    """The web pages (source ids) whose "At a glance" table prints ``level`` for the plan and
    stage that the public-comment draft marks: the final version agrees with the draft there."""
    if influence is None:
        return []
    rows = influence[(influence["status"] == "printed") & (influence["plan"].astype(int) == plan)
                     & (influence["stage"] == stage) & (influence["level"] == level)]
    return list(dict.fromkeys(rows["source_id"]))


def plans_participation_finding(tables: dict[str, pd.DataFrame], lang: str) -> dict[str, Any]:
    """The brief's finding across the plans (issue 22): public influence and the forum as the
    IRM's "At a glance" tables print them; its source is the sentence's own source note."""
    from . import process_findings

    text = process_findings.plans_participation(tables["influence_by_plan"], tables["forum_by_plan"],
                                                tables["irm_summary"], lang, short=True)
    body = process_findings.without_source(text)
    inf, forum = tables["influence_by_plan"], tables["forum_by_plan"]
    cited = list(dict.fromkeys(list(inf.loc[inf["status"] == "printed", "source_id"])
                               + list(forum.loc[forum["status"] == "printed", "source_id"])))
    # each page under the label its reference entry carries
    return {"id": "plans_participation", "text": body,
            "source": "; ".join(render("source", lang, account=i) for i in cited),
            "figure": "influence_by_plan", "source_ids": cited}


# --------------------------------------------------------------------------- notebooks
def notebook_answer(notebook: str, tables: dict[str, pd.DataFrame], params: dict, lang: str) -> str:
    """The closing answer of a notebook (markdown), in ``lang``, from the same sentences."""
    account, other_as = params.get("account", "irm2019"), params.get("other_as", "exclude")
    accounts = headline_accounts(account)
    s = tables.get("shares")
    if notebook == "01":
        parts = [accounts_disagree(tables["attendance_discrepancies"], lang, tables["attendance"]),
                 coverage(tables["attendance"], account, lang)]
        if "commitments" in tables:
            parts.append(cleaning(tables["commitments"], lang))
    elif notebook == "02":
        parts = [headline(tables, account, other_as, lang)]
        parts += [national_tables(s, account, other_as, lang, tables.get("funnel"))]
        parts += [stages(s, a, other_as, lang, tables.get("attendance")) for a in accounts]
        parts += [accounts_disagree(tables["attendance_discrepancies"], lang, tables.get("attendance"))]
        if "multiverse" in tables or "attendance" in tables:
            parts.append(robustness(_multiverse(tables, params), lang))
    elif notebook == "03":
        parts = [survival_range(tables["survival"], account, lang)]
    elif notebook == "04":
        parts = [evolution(tables["commitments"], tables["plans"], lang)]
    elif notebook == "05":
        parts = [bodies(tables["bodies"], lang)]
    elif notebook == "06":
        from . import process_findings as pf

        parts = [pf.scorecard(tables["standards"], tables["standards_scorecard"], lang),
                 pf.influence(tables["public_influence"], lang),
                 pf.forum(tables["forum_gap"], lang),
                 pf.timeline(tables["timeline_intervals"], lang),
                 pf.consultation(tables["consultation_rate"], tables["consultation_themes"], lang)]
    elif notebook == "07":
        from . import process_findings as pf

        parts = [pf.plans_participation(tables["influence_by_plan"], tables["forum_by_plan"],
                                        tables["irm_summary"], lang)]
    else:
        raise ValueError(f"no answer for notebook {notebook!r}")
    return "\n\n".join(parts)
