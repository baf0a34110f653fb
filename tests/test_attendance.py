"""Cleaning and reconciliation of attendance, against counts read off the documents."""

import pandas as pd
import pytest

from analysis.clean import attendance as A


@pytest.fixture(scope="module")
def att(raw):
    return A.tidy(raw)


@pytest.fixture(scope="module")
def disc(att, raw):
    return A.discrepancies(att, raw["events"]).set_index(["event", "actor"])


def test_no_printed_totals_and_no_double_counting(att):
    assert set(att["actor"]) <= set(A.ACTORS)
    assert not att["raw_id"].str.contains("total").any()
    orgs = att[(att.unit == "organisations")]
    # Cuadro 1: 52 public entities + 124 civil-society organisations = 176 (Cuadro 2 breaks down 124)
    assert orgs.groupby("actor")["count"].sum().to_dict() == {"civil_society": 124, "state": 52}
    assert orgs["civil_society_subtype"].dropna().tolist() == [
        "academia", "international_cooperation", "private_sector", "ngo"]


def test_a_total_without_parts_enters_as_unspecified(att):
    lone = att[att.raw_id == "pcm2018-overall-persons"]
    assert lone[["actor", "count"]].values.tolist() == [["unspecified", 312]]


def test_event_names_are_unified_across_sources(att):
    regional = att[att.stage == "regional_workshop"]
    assert set(regional["event"]) == {"arequipa", "la_libertad", "san_martin"}
    assert {"San Martin", "San Martín"} <= set(regional["event_label"])


def test_unknown_actor_label_is_refused(raw):
    broken = dict(raw)
    frame = raw["attendance"].copy()
    frame.loc[frame["id"] == "irm2019-mn-primera-cs", "actor_printed"] = "Ciudadanos"
    broken["attendance"] = frame
    with pytest.raises(ValueError, match=r"attendance.csv: unknown actor label\(s\) \['Ciudadanos'\]"):
        A.tidy(broken)


@pytest.mark.parametrize("other_as,expected", [
    # IRM national tables: state 31+45=76, civil society 18+19=37, other 3+2=5
    ("exclude", {"state": 76, "civil_society": 37}),
    ("state", {"state": 81, "civil_society": 37}),
    ("civil_society", {"state": 76, "civil_society": 42}),
])
def test_treatment_of_other(att, other_as, expected):
    national = A.apply_other(att[att.stage == "national_table"], other_as)
    assert national.groupby("actor")["count"].sum().to_dict() == expected


def test_la_libertad_majority_flips(disc):
    row = disc.loc[("la_libertad", "total")]
    assert (row["count_pcm2018"], row["count_irm2019"]) == (49, 53)
    assert disc.loc[("la_libertad", "state"), "difference_irm_minus_pcm"] == 25 - 27
    assert disc.loc[("la_libertad", "civil_society"), "difference_irm_minus_pcm"] == 27 - 22
    assert row["majority_pcm2018"] == "state" and row["majority_irm2019"] == "civil_society"
    assert bool(row["majority_flips"])


@pytest.mark.parametrize("event,pcm,irm", [("arequipa", 53, 54), ("san_martin", 43, 43)])
def test_other_workshops_disagree_without_flipping(disc, event, pcm, irm):
    row = disc.loc[(event, "total")]
    assert (row["count_pcm2018"], row["count_irm2019"]) == (pcm, irm)
    assert not bool(row["majority_flips"])


def test_government_has_no_other_category(disc):
    row = disc.loc[("arequipa", "other")]
    assert pd.isna(row["count_pcm2018"]) and row["count_irm2019"] == 3


def test_stage_totals(disc):
    row = disc.loc[("all_events", "total")]
    assert (row["count_pcm2018"], row["count_irm2019"]) == (145, 25 + 27 + 1 + 22 + 29 + 3 + 15 + 25 + 3)


def test_closing_event_appears_with_both_dates(disc):
    row = disc.loc[("desayuno_de_trabajo", "total")]
    assert row["count_pcm2018"] == 55 and pd.isna(row["count_irm2019"])
    assert "noviembre" in row["date_pcm2018"] and "diciembre" in row["date_irm2019"]


def test_every_event_both_report_is_in_the_discrepancies(att, raw, disc):
    both = att.groupby(["stage", "event"])["source_id"].nunique()
    for _stage, event in both[both == 2].index:
        assert (event, "total") in disc.index


@pytest.mark.parametrize("account", ["irm2019", "pcm2018"])
def test_reconcile_keeps_only_the_chosen_account(att, account):
    rec = A.reconcile(att, account, "exclude")
    assert set(rec["source_id"]) == {account}
    assert "other" not in set(rec["actor"])
    # the government gives no national-table attendance: nothing is borrowed from the IRM
    assert ("national_table" in set(rec["stage"])) == (account == "irm2019")
    # the IRM dates the closing breakfast but does not count it
    assert ("closing_event" in set(rec["stage"])) == (account == "pcm2018")


def test_coverage_says_what_each_account_reports(att):
    cov = A.coverage(att).set_index(["account", "stage"])["reported"]
    # IRM 2019 recounts thematic tables, regional workshops and national tables from the sheets;
    # PCM 2018 counts persons at the regional workshops and organisations overall
    assert cov[("irm2019", "national_table")] and not cov[("pcm2018", "national_table")]
    assert cov[("pcm2018", "regional_workshop")] and not cov[("pcm2018", "thematic_table")]


def test_reconcile_both_keeps_both(att):
    rec = A.reconcile(att, "both", "civil_society")
    assert set(rec.loc[rec.stage == "regional_workshop", "source_id"]) == {"irm2019", "pcm2018"}


@pytest.mark.parametrize("bad", [("nobody", "exclude"), ("irm2019", "drop")])
def test_reconcile_rejects_unknown_choices(att, bad):
    with pytest.raises(ValueError, match="must be one of"):
        A.reconcile(att, *bad)
