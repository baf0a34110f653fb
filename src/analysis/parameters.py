"""What each parameter means: the one definition every stage applies.

``run.params`` validates values against these choices; cleaning, the analyses, the
sentences, the figures and the brief read the meaning from here. For every parameter
``affects`` lists the outputs it changes and ``no_effect`` the outputs it leaves alone,
so that "this parameter does nothing here" is documented rather than discovered.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The two public accounts of who attended the 2017 co-creation.
ACCOUNTS = ("irm2019", "pcm2018")
#: Treatments of the IRM's "other" participants (mostly GIZ facilitating consultants).
OTHER_TREATMENTS = ("exclude", "state", "civil_society")
#: Interval methods of ``scipy.stats.binomtest(...).proportion_ci``.
CI_METHODS = ("wilson", "wilsoncc", "exact")
#: Confidence levels the multiverse table always covers (the chosen level is added).
CONFIDENCE_LEVELS = (0.90, 0.95, 0.99)
LANGS = ("es", "en")


@dataclass(frozen=True)
class Meaning:
    text: str
    choices: tuple | None
    affects: tuple[str, ...]
    no_effect: tuple[str, ...]


MEANINGS: dict[str, Meaning] = {
    "account": Meaning(
        "Whose attendance counts every sentence, headline share and reconciled table uses: the "
        "IRM's recount from the signed sheets (irm2019), the government's systematization "
        "(pcm2018), or both side by side. Where the chosen account does not report a stage "
        "(the government gives no attendance for the thematic or national tables) the output "
        "says so in words; the other account is never substituted. Also chooses whose "
        "statements on the origin of commitments give the survival range.",
        ("irm2019", "pcm2018", "both"),
        ("attendance_reconciled.csv", "the brief's headline and findings", "notebook answers 01-03",
         "survival figure"),
        ("shares.csv, stage_tests.csv, multiverse.csv (always every account)",
         "notebooks 04 and 05", "commitment, policy-area, values and bodies figures")),
    "other_as": Meaning(
        "What the IRM's 'other' participants (mostly GIZ consultants) count as in every share: "
        "excluded from the denominator, added to the state, or added to civil society. The "
        "civil-society count k and the denominator n of every 'k of n' are taken after this "
        "treatment. The government's account has no 'other' category, so with account=pcm2018 "
        "this parameter changes nothing.",
        OTHER_TREATMENTS,
        ("attendance_reconciled.csv", "shares_by_event.csv", "shares_by_stage and shares_by_event "
         "figures", "the brief's attendance sentences and methods box", "notebook 02's answer"),
        ("shares.csv, stage_tests.csv, multiverse.csv (always every treatment)",
         "survival, commitments and bodies", "anything under account=pcm2018")),
    "ci_method": Meaning(
        "Interval method for every share and survival bound (scipy.stats.binomtest): Wilson, "
        "Wilson with continuity correction, or exact (Clopper-Pearson). Intervals appear only "
        "in the methods box and the notebooks, never in the findings.",
        CI_METHODS,
        ("ci_low/ci_high columns of shares, shares_by_event, survival, origins",
         "error bars in figures", "the brief's methods box"),
        ("every count and share", "the headline and the findings", "multiverse.csv (always every method)")),
    "confidence": Meaning(
        "Confidence level of every interval (0.5 to 0.999). Read, for these complete counts, as "
        "the range a process like this one could have produced allowing for chance variation.",
        None,
        ("ci_low/ci_high columns", "error bars", "the brief's methods box",
         "multiverse.csv (the chosen level joins 0.90, 0.95 and 0.99)",
         "the interval of the difference between stages in stage_tests.csv"),
        ("every count and share", "the headline and the findings")),
    "lang": Meaning(
        "Language of everything the notebooks display (es or en): headings, question, method, "
        "interpretation, the sentence after each figure, table headings and labels, the figure "
        "shown, the closing answer, references and citation. The code cells are the same in "
        "both languages; the words come from src/analysis/report/templates/notebooks/. A "
        "pipeline run writes both languages of every figure and of the brief; a notebook run "
        "by hand writes its figures in its own language only.",
        LANGS,
        ("every word a notebook displays (narrative, tables, figure shown, answer)",),
        ("processed tables", "a pipeline run's figure files (both languages always)",
         "the brief (both languages always)",
         "the notebooks' code cells")),
    "seed": Meaning(
        "Seed of the permutation test that replaces the chi-square test when an expected count "
        "is below 5. With the current data every expected count is at least 5, so the seed has "
        "no effect on any output; it is kept so that a future small table stays reproducible.",
        None,
        ("stage_tests.csv when a permutation test is used",),
        ("every output with the current data",)),
}


def meaning(key: str) -> Meaning:
    return MEANINGS[key]


def affects_processed_tables(key: str) -> bool:
    """Whether a parameter can change a processed table (``lang`` cannot: it only chooses what
    the notebooks display). Tables computed under another value of such a parameter still fit."""
    return key not in MEANINGS or "processed tables" not in MEANINGS[key].no_effect


def headline_accounts(account: str) -> tuple[str, ...]:
    """The accounts whose numbers an output under ``account`` reports, in order."""
    if account == "both":
        return ACCOUNTS
    if account not in ACCOUNTS:
        raise ValueError(f"account must be one of {ACCOUNTS + ('both',)}, got {account!r}")
    return (account,)


def markdown_table() -> str:
    """The definitions as docs/parameters.md prints them (a test keeps the two identical)."""
    lines = ["| parameter | values | what it does | changes | has no effect on |", "|---|---|---|---|---|"]
    for key, m in MEANINGS.items():
        values = ", ".join(f"`{c}`" for c in m.choices) if m.choices else (
            "0.5 to 0.999" if key == "confidence" else "an integer")
        lines.append(f"| `{key}` | {values} | {m.text} | {'; '.join(m.affects)} | {'; '.join(m.no_effect)} |")
    return "\n".join(lines)
