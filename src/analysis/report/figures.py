"""Figures: built on ``matplotlib.figure.Figure`` (no pyplot state), saved byte-stable.

Each figure is drawn in both languages and saved as PNG (documents) and SVG (print),
``<name>_<lang>.png`` / ``.svg``; the notebook shows the one in its ``lang``. SVG output is
made deterministic with a fixed ``svg.hashsalt`` and no date or version metadata.

One style for every figure, reusable by new figure modules:

- :data:`PALETTE`: Okabe-Ito colours (safe for the common colour-vision deficiencies); state,
  civil society and other always get the same colour, and so does each source;
- :data:`RC` and :func:`style`: one font (DejaVu Sans, shipped with matplotlib, so every
  machine draws the same glyphs) at sizes that stay at or above 7 pt when a figure is placed
  at its natural width; :func:`new_figure` opens a figure in that style;
- :func:`legend_below` puts a legend under the axes, never over the data;
- every drawn label comes from :mod:`analysis.labels` (:func:`label` is strict);
- :func:`layout_problems` lists overlapping tick labels and text or marks outside the
  figure, for tests.

:func:`phone` switches to narrow, large-type figures for the HTML brief on a phone.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import labels, outputs, paths
from ..outputs import write_bytes

LANGS = ("es", "en")

#: Okabe & Ito (2008) colours, one meaning each, in every figure.
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "reddish_purple": "#CC79A7", "black": "#000000", "grey": "#999999"}
PALETTE = {
    # who sat at the table
    "state": OKABE_ITO["blue"], "civil_society": OKABE_ITO["orange"], "other": OKABE_ITO["grey"],
    "non_state": OKABE_ITO["orange"], "exclude": "#444444",
    # which document says so
    "irm2019": OKABE_ITO["bluish_green"], "pcm2018": OKABE_ITO["reddish_purple"],
    "spda2022": OKABE_ITO["vermillion"], "pcm2017": OKABE_ITO["black"],
    # neutral bars, reference lines, light range bands, notes
    "neutral": OKABE_ITO["sky_blue"], "reference": "#777777", "band": "#d9d9d9", "note": "#444444",
}
#: Kept for code that still reads ``COLORS``.
COLORS = PALETTE
#: Sequential colour map for counts (single hue, readable in grey).
SEQUENTIAL = "Blues"
#: Marker per source, so that colour is never the only cue.
MARKERS = {"irm2019": "o", "pcm2018": "s", "spda2022": "D", "pcm2017": "^"}

FONT = "DejaVu Sans"
#: Print: figures are drawn at their placed width, so these sizes are the sizes on paper.
PRINT = {"width": 6.5, "font": 9.0}
#: Phone: about 350 CSS px wide, type large enough to read at 390 px without zooming.
PHONE = {"width": 3.7, "font": 11.0, "height_factor": 1.35}
#: Smallest text drawn, in points, at print size ("small" is 5/6 of the base size).
MIN_FONT_PT = 7.0

#: ``axes.titley`` fixed at 1.0 (matplotlib's default position) turns off the automatic
#: search for anything drawn above the axes, which measured every y tick label at every
#: draw, a tenth of the render time. No figure here puts ticks or labels above its axes,
#: so every figure is byte for byte what the search produced.
RC = {"svg.hashsalt": "peru-ogp-participation", "svg.fonttype": "path",
      "font.family": "sans-serif", "font.sans-serif": [FONT], "font.size": PRINT["font"],
      "axes.titlesize": "large", "axes.titlelocation": "left", "axes.titley": 1.0, "axes.labelsize": "medium",
      "xtick.labelsize": "medium", "ytick.labelsize": "medium", "legend.fontsize": "medium",
      "legend.frameon": False, "figure.titlesize": "large",
      "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100,
      "axes.prop_cycle": mpl.cycler(color=[PALETTE["neutral"]])}
PNG_META = {"Software": None}
SVG_META = {"Date": None, "Creator": None, "Format": None, "Type": None}

_mode = {"phone": False}


def t(key: str, lang: str) -> str:
    """A figure's words, from the shared vocabulary (strict)."""
    return labels.label(key, lang)


def term(key: str, lang: str) -> str:
    return labels.label(key, lang)


def rc() -> dict:
    """The rcParams in force: print or phone sizes."""
    return {**RC, "font.size": PHONE["font"] if _mode["phone"] else PRINT["font"]}


@contextmanager
def style() -> Iterator[None]:
    """Draw inside this context to use the project's style (fonts, sizes, colours)."""
    with mpl.rc_context(rc()):
        yield


@contextmanager
def phone() -> Iterator[None]:
    """Draw narrow figures with large type (for the HTML brief on small screens)."""
    previous = _mode["phone"]
    _mode["phone"] = True
    try:
        yield
    finally:
        _mode["phone"] = previous


def styled(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorator: draw a figure inside :func:`style`, whoever calls it."""
    import functools

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(rc()):
            return draw(*args, **kwargs)

    return wrapper


def is_phone() -> bool:
    return _mode["phone"]


def wrap(text: str, width: int | None = None) -> str:
    """Break a long label over lines (narrower on phones)."""
    width = width or (16 if _mode["phone"] else 26)
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def title(ax, text: str) -> None:
    """An axes title; none on phones, where the page's caption and heading say it."""
    if not _mode["phone"]:
        ax.set_title(text, loc="left")


def pct_formatter(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda x, _: labels.fmt_percent(x, lang, 0))


def new_figure(width: float = PRINT["width"], height: float = 3.6) -> Figure:
    """A figure in the project's style; on phones, narrower and taller."""
    if _mode["phone"]:
        height = height * PHONE["height_factor"] * max(1.0, width / PRINT["width"])
        width = PHONE["width"]
    with mpl.rc_context(rc()):
        return Figure(figsize=(width, height), layout="constrained")


def legend_below(ax, handles=None, names=None, ncols: int | None = None, **kwargs):
    """A legend under the axes (outside the data), one column on phones."""
    fig = ax.figure
    if handles is None:
        handles, names = ax.get_legend_handles_labels()
    if _mode["phone"]:
        names = [wrap(n, 30) for n in names]
    ncols = 1 if _mode["phone"] else (ncols or len(handles))
    return fig.legend(handles, names, loc="outside lower left", ncols=ncols, frameon=False, **kwargs)


#: Resolution of the PNG files, and the one the layout is worked out at.
PNG_DPI = 150


def _lay_out_once(fig: Figure) -> None:
    """Run the figure's layout engine once, at the PNG's resolution, and freeze the result.

    ``savefig`` otherwise runs constrained layout again for every format, a fifth of the
    cost of a render. The layout is found at :data:`PNG_DPI` because hinted text is wider
    there than at a lower resolution (a layout found at 100 dpi clips long tick labels in the
    150 dpi PNG); the SVG, whose glyphs are exact outlines, reuses it.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        return
    with _at_dpi(fig, PNG_DPI):
        engine.execute(fig)
    fig.set_layout_engine("none")


@contextmanager
def _at_dpi(fig: Figure, dpi: float) -> Iterator[None]:
    """The figure at ``dpi`` for the block, at its own resolution again after it."""
    own = fig.dpi
    fig.set_dpi(dpi)
    try:
        yield
    finally:
        fig.set_dpi(own)


def render(fig: Figure) -> tuple[bytes, bytes]:
    """PNG (150 dpi) and SVG bytes of a figure, laid out once for both.

    One Agg draw at the PNG's resolution lays the figure out and paints it with the same
    renderer, so the text measured for the layout is not measured again for the PNG (the
    bytes are those ``savefig`` writes); the SVG then reuses the frozen layout.
    """
    png = _render_png(fig)
    return png, _render_svg_as_laid_out(fig)


def _render_png(fig: Figure) -> bytes:
    """The PNG; lays the figure out and freezes the layout (see :func:`render`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.image import imsave

    with mpl.rc_context(rc()):
        png = io.BytesIO()
        with _at_dpi(fig, PNG_DPI):
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            imsave(png, canvas.buffer_rgba(), format="png", origin="upper", dpi=PNG_DPI,
                   metadata=PNG_META)
        fig.set_layout_engine("none")
    return png.getvalue()


def _render_svg_as_laid_out(fig: Figure) -> bytes:
    """The SVG of a figure whose layout :func:`_render_png` has frozen."""
    with mpl.rc_context(rc()):
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata=SVG_META)
    return svg.getvalue()


def render_svg(fig: Figure) -> bytes:
    """SVG bytes only (the HTML brief's phone figures), laid out as :func:`render` does."""
    with mpl.rc_context(rc()):
        _lay_out_once(fig)
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata=SVG_META)
    return svg.getvalue()


@dataclass
class _Queued:
    """Figure files drawn in a notebook and written later by :func:`write_queued`."""

    fig: Figure
    stem: Path                     # <figures_dir>/<name>_<lang>
    png: bool                      # the PNG too (otherwise it was written at once)
    record: outputs.Record | None  # the notebook's stamp, which the files are recorded under


_QUEUE: list[_Queued] = []


def save(draw: Callable[[str], Figure], name: str, figures_dir: Path, show_lang: str = "es") -> bytes:
    """Draw in every language, write PNG and SVG for each; return the PNG of ``show_lang``.

    In the pipeline's warm kernels (``paths.figures_queued``) only that PNG is rendered
    here, for the notebook to show. The other three files are queued and
    :func:`write_queued` writes them after the kernel's last notebook, while the runner
    builds the brief's phone figures: the same bytes, but rendered on a core that would
    otherwise wait. Each queued figure is drawn here, from the data as they are now; only
    an array changed in place afterwards (a line keeps a reference to the array it was
    drawn from) could still reach its files. No notebook changes a table in place, and the
    self-reproduction test compares with fresh kernels, which write every file at once.
    """
    queued = paths.figures_queued() and not _mode["phone"]
    record = outputs.current_record()
    shown = b""
    for lang in LANGS:
        with mpl.rc_context(rc()):
            fig = draw(lang)
        stem = Path(figures_dir) / f"{name}_{lang}"
        if queued and lang == show_lang:
            shown = _render_png(fig)
            write_bytes(stem.with_suffix(".png"), shown)
            _QUEUE.append(_Queued(fig, stem, png=False, record=record))
        elif queued:
            _QUEUE.append(_Queued(fig, stem, png=True, record=record))
        else:
            png, svg = render(fig)
            write_bytes(stem.with_suffix(".png"), png)
            write_bytes(stem.with_suffix(".svg"), svg)
            if lang == show_lang:
                shown = png
    return shown


def write_queued() -> int:
    """Render and write the figure files :func:`save` queued, in order; return how many.

    A failure names the file and the notebook that queued it.
    """
    written = 0
    while _QUEUE:
        item = _QUEUE.pop(0)
        try:
            if item.png:
                write_bytes(item.stem.with_suffix(".png"), _render_png(item.fig), item.record)
                written += 1
            write_bytes(item.stem.with_suffix(".svg"), _render_svg_as_laid_out(item.fig), item.record)
            written += 1
        except Exception as exc:
            _QUEUE.clear()
            step = item.record.stamp.get("produced_by") if item.record else "a notebook"
            raise RuntimeError(f"figure {item.stem.name} (queued by {step}) could not be written "
                               f"after the notebook: {type(exc).__name__}: {exc}") from None
    return written


def show(png: bytes):
    """Display PNG bytes in a notebook (only an image and a fixed text repr are stored)."""
    from IPython.display import Image, display

    display(Image(data=png, format="png"))


# --------------------------------------------------------------------------- checks
def _undrawn_ticks(fig: Figure) -> set[int]:
    """Tick labels outside the view limits: matplotlib keeps but never draws them."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            span = (hi - lo) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not (lo - span <= tick.get_loc() <= hi + span):
                    hidden.update({id(tick.label1), id(tick.label2)})
    return hidden


def _texts(fig: Figure):
    hidden = _undrawn_ticks(fig)
    for artist in fig.findobj(mpl.text.Text):
        if artist.get_visible() and artist.get_text().strip() and id(artist) not in hidden:
            yield artist


def _titles_covering_text(fig: Figure, extents: dict) -> list[str]:
    """Axes titles that overlap other text, given each drawn text's extent (``extents``, as
    :func:`layout_problems` measured them). Titles stay at the top of their axes
    (``axes.titley`` in :data:`RC`), so tick labels or an axis label put above the axes
    would collide with them; this is the check that says so."""
    problems = []
    for ax in fig.axes:
        # matplotlib names only the centre title publicly; loc='left' and 'right' titles are
        # these attributes (matplotlib is pinned by the lock; a rename fails this check loudly)
        for title in (ax.title, ax._left_title, ax._right_title):
            if title not in extents:          # hidden or empty
                continue
            for other, ext in extents.items():
                if other is not title and extents[title].overlaps(ext):
                    problems.append(f"title {title.get_text()!r} overlaps {other.get_text()!r}")
    return problems


def layout_problems(fig: Figure) -> list[str]:
    """Overlapping tick labels, titles over other text, text smaller than :data:`MIN_FONT_PT`,
    and text, markers or legends that stick out of the figure or cover plotted points. Empty
    when the layout is clean.

    The figure is checked as :func:`render` writes it: laid out once, at the PNG's resolution."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    _lay_out_once(fig)
    with mpl.rc_context(rc()), _at_dpi(fig, PNG_DPI):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        problems = []
        box = fig.bbox
        extents = {}
        for text in _texts(fig):
            size = text.get_fontsize()
            if size < MIN_FONT_PT - 1e-9:
                problems.append(f"text {text.get_text()!r} is {size:.1f} pt (< {MIN_FONT_PT})")
            ext = extents[text] = text.get_window_extent(renderer)
            if ext.x0 < box.x0 - 1 or ext.x1 > box.x1 + 1 or ext.y0 < box.y0 - 1 or ext.y1 > box.y1 + 1:
                problems.append(f"text {text.get_text()!r} is clipped by the figure edge")
        problems += _titles_covering_text(fig, extents)
        points = []
        hidden = _undrawn_ticks(fig)
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                ticks = [t for t in axis.get_ticklabels()
                         if t.get_visible() and t.get_text().strip() and id(t) not in hidden]
                exts = [t.get_window_extent(renderer) for t in ticks]
                for i in range(len(exts)):
                    for j in range(i + 1, len(exts)):
                        if exts[i].overlaps(exts[j]):
                            problems.append(f"tick labels {ticks[i].get_text()!r} and "
                                            f"{ticks[j].get_text()!r} overlap")
            axbox = ax.get_window_extent(renderer)
            for line in ax.get_lines():
                if line.get_marker() in (None, "None", "", " ") or not line.get_visible():
                    continue
                xy = ax.transData.transform(np.column_stack(line.get_data()).astype(float))
                xy = xy[np.isfinite(xy).all(axis=1)]
                points.append(xy)
                size = line.get_markersize() / 2 * fig.dpi / 72
                for x, y in xy:
                    if (x - size < axbox.x0 - 1 or x + size > axbox.x1 + 1 or y - size < axbox.y0 - 1
                            or y + size > axbox.y1 + 1) and line.get_clip_on():
                        problems.append(f"a marker at ({x:.0f}, {y:.0f}) px is clipped by the axes")
        legends = [leg for leg in fig.legends] + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
        allpoints = np.vstack(points) if points else np.empty((0, 2))
        for leg in legends:
            ext = leg.get_window_extent(renderer)
            if ext.x0 < box.x0 - 1 or ext.x1 > box.x1 + 1 or ext.y0 < box.y0 - 1 or ext.y1 > box.y1 + 1:
                problems.append("a legend sticks out of the figure")
            inside = [(x, y) for x, y in allpoints if ext.contains(x, y)]
            if inside:
                problems.append(f"a legend covers {len(inside)} plotted point(s)")
        return problems


# --------------------------------------------------------------------------- shares
def _share_axis(other_as: str | None) -> str:
    return f"share_axis_{other_as}" if other_as else "share_axis_any"


@styled
def shares_by_stage(shares: pd.DataFrame, other_as: str, lang: str) -> Figure:
    data = shares[(shares["unit"] == "persons") & (shares["other_as"] == other_as)]
    stages = [s for s in labels.STAGES if s in set(data["stage"])]
    sources = sorted(data["source_id"].unique())
    fig = new_figure(PRINT["width"], 3.4)
    ax = fig.add_subplot()
    width = 0.18
    for i, source in enumerate(sources):
        d = data[data["source_id"] == source].set_index("stage").reindex(stages)
        x = np.arange(len(stages)) + (i - (len(sources) - 1) / 2) * width * 2
        ok = d["n"].notna().to_numpy()
        y = d["share_civil_society"].to_numpy(dtype=float)
        err = np.vstack([y - d["ci_low"].to_numpy(dtype=float), d["ci_high"].to_numpy(dtype=float) - y])
        ax.errorbar(x[ok], y[ok], yerr=err[:, ok], fmt=MARKERS.get(source, "o"), capsize=4,
                    color=PALETTE[source], label=t(source, lang))
    ax.axhline(0.5, color=PALETTE["reference"], lw=0.8, ls="--", zorder=0)
    ax.set_xticks(np.arange(len(stages)), [wrap(t(s, lang), 12) for s in stages])
    ax.set_xlim(-0.6, len(stages) - 0.4)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(pct_formatter(lang))
    ax.set_ylabel(wrap(t(_share_axis(other_as), lang), 44 if is_phone() else 30))
    title(ax, t("share_title", lang))
    legend_below(ax)
    return fig


@styled
def shares_by_event(events: pd.DataFrame, lang: str) -> Figure:
    data = events.copy()
    data["stage_rank"] = data["stage"].map(labels.STAGES.index)
    data = data.sort_values(["stage_rank", "event", "source_id"], ascending=[False, False, False])
    other_as = data["other_as"].iloc[0] if "other_as" in data and data["other_as"].nunique() == 1 else None
    fig = new_figure(PRINT["width"], 0.3 * len(data) + 1.4)
    ax = fig.add_subplot()
    y = np.arange(len(data))
    for source in sorted(data["source_id"].unique()):
        m = (data["source_id"] == source).to_numpy()
        d = data[m]
        ax.errorbar(d["share_civil_society"], y[m],
                    xerr=[d["share_civil_society"] - d["ci_low"], d["ci_high"] - d["share_civil_society"]],
                    fmt=MARKERS.get(source, "o"), capsize=3, color=PALETTE[source], label=t(source, lang))
    ticks = [f"{t(s, lang)}: {t(e, lang)}" for s, e in zip(data["stage"], data["event"])]
    ax.set_yticks(y, ticks, fontsize="small")
    ax.axvline(0.5, color=PALETTE["reference"], lw=0.8, ls="--", zorder=0)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.7, len(data) - 0.3)
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.set_xlabel(t(_share_axis(other_as), lang))
    ax.set_title(t("event_title", lang), loc="left")
    legend_below(ax)
    return fig


@styled
def shares_sensitivity(shares: pd.DataFrame, source_id: str, lang: str) -> Figure:
    data = shares[(shares["source_id"] == source_id) & (shares["unit"] == "persons")]
    stages = [s for s in labels.STAGES if s in set(data["stage"])]
    fig = new_figure(PRINT["width"], 3.4)
    ax = fig.add_subplot()
    markers = {"exclude": "o", "state": "v", "civil_society": "^"}
    for i, (other_as, marker) in enumerate(markers.items()):
        d = data[data["other_as"] == other_as].set_index("stage").reindex(stages)
        x = np.arange(len(stages)) + (i - 1) * 0.2
        y = d["share_civil_society"].to_numpy(dtype=float)
        ax.errorbar(x, y, yerr=[y - d["ci_low"].to_numpy(dtype=float), d["ci_high"].to_numpy(dtype=float) - y],
                    fmt=marker, color=PALETTE[other_as], capsize=3, label=t(f"other_{other_as}", lang))
    ax.axhline(0.5, color=PALETTE["reference"], lw=0.8, ls="--", zorder=0)
    ax.set_xticks(np.arange(len(stages)), [wrap(t(s, lang), 12) for s in stages])
    ax.set_xlim(-0.6, len(stages) - 0.4)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(pct_formatter(lang))
    ax.set_ylabel(t(_share_axis(None), lang))
    ax.set_title(wrap(t("sens_title", lang), 80), loc="left")
    legend_below(ax, title=t("other", lang))
    return fig


# --------------------------------------------------------------------------- survival
@styled
def funnel(stage_counts: pd.DataFrame, lang: str) -> Figure:
    order = ["thematic_table", "regional_workshop", "national_table", "final_plan"]
    fig = new_figure(PRINT["width"], 3.4)
    ax = fig.add_subplot()
    sources = sorted(stage_counts["source_id"].unique())
    width = 0.36
    labelled = set()
    top = 0
    for i, source in enumerate(sources):
        d = stage_counts[stage_counts["source_id"] == source]
        for j, stage in enumerate(order):
            values = sorted(d.loc[d["stage"] == stage, "count"].astype(int))
            for k, v in enumerate(values):
                x = j + (i - 0.5) * width + (k - (len(values) - 1) / 2) * width / 2
                ax.bar(x, v, width=width / max(len(values), 1) * 0.9, color=PALETTE[source],
                       label=None if source in labelled else t(f"{source}_report", lang))
                labelled.add(source)
                ax.annotate(labels.fmt_int(v, lang), (x, v), ha="center", va="bottom", fontsize="small")
                top = max(top, v)
    ax.set_xticks(range(len(order)), [wrap(t(s, lang), 12) for s in order])
    ax.set_ylabel(t("count", lang))
    ax.set_ylim(0, top * 1.12)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(t("funnel_title", lang), loc="left")
    handles, names = ax.get_legend_handles_labels()
    seen = dict(zip(names, handles))
    legend_below(ax, list(seen.values()), list(seen.keys()))
    return fig


@styled
def survival_by_theme(surv: pd.DataFrame, source_id: str, lang: str) -> Figure:
    data = surv[(surv["source_id"] == source_id) & surv["survival_low"].notna()]
    data = data.iloc[::-1]
    fig = new_figure(PRINT["width"], 0.34 * len(data) + 1.5)
    ax = fig.add_subplot()
    y = np.arange(len(data))
    lo = data["survival_low"].to_numpy(dtype=float)
    hi = data["survival_high"].to_numpy(dtype=float)
    color = PALETTE[source_id]
    ax.hlines(y, lo, hi, color=PALETTE["band"], lw=6, zorder=1)
    ax.errorbar(lo, y - 0.14, xerr=[lo - data["survival_low_ci_low"].to_numpy(dtype=float),
                                     data["survival_low_ci_high"].to_numpy(dtype=float) - lo],
                fmt="o", color=color, capsize=2, label=t("low", lang), zorder=3)
    ax.errorbar(hi, y + 0.14, xerr=[hi - data["survival_high_ci_low"].to_numpy(dtype=float),
                                     data["survival_high_ci_high"].to_numpy(dtype=float) - hi],
                fmt="s", mfc="white", color=color, capsize=2, label=t("high", lang), zorder=3)
    ax.set_yticks(y, [f"{t(th, lang)} ({labels.fmt_int(n, lang)})"
                      for th, n in zip(data["theme"], data["n_proposed"])])
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.set_xticks(np.linspace(0, 1, 5 if not is_phone() else 3))
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.set_xlabel(wrap(t("survival_axis", lang), 20))
    title(ax, f"{t('survival_title', lang)}\n{t(f'{source_id}_report', lang)}")
    legend_below(ax)
    return fig


# --------------------------------------------------------------------------- evolution
@styled
def commitments_per_plan(per_plan: pd.DataFrame, stated: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(PRINT["width"], 3.4)
    ax = fig.add_subplot()
    x = np.arange(len(per_plan))
    ax.bar(x, per_plan["n_ogp_list"], color=PALETTE["neutral"], label=t("ogp_list", lang), width=0.6)
    for xi, v in zip(x, per_plan["n_ogp_list"]):
        ax.annotate(labels.fmt_int(v, lang), (xi - 0.12, v), ha="center", va="bottom", fontsize="small")
    plan_pos = dict(zip(per_plan["plan"], x))
    sources = sorted(stated["source_id"].unique())
    for i, source in enumerate(sources):
        d = stated[stated["source_id"] == source]
        ax.scatter([plan_pos[p] + 0.36 + 0.1 * i for p in d["plan"]], d["n_commitments"],
                   marker=MARKERS.get(source, "D"), s=26, color=PALETTE.get(source, PALETTE["note"]),
                   zorder=3, label=t(f"stated_{source}", lang), clip_on=False)
    ticks = [f"{t('plan', lang)} {p}\n{lab}" for p, lab in zip(per_plan["plan"], per_plan["canonical_label"])]
    if is_phone():
        ticks = [str(p) + "\n" + str(lab).replace("-", "-\n", 1)
                 for p, lab in zip(per_plan["plan"], per_plan["canonical_label"])]
        ax.set_xlabel(t("plan", lang))
    ax.set_xticks(x, ticks)
    ax.set_xlim(-0.5, len(x) - 0.5 + 0.1 * len(sources))
    top = max(per_plan["n_ogp_list"].max(), stated["n_commitments"].max())
    ax.set_ylim(0, top * 1.15)
    ax.set_ylabel(t("commitments", lang))
    title(ax, t("plans_title", lang))
    legend_below(ax, ncols=2)
    return fig


def _heatmap(ax, table: pd.DataFrame, cmap: str, fontsize: float | None = None) -> None:
    """Annotated count heatmap in plain matplotlib (as seaborn.heatmap(annot=True, fmt="d",
    cbar=False, linewidths=0.5) draws it), without importing seaborn and, through it,
    scipy.stats into every kernel that draws a figure."""
    values = table.to_numpy(dtype=float)
    mesh = ax.pcolormesh(values, cmap=cmap, edgecolors="white", linewidth=0.5,
                         vmin=np.nanmin(values), vmax=np.nanmax(values))
    rgb = mesh.cmap(mesh.norm(values))[..., :3]
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminances = linear @ np.array([0.2126, 0.7152, 0.0722])  # relative luminance, as seaborn
    for (i, j), value in np.ndenumerate(values):
        luminance = luminances[i, j]
        ax.text(j + 0.5, i + 0.5, f"{int(value):d}", ha="center", va="center", fontsize=fontsize,
                color="black" if luminance > 0.408 else "white")
    ax.set_xlim(0, values.shape[1])
    ax.set_ylim(values.shape[0], 0)  # first row on top
    ax.set_xticks(np.arange(values.shape[1]) + 0.5, [str(c) for c in table.columns])
    for spine in ax.spines.values():
        spine.set_visible(False)


@styled
def policy_area_heatmap(table: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(PRINT["width"], 0.24 * len(table) + 1.3)
    ax = fig.add_subplot()
    _heatmap(ax, table, SEQUENTIAL, fontsize="small")
    ax.set_yticks(np.arange(len(table)) + 0.5, [t(a, lang) for a in table.index], fontsize="small",
                  rotation=0)
    ax.set_xticks(np.arange(table.shape[1]) + 0.5, [str(c) for c in table.columns], rotation=0)
    ax.set_xlabel(t("plan", lang))
    ax.set_ylabel("")
    ax.set_title(t("areas_title", lang), loc="left")
    return fig


@styled
def values_by_plan(values: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(PRINT["width"], 3.0)
    axes = fig.subplots(1, 2, sharex=True)
    for ax, (plan, d) in zip(axes, values.groupby("plan")):
        ax.barh([wrap(t(v, lang), 16) for v in d["value"]][::-1], d["share"].to_numpy()[::-1],
                color=PALETTE["neutral"])
        for yi, (share, n, of) in enumerate(zip(d["share"][::-1], d["n"][::-1], d["of"][::-1])):
            ax.annotate(f"{labels.fmt_int(n, lang)}/{labels.fmt_int(of, lang)}", (share, yi), va="center",
                        fontsize="small", xytext=(2, 0), textcoords="offset points")
        ax.set_title(wrap(f"{t('plan', lang)} {plan}: {labels.label_of(d['instrument'].iloc[0], lang)}", 30),
                     fontsize="medium", loc="left")
        ax.set_xlim(0, 1.25)
        ax.set_xticks([0, 0.5, 1])
        ax.xaxis.set_major_formatter(pct_formatter(lang))
        ax.tick_params(axis="y", labelsize="small")
    fig.suptitle(t("values_title", lang), x=0.01, ha="left")
    return fig


@styled
def recurring_themes(table: pd.DataFrame, lang: str) -> Figure:
    counts = table.drop(columns=["recurs"])
    fig = new_figure(4.8, 0.3 * len(counts) + 1.6)
    ax = fig.add_subplot()
    _heatmap(ax, counts, SEQUENTIAL, fontsize="small")
    ax.set_yticks(np.arange(len(counts)) + 0.5,
                  [t(th, lang) + (" *" if r else "") for th, r in zip(counts.index, table["recurs"])],
                  rotation=0, fontsize="small")
    ax.set_xticks(np.arange(counts.shape[1]) + 0.5, [str(c) for c in counts.columns], rotation=0)
    ax.set_xlabel(t("plan", lang))
    ax.set_ylabel("")
    ax.set_title(t("themes_title", lang), loc="left")
    fig.text(0.01, 0.005, t("recurs_note", lang), fontsize="small", color=PALETTE["note"], va="bottom")
    return fig


@styled
def irm_assessment(assess: dict[str, pd.Series], lang: str) -> Figure:
    fig = new_figure(PRINT["width"], 2.8)
    left, right = fig.subplots(1, 2)
    impact = assess["impact"]
    left.barh([t(k, lang) for k in impact.index][::-1], impact.to_numpy(dtype=int)[::-1],
              color=PALETTE["neutral"])
    left.set_title(t("impact", lang), fontsize="medium", loc="left")
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_xlabel(t("commitments", lang))
    rel = assess["relevance"]
    right.barh([wrap(t(k, lang), 18) for k in rel.index][::-1], rel.to_numpy(dtype=int)[::-1],
               color=PALETTE["neutral"])
    right.set_title(t("relevance", lang), fontsize="medium", loc="left")
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_xlabel(t("commitments", lang))
    right.tick_params(axis="y", labelsize="small")
    fig.suptitle(t("irm_title", lang), x=0.01, ha="left")
    return fig


# --------------------------------------------------------------------------- bodies
@styled
def bodies_parity(seats: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(PRINT["width"], 2.6)
    ax = fig.add_subplot()
    y = np.arange(len(seats))[::-1]
    ax.barh(y, seats["state"], color=PALETTE["state"], label=t("state", lang))
    ax.barh(y, seats["non_state"], left=seats["state"], color=PALETTE["non_state"], label=t("non_state", lang))
    for yi, s, n in zip(y, seats["state"], seats["non_state"]):
        ax.annotate(labels.fmt_int(s, lang), (s / 2, yi), ha="center", va="center", color="white",
                    fontsize="medium")
        ax.annotate(labels.fmt_int(n, lang), (s + n / 2, yi), ha="center", va="center", color="black",
                    fontsize="medium")
    for yi, total, parity in zip(y, seats["total"], seats["parity_share"]):
        ax.plot([total * parity] * 2, [yi - 0.45, yi + 0.45], color="black", lw=1.2, ls="--")
    ax.plot([], [], color="black", lw=1.2, ls="--", label=t("parity", lang))
    ax.set_yticks(y, [wrap(labels.label_of(b, lang), 18 if is_phone() else 24) for b in seats["body"]])
    ax.set_xlabel(t("seats", lang))
    title(ax, t("bodies_title", lang))
    ax.set_xlim(0, int(seats["total"].max()) * 1.05)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    legend_below(ax)
    return fig


# --------------------------------------------------------------------------- multiverse
SPEC_MARKERS = {"exclude": "o", "state": "v", "civil_society": "^"}


def share_axis(other_as: str | None, lang: str) -> str:
    """The share's definition under the treatment of other (parameter ``other_as``)."""
    return t(_share_axis(other_as), lang)


@styled
def specification_curve(multi: pd.DataFrame, lang: str,
                        stages: tuple[str, ...] = ("national_table", "regional_workshop")) -> Figure:
    """Every specification (account x other x interval method x level), ordered by share, per stage.

    Points are the share (colour: account; marker: treatment of other), bars the interval.
    An account that does not report a stage is named in the panel, never drawn as zero.
    """
    fig = new_figure(PRINT["width"], 2.0 * len(stages) + 1.3)
    axes = fig.subplots(len(stages), 1, squeeze=False, sharex=False)[:, 0]
    handles: dict[str, object] = {}
    for ax, stage in zip(axes, stages):
        at = multi[multi["stage"] == stage]
        known = at[at["reported"].fillna(False).astype(bool)].copy()
        known["_w"] = known["ci_high"].astype(float) - known["ci_low"].astype(float)
        known = known.sort_values(["share_civil_society", "_w", "account", "other_as", "ci_method",
                                   "confidence"], kind="stable").reset_index(drop=True)
        # One errorbar per legend entry (account, and treatment of other where the account
        # has "other"), in order of first appearance: one artist per group, not per point.
        groups: dict[tuple[str, str | None], list[int]] = {}
        for i, r in known.iterrows():
            has_other = int(r["n_other"]) > 0  # the government's account has no "other"
            groups.setdefault((r["account"], r["other_as"] if has_other else None), []).append(i)
        for (account, other_as), rows in groups.items():
            g = known.loc[rows]
            y = g["share_civil_society"].to_numpy(dtype=float)
            text = t(account, lang) + (f", {t('other', lang).lower()} {t('other_' + other_as, lang)}"
                                       if other_as else "")
            h = ax.errorbar(np.asarray(rows, dtype=float), y,
                            yerr=[y - g["ci_low"].to_numpy(dtype=float), g["ci_high"].to_numpy(dtype=float) - y],
                            fmt=SPEC_MARKERS[other_as] if other_as else MARKERS.get(account, "s"),
                            ls="none", color=PALETTE[account], ms=4, elinewidth=0.7, capsize=0)
            handles.setdefault(text, h)
        ax.axhline(0.5, color=PALETTE["reference"], lw=0.8, ls="--", zorder=0)
        ax.set_ylim(0, 1)
        ax.set_xlim(-1, max(len(known), 1))
        ax.set_xticks([])
        ax.yaxis.set_major_formatter(pct_formatter(lang))
        ax.set_title(t(stage, lang), loc="left", fontsize="medium")
        silent = sorted(set(at["account"]) - set(known["account"]))
        if silent:
            ax.text(0.99, 0.04, wrap("; ".join(f"{t(a, lang)}: {t('silent_stage', lang)}" for a in silent),
                                     30 if is_phone() else 80),
                    transform=ax.transAxes, ha="right", va="bottom", fontsize="small", color=PALETTE["note"])
    axes[-1].set_xlabel(wrap(t("spec_axis", lang), 24 if is_phone() else 80))
    fig.supylabel(t("share_axis_any", lang), fontsize="medium")
    if not is_phone():
        fig.suptitle(t("spec_title", lang), x=0.01, ha="left")
    if handles:
        legend_below(axes[-1], list(handles.values()), [wrap(k, 34) for k in handles], ncols=2)
    return fig


# --------------------------------------------------------------------------- catalogue
def catalogue(raw: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame], other_as: str = "exclude",
              account: str = "irm2019") -> dict[str, Callable[[str], Figure]]:
    """Every figure the notebooks draw, by file name, as ``draw(lang)`` (tests, the brief)."""
    from ..questions import bodies as bodies_q
    from ..questions import evolution
    from ..questions import shares as shares_q
    from ..questions import survival as survival_q

    com, plans, att = tables["commitments"], tables["plans"], tables["attendance"]
    stage = tables.get("shares")
    if stage is None:
        stage = shares_q.stage_shares(att)
    headline = "irm2019" if account == "both" else account
    multi = tables.get("multiverse")
    if multi is None:
        from ..questions import multiverse

        multi = multiverse.multiverse(att)
    surv = tables.get("survival")
    if surv is None:
        surv = survival_q.survival(raw)
    return {
        "shares_by_stage": lambda lang: shares_by_stage(stage, other_as, lang),
        "shares_by_event": lambda lang: shares_by_event(shares_q.event_shares(att, other_as), lang),
        "shares_sensitivity": lambda lang: shares_sensitivity(stage, "irm2019", lang),
        "proposal_funnel": lambda lang: funnel(survival_q.stage_counts(raw), lang),
        "survival_by_theme": lambda lang: survival_by_theme(surv, headline, lang),
        "commitments_per_plan": lambda lang: commitments_per_plan(evolution.per_plan(com, plans),
                                                                  evolution.stated_counts(raw), lang),
        "policy_areas_heatmap": lambda lang: policy_area_heatmap(evolution.policy_areas(com), lang),
        "values_by_plan": lambda lang: values_by_plan(evolution.values_over_time(com), lang),
        "recurring_themes": lambda lang: recurring_themes(evolution.recurring_themes(com), lang),
        "irm_assessment": lambda lang: irm_assessment(evolution.irm_assessments(com), lang),
        "bodies_parity": lambda lang: bodies_parity(bodies_q.seats(raw), lang),
        "specification_curve": lambda lang: specification_curve(multi, lang),
        **_process_figures(raw),
    }


def _process_figures(raw: dict[str, pd.DataFrame]) -> dict[str, Callable[[str], Figure]]:
    """The process figures (notebook 06), drawn from the raw process resources."""
    from ..clean import process as clean_process
    from ..questions import process as process_q
    if "standards" not in raw or "timeline" not in raw:
        return {}
    std = process_q.standards(raw)
    out = {"standards_scorecard": lambda lang: standards_scorecard(std, lang),
           "process_timeline": lambda lang: timeline_accounts(clean_process.timeline(raw), lang)}
    if "irm_summary" in raw:
        from ..questions import participation_across_plans as pap

        inf, forum = pap.influence(raw), pap.forum(raw)
        out["influence_by_plan"] = lambda lang: influence_by_plan(inf, forum, lang)
    return out


# ----------------------------------------------------------------- the process (notebook 06)
#: The IRM's traffic-light colours drawn in colour-blind-safe hues; the letter in every cell
#: (the standard) and the legend carry the meaning too.
SCORE_COLORS = {"green": OKABE_ITO["bluish_green"], "amber": OKABE_ITO["yellow"],
                "red": OKABE_ITO["vermillion"]}
SECTION_KEYS = {"Foro Multiactor": "section_forum", "Desarrollo del plan de acción": "section_development"}
MILESTONES = ["invitations_sent", "schedule_published", "regional_call_posted", "thematic_table",
              "regional_workshop", "self_assessment_consultation", "virtual_consultation",
              "national_table", "participation_stage", "closing_event", "approval"]


@styled
def standards_scorecard(std: pd.DataFrame, lang: str) -> Figure:
    """One cell per standard, coloured as the IRM rated it, one row per section of the annex."""
    sections = list(dict.fromkeys(std["section"]))
    width = max(std.groupby("section").size())
    fig = new_figure(6.5, 0.9 * len(sections) + 1.4)
    ax = fig.add_subplot()
    for row, section in enumerate(sections):
        part = std[std["section"] == section].reset_index(drop=True)
        y = len(sections) - 1 - row
        for i, r in part.iterrows():
            ax.add_patch(Rectangle((i, y + 0.1), 0.9, 0.7, color=SCORE_COLORS[r["colour"]]))
            ax.text(i + 0.45, y + 0.45, r["standard_id"], ha="center", va="center",
                    color="white" if r["colour"] != "amber" else "black")
            if pd.notna(r["code_printed"]):
                ax.text(i + 0.45, y + 0.86, r["code_printed"], ha="center", va="bottom", fontsize="small")
        ax.text(-0.15, y + 0.45, wrap(t(SECTION_KEYS[section], lang), 18), ha="right", va="center")
    ax.set_xlim(-0.1, width)
    ax.set_ylim(0, len(sections) + 0.1)
    ax.axis("off")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(t("score_title", lang), loc="left")
    handles = [Patch(color=SCORE_COLORS[c], label=t(f"score_{c}", lang)) for c in ["green", "amber", "red"]]
    # the empty end of the development row (6 standards against the forum's 11) holds the key
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 0.0), frameon=False)
    fig.text(0.01, 0.005, t("score_source", lang), fontsize="small", color=PALETTE["note"], va="bottom")
    return fig


@styled
def timeline_accounts(rows: pd.DataFrame, lang: str) -> Figure:
    """Every dated row of each document (``clean.process.timeline``), side by side per milestone.

    Separate events of one stage (the IRM's three regional workshops) are drawn one by one;
    two spans a document gives for the same stage overlap.
    """
    days = rows[rows["precision"] == "day"]
    order = [m for m in MILESTONES if m in set(days["milestone"])]
    sched = pd.Timestamp(days.loc[days["milestone"] == "schedule_published", "date_start"].min())
    fig = new_figure(6.5, 0.36 * len(order) + 1.6)
    ax = fig.add_subplot()
    offsets = {"pcm2018": 0.18, "irm2019": -0.18}
    for source, offset in offsets.items():
        mine = days[days["source_id"] == source]
        for r in mine.itertuples():
            if r.milestone not in order:
                continue
            start = (pd.Timestamp(r.date_start) - sched).days
            end = (pd.Timestamp(r.date_end) - sched).days
            y = len(order) - 1 - order.index(r.milestone) + offset
            ax.plot([start, end + 0.8], [y, y], color=PALETTE[source], lw=5, solid_capstyle="butt")
            if r.milestone in ("closing_event", "approval"):
                ax.annotate(labels.format_date(pd.Timestamp(r.date_start).date(), lang), (end + 1.5, y),
                            va="center", fontsize="small", color=PALETTE[source])
    handles = [ax.plot([], [], color=PALETTE[s], lw=5)[0] for s in offsets]
    ax.set_yticks(range(len(order))[::-1], [t(m, lang) for m in order])
    ax.set_xlabel(f"{t('timeline_axis', lang)} ({labels.format_date(sched.date(), lang)})")
    first = int((pd.to_datetime(days["date_start"]) - sched).dt.days.min())
    last = int((pd.to_datetime(days["date_end"]) - sched).dt.days.max())
    ax.set_xlim(min(-3, first - 1), last + 22)
    ax.grid(axis="x", color=PALETTE["band"], lw=0.5)
    ax.set_title(t("timeline_title", lang), loc="left")
    legend_below(ax, handles, [t(f"{s}_report", lang) for s in offsets], ncols=2)
    return fig


# ------------------------------------------------------- participation across plans (notebook 07)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}
STAGE_STYLE = {"development": {"marker": "o", "color": OKABE_ITO["blue"], "offset": -0.12},
               "implementation": {"marker": "D", "color": OKABE_ITO["orange"], "offset": 0.12}}


@styled
def influence_by_plan(inf: pd.DataFrame, forum: pd.DataFrame, lang: str) -> Figure:
    """One dot per plan and stage at the printed IAP2 level, OGP's minimum as a line, the
    tables' answer on the forum in a row beneath; "no table" where none was found.

    ``inf`` is ``questions.participation_across_plans.influence``, ``forum`` its ``forum``.
    Two pages printing the same level for one plan and stage draw one dot."""
    ranks = {int(r): lvl for lvl, r in zip(inf["level"], inf["rank"]) if pd.notna(r)}
    low = 2  # Inform: the scale drawn is IAP2's five levels
    minimum = int(inf["rank_minimum"].iloc[0])
    names = {2: "inform", 3: "consult", 4: "involve", 5: "collaborate", 6: "empower"}
    names.update({k: v for k, v in ranks.items() if k >= low})
    plans = sorted(set(inf["plan"].astype(int)))
    fig = new_figure(PRINT["width"], 3.6)
    ax = fig.add_subplot()
    forum_y = low - 1
    ax.axhline(minimum, color=PALETTE["reference"], lw=1.2, ls="--", zorder=1)
    ax.annotate(wrap(t("ogp_minimum", lang), 22) if is_phone() else t("ogp_minimum", lang),
                (plans[-1] + 0.45, minimum), xytext=(0, 3),
                textcoords="offset points", ha="right", va="bottom", fontsize="small",
                color=PALETTE["note"])
    for stage, st in STAGE_STYLE.items():
        part = inf[(inf["stage"] == stage) & (inf["status"] == "printed")].drop_duplicates(["plan", "rank"])
        ax.scatter(part["plan"].astype(int) + st["offset"], part["rank"].astype(int), s=70,
                   marker=st["marker"], color=st["color"], zorder=3, label=t(f"stage_{stage}", lang))
    for plan in plans:
        if not ((inf["plan"] == plan) & (inf["status"] == "printed")).any():
            ax.text(plan, low + 0.5, wrap(t("no_table", lang), 6) if is_phone() else t("no_table", lang),
                    ha="center", va="center",
                    fontsize="small", color=PALETTE["note"])
        printed = forum[(forum["plan"] == plan) & (forum["status"] == "printed")]
        if len(printed):
            answers = sorted(set(printed["forum"].astype(bool)))
            word = " / ".join(t("forum_yes" if a else "forum_no", lang) for a in answers)
        else:
            word = "–"
        ax.text(plan, forum_y, word, ha="center", va="center")
    ax.axhline(forum_y + 0.5, color=PALETTE["band"], lw=0.8)
    ticks = [forum_y] + list(range(low, 7))
    ax.set_yticks(ticks, [wrap(t("forum_row", lang), 12) if is_phone() else t("forum_row", lang)]
                  + [t(f"iap2_{names[r]}", lang) for r in range(low, 7)])
    ax.set_ylim(forum_y - 0.5, 6.5)
    ax.set_xticks(plans, [ROMAN[p] for p in plans])
    ax.set_xlim(plans[0] - 0.5, plans[-1] + 0.5)
    ax.set_xlabel(t("action_plan", lang))
    title(ax, t("influence_title", lang))
    if is_phone():
        legend_below(ax)
    else:  # the empty upper left (no plan before III prints a level) holds the key
        ax.legend(loc="upper left", frameon=False)
    return fig
