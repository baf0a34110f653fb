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

import functools
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

#: ``svg.fonttype: none`` keeps every word an SVG ``<text>`` element (searchable, copyable,
#: translatable) in the named font, DejaVu Sans first: the PDF brief gives Typst matplotlib's
#: copy of it (``FONT_DIR``), browsers have it or a wide sans-serif.
#: ``axes.titley`` fixed at 1.0 (matplotlib's default position) turns off the automatic
#: search for anything drawn above the axes, which measured every y tick label at every
#: draw, a tenth of the render time. No figure here puts ticks or labels above its axes,
#: so every figure is byte for byte what the search produced.
#: ``text.hinting: no_hinting`` draws the PNG's glyphs as the exact outlines the SVG and
#: the PDF use, so text measures the same at every resolution and in every format (the
#: layout worked out for the PNG is the SVG's too), and FreeType skips its auto-hinter,
#: about a fifth of the PNG's rendering time.
RC = {"svg.hashsalt": "peru-ogp-participation", "svg.fonttype": "none", "text.hinting": "no_hinting",
      "font.family": "sans-serif", "font.sans-serif": [FONT, "Verdana", "Arial"], "font.size": PRINT["font"],
      "axes.titlesize": "large", "axes.titlelocation": "left", "axes.titley": 1.0, "axes.labelsize": "medium",
      "xtick.labelsize": "medium", "ytick.labelsize": "medium", "legend.fontsize": "medium",
      "legend.frameon": False, "figure.titlesize": "large",
      "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100,
      "axes.prop_cycle": mpl.cycler(color=[PALETTE["neutral"]])}
#: Where matplotlib keeps the font drawn here (for Typst, which reads the SVG's text).
FONT_DIR = Path(mpl.get_data_path()) / "fonts" / "ttf"
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


#: The figures' sentences (titles with their numbers, the source line), one Jinja2 template
#: per figure and language in ``templates/figures/<lang>/``, filled with numbers computed
#: from the data each figure plots.
FIGURE_TEMPLATES = Path(__file__).parent / "templates" / "figures"


@functools.cache
def _environment(lang: str):
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(FIGURE_TEMPLATES / lang)),
                             autoescape=False, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda share, digits=0: labels.fmt_percent(float(share), lang, digits)
    env.filters["num"] = lambda value: labels.fmt_int(int(value), lang)
    env.filters["name"] = lambda key: labels.label(key, lang)
    env.globals["lang"] = lang
    return env


def words(template: str, lang: str, **facts) -> str:
    """A figure's sentence from ``templates/figures/<lang>/<template>.j2`` (one line)."""
    text = _environment(lang).get_template(f"{template}.j2").render(**facts)
    return " ".join(text.split())


@functools.cache
def release_date():
    """The release date in CITATION.cff (never the build date: figures stay byte-identical)."""
    import yaml

    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    date = cff["date-released"]
    return date if not isinstance(date, str) else pd.Timestamp(date).date()


def headline(fig: Figure, text: str) -> None:
    """The figure's title, the finding with its number, over the whole width (print only:
    on phones the page's heading and caption say it)."""
    if not _mode["phone"]:
        fig.suptitle(wrap(text, _chars(fig, rc()["font.size"] * 1.2)), x=0.01, ha="left", fontsize="large")


def stamp(fig: Figure, sources: list[str], lang: str, cited: tuple[str, ...] = ()) -> None:
    """The source line under the figure: its documents, the project's name and the release
    date, so that a PNG pasted into a slide still says where it comes from. ``sources`` are
    vocabulary keys (``cite_<source>``); ``cited`` are documents already named in ``lang``.

    A strip at the bottom is kept free of the layout (``rect``) and the line drawn in it."""
    text = words("footer", lang, sources=[t(f"cite_{s}", lang) for s in sources] + list(cited),
                 project=t("project_name", lang), date=labels.format_date(release_date(), lang))
    size = fig_font_small()
    text = wrap(text, _chars(fig, size))
    lines = text.count("\n") + 1
    strip = (lines * size * 1.3 + 6) / 72 / fig.get_figheight()
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.set(rect=(0, strip, 1, 1 - strip))
    for legend in fig.legends:
        # a legend placed "outside" the axes keeps the margin the layout reserves for it, just
        # above the strip: its offset is lifted by the strip's height (matplotlib is pinned by
        # the lock; Legend._findoffset is what the legend's box asks for its place)
        legend._legend_box.set_offset(_lifted(legend._findoffset, strip * fig.get_figheight() * 72))
    fig.text(0.01, 3 / 72 / fig.get_figheight(), text, ha="left", va="bottom", fontsize="small",
             color=PALETTE["note"])


def _lifted(find_offset, points: float):
    """A legend's offset function, moved up by ``points``."""
    def offset(width, height, xdescent, ydescent, renderer):
        x, y = find_offset(width, height, xdescent, ydescent, renderer)
        return x, y + renderer.points_to_pixels(points)
    return offset


def _chars(fig: Figure, size: float) -> int:
    """About how many characters of ``size`` points fit across the figure."""
    return int(fig.get_figwidth() * 72 / (size * 0.56))


def fig_font_small() -> float:
    """The size of "small" text in points (5/6 of the base size)."""
    return rc()["font.size"] * 0.833


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
#: zlib level of the PNG files. The figures are flat colour on white, and at levels 1-3
#: zlib's quick matching finds about as much as its default level 6: files about 5% smaller,
#: encoded about a third faster (measured on this project's figures).
PNG_COMPRESS = 3


def _lay_out_once(fig: Figure) -> None:
    """Run the figure's layout engine once, at the PNG's resolution, and freeze the result.

    ``savefig`` otherwise runs constrained layout again for every format, a fifth of the
    cost of a render. Text is not hinted (:data:`RC`), so it measures the same at any
    resolution; the layout is found at :data:`PNG_DPI`, as :func:`render` finds it, and the
    SVG reuses it.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        return
    with _at_dpi(fig, PNG_DPI):
        engine.execute(fig)
    _freeze_layout(fig)


def _freeze_layout(fig: Figure) -> None:
    """Keep the figure's layout as last worked out, with no layout engine at all.

    ``set_layout_engine("none")`` leaves a placeholder engine, and ``savefig`` draws a figure
    that has any engine once more before it writes it (so that a layout engine can run):
    a second whole draw for every SVG, two fifths of its cost. With no engine it draws once,
    and writes the same bytes (a test compares them with ``savefig``'s).
    """
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)  # with both off, None means no engine
    if fig.get_layout_engine() is not None:
        raise RuntimeError("the figure's layout engine could not be removed")


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
    """The PNG; lays the figure out and freezes the layout (see :func:`render`).

    The pixels are those ``savefig`` paints (a test compares them). The file is RGB, not
    RGBA: every figure is opaque (white ground), and the alpha channel that ``savefig``
    would store is a quarter of the bytes zlib must encode, for nothing. No text chunk
    (``savefig`` names the matplotlib version in one), so the bytes do not change with the
    library's version.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    with mpl.rc_context(rc()):
        png = io.BytesIO()
        with _at_dpi(fig, PNG_DPI):
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            size = canvas.get_width_height(physical=True)
            rgba = Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
            rgba.convert("RGB").save(png, format="png", dpi=(PNG_DPI, PNG_DPI),
                                     compress_level=PNG_COMPRESS)
        _freeze_layout(fig)
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
    """Draw, write PNG and SVG; return the PNG of ``show_lang``.

    The pipeline writes every language (``reports/figures`` holds both, for the brief in
    each language); a notebook run by hand (Papermill, nbval, Jupyter) writes the figures in
    its own language only, the one it shows.

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
    for lang in LANGS if paths.run_by_pipeline() else (show_lang,):
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
    text with less contrast than :data:`MIN_CONTRAST` (:func:`contrast_problems`),
    and text, markers or legends that stick out of the figure or cover plotted points. Empty
    when the layout is clean.

    The figure is checked as :func:`render` writes it: laid out and painted in one Agg draw
    at the PNG's resolution (:func:`_render_png`), its layout then frozen."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with mpl.rc_context(rc()), _at_dpi(fig, PNG_DPI):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        _freeze_layout(fig)
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
        problems += _contrast_problems(fig, canvas)
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


#: WCAG 2 contrast that body text needs (level AA).
MIN_CONTRAST = 4.5


def _luminance(rgb) -> float:
    """WCAG relative luminance of an sRGB colour (components 0-1)."""
    c = np.asarray(rgb, dtype=float)[..., :3]
    linear = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(a, b) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(mpl.colors.to_rgb(a)), _luminance(mpl.colors.to_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(background) -> str:
    """Black or white, whichever reads better on ``background``."""
    return "black" if contrast_ratio("black", background) >= contrast_ratio("white", background) else "white"


def contrast_problems(fig: Figure) -> list[str]:
    """Text whose colour has less than :data:`MIN_CONTRAST` against what lies under it.

    The figure is rendered as :func:`render` writes the PNG; the background of each text is the
    most common colour inside its box (glyph strokes are a small part of it), so text on a bar
    or a heatmap cell is judged against that bar or cell. :func:`layout_problems` includes
    these, from the render it makes anyway."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    _lay_out_once(fig)
    with mpl.rc_context(rc()), _at_dpi(fig, PNG_DPI):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        return _contrast_problems(fig, canvas)


def _contrast_problems(fig: Figure, canvas) -> list[str]:
    """:func:`contrast_problems` on a canvas already drawn."""
    rgb = np.asarray(canvas.buffer_rgba())[..., :3].astype(np.int64)
    packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    height, width = packed.shape
    renderer = canvas.get_renderer()
    problems = []
    for text in _texts(fig):
        ext = text.get_window_extent(renderer)
        x0, x1 = max(int(ext.x0), 0), min(int(np.ceil(ext.x1)), width)
        y0, y1 = max(int(height - ext.y1), 0), min(int(np.ceil(height - ext.y0)), height)
        if x1 <= x0 or y1 <= y0:
            continue
        values, counts = np.unique(packed[y0:y1, x0:x1], return_counts=True)
        v = int(values[counts.argmax()])
        background = ((v >> 16) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255)
        ratio = contrast_ratio(text.get_color(), background)
        if ratio < MIN_CONTRAST - 1e-9:
            problems.append(f"text {text.get_text()!r} has contrast {ratio:.1f}:1 (< {MIN_CONTRAST}:1)")
    return problems


# --------------------------------------------------------------------------- shares
def _share_axis(other_as: str | None) -> str:
    return f"share_axis_{other_as}" if other_as else "share_axis_any"


def _k(row, other_as: str | None) -> int:
    """Civil society's count under the treatment of other (the share's numerator)."""
    extra = row["n_other"] if other_as == "civil_society" else 0
    return int(row["n_civil_society"]) + int(extra)


def _kn(share: float, k: int, n: int, lang: str, sep: str = " ") -> str:
    """'33 % (37/113)': a share with the counts it comes from."""
    return f"{labels.fmt_percent(share, lang)}{sep}({labels.fmt_int(k, lang)}/{labels.fmt_int(n, lang)})"


@styled
def shares_by_stage(shares: pd.DataFrame, other_as: str, lang: str) -> Figure:
    """Civil society's share of the signatures (attendances) at each stage, per account, each
    point labelled with its share and counts; a stage an account does not report is marked."""
    data = shares[(shares["unit"] == "persons") & (shares["other_as"] == other_as)]
    stages = [s for s in labels.STAGES if s in set(data["stage"])]
    sources = sorted(data["source_id"].unique())
    fig = new_figure(PRINT["width"], 3.6)
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
        above = i % 2 == 0   # the first account's labels above its bars, the second's below
        for xi, (_stage, r) in zip(x, d.iterrows()):
            if pd.isna(r["n"]):
                ax.text(xi, 0.02, wrap(f"{t(source + '_short', lang)}: {t('not_reported', lang)}", 10),
                        ha="center", va="bottom", fontsize="small", color=PALETTE["note"])
                continue
            ax.annotate(_kn(r["share_civil_society"], _k(r, other_as), int(r["n"]), lang, "\n"),
                        (xi, r["ci_high"] if above else r["ci_low"]), xytext=(0, 3 if above else -3),
                        textcoords="offset points", ha="center", va="bottom" if above else "top",
                        fontsize="small", color="black")
    ax.axhline(0.5, color=PALETTE["reference"], lw=0.8, ls="--", zorder=0)
    ax.set_xticks(np.arange(len(stages)), [wrap(t(s, lang), 12) for s in stages])
    ax.set_xlim(-0.6, len(stages) - 0.4)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(pct_formatter(lang))
    ax.set_ylabel(wrap(t(_share_axis(other_as), lang), 34), fontsize="small" if is_phone() else None)
    if is_phone():
        ax.tick_params(axis="x", labelsize="small")
    lead = "irm2019" if "irm2019" in sources else sources[0]
    d = data[data["source_id"] == lead].sort_values(["share_civil_society", "stage"])
    low = d.iloc[0]
    headline(fig, words("shares_by_stage", lang, source=lead, stage=low["stage"], other_as=other_as,
                        share=low["share_civil_society"], k=_k(low, other_as), n=int(low["n"]),
                        n_stages=len(d), below_half=bool(low["share_civil_society"] < 0.5)))
    legend_below(ax)
    stamp(fig, sources, lang)
    return fig


@styled
def shares_by_event(events: pd.DataFrame, lang: str) -> Figure:
    """One row per event; the accounts that report it side by side on that row, with n."""
    data = events.copy()
    data["stage_rank"] = data["stage"].map(labels.STAGES.index)
    other_as = data["other_as"].iloc[0] if "other_as" in data and data["other_as"].nunique() == 1 else None
    keys = data[["stage_rank", "stage", "event"]].drop_duplicates().sort_values(
        ["stage_rank", "event"], ascending=[False, False]).reset_index(drop=True)
    row_of = {(r.stage, r.event): i for i, r in enumerate(keys.itertuples())}
    sources = sorted(data["source_id"].unique())
    fig = new_figure(PRINT["width"], 0.34 * len(keys) + 1.8)
    ax = fig.add_subplot()
    for j, source in enumerate(sources):
        d = data[data["source_id"] == source]
        offset = 0.0 if len(sources) == 1 else (0.17 if j == 0 else -0.17)
        y = np.array([row_of[s, e] for s, e in zip(d["stage"], d["event"])], dtype=float) + offset
        ax.errorbar(d["share_civil_society"], y,
                    xerr=[d["share_civil_society"] - d["ci_low"], d["ci_high"] - d["share_civil_society"]],
                    fmt=MARKERS.get(source, "o"), capsize=2, ms=5, color=PALETTE[source], label=t(source, lang))
        for yi, r in zip(y, d.itertuples()):
            ax.annotate(f"{labels.fmt_int(_k(r._asdict(), other_as), lang)}/{labels.fmt_int(r.n, lang)}",
                        (r.ci_high, yi), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize="small")
    ticks = [f"{t(r.stage, lang)}: {t(r.event, lang)}" for r in keys.itertuples()]
    ax.set_yticks(np.arange(len(keys)), [wrap(x, 24) if is_phone() else x for x in ticks], fontsize="small")
    ax.axvline(0.5, color=PALETTE["reference"], lw=0.8, ls="--", zorder=0)
    ax.set_xlim(-0.02, 1.12)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_ylim(-0.7, len(keys) - 0.3)
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.set_xlabel(wrap(t(_share_axis(other_as), lang), 40 if is_phone() else 80))
    lead = data[data["source_id"] == ("irm2019" if "irm2019" in sources else sources[0])]
    lead = lead.sort_values(["share_civil_society", "event"])
    lo, hi = lead.iloc[0], lead.iloc[-1]
    headline(fig, words("shares_by_event", lang, source=lead["source_id"].iloc[0],
                        low_event=lo["event"], low_stage=lo["stage"], low=lo["share_civil_society"],
                        low_k=_k(lo, other_as), low_n=int(lo["n"]),
                        high_event=hi["event"], high_stage=hi["stage"], high=hi["share_civil_society"],
                        high_k=_k(hi, other_as), high_n=int(hi["n"])))
    legend_below(ax)
    stamp(fig, sources, lang)
    return fig


@styled
def shares_sensitivity(shares: pd.DataFrame, source_id: str, lang: str) -> Figure:
    data = shares[(shares["source_id"] == source_id) & (shares["unit"] == "persons")]
    stages = [s for s in labels.STAGES if s in set(data["stage"])]
    fig = new_figure(PRINT["width"], 3.6)
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
    low_stage = data[data["other_as"] == "exclude"].sort_values("share_civil_society")["stage"].iloc[0]
    at = data[data["stage"] == low_stage]
    headline(fig, words("shares_sensitivity", lang, source=source_id, stage=low_stage,
                        low=at["share_civil_society"].min(), high=at["share_civil_society"].max(),
                        n_other=int(at["n_other"].iloc[0]), below_half=bool(at["share_civil_society"].max() < 0.5)))
    legend_below(ax, title=t("other", lang))
    stamp(fig, [source_id], lang)
    return fig


# --------------------------------------------------------------------------- survival
@styled
def funnel(stage_counts: pd.DataFrame, lang: str) -> Figure:
    """Proposals at the tables and workshops, potential commitments at the national tables and
    commitments in the final plan, per account; a count an account does not give is marked."""
    order = ["thematic_table", "regional_workshop", "national_table", "final_plan"]
    fig = new_figure(PRINT["width"], 3.6)
    ax = fig.add_subplot()
    sources = sorted(stage_counts["source_id"].unique())
    width = 0.36
    labelled = set()
    top = int(stage_counts["count"].max())
    for i, source in enumerate(sources):
        d = stage_counts[stage_counts["source_id"] == source]
        for j, stage in enumerate(order):
            values = sorted(d.loc[d["stage"] == stage, "count"].astype(int))
            if not values:
                ax.text(j + (i - 0.5) * width, top * 0.02,
                        wrap(f"{t(source + '_short', lang)}: {t('not_reported', lang)}", 8), ha="center",
                        va="bottom", fontsize="small", color=PALETTE["note"])
            for k, v in enumerate(values):
                x = j + (i - 0.5) * width + (k - (len(values) - 1) / 2) * width / 2
                ax.bar(x, v, width=width / max(len(values), 1) * 0.9, color=PALETTE[source],
                       label=None if source in labelled else t(f"{source}_report", lang))
                labelled.add(source)
                ax.annotate(labels.fmt_int(v, lang), (x, v), ha="center", va="bottom", fontsize="small")
    kinds = {"thematic_table": "proposals", "regional_workshop": "proposals",
             "national_table": "potential_commitments", "final_plan": "commitments"}
    ax.set_xticks(range(len(order)), [f"{wrap(t(s, lang), 12)}\n({t(kinds[s], lang).lower()})"
                                      if not is_phone() else wrap(t(s, lang), 10) for s in order])
    ax.set_ylabel(wrap(t("funnel_axis", lang), 30))
    ax.set_xlim(-0.6, len(order) - 0.4)
    ax.set_ylim(0, top * 1.12)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    counts = {(s, st): sorted(stage_counts.loc[(stage_counts["source_id"] == s) & (stage_counts["stage"] == st),
                                                "count"].astype(int)) for s in sources for st in order}
    irm = "irm2019" if "irm2019" in sources else sources[0]
    gov = "pcm2018" if "pcm2018" in sources else irm
    headline(fig, words("proposal_funnel", lang, proposed=sum(counts[gov, "thematic_table"]) +
                        sum(counts[gov, "regional_workshop"]), potential=max(counts[irm, "national_table"]),
                        final=max(counts[irm, "final_plan"]), gov_final=counts[gov, "final_plan"]))
    handles, names = ax.get_legend_handles_labels()
    seen = dict(zip(names, handles))
    legend_below(ax, list(seen.values()), list(seen.keys()))
    stamp(fig, sources, lang)
    return fig


#: The two bounds of survival, in colours of their own (never a source's colour).
BOUND_COLORS = {"low": OKABE_ITO["vermillion"], "high": OKABE_ITO["blue"]}


@styled
def survival_by_theme(surv: pd.DataFrame, source_id: str, lang: str) -> Figure:
    """Documented minimum and possible maximum of proposals that reached the plan, per theme,
    with k/n; ``source_id="both"`` draws each account in a panel of its own."""
    sources = ["irm2019", "pcm2018"] if source_id == "both" else [source_id]
    sources = [s for s in sources if (surv["source_id"] == s).any()]
    first = surv[(surv["source_id"] == sources[0]) & surv["survival_low"].notna()]
    rows = len(first)
    stacked = is_phone() and len(sources) > 1
    fig = new_figure(PRINT["width"], (0.34 * rows + 1.5) * (len(sources) if stacked else 1) + 0.6)
    axes = fig.subplots(len(sources) if stacked else 1, 1 if stacked else len(sources), squeeze=False).ravel()
    for n_ax, (ax, source) in enumerate(zip(axes, sources)):
        data = surv[(surv["source_id"] == source) & surv["survival_low"].notna()].iloc[::-1]
        y = np.arange(len(data))
        lo = data["survival_low"].to_numpy(dtype=float)
        hi = data["survival_high"].to_numpy(dtype=float)
        n = data["n_proposed"].to_numpy(dtype=int)
        ax.hlines(y, lo, hi, color=PALETTE["band"], lw=6, zorder=1)
        ax.errorbar(lo, y - 0.14, xerr=[lo - data["survival_low_ci_low"].to_numpy(dtype=float),
                                         data["survival_low_ci_high"].to_numpy(dtype=float) - lo],
                    fmt="o", color=BOUND_COLORS["low"], capsize=2, ms=5, label=t("low", lang), zorder=3)
        ax.errorbar(hi, y + 0.14, xerr=[hi - data["survival_high_ci_low"].to_numpy(dtype=float),
                                         data["survival_high_ci_high"].to_numpy(dtype=float) - hi],
                    fmt="s", mfc="white", color=BOUND_COLORS["high"], capsize=2, ms=5, label=t("high", lang),
                    zorder=3)
        for yi, a, b, m in zip(y, np.rint(lo * n).astype(int), np.rint(hi * n).astype(int), n):
            text = f"{labels.fmt_int(a, lang)}/{labels.fmt_int(m, lang)}" if a == b else \
                f"{labels.fmt_int(a, lang)}–{labels.fmt_int(b, lang)}/{labels.fmt_int(m, lang)}"
            ax.text(1.06, yi, text, va="center", ha="left", fontsize="small")
        if n_ax == 0 or stacked:
            ax.set_yticks(y, [wrap(t(th, lang), 16) if is_phone() else t(th, lang) for th in data["theme"]])
        else:
            ax.set_yticks(y, [""] * len(y))
        ax.set_xlim(-0.04, 1.34 if not is_phone() else 1.5)
        ax.set_ylim(-0.6, len(data) - 0.4)
        ax.set_xticks(np.linspace(0, 1, 5 if not (is_phone() or len(sources) > 1) else 3))
        ax.xaxis.set_major_formatter(pct_formatter(lang))
        ax.set_xlabel(wrap(t("survival_axis", lang), 24))
        ax.set_title(t(f"{source}_report", lang), loc="left", fontsize="medium")
    handles, names = axes[0].get_legend_handles_labels()
    handles.append(Patch(color=PALETTE["band"]))
    names.append(t("bound_range", lang))
    totals = []
    for source in sources:
        tot = surv[(surv["source_id"] == source) & (surv["theme"] == "total")]
        if len(tot):
            r = tot.iloc[0]
            totals.append({"source": source, "n": int(r["n_proposed"]),
                           "low": int(round(r["survival_low"] * r["n_proposed"])),
                           "high": int(round(r["survival_high"] * r["n_proposed"]))})
    headline(fig, words("survival_by_theme", lang, totals=totals))
    legend_below(axes[0], handles, names, ncols=2)
    stamp(fig, sources, lang)
    return fig


# --------------------------------------------------------------------------- evolution
@functools.cache
def _plan_periods() -> dict[int, str]:
    """Each plan's period ('2017-2019'), as the processed plans table names it, from data/raw."""
    from ..clean.commitments import plan_table

    raw_plans = pd.read_csv(paths.RAW_DIR / "plans.csv", dtype=str, keep_default_na=False)
    raw_plans["plan"] = raw_plans["plan"].astype(int)
    table = plan_table({"plans": raw_plans, "commitments": pd.DataFrame({"plan": pd.Series([], dtype=int)})})
    return {int(p): str(lab) for p, lab in zip(table["plan"], table["canonical_label"])}


def plan_name(plan, lang: str, sep: str = "\n") -> str:
    """'Plan 3\\n2017-2019': a plan's number with its years."""
    return f"{t('plan', lang)} {int(plan)}{sep}{_plan_periods()[int(plan)]}"


@styled
def commitments_per_plan(per_plan: pd.DataFrame, stated: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(PRINT["width"], 3.6)
    ax = fig.add_subplot()
    x = np.arange(len(per_plan))
    ax.bar(x, per_plan["n_ogp_list"], color=PALETTE["neutral"], label=t("ogp_list", lang), width=0.6)
    for xi, v in zip(x, per_plan["n_ogp_list"]):
        ax.annotate(labels.fmt_int(v, lang), (xi, v), ha="center", va="bottom", fontsize="small")
    plan_pos = dict(zip(per_plan["plan"], x))
    sources = sorted(stated["source_id"].unique())
    # the numbers the documents state, left to right beside each bar (one slot per number,
    # so that equal numbers never hide each other), labelled once per plan: "18/18/17"
    stated = stated.sort_values(["plan", "source_id"], kind="stable").assign(
        _x=lambda d: d["plan"].map(plan_pos) + 0.4 + 0.1 * d.groupby("plan").cumcount())
    for source in sources:
        d = stated[stated["source_id"] == source]
        ax.scatter(d["_x"], d["n_commitments"], marker=MARKERS.get(source, "D"), s=26,
                   color=PALETTE.get(source, PALETTE["note"]), zorder=3, label=t(f"stated_{source}", lang),
                   clip_on=False)
    for _plan, d in stated.groupby("plan"):
        ax.annotate(("\n" if is_phone() else "/").join(labels.fmt_int(v, lang) for v in d["n_commitments"]),
                    (d["_x"].mean(), d["n_commitments"].max()), xytext=(0, 5), textcoords="offset points",
                    ha="center", va="bottom", fontsize="small", color=PALETTE["note"])
    ticks = [plan_name(p, lang) for p in per_plan["plan"]]
    if is_phone():
        ticks = [str(p) + "\n" + _plan_periods()[int(p)].replace("-", "-\n", 1) for p in per_plan["plan"]]
        ax.set_xlabel(t("plan", lang))
    ax.set_xticks(x, ticks)
    ax.set_xlim(-0.5, len(x) - 0.5 + 0.1 * len(sources))
    top = max(per_plan["n_ogp_list"].max(), stated["n_commitments"].max())
    ax.set_ylim(0, top * 1.2)
    ax.set_ylabel(t("commitments", lang))
    big = per_plan.sort_values(["n_ogp_list", "plan"], ascending=[False, True]).iloc[0]
    rest = per_plan[per_plan["plan"] != big["plan"]]["n_ogp_list"]
    headline(fig, words("commitments_per_plan", lang, plan=int(big["plan"]), period=_plan_periods()[int(big["plan"])],
                        n=int(big["n_ogp_list"]), low=int(rest.min()), high=int(rest.max()), n_rest=len(rest)))
    legend_below(ax, ncols=2)
    stamp(fig, ["ogp_web"] + sources, lang)
    return fig


def _heatmap(ax, table: pd.DataFrame, cmap: str, fontsize: float | None = None,
             text: pd.DataFrame | None = None) -> None:
    """Annotated heatmap in plain matplotlib (as seaborn.heatmap(annot=True, cbar=False,
    linewidths=0.5) draws it), without importing seaborn and, through it, scipy.stats into
    every kernel that draws a figure. ``text`` gives each cell's words (default: the count)."""
    values = table.to_numpy(dtype=float)
    mesh = ax.pcolormesh(values, cmap=cmap, edgecolors="white", linewidth=0.5,
                         vmin=np.nanmin(values), vmax=np.nanmax(values))
    rgb = mesh.cmap(mesh.norm(values))[..., :3]
    for (i, j), value in np.ndenumerate(values):
        words_ = f"{int(value):d}" if text is None else text.iat[i, j]
        ax.text(j + 0.5, i + 0.5, words_, ha="center", va="center", fontsize=fontsize,
                color=ink_on(rgb[i, j]))
    ax.set_xlim(0, values.shape[1])
    ax.set_ylim(values.shape[0], 0)  # first row on top
    ax.set_xticks(np.arange(values.shape[1]) + 0.5, [str(c) for c in table.columns])
    for spine in ax.spines.values():
        spine.set_visible(False)


@styled
def policy_area_heatmap(table: pd.DataFrame, lang: str) -> Figure:
    """Each policy area's share of its plan's commitments (colour and %), with the count:
    plans of 48 and of 17-21 commitments compared on one scale."""
    sizes = table.sum(axis=0)
    shares = table / sizes
    cells = pd.DataFrame([[f"{labels.fmt_percent(s, lang)} ({labels.fmt_int(c, lang)})" if c else "·"
                           for s, c in zip(shares.iloc[i], table.iloc[i])] for i in range(len(table))])
    fig = new_figure(PRINT["width"], 0.24 * len(table) + 1.8)
    ax = fig.add_subplot()
    _heatmap(ax, shares, SEQUENTIAL, fontsize="small", text=cells)
    ax.set_yticks(np.arange(len(table)) + 0.5, [t(a, lang) for a in table.index], fontsize="small",
                  rotation=0)
    ax.set_xticks(np.arange(table.shape[1]) + 0.5,
                  [f"{plan_name(c, lang)}\n({labels.fmt_int(n, lang)})" for c, n in zip(table.columns, sizes)],
                  rotation=0, fontsize="small")
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel("")
    ax.set_xlabel("")
    top = shares.max(axis=1).sort_values(ascending=False, kind="stable")
    area = top.index[0]
    plan = shares.loc[area].idxmax()
    every = [a for a in table.index if (table.loc[a] > 0).all()]
    headline(fig, words("policy_areas_heatmap", lang, area=area, share=shares.loc[area, plan],
                        k=int(table.loc[area, plan]), n=int(sizes[plan]), period=_plan_periods()[int(plan)],
                        n_every=len(every), n_plans=table.shape[1]))
    stamp(fig, ["ogp_web"], lang)
    return fig


@styled
def values_by_plan(values: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(PRINT["width"], 3.3)
    axes = fig.subplots(1, 2, sharex=True)
    for ax, (plan, d) in zip(axes, values.groupby("plan")):
        ax.barh([wrap(t(v, lang), 16) for v in d["value"]][::-1], d["share"].to_numpy()[::-1],
                color=PALETTE["neutral"])
        for yi, (share, n, of) in enumerate(zip(d["share"][::-1], d["n"][::-1], d["of"][::-1])):
            ax.annotate(f"{labels.fmt_int(n, lang)}/{labels.fmt_int(of, lang)}", (share, yi), va="center",
                        fontsize="small", xytext=(2, 0), textcoords="offset points")
        ax.set_title(wrap(f"{plan_name(plan, lang, ' ')}: {labels.label_of(d['instrument'].iloc[0], lang)}", 30),
                     fontsize="medium", loc="left")
        ax.set_xlim(0, 1.25)
        ax.set_xticks([0, 0.5, 1])
        ax.xaxis.set_major_formatter(pct_formatter(lang))
        ax.tick_params(axis="y", labelsize="small")
    tops = [d.sort_values(["share", "value"], ascending=[False, True]).iloc[0] for _, d in values.groupby("plan")]
    headline(fig, words("values_by_plan", lang, tops=[{"plan": int(r["plan"]), "period": _plan_periods()[int(r["plan"])],
                                                      "value": r["value"], "share": r["share"], "k": int(r["n"]),
                                                      "n": int(r["of"])} for r in tops]))
    stamp(fig, ["irm2019", "spda2022"], lang)
    return fig


@styled
def recurring_themes(table: pd.DataFrame, lang: str) -> Figure:
    counts = table.drop(columns=["recurs"])
    fig = new_figure(4.8, 0.3 * len(counts) + 2.2)
    ax = fig.add_subplot()
    _heatmap(ax, counts, SEQUENTIAL, fontsize="small")
    ax.set_yticks(np.arange(len(counts)) + 0.5,
                  [t(th, lang) + (" *" if r else "") for th, r in zip(counts.index, table["recurs"])],
                  rotation=0, fontsize="small")
    ax.set_xticks(np.arange(counts.shape[1]) + 0.5, [plan_name(c, lang) for c in counts.columns], rotation=0)
    ax.set_ylabel("")
    headline(fig, words("recurring_themes", lang, n_recur=int(table["recurs"].sum()), n=len(table),
                        periods=[_plan_periods()[int(c)] for c in counts.columns]))
    ax.set_xlabel(t("recurs_note", lang), fontsize="small", color=PALETTE["note"], loc="left")
    stamp(fig, ["irm2019", "spda2022"], lang)
    return fig


@styled
def irm_assessment(assess: dict[str, pd.Series], lang: str) -> Figure:
    """Both panels on one scale (0 to the plan's commitments), every bar labelled, zeros too."""
    impact, rel = assess["impact"], assess["relevance"]
    n = int(impact.sum())
    fig = new_figure(PRINT["width"], 3.4)
    left, right = fig.subplots(1, 2, sharex=True)
    for ax, series, key in ((left, impact, "impact"), (right, rel, "relevance")):
        names = [wrap(t(k, lang), 18) for k in series.index][::-1]
        values = series.to_numpy(dtype=int)[::-1]
        ax.barh(names, values, color=PALETTE["neutral"])
        for yi, v in enumerate(values):
            ax.annotate(labels.fmt_int(v, lang), (v, yi), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize="small")
        ax.set_title(t(key, lang), fontsize="medium", loc="left")
        ax.set_xlim(0, n * 1.12)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(t("commitments", lang))
        ax.tick_params(axis="y", labelsize="small")
    marks = int(rel.sum())
    headline(fig, words("irm_assessment", lang, n=n, moderate=int(impact.get("moderate", 0)),
                        transformative=int(impact.get("transformative", 0)), top=rel.idxmax(),
                        period=_plan_periods()[3],
                        top_k=int(rel.max())))
    right.set_xlabel(wrap(words("irm_marks", lang, marks=marks, n=n), 40), fontsize="small")
    stamp(fig, ["irm2019"], lang)
    return fig


# --------------------------------------------------------------------------- bodies
def with_civil_society_seats(seats: pd.DataFrame, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``bodies.seats`` with civil society's own seats (``questions.sectors``) beside them."""
    from ..questions import sectors

    cs = sectors.civil_society(sectors.by_sector(raw))[["body", "civil_society"]]
    return seats.merge(cs, on="body", how="left", validate="one_to_one")


@styled
def bodies_parity(seats: pd.DataFrame, lang: str) -> Figure:
    """Seats as shares of each body, so that parity (one half) is one line for every body; the
    non-state seats split into civil society's own and the rest where the data say so."""
    fig = new_figure(PRINT["width"], 2.9)
    ax = fig.add_subplot()
    y = np.arange(len(seats))[::-1]
    total = seats["total"].to_numpy(dtype=float)
    civil = seats["civil_society"].to_numpy(dtype=int) if "civil_society" in seats else None
    parts = [("state", seats["state"].to_numpy(dtype=int), PALETTE["state"], "white")]
    if civil is not None:
        parts += [("civil_society_seats", civil, PALETTE["civil_society"], "black"),
                  ("other_non_state", seats["non_state"].to_numpy(dtype=int) - civil, "#F5D58C", "black")]
    else:
        parts += [("non_state", seats["non_state"].to_numpy(dtype=int), PALETTE["non_state"], "black")]
    left = np.zeros(len(seats))
    for key, count, colour, ink in parts:
        ax.barh(y, count / total, left=left, color=colour, label=t(key, lang))
        for yi, c, l0, tot in zip(y, count, left, total):
            if c:
                ax.annotate(labels.fmt_int(c, lang), (l0 + c / tot / 2, yi), ha="center", va="center", color=ink,
                            fontsize="medium")
        left = left + count / total
    ax.axvline(0.5, color="black", lw=1.2, ls="--")
    ax.plot([], [], color="black", lw=1.2, ls="--", label=t("parity", lang))
    ax.set_yticks(y, [wrap(labels.label_of(b, lang), 18 if is_phone() else 24) + "\n" +
                      f"({labels.fmt_int(tot, lang)} {t('seats', lang).lower()})" for b, tot in zip(seats["body"], total)])
    ax.set_xlabel(t("seats_share", lang))
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.5, 1] if is_phone() else np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    last = seats.iloc[-1]
    headline(fig, words("bodies_parity", lang, body=labels.label_of(last["body"], lang), year=int(last["year"]),
                        civil=int(last["civil_society"]) if civil is not None else None,
                        non_state=int(last["non_state"]), state=int(last["state"]), total=int(last["total"])))
    legend_below(ax, ncols=2)
    stamp(fig, list(dict.fromkeys(seats["source_id"])), lang)
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
                            ls="none", color=PALETTE[account], ms=3 if is_phone() else 4,
                            elinewidth=0.7, capsize=0)
            if is_phone():   # on a narrow screen the intervals recede, so the points stay visible
                for part in h.lines[2]:
                    part.set_alpha(0.3)
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
    ranges = []
    for stage in stages:
        known = multi[(multi["stage"] == stage) & multi["reported"].fillna(False).astype(bool)]
        if len(known):
            ranges.append({"stage": stage, "low": known["share_civil_society"].min(),
                           "high": known["share_civil_society"].max(), "n": len(known),
                           "below_half": bool(known["share_civil_society"].max() < 0.5)})
    headline(fig, words("specification_curve", lang, ranges=ranges))
    if handles:
        legend_below(axes[-1], list(handles.values()), [wrap(k, 34) for k in handles], ncols=2)
    stamp(fig, sorted(multi["account"].unique()), lang)
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
        "survival_by_theme": lambda lang: survival_by_theme(surv, account, lang),
        "commitments_per_plan": lambda lang: commitments_per_plan(evolution.per_plan(com, plans),
                                                                  evolution.stated_counts(raw), lang),
        "policy_areas_heatmap": lambda lang: policy_area_heatmap(evolution.policy_areas(com), lang),
        "values_by_plan": lambda lang: values_by_plan(evolution.values_over_time(com), lang),
        "recurring_themes": lambda lang: recurring_themes(evolution.recurring_themes(com), lang),
        "irm_assessment": lambda lang: irm_assessment(evolution.irm_assessments(com), lang),
        "bodies_parity": lambda lang: bodies_parity(with_civil_society_seats(bodies_q.seats(raw), raw), lang),
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
    """One row per standard: its colour as the IRM rated it, its id, its name and the code
    printed beside the colour; one column per section of the annex."""
    sections = list(dict.fromkeys(std["section"]))
    rows = max(std.groupby("section").size())
    fig = new_figure(6.5, 0.22 * rows + 1.7)
    axes = fig.subplots(1, len(sections), squeeze=False)[0]
    for ax, section in zip(axes, sections):
        part = std[std["section"] == section].reset_index(drop=True)
        for i, r in part.iterrows():
            y = rows - 1 - i
            ax.add_patch(Rectangle((0, y + 0.08), 0.16, 0.84, color=SCORE_COLORS[r["colour"]]))
            ax.text(0.08, y + 0.5, r["standard_id"], ha="center", va="center", fontsize="small",
                    color=ink_on(SCORE_COLORS[r["colour"]]))
            name = t(f"std_{r['standard_id']}", lang)
            if lang == "es" and name != r["name"]:
                raise ValueError(f"standard {r['standard_id']}: the vocabulary says {name!r}, "
                                 f"data/raw/standards.csv prints {r['name']!r}")
            code = f" ({r['code_printed']})" if pd.notna(r["code_printed"]) else ""
            ax.text(0.2, y + 0.5, name + code, ha="left", va="center", fontsize="small")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, rows)
        ax.axis("off")
        ax.set_title(t(SECTION_KEYS[section], lang), loc="left", fontsize="medium")
    counts = std["colour"].value_counts()
    headline(fig, words("standards_scorecard", lang, n=len(std), red=int(counts.get("red", 0)),
                        amber=int(counts.get("amber", 0)), green=int(counts.get("green", 0)),
                        red_ids=[f"{i} {t('std_' + i, lang).lower()}" for i in std.loc[std["colour"] == "red", "standard_id"]]))
    handles = [Patch(color=SCORE_COLORS[c], label=t(f"score_{c}", lang)) for c in ["green", "amber", "red"]]
    legend_below(axes[0], handles, [h.get_label() for h in handles], ncols=2)
    codes = sorted(set(std["code_printed"].dropna()), key=lambda c: (len(c), c))
    if codes:
        axes[-1].text(0, -0.3, wrap(words("standards_codes", lang, codes=codes), 40), ha="left", va="top",
                      fontsize="small", color=PALETTE["note"], transform=axes[-1].transData)
    stamp(fig, ["irm2019"], lang)
    return fig


def _month_year(day: pd.Timestamp, lang: str) -> str:
    """"set. 2017" / "Sep 2017": a month tick, abbreviated as the locale does."""
    from babel.dates import format_date as _format_date

    return _format_date(day.date(), format="LLL y", locale=labels.locale_for(lang))


@styled
def timeline_accounts(rows: pd.DataFrame, lang: str) -> Figure:
    """Every dated row of each document (``clean.process.timeline``), side by side per milestone,
    on a calendar axis. A one-day event is a marker, never a sliver; spans are bars."""
    import matplotlib.dates as mdates

    days = rows[rows["precision"] == "day"]
    order = [m for m in MILESTONES if m in set(days["milestone"])]
    fig = new_figure(6.5, 0.36 * len(order) + 1.9)
    ax = fig.add_subplot()
    offsets = {"pcm2018": 0.18, "irm2019": -0.18}
    markers = {"pcm2018": "s", "irm2019": "o"}
    for source, offset in offsets.items():
        mine = days[days["source_id"] == source]
        for r in mine.itertuples():
            if r.milestone not in order:
                continue
            start, end = pd.Timestamp(r.date_start), pd.Timestamp(r.date_end)
            y = len(order) - 1 - order.index(r.milestone) + offset
            if start == end:
                ax.plot([mdates.date2num(start)], [y], marker=markers[source], ms=5, ls="none",
                        color=PALETTE[source])
            else:
                ax.plot(mdates.date2num([start, end + pd.Timedelta(days=1)]), [y, y], color=PALETTE[source],
                        lw=5, solid_capstyle="butt")
            if r.milestone in ("closing_event", "approval"):
                ax.annotate(labels.format_date(start.date(), lang), (mdates.date2num(start), y), xytext=(-6, 0),
                            textcoords="offset points", ha="right", va="center", fontsize="small",
                            color=PALETTE["note"])
    handles = [ax.plot([], [], color=PALETTE[s], lw=5)[0] for s in offsets]
    ax.set_yticks(range(len(order))[::-1], [t(m, lang) for m in order])
    first = pd.to_datetime(days["date_start"]).min()
    last = pd.to_datetime(days["date_end"]).max()
    start = min(first - pd.Timedelta(days=4), first.to_period("M").to_timestamp() - pd.Timedelta(days=1))
    ax.set_xlim(mdates.date2num(start), mdates.date2num(last + pd.Timedelta(days=6)))
    ticks = list(pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS"))
    # "sep. 2017" in the locale, from the date's long form ("1 de setiembre de 2017")
    ax.set_xticks(mdates.date2num(ticks), [_month_year(m, lang) for m in ticks])
    ax.grid(axis="x", color=PALETTE["band"], lw=0.5)
    begins = {k: pd.Timestamp(v) for k, v in
              days.groupby(["source_id", "milestone"])["date_start"].min().items()}
    facts = {"first": labels.format_date(first.date(), lang), "approval": None, "differ": []}
    if ("irm2019", "approval") in begins or ("pcm2018", "approval") in begins:
        facts["approval"] = labels.format_date(min(v for (s_, m), v in begins.items() if m == "approval").date(),
                                               lang)
    for m in order:   # milestones the two documents date differently (start of the first event)
        if ("pcm2018", m) in begins and ("irm2019", m) in begins and begins["pcm2018", m] != begins["irm2019", m]:
            facts["differ"].append({"milestone": m, "pcm": labels.format_date(begins["pcm2018", m].date(), lang),
                                    "irm": labels.format_date(begins["irm2019", m].date(), lang)})
    headline(fig, words("process_timeline", lang, **facts))
    legend_below(ax, handles, [t(f"{s}_report", lang) for s in offsets], ncols=2)
    stamp(fig, list(offsets), lang)
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
    headline(fig, words("influence_by_plan", lang, **influence_facts(inf, lang)))
    if is_phone():
        legend_below(ax)
    else:  # the empty upper left (no plan before III prints a level) holds the key
        ax.legend(loc="upper left", frameon=False)
    stamp(fig, [], lang, cited=(influence_sources(inf, lang),))
    return fig


def influence_facts(inf: pd.DataFrame, lang: str) -> dict:
    """The title's numbers: plans with a printed level of the plans looked at, and each
    printed level during development against OGP's minimum (one per plan and level)."""
    printed = inf[inf["status"] == "printed"]
    dev = printed[printed["stage"] == "development"].drop_duplicates(["plan", "rank"])
    return {"n_printed": printed["plan"].nunique(), "n_plans": inf["plan"].nunique(),
            "minimum": t(f"iap2_{inf['level_minimum'].iloc[0]}", lang),
            "development": [{"plan": ROMAN[int(r.plan)], "below": int(r.levels_below_minimum)}
                            for r in dev.itertuples()]}


def influence_sources(inf: pd.DataFrame, lang: str) -> str:
    """The source line's documents: the IRM pages whose tables print a level plotted, and the
    IRM's table 3.2 (the order of the levels and the minimum)."""
    pages = inf[inf["status"] == "printed"].drop_duplicates("source_id")
    named = [{"report": words("influence_by_plan_words", lang, key=f"report_{r.report_type}"),
              "plan": ROMAN[int(r.plan)]}
             for r in pages.itertuples()]
    return words("influence_by_plan_source", lang, pages=named, scale=t("cite_irm2019", lang))
