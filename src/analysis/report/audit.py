"""An independent audit of every number the brief prints.

This module deliberately shares no code with the sentence-building path
(``report.findings``, ``report.sentences``, ``labels``, ``questions``): it reads the
processed CSV files with the standard library, recomputes the counts, shares and
intervals itself (intervals straight from ``scipy.stats.binomtest``), and then checks the
text of the brief (from the PDF, the HTML or the content dict):

1. every "k of n (p%)" / "k de n (p %)" satisfies p = round(100 k / n) (half to even, as
   printed to whole percent) and the percent is written in the language's format;
2. an attendance "k of n" matches the civil-society count after the treatment of "other"
   and the denominator of a stage in an account the sentence names;
3. every sentence with an attendance count names the account it comes from;
4. every other number in the text is a number the processed data can produce (counts,
   percents, interval bounds, years of the plans and sources, the confidence level).

``audit_text`` returns a list of problems (empty when the brief is right).
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from scipy import stats

ACCOUNT_WORDS = {"irm2019": re.compile(r"\bIRM\b"),
                 "pcm2018": re.compile(r"\b(Gobierno|government|PCM)\b", re.IGNORECASE)}
KOFN = re.compile(r"(?<![\d.,])(\d+) (?:de|of) (\d+)(?: [^\W\d]+){0,2} \((\d+(?:[.,]\d+)?)( ?)%\)")
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def whole_percent(k: int, n: int) -> int:
    """100 k / n to a whole percent, half to even, computed exactly."""
    return int((Decimal(100 * k) / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _pct(share: float) -> int:
    return int(Decimal(repr(100 * share)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _ci(k: int, n: int, method: str, level: float) -> tuple[int, int]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method=method)
    return _pct(float(ci.low)), _pct(float(ci.high))


class Facts:
    """Everything the brief may say, recomputed from data/processed under the parameters."""

    def __init__(self, processed_dir: Path, params: dict, sources_csv: Path | None = None):
        d = Path(processed_dir)
        other_as, method, level = params["other_as"], params["ci_method"], float(params["confidence"])
        self.pairs: dict[str, set[tuple[int, int]]] = defaultdict(set)  # attendance k of n per account
        self.stage_pairs: dict[tuple[str, str], tuple[int, int]] = {}
        self.numbers: dict[str, set[str]] = defaultdict(set)  # numbers per account ("*": any)
        self.percents: dict[str, set[int]] = defaultdict(set)
        counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        events: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        years = set()
        for r in _rows(d / "attendance.csv"):
            counts[(r["source_id"], r["stage"], r["unit"])][r["actor"]] += int(r["count"])
            events[(r["source_id"], r["event"], r["unit"])][r["actor"]] += int(r["count"])
            years |= set(re.findall(r"\b(?:19|20)\d\d\b", r["date_as_printed"]))
        multi = _rows(d / "multiverse.csv") if (d / "multiverse.csv").is_file() else []
        self.levels = sorted({float(r["confidence"]) for r in multi} | {level})
        for (source, stage, unit), c in counts.items():
            state, civil, other = c.get("state", 0), c.get("civil_society", 0), c.get("other", 0)
            for k_num in (state, civil, other, state + civil + other, c.get("unspecified", 0)):
                self.numbers[source].add(str(k_num))
            for treatment in ("exclude", "state", "civil_society"):
                k = civil + (other if treatment == "civil_society" else 0)
                n = state + civil + (other if treatment != "exclude" else 0)
                if n == 0:
                    continue
                if treatment == other_as:
                    self.pairs[source].add((k, n))
                    if unit == "persons":
                        self.stage_pairs[(source, stage)] = (k, n)
                    self.numbers[source] |= {str(k), str(n)}
                    self.percents[source].add(whole_percent(k, n))
                    self.percents[source] |= set(_ci(k, n, method, level))
                # the multiverse ranges cover every treatment (stated as a range, never as k of n)
                if unit == "persons":
                    self.percents["range:" + source].add(whole_percent(k, n))
        for (source, _event, _unit), c in events.items():
            self.numbers[source] |= {str(v) for v in c.values()}
        # specifications per stage in the multiverse table
        per_stage = defaultdict(int)
        for r in multi:
            if r["reported"] == "True":
                per_stage[(r["stage"], r["account"])] += 1
                per_stage[(r["stage"], "*")] += 1
        self.numbers["*"] |= {str(v) for v in per_stage.values()}
        # stage test (regional workshops vs national tables, persons)
        self.p_values: dict[str, float] = {}
        for source in ("irm2019", "pcm2018"):
            table = []
            for stage in ("regional_workshop", "national_table"):
                c = counts.get((source, stage, "persons"))
                if not c:
                    continue
                state, civil, other = c.get("state", 0), c.get("civil_society", 0), c.get("other", 0)
                k = civil + (other if other_as == "civil_society" else 0)
                n = state + civil + (other if other_as != "exclude" else 0)
                table.append([n - k, k])
            if len(table) == 2:
                self.p_values[source] = float(stats.chi2_contingency(table, correction=False)[1])
        # survival (from the processed table; bounds recomputed)
        for r in _rows(d / "survival.csv"):
            if r["theme"] != "total":
                continue
            n, n_final = int(r["n_proposed"]), int(r["n_final"])
            low, outside = int(r["n_final_from_pool_known"]), int(r["n_final_outside_pool_known"])
            high = n_final - outside
            src = r["source_id"]
            self.numbers[src] |= {str(x) for x in (n, n_final, low, outside, high)}
            self.pairs["survival:" + src] |= {(low, n), (high, n)}
            self.percents[src] |= {whole_percent(low, n), whole_percent(high, n),
                                   *_ci(low, n, method, level), *_ci(high, n, method, level)}
        # commitments, plans and bodies
        com = _rows(d / "commitments.csv")
        per_plan = defaultdict(int)
        areas = defaultdict(set)
        for r in com:
            per_plan[r["plan"]] += 1
            areas[r["policy_area"]].add(r["plan"])
        self.numbers["*"] |= {str(v) for v in per_plan.values()}
        self.numbers["*"].add(str(sum(1 for a, p in areas.items() if len(p) == len(per_plan))))
        assessed = [r for r in com if r["irm_regime"] == "pre_2020" and r["irm_potential_impact"]]
        relevance = ["irm_access_to_information", "irm_civic_participation", "irm_public_accountability",
                     "irm_technology_innovation"]
        self.pairs["irm_relevance"].add((sum(any(r[c] == "True" for c in relevance) for r in assessed),
                                         len(assessed)))
        self.numbers["*"] |= {str(len(assessed)),
                              str(sum(any(r[c] == "True" for c in relevance) for r in assessed))}
        self.numbers["*"] |= {str(sum(r[c] == "True" for r in assessed)) for c in relevance}
        self.numbers["*"] |= {str(sum(r["irm_potential_impact"] == v for r in assessed))
                              for v in ("none", "minor", "moderate", "transformative")}
        for r in _rows(d / "plans.csv"):
            years |= set(re.findall(r"\d{4}", r["canonical_label"]))
            self.numbers["*"] |= set(re.findall(r":\s*(\d+)", r["n_commitments_stated"]))
        for r in _rows(d / "bodies.csv"):
            self.numbers["*"] |= {r["state"], r["non_state"], r["year"], r["total"]}
        non_state = {r["body"]: int(r["non_state"]) for r in _rows(d / "bodies.csv")}
        if (d / "bodies_civil_society.csv").is_file():
            for r in _rows(d / "bodies_civil_society.csv"):
                cs, total = int(r["civil_society"]), int(r["total"])
                self.numbers["*"] |= {str(cs), str(total), r["year"]}
                self.numbers["*"].add(str(non_state.get(r["body"], cs) - cs))  # business and academia
                self.pairs["seats"].add((cs, total))
                self.percents["*"].add(whole_percent(cs, total))
        # what the stages produced (proposals, potential commitments, commitments), as printed
        if (d / "funnel.csv").is_file():
            for r in _rows(d / "funnel.csv"):
                if r["theme"] == "total":
                    self.numbers["*"].add(r["count"])
        # the dates of the stages (day and year) and of the forum's statements
        if (d / "timeline_stages.csv").is_file():
            for r in _rows(d / "timeline_stages.csv"):
                for date in (r["date_start"], r["date_end"]):
                    year, _month, day = date.split("-")
                    self.numbers["*"] |= {year, str(int(day))}
        if (d / "forum_status.csv").is_file():
            years |= {r["year"] for r in _rows(d / "forum_status.csv") if r["year"]}
        # the standards scorecard and the register of disagreements (issue 11), counted here
        if (d / "standards.csv").is_file():
            std = _rows(d / "standards.csv")
            colours = defaultdict(int)
            sections = defaultdict(int)
            for r in std:
                colours[r["colour"]] += 1
                sections[r["section"]] += 1
            self.numbers["*"] |= {str(len(std)), *map(str, colours.values()), *map(str, sections.values())}
        if (d / "disagreements.csv").is_file():
            rows = _rows(d / "disagreements.csv")
            # rows of kind "noted" are listed for readers but are not contradictions
            reg = [r for r in rows if r.get("kind") != "noted"]
            within = sum(r["scope"] == "within_document" for r in reg)
            treatments = defaultdict(int)
            for r in reg:
                treatments[r["treatment"]] += 1
            self.numbers["*"] |= {str(len(reg)), str(within), str(len(reg) - within),
                                  str(len(rows) - len(reg)), *map(str, treatments.values())}
        # participation across the plans (issue 22): steps on the IAP2 ranks, recomputed
        if (d / "influence_by_plan.csv").is_file():
            inf = [r for r in _rows(d / "influence_by_plan.csv") if r["status"] == "printed"]
            minimum = {int(r["rank_minimum"]) for r in _rows(d / "influence_by_plan.csv")}
            self.numbers["*"] |= {str(max(0, m - int(r["rank"]))) for r in inf for m in minimum}
            dev = {}
            for r in inf:
                if r["stage"] == "development":
                    dev.setdefault(int(r["plan"]), int(r["rank"]))
            ordered = [dev[p] for p in sorted(dev)]
            self.numbers["*"] |= {str(abs(b - a)) for a, b in zip(ordered, ordered[1:])}
        if (d / "irm_summary.csv").is_file():
            for r in _rows(d / "irm_summary.csv"):
                years |= set(re.findall(r"\b(?:19|20)\d\d\b", r["period_as_printed"]))
        if sources_csv is not None and Path(sources_csv).is_file():
            src_rows = _rows(Path(sources_csv))
            self.numbers["*"].add(str(len(src_rows)))
            years |= {r["year"] for r in src_rows if r["year"]}
        # the release date printed on page 1 (CITATION.cff, never the build date)
        citation = Path(__file__).resolve().parents[3] / "CITATION.cff"
        if citation.is_file():
            released = re.search(r"^date-released:\s*(\d{4})-(\d\d)-(\d\d)",
                                 citation.read_text(encoding="utf-8"), re.M)
            if released:
                years.add(released.group(1))
                self.numbers["*"].add(str(int(released.group(3))))
        self.numbers["*"] |= years
        self.level_pct = _pct(level)
        self.percents["*"].add(self.level_pct)
        self.numbers["*"].add(str(self.level_pct))


def percent_format(lang: str) -> tuple[str, str]:
    """The language's decimal mark and what separates a number from '%' (after normalising
    non-breaking spaces), probed from the project's one formatter, ``labels.fmt_percent``.
    Only the format is taken from there; every number is recomputed here."""
    from ..labels import fmt_percent

    probe = normalise(fmt_percent(0.125, lang, 1))
    number = re.match(r"\d+([.,])\d( ?)%", probe)
    if number is None:
        raise ValueError(f"cannot read the {lang} percent format from {probe!r}")
    return number.group(1), number.group(2)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+(?=[A-ZÁÉÍÓÚÑ¿(])|\n+", text) if s.strip()]


def _named(sentence: str) -> set[str]:
    return {a for a, rx in ACCOUNT_WORDS.items() if rx.search(sentence)}


def normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    text = re.sub(r"([^\W\d])-[ \t]*\n[ \t]*([^\W\d])", r"\1\2", text)  # words hyphenated at a line end
    return re.sub(r"[ \t]+", " ", text)


def audit_text(text: str, facts: Facts, lang: str) -> list[str]:
    """Problems with the numbers in ``text`` (empty list: every number checks out)."""
    problems: list[str] = []
    text = normalise(text)
    flat = re.sub(r"\s*\n\s*", " ", text)
    # 1. k of n (p%): arithmetic and format
    mark, space = percent_format(lang)
    for m in KOFN.finditer(flat):
        k, n, p = int(m.group(1)), int(m.group(2)), m.group(3)
        if ("," in p or "." in p) and mark not in p:
            problems.append(f"{m.group(0)!r}: decimal mark is not the {lang} one ({mark!r})")
        if m.group(4) != space:
            problems.append(f"{m.group(0)!r}: the {lang} format puts {space!r} before %")
        decimals = len(p.replace(",", ".").partition(".")[2])
        expected = (Decimal(100 * k) / Decimal(n)).quantize(Decimal(1).scaleb(-decimals),
                                                              rounding=ROUND_HALF_EVEN)
        if Decimal(p.replace(",", ".")) != expected:
            problems.append(f"{m.group(0)!r}: {k}/{n} is {expected}%, not {p}%")
    for sentence in _sentences(flat):
        named = _named(sentence)
        attendance = re.search(r"participant|participantes|organizaciones|organisations|firmas|signatures|"
                               r"asistencias|attendances", sentence)
        pairs = [(int(a), int(b)) for a, b in re.findall(r"(?<![\d.,])(\d+) (?:de|of) (\d+)\b", sentence)]
        # 2./3. attendance pairs belong to a named account, under the treatment of other
        if attendance and pairs:
            if not named:
                problems.append(f"no account named for the counts in: {sentence!r}")
            for pair in pairs:
                allowed = set().union(*(facts.pairs[a] for a in named)) if named else set()
                if pair not in allowed and pair not in _other_pairs(facts, named):
                    problems.append(f"{pair[0]} of {pair[1]} is not a count of "
                                    f"{', '.join(sorted(named)) or 'any named account'} under the "
                                    f"chosen treatment of other: {sentence!r}")
        # 4. every number is one the data can produce
        allowed_numbers = set(facts.numbers["*"])
        allowed_pcts = set(facts.percents["*"])
        for a in (named or {"irm2019", "pcm2018"}):
            allowed_numbers |= facts.numbers[a]
            allowed_pcts |= facts.percents[a] | facts.percents["range:" + a]
        for m in re.finditer(r"(?<![\w.,])(\d+(?:[.,]\d+)?)( ?)%", sentence):
            value = Decimal(m.group(1).replace(",", "."))
            if value != value.to_integral() or int(value) not in allowed_pcts:
                problems.append(f"percent {m.group(0)!r} is not computed from the data for "
                                f"{', '.join(sorted(named)) or 'any account'}: {sentence!r}")
        bare = re.sub(r"(?<![\w.,])\d+(?:[.,]\d+)?( ?)%", " ", sentence)
        for m in re.finditer(r"(?<![\w.,<])(\d+(?:[.,]\d+)?)(?![\w])", bare):
            token = m.group(1)
            if "," in token or "." in token:
                if token.replace(",", ".") == "0.001" and facts.p_values:
                    if not any(p < 0.001 for p in facts.p_values.values()):
                        problems.append(f"'p < {token}' but no stage test is below it")
                    continue
                problems.append(f"unexpected decimal number {token!r}: {sentence!r}")
            elif token not in allowed_numbers:
                problems.append(f"number {token} is not computed from the data: {sentence!r}")
    return problems


def _other_pairs(facts: Facts, named: set[str]) -> set[tuple[int, int]]:
    out = set(facts.pairs["irm_relevance"]) | facts.pairs["seats"]
    for a in named or {"irm2019", "pcm2018"}:
        out |= facts.pairs["survival:" + a]
    return out


#: The font the figures draw their words in (SVG text, placed in the PDF as text): the
#: brief's prose is set in another, so the figures' words can be told apart.
FIGURE_FONT = "DejaVuSans"


def pdf_pages(path: Path, figures: bool = False) -> list[str]:
    """The text of each page of a PDF, as PDFium (pypdfium2) extracts it.

    PDFium reads the brief's pages about twenty times faster than a pure-Python parser,
    whose time went into the figures' vector paths. Its line ends become ``\n``, and the
    mark it puts where a word was hyphenated at a line end (U+FFFE) becomes ``-\n``, as
    printed, for :func:`normalise` to join. The figures keep their words as text (in
    :data:`FIGURE_FONT`); they are left out unless ``figures`` is true: what is audited here
    is the prose, and the figures' own words are tested with the figures.
    """
    return list(_pdf_pages(Path(path).read_bytes(), figures))


@functools.lru_cache(maxsize=32)
def _pdf_pages(data: bytes, figures: bool) -> tuple[str, ...]:
    """``pdf_pages`` of a PDF's bytes, once per process (the audits read each brief twice)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(data)
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            if not figures and len(text) == textpage.count_chars():
                keep = []
                for i, char in enumerate(text):
                    size = pdfium_c.FPDFText_GetFontInfo(textpage, i, name, len(name), ctypes.byref(flags))
                    if not (size and FIGURE_FONT in name.value.decode("latin-1")):
                        keep.append(char)
                text = "".join(keep)
            pages.append(text.replace("\r\n", "\n").replace("\ufffe", "-\n"))
            textpage.close()
            page.close()
        return tuple(pages)
    finally:
        document.close()


def brief_text_from_pdf(path: Path) -> str:
    return "\n".join(pdf_pages(path))


def brief_text_from_html(path: Path) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts: list[str] = []
            self.skip = False

        def handle_starttag(self, tag, attrs):
            self.skip = tag in ("style", "script")
            if tag in ("p", "li", "h1", "h2", "h3", "figcaption", "div", "br", "dt", "dd"):
                self.parts.append("\n")

        def handle_endtag(self, tag):
            self.skip = False

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return "".join(parser.parts)


def body(text: str) -> str:
    """The part of the brief that makes claims: up to the reference list; page numbers,
    version strings and links removed."""
    text = normalise(text)
    for head in ("\nFuentes\n", "\nSources\n", "\nReferencias\n", "\nReferences\n"):
        if head in text:
            text = text.split(head)[0]
    text = re.sub(r"(?m)^\s*\d+ / \d+\s*$", "", text)  # page numbers
    text = re.sub(r"(?m)^\s*\d{1,2}\.\s+(?=[^\W\d])", "", text)  # list numbers at a line start
    text = re.sub(r"(versión|version) \d+(\.\d+)*", r"\1", text)
    text = re.sub(r"\b(Figura|Figure) \d+\b", r"\1", text)  # figure numbers are layout, not data
    text = re.sub(r"(Responde al hallazgo|Answers finding) \d+", r"\1", text)  # so are finding numbers
    text = re.sub(r"CC BY \d+\.\d+", "CC BY", text)  # the licence's version
    return re.sub(r"https?://\S+", "", text)


def audit_content(content: dict, facts: Facts, account: str, lang: str) -> list[str]:
    """Audit the brief's content dict: every string, plus the headline's own count.

    The headline must give the chosen account's national-table count after the treatment
    of other, or, when that account does not report the national tables, its
    regional-workshop count and say that the national tables are not reported.
    """
    texts = [content["headline"], content["robustness"], content.get("disagreements", ""),
             *content["what_this_means"],
             *content["methods"], *(f["text"] for f in content["findings"])]
    problems = [p for t in texts for p in audit_text(t, facts, lang)]
    main = "irm2019" if account == "both" else account
    head = normalise(content["headline"])
    pairs = [(int(a), int(b)) for a, b in re.findall(r"(\d+) (?:de|of) (\d+)", head)]
    stage = "national_table" if (main, "national_table") in facts.stage_pairs else "regional_workshop"
    expected = facts.stage_pairs.get((main, stage))
    if not pairs or pairs[0] != expected:
        problems.append(f"headline should give {main}'s {stage} count {expected}, "
                        f"gives {pairs[:1]}: {head!r}")
    if main not in _named(head):
        problems.append(f"headline does not name the account {main}: {head!r}")
    return problems


# ----------------------------------------------------------------------------- vocabulary
VOCABULARY = Path(__file__).resolve().parent / "templates" / "brief_vocabulary.yaml"
ANNEX_HEADINGS = ("Anexo técnico", "Technical annex")


def vocabulary_problems(text: str, lang: str) -> list[str]:
    """Wordings the brief may not use, words it must keep, and what may not appear before the
    technical annex (``templates/brief_vocabulary.yaml``); ``text`` is the whole brief."""
    import yaml

    vocab = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    flat = re.sub(r"\s+", " ", normalise(text))
    claims = flat
    for head in ("Referencias", "References"):
        claims = claims.split(f" {head} ")[0] if f" {head} " in claims else claims
    front = claims
    for head in ANNEX_HEADINGS:
        if f" {head} " in front:
            front = front.split(f" {head} ")[0]
    problems = []
    for rule in vocab["forbidden"]:
        for m in re.finditer(rule["pattern"], claims, re.IGNORECASE):
            problems.append(f"forbidden wording {m.group(0)!r} ({rule['why']}): "
                            f"...{claims[max(0, m.start() - 80):m.end() + 40]}...")
    for rule in vocab["before_annex"]:
        for m in re.finditer(rule["pattern"], front, re.IGNORECASE):
            problems.append(f"{m.group(0)!r} before the technical annex ({rule['why']}): "
                            f"...{front[max(0, m.start() - 80):m.end() + 40]}...")
    for rule in vocab["required"][lang]:
        if not re.search(rule["pattern"], flat, re.IGNORECASE):
            problems.append(f"required wording {rule['pattern']!r} missing ({rule['why']})")
    for rule in vocab["other_language"][lang]:
        for m in re.finditer(rule["pattern"], flat):
            problems.append(f"{m.group(0)!r}: {rule['why']}")
    if not any(f" {h} " in flat for h in ANNEX_HEADINGS):
        problems.append("no technical annex heading")
    return problems
