"""Sentences of issue 11's analyses, in Spanish and English, every number read from a table.

The notebooks close with these sentences and the brief can pick them up (``scorecard``
and ``disagreements_box`` are written for it); no number is typed here. Each function picks
the facts out of its tables; the words are in ``templates/sentences/<lang>/process_*.j2``
(see :mod:`analysis.report.sentences`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean import processed
from ..clean.process import NOTED
from .sentences import render

#: The treatments of a disagreement, in the order the brief lists them.
TREATMENTS = ("both_kept", "chosen_by_parameter", "corrected_with_reason", "only_noted")


def _n(card: pd.DataFrame, section: str, colour: str) -> int:
    row = card[(card["section"] == section) & (card["colour"] == colour)]
    return int(row["n_standards"].iloc[0])


def scorecard(std: pd.DataFrame, card: pd.DataFrame, lang: str, codes: bool = True) -> str:
    """Which standards the IRM rated red, and the colours overall (the brief's scorecard finding;
    ``codes=False`` names them without the IRM's codes, as the brief does)."""
    forum = std[std["section"] == std["section"].iloc[0]]
    return render("process_scorecard", lang,
                  total=int(card.loc[card["section"] == "all", "of"].iloc[0]),
                  green=_n(card, "all", "green"), amber=_n(card, "all", "amber"),
                  n_red=_n(card, "all", "red"),
                  red=std.loc[std["colour"] == "red", ["standard_id", "name"]].to_dict("records"),
                  forum_all_amber=bool((forum["colour"] == "amber").all()), n_forum=len(forum), codes=codes)


def influence(inf: pd.DataFrame, lang: str) -> str:
    return render("process_influence", lang, r=inf.iloc[0].to_dict())


def forum(gap: dict, lang: str) -> str:
    return render("process_forum", lang, **{key: gap[key] for key in (
        "year_recreated", "years_without_forum_min", "years_without_forum_max", "stop_statements")})


def timeline(iv: pd.DataFrame, lang: str) -> str:
    def days(source, a, b):
        row = iv[(iv["source_id"] == source) & (iv["from_milestone"] == a) & (iv["to_milestone"] == b)]
        return int(row["days"].iloc[0])

    accounts = ("pcm2018", "irm2019")
    return render("process_timeline", lang,
                  to_approval={s: days(s, "thematic_table", "approval") for s in accounts},
                  to_closing={s: days(s, "schedule_published", "closing_event") for s in accounts},
                  lead=days("irm2019", "schedule_published", "thematic_table"))


def consultation(rate: pd.DataFrame, themes: pd.DataFrame, lang: str) -> str:
    top = themes.sort_values(["share_contributions", "theme"], ascending=[False, True]).iloc[0]
    return render("process_consultation", lang, r=rate.iloc[0].to_dict(), top=top.to_dict())


def table_shares(table: pd.DataFrame, flips: list[tuple[str, str]], lang: str) -> str:
    mt = table[(table["source_id"] == "irm2019") & (table["stage"] == "thematic_table")]
    return render("process_table_shares", lang,
                  low=mt["share_civil_society"].min(), high=mt["share_civil_society"].max(),
                  low_event=mt.loc[mt["share_civil_society"].idxmin(), "event"],
                  flipped=[e for s, e in flips if s == "irm2019" and e in set(mt["event"])])


def volume(vol: pd.DataFrame, lang: str) -> str:
    irm = vol[vol["source_id"] == "irm2019"].set_index("stage")
    persons = vol["persons_printed"].dropna()
    return render("process_volume", lang, total=int(irm.loc["all", "attendances"]),
                  stages=[{"stage": s, "attendances": int(irm.loc[s, "attendances"])}
                          for s in irm.index if s != "all"],
                  persons=int(persons.iloc[0]) if len(persons) else None)


def regional(surv: pd.DataFrame, lang: str) -> str:
    s = surv.set_index("source_id")
    return render("process_regional", lang, n=int(s["n_proposed"].iloc[0]),
                  irm=s.loc["irm2019"].to_dict(), pcm=s.loc["pcm2018"].to_dict())


def sectors(cs: pd.DataFrame, lang: str) -> str:
    return render("process_sectors", lang, bodies=cs.to_dict("records"),
                  parity=cs["parity_share"].iloc[0])


def plans_participation(inf: pd.DataFrame, forum: pd.DataFrame, summary: pd.DataFrame, lang: str,
                        short: bool = False) -> str:
    """How public influence and the forum changed across the plans, as the IRM's "At a
    glance" tables print them (the brief's ``plans_participation`` finding; notebook 07).

    ``inf``, ``forum`` and ``summary`` are the processed tables ``influence_by_plan``,
    ``forum_by_plan`` and ``irm_summary``. Plans with no table found are named as such.
    ``short`` (the brief) leaves out each plan's distance from the minimum and the
    implementation levels, which the notebook gives."""
    printed = inf[inf["status"] == "printed"]
    dev = printed[printed["stage"] == "development"].drop_duplicates("plan").sort_values("plan")
    imp = printed[printed["stage"] == "implementation"].drop_duplicates("plan").sort_values("plan")
    changes = [{"from_plan": int(a.plan), "to_plan": int(b.plan), "from_level": a.level,
                "to_level": b.level, "step": int(b.rank) - int(a.rank)}
               for a, b in zip(dev.itertuples(), dev.iloc[1:].itertuples())]
    plans_printed = set(printed["plan"].astype(int))
    f = forum[forum["status"] == "printed"]
    answers = f.groupby("plan")["forum"].agg(lambda x: set(x.astype(bool)))
    used = list(dict.fromkeys(list(printed["source_id"]) + list(f["source_id"])))
    pages = summary.drop_duplicates("source_id").set_index("source_id")
    return render("plans_participation", lang, short=short,
                  changes=changes, minimum=str(inf["level_minimum"].iloc[0]),
                  development=[{"plan": int(r.plan), "level": r.level, "below": int(r.levels_below_minimum)}
                               for r in dev.itertuples()],
                  implementation=[{"plan": int(r.plan), "level": r.level,
                                   "below": int(r.levels_below_minimum)} for r in imp.itertuples()],
                  forum_no=[int(p) for p, a in answers.items() if a == {False}],
                  forum_yes=[int(p) for p, a in answers.items() if True in a],
                  not_found=sorted(set(inf["plan"].astype(int)) - plans_printed),
                  implementation_missing=sorted(set(dev["plan"].astype(int)) - set(imp["plan"].astype(int))),
                  sources=[{"report_type": pages.at[s, "report_type"], "period": pages.at[s, "period_as_printed"]}
                           for s in used])


def without_source(text: str) -> str:
    """A sentence without its closing source note (the brief prints sources beside findings)."""
    for mark in (" Fuente: ", " Source: "):
        if mark in text:
            return text.rsplit(mark, 1)[0]
    return text


def disagreements_box(reg: pd.DataFrame, lang: str) -> str:
    """A short box for the brief: how many contradictions the register lists, where, and how
    they are treated; rows of kind "noted" (not contradictions) are counted apart."""
    noted = reg["kind"] == NOTED
    contra = reg[~noted]
    by_treatment = contra["treatment"].value_counts()
    within = int((contra["scope"] == "within_document").sum())
    # any other treatment last, where the template refuses it rather than leave it uncounted
    order = [key for key in TREATMENTS if key in by_treatment]
    order += sorted(set(by_treatment.index) - set(TREATMENTS))
    return render("process_disagreements", lang, n=len(contra), within=within,
                  between=len(contra) - within, noted=int(noted.sum()),
                  treatments=[(key, int(by_treatment[key])) for key in order])


def for_brief(processed_dir: Path, lang: str) -> dict[str, str]:
    """The brief's scorecard finding and disagreements box, read from ``data/processed``."""
    std = processed.read_table("standards", processed_dir)
    card = processed.read_table("standards_scorecard", processed_dir)
    reg = processed.read_table("disagreements", processed_dir)
    return {"scorecard": scorecard(std, card, lang), "disagreements_box": disagreements_box(reg, lang)}
