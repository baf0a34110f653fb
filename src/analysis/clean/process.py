"""Process tables: the standards scorecard, the forum over time, the timeline, the register.

Tidy versions of the process resources of ``data/raw`` (IRM Annex I, table 3.2, dated
statements on the forum, each document's dates, the register of disagreements), and the
declaration of every processed table that issue 11's analyses write (columns, types and
descriptions), so that the processed data package describes each new number.
"""

from __future__ import annotations

import pandas as pd

from . import processed
from .printed import printed_checks  # noqa: F401  (the printed shares and totals, issue 22)

#: Whether a status means the forum met as a multistakeholder space (None: not yet known).
OPERATING = {"created": True, "members_designated": True, "civil_society_objections": None,
             "civil_society_left": False, "no_forum_in_practice": False, "no_meetings": False,
             "object_concluded": False, "absent": False, "dissolution_ordered": False,
             "pilots_planned": None}
#: Stages of the 2017 timeline, in process order (figure and tables).
MILESTONES = ["invitations_sent", "schedule_published", "regional_call_posted", "thematic_table",
              "regional_workshop", "self_assessment_consultation", "virtual_consultation",
              "national_table", "participation_stage", "design_stage", "closing_event", "approval"]


def standards(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per standard with its colour, the colour's rank and whether it is met."""
    s = raw["standards"].merge(raw["standard_colours"][["colour", "rank"]], on="colour", how="left")
    out = pd.DataFrame({
        "plan": s["plan"], "phase": s["phase"], "standard_id": s["standard_id"],
        "section": s["section_printed"], "name": s["name_printed"],
        "code_printed": s["code_printed"], "colour": s["colour"],
        "colour_rank": s["rank"], "meets_standard": s["colour"] == "green",
        "no_evidence_of_action": s["colour"] == "red", "raw_id": s["id"]})
    return out.sort_values(["plan", "phase", "standard_id"]).reset_index(drop=True)


def forum_status(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Dated statements on the forum, in time order, with whether the forum was operating."""
    f = raw["forum_status"]
    out = pd.DataFrame({"year": f["year"], "source_id": f["source_id"], "body": f["body"],
                        "status": f["status"],
                        "operating": pd.array(f["status"].map(OPERATING), dtype="boolean"),
                        "raw_id": f["id"]})
    return out.sort_values(["year", "raw_id"], na_position="last").reset_index(drop=True)


def timeline(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each document's dated milestones as calendar dates."""
    t = raw["timeline"]
    out = pd.DataFrame({"source_id": t["source_id"], "plan": t["plan"], "milestone": t["milestone"],
                        "date_start": pd.to_datetime(t["date_start"]),
                        "date_end": pd.to_datetime(t["date_end"]),
                        "precision": t["precision"], "raw_id": t["id"]})
    order = {m: i for i, m in enumerate(MILESTONES)}
    return out.assign(_o=out["milestone"].map(order).fillna(len(order))) \
        .sort_values(["source_id", "_o", "date_start", "raw_id"]).drop(columns="_o") \
        .reset_index(drop=True)


#: The register's kind for rows that are listed for readers but are not contradictions
#: (the same number printed twice, two footnotes listing the same proposal ...).
NOTED = "noted"

#: Kinds in the order the README and the count by kind list them (data/raw/datapackage.json
#: holds the same list as the field's enum).
KINDS = ["count", "date", "period_label", "name", "category", "content", "assessment",
         "percentage_unit", "counts_said_to_differ", "principle_framework", "tag_vs_rating",
         "claim_vs_counts", NOTED]


def register(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per disagreement: topic, kind, scope, treatment and the documents its claims cite."""
    d = raw["disagreements"]
    rows = []
    for did, g in d.groupby("disagreement_id", sort=False):
        first = g.iloc[0]
        rows.append({"disagreement_id": did, "topic": first["topic"], "kind": first["kind"],
                     "contradiction": first["kind"] != NOTED, "scope": first["scope"],
                     "treatment": first["treatment"], "resources": first["resources"],
                     "n_claims": len(g), "source_ids": "; ".join(dict.fromkeys(g["source_id"])),
                     "treatment_note": first["treatment_note"]})
    return pd.DataFrame(rows)


def register_summary(reg: pd.DataFrame) -> pd.DataFrame:
    """Contradictions (kind other than noted) per scope and treatment, with totals."""
    reg = reg[reg["kind"] != NOTED]
    rows = []
    for scope in ["between_documents", "within_document", "all"]:
        part = reg if scope == "all" else reg[reg["scope"] == scope]
        for treatment in ["both_kept", "chosen_by_parameter", "corrected_with_reason",
                          "only_noted", "all"]:
            sub = part if treatment == "all" else part[part["treatment"] == treatment]
            rows.append({"scope": scope, "treatment": treatment, "n_disagreements": len(sub)})
    return pd.DataFrame(rows)


def register_by_kind(reg: pd.DataFrame) -> pd.DataFrame:
    """Rows of the register per kind and scope; kinds in KINDS order, any other kind last."""
    kinds = [k for k in KINDS if k in set(reg["kind"])] + sorted(set(reg["kind"]) - set(KINDS))
    rows = []
    for kind in kinds + ["all_contradictions"]:
        sub = reg[reg["kind"] != NOTED] if kind == "all_contradictions" else reg[reg["kind"] == kind]
        rows.append({"kind": kind, "contradiction": kind != NOTED,
                     "n_disagreements": len(sub),
                     "n_between_documents": int((sub["scope"] == "between_documents").sum()),
                     "n_within_document": int((sub["scope"] == "within_document").sum()),
                     "disagreement_ids": "; ".join(sub["disagreement_id"]) if kind != "all_contradictions" else ""})
    return pd.DataFrame(rows)


def _declare() -> None:
    S, INT, N, B = "string", "integer", "number", "boolean"
    processed.register("standards", "IRM Annex I: each participation and co-creation standard with its colour.", {
        "plan": (INT, "Action plan (3 = 2017-2019)."), "phase": (S, "Phase assessed (development)."),
        "standard_id": (S, "Standard number as printed (1a ... 5a; the annex prints no 3a-3c)."),
        "section": (S, "Section of the annex as printed."), "name": (S, "Short name as printed."),
        "code_printed": (S, "Code printed beside the colour (P, I, PM, M), empty where none; its meaning is not printed."),
        "colour": (S, "green (meets the standard), amber (in progress; \"Amarillo\" in the IRM's key) or red (no evidence of action)."),
        "colour_rank": (INT, "3 green, 2 amber, 1 red (order of the printed key)."),
        "meets_standard": (B, "True where the colour is green."),
        "no_evidence_of_action": (B, "True where the colour is red."),
        "raw_id": (S, "Row id in data/raw/standards.csv."),
    })
    processed.register("standards_scorecard", "Number of standards per colour and section of IRM Annex I.", {
        "plan": (INT, "Action plan."), "section": (S, "Section of the annex, or all."),
        "colour": (S, "green, amber or red."), "n_standards": (INT, "Standards with that colour."),
        "of": (INT, "Standards in the section."), "share": (N, "n_standards / of."),
    })
    processed.register("public_influence", "Level of public influence reached during development (IAP2 spectrum as adapted by the IRM, table 3.2).", {
        "plan": (INT, "Action plan."), "phase": (S, "Phase (development)."),
        "level_marked": (S, "Level marked in table 3.2."), "rank_marked": (INT, "Its rank, 1 (no consultation) to 6 (empower)."),
        "level_minimum": (S, "Lowest level that keeps a government in line with the OGP process during development (involve)."),
        "rank_minimum": (INT, "Its rank."), "meets_minimum": (B, "True when the marked level reaches the minimum."),
        "levels_below_minimum": (INT, "Ranks between the marked level and the minimum."),
        "level_aspiration": (S, "Level OGP asks most countries to aim for (collaborate)."),
        "rank_aspiration": (INT, "Its rank."),
        "n_levels": (INT, "Levels printed in the spectrum."),
        "levels_below_aspiration": (INT, "Ranks between the marked level and the aspiration."),
    })
    processed.register("forum_status", "Dated statements on Peru's multistakeholder forum, in time order.", {
        "year": (INT, "Year the status starts (empty where the document prints none)."),
        "source_id": (S, "Document."), "body": (S, "Body."), "status": (S, "Status slug."),
        "operating": (B, "True where the status means the forum met as a multistakeholder space, False where it did not, empty where the statement does not say (objections voiced, pilots planned)."),
        "raw_id": (S, "Row id in data/raw/forum_status.csv."),
    })
    processed.register("timeline_stages", "Each stage of the 2017 co-creation under each document's dates, in days from the schedule's publication.", {
        "source_id": (S, "Whose dates."), "milestone": (S, "Stage or event."),
        "date_start": (S, "First day (ISO)."),
        "date_end": (S, "Last day (ISO): the latest day the document gives for the stage."),
        "date_end_alternative": (S, "Where the document also prints an earlier last day for the same span, that day (ISO)."),
        "n_rows": (INT, "Rows of data/raw/timeline.csv behind the stage."),
        "end_dates_disagree": (B, "True where the document prints two last days for the same span (a disagreement within the document)."),
        "precision": (S, "day, or month where only months are printed."),
        "days_from_schedule_to_start": (INT, "Days from the publication of the schedule (same document) to the first day."),
        "days_from_schedule_to_end": (INT, "Days from the publication of the schedule to the last day."),
        "duration_days": (INT, "Calendar days from first to last day, both included."),
    })
    processed.register("timeline_intervals", "Days between milestones of the 2017 co-creation, under each document's dates.", {
        "source_id": (S, "Whose dates."), "from_milestone": (S, "Start point."), "from_date": (S, "Its date (ISO)."),
        "to_milestone": (S, "End point."), "to_date": (S, "Its date (ISO)."),
        "days": (INT, "Days from one to the other (to_date minus from_date)."),
    })
    processed.register("disagreements", "Register of disagreements: one row per disagreement (claims in data/raw/disagreements.csv).", {
        "disagreement_id": (S, "Identifier."), "topic": (S, "What the documents disagree on."),
        "kind": (S, "Kind of disagreement (see data/raw/datapackage.json); noted marks rows listed for readers that are not contradictions."),
        "contradiction": (B, "False for kind noted (not counted among the contradictions), True otherwise."),
        "scope": (S, "between_documents or within_document."),
        "treatment": (S, "both_kept, chosen_by_parameter, corrected_with_reason or only_noted."),
        "resources": (S, "data/raw resources holding the values."),
        "n_claims": (INT, "Number of cited claims."), "source_ids": (S, "Documents cited, in claim order."),
        "treatment_note": (S, "The treatment in words."),
    })
    processed.register("register_summary", "Contradictions in the register (kind noted excluded) per scope and treatment.", {
        "scope": (S, "between_documents, within_document or all."),
        "treatment": (S, "Treatment, or all."), "n_disagreements": (INT, "Contradictions."),
    })
    processed.register("register_by_kind", "Rows of the register per kind of disagreement, counted from data/raw/disagreements.csv.", {
        "kind": (S, "Kind, or all_contradictions (every kind but noted)."),
        "contradiction": (B, "False for noted (rows that are not contradictions)."),
        "n_disagreements": (INT, "Disagreements of that kind."),
        "n_between_documents": (INT, "Of them, between documents."),
        "n_within_document": (INT, "Of them, within one document."),
        "disagreement_ids": (S, "Their identifiers, in register order (empty for the total)."),
    })
    processed.register("consultation_rate", "Virtual consultation: contributions per 100 visits to the forum.", {
        "source_id": (S, "Document."), "visits": (INT, "Visits to the virtual forum (visits, not visitors)."),
        "contributions": (INT, "Contributions (comments) printed."),
        "per_100_visits": (N, "Contributions per 100 visits."),
        "ci_low": (N, "Lower confidence bound, per 100 visits (scipy.stats.binomtest)."),
        "ci_high": (N, "Upper confidence bound, per 100 visits."),
        "ci_method": (S, "Interval method."), "confidence": (N, "Confidence level."),
    })
    processed.register("consultation_themes", "Virtual-consultation contributions by theme against the themes of the thematic-table proposals and of the final commitments.", {
        "theme": (S, "Theme slug (the government's themes; transversal only in the final plan)."),
        "contributions": (INT, "Contributions (Cuadro 4, both channels)."),
        "share_contributions": (N, "Share of all contributions."),
        "proposals_thematic": (INT, "Proposals of the thematic tables (government)."),
        "share_proposals_thematic": (N, "Share of those proposals."),
        "final_commitments": (INT, "Commitments of the final plan (IRM's 18)."),
        "share_final": (N, "Share of the final commitments."),
        "contributions_minus_final_share": (N, "share_contributions minus share_final."),
    })
    processed.register("attendance_volume", "Attendance volume per stage and account, with its unit.", {
        "source_id": (S, "Account."), "stage": (S, "Stage, or all for the stages the account counts event by event."),
        "n_events": (INT, "Events counted."),
        "attendances": (INT, "Sum of the event counts: attendances, not distinct persons (a person at two events counts twice)."),
        "unit": (S, "attendances."),
        "persons_printed": (INT, "Persons the document prints for the same scope ('312 personas'), where it prints any; the document does not say whether a person at several events counts once."),
        "derived": (B, "True where no document prints this sum (the IRM's stage totals; the government's total over its regional workshops and closing event)."),
        "derivation": (S, "How a derived value was obtained; empty where the value is printed."),
    })
    processed.register("shares_by_event_all_treatments", "Civil-society share per event (persons) under every treatment of 'other'.", {
        "source_id": (S, "Account."), "stage": (S, "Stage."), "event": (S, "Event slug."),
        "other_as": (S, "Treatment of the IRM's 'other' participants: exclude, state or civil_society."),
        "n_state": (INT, "State participants as counted."), "n_civil_society": (INT, "Civil-society participants as counted."),
        "n_other": (INT, "'Other' participants as counted (IRM only)."),
        "n": (INT, "Denominator under the treatment."), "share_civil_society": (N, "Civil-society share under the treatment."),
        "ci_low": (N, "Lower confidence bound."), "ci_high": (N, "Upper confidence bound."),
        "ci_method": (S, "Interval method."), "confidence": (N, "Confidence level."),
        "civil_society_majority": (B, "True where the share exceeds one half."),
    })
    processed.register("survival_regional", "Survival of the regional workshops' proposals alone, documented and possible, per document.", {
        "source_id": (S, "Whose statements on origins are used."),
        "n_proposed": (INT, "Proposals of the regional workshops (government count)."),
        "n_final": (INT, "Commitments of the final plan."),
        "n_final_from_regional_known": (INT, "Final commitments the document traces to the regional workshops."),
        "n_final_elsewhere_known": (INT, "Final commitments the document traces to another stage."),
        "survival_documented": (N, "n_final_from_regional_known / n_proposed."),
        "survival_documented_ci_low": (N, "Its lower confidence bound."),
        "survival_documented_ci_high": (N, "Its upper confidence bound."),
        "n_possible": (INT, "Upper bound: min(n_proposed, final commitments not traced to another stage)."),
        "survival_possible": (N, "n_possible / n_proposed."),
        "ci_method": (S, "Interval method."), "confidence": (N, "Confidence level."),
    })
    processed.register("bodies_by_sector", "Seats of the multistakeholder bodies by the sector the documents name.", {
        "body": (S, "Body."), "year": (INT, "Year of creation."), "source_id": (S, "Document."),
        "sector_detail": (S, "executive, judiciary, regional_government, local_government, civil_society, business or academia."),
        "state": (B, "True for state sectors."), "seats": (INT, "Seats."), "total": (INT, "All seats of the body."),
        "share": (N, "seats / total."),
    })
    processed.register("bodies_civil_society", "Civil-society seats alone, against parity with the state.", {
        "body": (S, "Body."), "year": (INT, "Year."), "source_id": (S, "Document."),
        "civil_society": (INT, "Seats of civil-society organisations (business and academia excluded)."),
        "state": (INT, "State seats."), "total": (INT, "All seats."),
        "share_civil_society": (N, "civil_society / total."),
        "parity_share": (N, "Share of each side at state/non-state parity (one half)."),
        "share_minus_parity": (N, "share_civil_society minus parity_share."),
        "civil_society_per_state_seat": (N, "civil_society / state."),
        "seats_short_of_state": (INT, "state minus civil_society."),
    })


_declare()
