"""Commitments of the four plans: the OGP list cleaned, joined with IRM and SPDA data.

Cleaning rules, in order:
- the web page's "Starred commitment " prefix is a label, not part of the title: it is
  removed and kept as ``starred_label``;
- typos are corrected only through ``data/corrections/commitment_titles.csv`` (one row
  per correction, with its reason); a correction whose published title no longer matches
  the raw data stops the run;
- titles that appear more than once are flagged, never dropped;
- policy areas are normalised to slugs; an entry with no published area gets the
  explicit value ``not_published``;
- the IRM's 2017-2019 assessments are joined from ``commitments_irm2017`` (the prose
  reading), which validation has already checked, value by value, against the
  report's check-mark table (``irm_assessment_readings``, ``analysis.raw.assessments``);
  a disagreement stops the run before this join;
- the IRM's 2017-2019 assessments belong to the IRM indicator regime used before 2020;
  the 2020-2021 plan falls under the regime from 2020 (``irm_regime``), and the two
  scales are never pooled.
"""

from __future__ import annotations

import re

import pandas as pd

from ..labels import slug
from ..raw.corrections import load_corrections

STAR_PREFIX = "Starred commitment "
NOT_PUBLISHED = "not_published"
IRM_VALUES = ["access_to_information", "civic_participation", "public_accountability",
              "technology_innovation"]
PRINCIPLES = ["transparency", "participation", "accountability", "integrity"]
IMPACT_ORDER = ["none", "minor", "moderate", "transformative"]

#: First action plan assessed under the IRM's post-2020 indicator model.
FIRST_PLAN_OF_2020_REGIME = 4


def _duplicate_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def tidy(raw: dict[str, pd.DataFrame], corrections: pd.DataFrame | None = None) -> pd.DataFrame:
    """All 104 commitments, one row each, with corrected titles and joined assessments."""
    if corrections is None:
        corrections = load_corrections(raw=raw)
    c = raw["commitments"].copy()
    title_raw = c["title_as_published"].astype(str)
    starred = title_raw.str.startswith(STAR_PREFIX)
    base = title_raw.where(~starred, title_raw.str.slice(len(STAR_PREFIX)))
    fix = corrections.set_index("ogp_id")
    corrected = c["ogp_id"].isin(fix.index)
    title = base.copy()
    title[corrected] = c.loc[corrected, "ogp_id"].map(fix["title_corrected"])
    keys = title.map(_duplicate_key)
    groups = c.groupby(keys)["ogp_id"].agg(list)
    dup_ids = keys.map(lambda k: groups[k])
    area_raw = c["policy_area_as_published"]
    out = pd.DataFrame({
        "plan": c["plan"], "ogp_id": c["ogp_id"], "list_year": c["list_year"],
        "title_raw": title_raw, "title": title,
        "title_corrected": corrected.astype("boolean"),
        "correction_reason": c["ogp_id"].map(fix["reason"]).astype("string"),
        "starred_label": starred.astype("boolean"),
        "title_duplicated": (dup_ids.map(len) > 1).astype("boolean"),
        "duplicate_of": [";".join(i for i in ids if i != own) or pd.NA
                         for ids, own in zip(dup_ids, c["ogp_id"])],
        "policy_area_raw": area_raw,
        "policy_area": area_raw.map(lambda a: slug(a) if pd.notna(a) else NOT_PUBLISHED),
        "policy_area_missing": area_raw.isna().astype("boolean"),
    })
    irm = raw["commitments_irm2017"].set_index("ogp_id")
    p4 = raw["commitments_plan4"].set_index("ogp_id")
    out["theme"] = out["ogp_id"].map(irm["theme"]).fillna(
        out["ogp_id"].map(p4["theme_printed"].map(slug))).astype("string")
    out["irm_number"] = out["ogp_id"].map(irm["irm_number"]).astype("Int64")
    out["plan4_number"] = out["ogp_id"].map(p4["number"]).astype("Int64")
    out["title_es"] = out["ogp_id"].map(irm["title_es"]).fillna(
        out["ogp_id"].map(p4["title_es"])).astype("string")
    out["lead_institution"] = out["ogp_id"].map(irm["lead_institution"]).fillna(
        out["ogp_id"].map(p4["institution_printed"])).astype("string")
    out["irm_verifiable"] = out["ogp_id"].map(irm["verifiable"]).astype("boolean")
    for value in IRM_VALUES:
        out[f"irm_{value}"] = out["ogp_id"].map(irm[value]).astype("boolean")
    out["irm_potential_impact"] = out["ogp_id"].map(irm["potential_impact"]).astype("string")
    for principle in PRINCIPLES:
        out[f"principle_{principle}"] = out["ogp_id"].map(p4[principle]).astype("boolean")
    out["irm_regime"] = out["plan"].map(
        lambda p: "from_2020" if p >= FIRST_PLAN_OF_2020_REGIME else "pre_2020")
    out["duplicate_of"] = out["duplicate_of"].astype("string")
    return out.sort_values("ogp_id").reset_index(drop=True)


def _label(text: str) -> str:
    """'2015 — 2016' and '2012 - 2013' -> '2015-2016', '2012-2013'."""
    return re.sub(r"\s*[-–—]\s*", "-", text.strip())


#: Whose period label is canonical: the government's own (it approved plans 1-3), then SPDA.
LABEL_PREFERENCE = ["pcm2018", "spda2022", "irm2019", "ogp_web", "pcm2017"]


def plan_table(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per plan: canonical label, every alias, resolution and commitment counts."""
    plans = raw["plans"].copy()
    plans["label"] = plans["label_as_printed"].map(_label)
    counted = raw["commitments"].groupby("plan").size()
    rows = []
    for plan, group in plans.groupby("plan"):
        rank = group["source_id"].map(LABEL_PREFERENCE.index)
        canonical = group.assign(_r=rank).sort_values(["_r", "id"])["label"].iloc[0]
        aliases = sorted(set(group["label_as_printed"]) - {canonical})
        stated = group.dropna(subset=["n_commitments"])
        rows.append({
            "plan": plan, "canonical_label": canonical,
            "aliases": " | ".join(aliases),
            "resolution": "; ".join(sorted(group["resolution"].dropna().unique())) or pd.NA,
            "n_commitments_ogp_list": int(counted.get(plan, 0)),
            "n_commitments_stated": "; ".join(f"{r.source_id}: {r.n_commitments}"
                                              for r in stated.sort_values("id").itertuples()) or pd.NA,
        })
    out = pd.DataFrame(rows)
    out["plan"] = out["plan"].astype("Int64")
    return out


def cleaning_summary(com: pd.DataFrame) -> str:
    """What cleaning did to the OGP list, in words, every number counted from the table."""
    dup_groups = com.loc[com["title_duplicated"], "title"].nunique()
    return (f"{len(com)} commitments across {com['plan'].nunique()} plans; "
            f"{int(com['title_corrected'].sum())} titles corrected through the corrections table; "
            f"{int(com['starred_label'].sum())} 'Starred commitment' labels moved out of the title; "
            f"{int(com['title_duplicated'].sum())} commitments share a title with another "
            f"({dup_groups} titles), flagged and kept; "
            f"{int(com['policy_area_missing'].sum())} with no published policy area, kept as "
            f"'{NOT_PUBLISHED}'.")
