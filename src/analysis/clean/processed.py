"""The processed data package: tidy tables plus their own ``datapackage.json``.

Every column must be described here; the Table Schema types come from the columns'
dtypes, so the descriptor always matches what was written.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from pathlib import Path

import pandas as pd

from ..outputs import csv_text, write_text

DESCRIPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "attendance": ("Event-level attendance of the 2017 co-creation, both accounts (printed totals stay in data/raw).", {
        "source_id": "Account: irm2019 (signed sheets) or pcm2018 (government).",
        "plan": "Action plan (3 = 2017-2019).",
        "stage": "thematic_table, regional_workshop, national_table, closing_event or overall.",
        "event": "Event slug (accents and spelling unified across sources).",
        "event_label": "Event as printed.",
        "actor": "state, civil_society, other (IRM: mostly GIZ consultants) or unspecified.",
        "civil_society_subtype": "Civil-society subtype as the government classifies it.",
        "unit": "persons or organisations.",
        "count": "Count as printed.",
        "date_as_printed": "Date as printed.",
        "raw_id": "Row id in data/raw/attendance.csv.",
    }),
    "attendance_discrepancies": ("Every event both accounts report, side by side per actor.", {
        "stage": "Stage.", "event": "Event slug, or all_events for the stage as a whole.",
        "level": "event, or stage (sum of the events both accounts count).",
        "actor": "Actor, or total.",
        "count_pcm2018": "Government count (missing where the account has no such category or count).",
        "count_irm2019": "IRM count (missing where the account has no such category or count).",
        "difference_irm_minus_pcm": "IRM minus government.",
        "majority_pcm2018": "Larger of state and civil society in the government's account.",
        "majority_irm2019": "Larger of state and civil society in the IRM's account.",
        "date_pcm2018": "Date as the government prints it.",
        "date_irm2019": "Date as the IRM prints it.",
        "majority_flips": "True when the two accounts disagree on the majority.",
        "derived": "True for stage rows: sums of the events, not totals a document prints.",
        "derivation": "How a derived row is computed; empty for event rows.",
    }),
    "attendance_reconciled": ("Attendance under the chosen account and treatment of 'other' (parameters account, other_as): only the chosen account's rows (both accounts with account=both). A stage the account does not report is absent, never filled in from the other account.", {}),
    "commitments": ("All 104 OGP commitments, cleaned and joined with IRM and SPDA data.", {
        "plan": "Action plan 1-4.", "ogp_id": "OGP identifier.",
        "list_year": "Action-plan year as the OGP list prints it.",
        "title_raw": "Title exactly as published.",
        "title": "Title after removing the 'Starred commitment' label and applying data/corrections/commitment_titles.csv.",
        "title_corrected": "True when a correction was applied.",
        "correction_reason": "Why the title was corrected.",
        "starred_label": "True when the OGP page labels the commitment as starred.",
        "title_duplicated": "True when another commitment has the same title (flagged, not dropped).",
        "duplicate_of": "OGP ids sharing the title.",
        "policy_area_raw": "Policy area as published.",
        "policy_area": "Policy area slug; not_published where none is published.",
        "policy_area_missing": "True where no policy area is published.",
        "theme": "Theme of the 2017 process (plan 3, IRM) or SPDA theme (plan 4).",
        "irm_number": "Number in the IRM 2017-2019 report.",
        "plan4_number": "Number in the SPDA table of the 2020-2021 plan.",
        "title_es": "Spanish title (IRM or SPDA).",
        "lead_institution": "Lead institution (IRM for plan 3, SPDA where printed for plan 4).",
        "irm_verifiable": "IRM: verifiable (pre-2020 regime).",
        "irm_access_to_information": "IRM: relevant to access to information.",
        "irm_civic_participation": "IRM: relevant to civic participation.",
        "irm_public_accountability": "IRM: relevant to public accountability.",
        "irm_technology_innovation": "IRM: relevant to technology and innovation.",
        "irm_potential_impact": "IRM potential impact: none, minor, moderate, transformative.",
        "principle_transparency": "SPDA: related to transparency and access to information.",
        "principle_participation": "SPDA: related to citizen participation.",
        "principle_accountability": "SPDA: related to accountability.",
        "principle_integrity": "SPDA: related to public integrity.",
        "irm_regime": "IRM indicator regime: pre_2020 or from_2020 (never pooled).",
    }),
    "funnel": ("Proposal counts per stage and theme of the 2017 co-creation.", {
        "source_id": "Document.", "stage": "Stage.", "stage_order": "1 to 4, in process order.",
        "theme": "Theme slug, or total.", "count": "Number of proposals or commitments.",
        "basis": "printed, or counted_from_commitments (final plan by theme).",
        "raw_id": "Row id in data/raw/proposals.csv.",
    }),
    "plans": ("One row per action plan with its canonical label and aliases.", {
        "plan": "Action plan 1-4.",
        "canonical_label": "Period label: the government's own for plans 1-3, SPDA's for plan 4.",
        "aliases": "Every other label printed in the sources.",
        "resolution": "Approving resolution as given.",
        "n_commitments_ogp_list": "Commitments in the OGP list (counted).",
        "n_commitments_stated": "Number of commitments as each source states it.",
    }),
}
DESCRIPTIONS["attendance_reconciled"][1].update(DESCRIPTIONS["attendance"][1])


#: Column types other than string (Table Schema types).
TYPES: dict[str, dict[str, str]] = {
    "attendance": {"plan": "integer", "count": "integer"},
    "attendance_discrepancies": {"count_pcm2018": "integer", "count_irm2019": "integer",
                                 "difference_irm_minus_pcm": "integer", "majority_flips": "boolean",
                                 "derived": "boolean"},
    "commitments": {"plan": "integer", "list_year": "integer", "irm_number": "integer",
                    "plan4_number": "integer", "title_corrected": "boolean", "starred_label": "boolean",
                    "title_duplicated": "boolean", "policy_area_missing": "boolean",
                    "irm_verifiable": "boolean", "irm_access_to_information": "boolean",
                    "irm_civic_participation": "boolean", "irm_public_accountability": "boolean",
                    "irm_technology_innovation": "boolean", "principle_transparency": "boolean",
                    "principle_participation": "boolean", "principle_accountability": "boolean",
                    "principle_integrity": "boolean"},
    "funnel": {"stage_order": "integer", "count": "integer"},
    "plans": {"plan": "integer", "n_commitments_ogp_list": "integer"},
}
TYPES["attendance_reconciled"] = TYPES["attendance"]


def register(name: str, title: str, columns: dict[str, tuple[str, str]]) -> None:
    """Declare a processed table written by a later step: column -> (type, description)."""
    DESCRIPTIONS[name] = (title, {c: d for c, (_, d) in columns.items()})
    TYPES[name] = {c: t for c, (t, _) in columns.items() if t != "string"}


def write_table(frame: pd.DataFrame, name: str, out_dir: Path) -> str:
    """Write one declared table as CSV; its columns must match the declaration exactly."""
    if name not in DESCRIPTIONS:
        raise KeyError(f"processed table {name!r} is not declared in analysis.clean.processed")
    declared = list(DESCRIPTIONS[name][1])
    if list(frame.columns) != declared:
        raise ValueError(f"processed table {name}: columns {list(frame.columns)} differ from the "
                         f"declaration {declared}")
    write_text(Path(out_dir) / f"{name}.csv", csv_text(frame))
    return f"{name}.csv"


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[str]:
    return [write_table(frame, name, out_dir) for name, frame in tables.items()]


def write_descriptor(out_dir: Path) -> Path:
    """Describe every declared table present in ``out_dir`` in its datapackage.json."""
    out_dir = Path(out_dir)
    resources = []
    for name in sorted(DESCRIPTIONS):
        path = out_dir / f"{name}.csv"
        if not path.is_file():
            continue
        title, columns = DESCRIPTIONS[name]
        data = path.read_bytes()
        fields = [{"name": c, "type": TYPES.get(name, {}).get(c, "string"), "description": d}
                  for c, d in columns.items()]
        resources.append({"name": name, "path": f"{name}.csv", "description": title,
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                          "schema": {"fields": fields}})
    package = {"profile": "data-package", "name": "peru-ogp-participation-processed",
               "title": "Citizen participation in Peru's OGP action plans: processed data",
               "description": "Tidy tables derived from data/raw by src/analysis (field by field: docs/data-dictionary.md); "
                              "regenerate with `make all`.",
               "resources": resources}
    return write_text(out_dir / "datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n")


_SHARE_COLS = {
    "source_id": ("string", "Account: irm2019 or pcm2018."),
    "stage": ("string", "Stage."),
    "unit": ("string", "persons or organisations."),
    "other_as": ("string", "Treatment of the IRM's 'other' participants: exclude, state or civil_society."),
    "n_state": ("integer", "State participants as counted (before the treatment of other)."),
    "n_civil_society": ("integer", "Civil-society participants as counted (before the treatment of other)."),
    "n_other": ("integer", "'Other' participants as counted (IRM only)."),
    "n": ("integer", "Denominator under the treatment: state + civil society (+ other unless excluded)."),
    "share_civil_society": ("number", "Civil-society share under the treatment."),
    "ci_low": ("number", "Lower confidence bound (scipy.stats.binomtest)."),
    "ci_high": ("number", "Upper confidence bound."),
    "ci_method": ("string", "wilson, wilsoncc or exact."),
    "confidence": ("number", "Confidence level."),
}
register("shares", "Civil-society share per source, stage, unit and treatment of other.", _SHARE_COLS)
register("shares_by_event", "Civil-society share per event (persons) under the chosen treatment of other.", {
    k: v for k, v in ({"source_id": _SHARE_COLS["source_id"], "stage": _SHARE_COLS["stage"],
                        "event": ("string", "Event slug.")} | {k: _SHARE_COLS[k] for k in list(_SHARE_COLS)[3:]}).items()})
register("stage_tests", "Does the civil-society share differ between the regional workshops and the national tables? One test per account and treatment. The thematic tables never enter: they count attendances (one person may count several times), which no independence test allows. The test still assumes no one attended both stages, which the sources do not establish; an account with fewer than two such stages gets no test.", {
    "source_id": ("string", "Account."), "other_as": ("string", "Treatment of other."),
    "stages": ("integer", "Stages compared (regional workshops and national tables: signatures, each taken as a different person, which assumes nobody signed twice within a stage)."), "statistic": ("number", "Pearson chi-square statistic."),
    "dof": ("integer", "Degrees of freedom."), "p_value": ("number", "p-value (chi-square, or permutation when an expected count is below 5)."),
    "min_expected": ("number", "Smallest expected cell count."), "method": ("string", "Test used and the stages it compares."),
    "stage_a": ("string", "The earlier of the two stages compared (empty without two stages)."),
    "stage_b": ("string", "The later of the two stages compared."),
    "share_a": ("number", "Civil-society share at stage_a, after the treatment of other."),
    "share_b": ("number", "Civil-society share at stage_b, after the treatment of other."),
    "difference": ("number", "Difference in proportions: share_b minus share_a."),
    "difference_ci_low": ("number", "Lower end of Newcombe's hybrid score interval for the difference (statsmodels confint_proportions_2indep, method newcomb)."),
    "difference_ci_high": ("number", "Upper end of that interval."),
    "difference_ci_method": ("string", "Method of the difference's interval."),
    "difference_confidence": ("number", "Confidence level of the difference's interval (parameter confidence)."),
})
register("survival", "Survival of proposals from the thematic tables and regional workshops to the final plan.", {
    "source_id": ("string", "Whose statements on origins are used."),
    "theme": ("string", "Theme, or total."),
    "n_proposed": ("integer", "Proposals from the thematic tables and regional workshops (government counts)."),
    "n_final": ("integer", "Commitments of the final plan (counted from the IRM's 18)."),
    "n_final_from_pool_known": ("integer", "Final commitments the document traces to those proposals."),
    "n_final_outside_pool_known": ("integer", "Final commitments the document traces to elsewhere (national tables)."),
    "survival_low": ("number", "Lower bound: documented survivors / proposals."),
    "survival_low_ci_low": ("number", "Its lower confidence bound."),
    "survival_low_ci_high": ("number", "Its upper confidence bound."),
    "survival_high": ("number", "Upper bound: final commitments not documented as from elsewhere / proposals."),
    "survival_high_ci_low": ("number", "Its lower confidence bound."),
    "survival_high_ci_high": ("number", "Its upper confidence bound."),
    "ci_method": ("string", "Interval method."), "confidence": ("number", "Confidence level."),
})
register("origins", "Share of the final plan's commitments by stated origin, per document.", {
    "source_id": ("string", "Document."), "origin": ("string", "Stage of origin, or not_stated."),
    "n_commitments": ("integer", "Commitments."), "n_final": ("integer", "Commitments in the final plan."),
    "share": ("number", "Share of the final plan."), "ci_low": ("number", "Lower confidence bound."),
    "ci_high": ("number", "Upper confidence bound."),
    "derived": ("boolean", "True where the document does not state the origin: an inference (national_table for commitments the IRM calls not discussed before) or a remainder (not_stated)."),
    "derivation": ("string", "Why the value is derived; empty where the document states it."),
})
register("policy_areas_by_plan", "Commitments per OGP policy area and plan (OGP list).", {
    "policy_area": ("string", "Policy area slug (not_published where none)."),
    "plan_1": ("integer", "Commitments in plan 1."), "plan_2": ("integer", "Commitments in plan 2."),
    "plan_3": ("integer", "Commitments in plan 3."), "plan_4": ("integer", "Commitments in plan 4."),
    "n_plans": ("integer", "Plans in which the area appears."),
})
register("values_by_plan", "Commitments tied to each OGP value (IRM, plan 3) or principle (SPDA, plan 4).", {
    "plan": ("integer", "Plan."), "instrument": ("string", "Who classified: IRM relevance or SPDA principles (never pooled)."),
    "value": ("string", "Value or principle."), "n": ("integer", "Commitments."),
    "of": ("integer", "Commitments in the plan."), "share": ("number", "n / of."),
})
register("bodies", "State and non-state seats of the multistakeholder bodies against parity.", {
    "body": ("string", "Body."), "year": ("integer", "Year of creation."), "source_id": ("string", "Document."),
    "non_state": ("integer", "Non-state seats."), "state": ("integer", "State seats."),
    "total": ("integer", "All seats."), "share_non_state": ("number", "Non-state share of seats."),
    "parity_share": ("number", "Share each sector would hold at parity."),
    "state_minus_non_state": ("integer", "Gap to parity in seats."),
    "at_parity": ("boolean", "True when state and non-state seats are equal."),
})

register("multiverse", "The headline civil-society shares under every combination of account x treatment of other x interval method x confidence level, per stage (persons). Computed in-process by analysis.questions.multiverse; independent of the parameters of the run, which pick one row per stage. A stage an account does not report keeps its row with reported = false and no numbers: nothing is substituted.", {
    "account": ("string", "Account: irm2019 (IRM recount of the signed sheets) or pcm2018 (government systematization)."),
    "other_as": ("string", "Treatment of the IRM's 'other' participants: exclude, state or civil_society (no effect on pcm2018, which has no 'other')."),
    "ci_method": ("string", "Interval method: wilson, wilsoncc or exact (scipy.stats.binomtest)."),
    "confidence": ("number", "Confidence level (0.90, 0.95, 0.99 and the run's level)."),
    "stage": ("string", "thematic_table (attendances, not distinct persons), regional_workshop or national_table."),
    "reported": ("boolean", "False when the account gives no attendance in persons for the stage."),
    "n_state": ("integer", "State participants as counted (before the treatment of other)."),
    "n_civil_society": ("integer", "Civil-society participants as counted (before the treatment of other)."),
    "n_other": ("integer", "'Other' participants as counted."),
    "k": ("integer", "Civil-society participants after the treatment of other (the numerator)."),
    "n": ("integer", "Denominator after the treatment of other."),
    "share_civil_society": ("number", "k / n."),
    "ci_low": ("number", "Lower bound: complete counts, so read as chance variation of a process like this one, not sampling error."),
    "ci_high": ("number", "Upper bound."),
    "majority": ("string", "state, civil_society or tie (k against n - k)."),
})

_READERS = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}


def read_table(name: str, out_dir: Path) -> pd.DataFrame:
    """Read a processed table back with its declared types.

    Read once per process for its bytes (the tests, the brief and its audit read the same
    few files hundreds of times); callers get copies, and changed bytes are read afresh."""
    return _typed(name, (Path(out_dir) / f"{name}.csv").read_bytes()).copy()


@functools.lru_cache(maxsize=128)
def _typed(name: str, data: bytes) -> pd.DataFrame:
    """The table in ``data`` (a CSV's bytes, which are the cache key), typed."""
    columns = DESCRIPTIONS[name][1]
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    out = {}
    for col in columns:
        kind = TYPES.get(name, {}).get(col, "string")
        values = frame[col].replace("", None)
        if kind == "boolean":
            out[col] = pd.array(values.map({"True": True, "False": False, "true": True,
                                            "false": False, None: None}), dtype="boolean")
        elif kind in ("integer", "number"):
            out[col] = pd.array(pd.to_numeric(values), dtype=_READERS[kind])
        else:
            out[col] = pd.array(values, dtype="string")
    return pd.DataFrame(out)
