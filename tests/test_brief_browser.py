"""The HTML brief in a real browser, on a phone (390 px) and a desktop (1200 px).

Playwright (PyPI) drives Debian's chromium through ``executable_path``; it never downloads a
browser. Without chromium the test skips with the reason, except in CI (env ``CI`` set),
where a missing browser is a failure: ``.ci/run`` installs it.
"""

import re

import pytest
from browser import launch

from analysis import paths

BRIEF = paths.ROOT / "reports" / "brief"
WIDTHS = (390, 1200)
MIN_CSS_PX = 12


@pytest.fixture(scope="module")
def browser():
    yield from launch("the HTML brief")


def _open(browser, lang: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((BRIEF / f"brief_{lang}.html").resolve().as_uri())
    page.wait_for_load_state("load")
    return page


SMALL_TEXT_JS = """(minPx) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const size = parseFloat(style.fontSize);
    if (size < minPx) out.push([el.tagName, size, node.textContent.trim().slice(0, 40)]);
  }
  return out;
}"""

IMAGES_JS = """() => Array.from(document.images).map(img => ({
  complete: img.complete, naturalWidth: img.naturalWidth, width: img.getBoundingClientRect().width,
  alt: img.alt,
  phoneShown: img.currentSrc === (img.parentElement.querySelector('source') || {srcset: null}).srcset,
  caption: img.closest('figure').querySelector('figcaption').innerText}))"""


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_brief_reads_well_in_a_browser(browser, lang, width):
    page = _open(browser, lang, width)
    try:
        assert page.evaluate("document.documentElement.lang") == lang
        images = page.evaluate(IMAGES_JS)
        assert len(images) >= 4
        for img in images:
            assert img["complete"] and img["naturalWidth"] > 0, f"an image did not load: {img['alt'][:60]}"
            assert len(img["alt"]) > 40, "alt text should describe the figure"
            assert img["alt"] not in img["caption"] and img["caption"].split(".")[1].strip() not in img["alt"]
            assert img["width"] <= width
            if width <= 600:  # narrow figures with large type on phones
                assert img["phoneShown"], "the phone figure is not the one shown"
            else:
                assert not img["phoneShown"]
        small = page.evaluate(SMALL_TEXT_JS, MIN_CSS_PX)
        assert not small, f"text under {MIN_CSS_PX} CSS px: {small[:5]}"
        scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll[0] <= scroll[1], f"horizontal scroll at {width} px: {scroll}"
        links = page.evaluate("Array.from(document.links).map(a => a.href)")
        assert len([h for h in links if h.startswith("http")]) >= 4
    finally:
        page.close()


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_pdf_and_html_show_the_same_numbers(browser, lang):
    """Every number in the HTML's text is in the PDF and vice versa (the checksum aside,
    which the PDF may break across lines, and the PDF's page numbers)."""
    import json

    from analysis.report.audit import pdf_pages

    doc = json.loads((BRIEF / f"brief_{lang}.json").read_text(encoding="utf-8"))
    checksum = doc["raw_checksum"]
    page = _open(browser, lang, 1200)
    try:
        html = page.evaluate("document.body.innerText")
    finally:
        page.close()
    pages = pdf_pages(BRIEF / f"brief_{lang}.pdf")
    pdf = " ".join(pages)
    n_pages = len(pages)
    assert 2 <= n_pages <= 6

    def clean(text: str) -> str:
        flat = re.sub(r"[\s\u00a0]+", " ", text)
        flat = re.sub(r"\s*".join(checksum), " ", flat) if checksum else flat
        flat = re.sub(rf"\b\d+ / {n_pages}\b", " ", flat)  # page numbers in the PDF's footer
        return re.sub(r"-\s+", "-", flat)

    html_numbers, pdf_numbers = set(_numbers(clean(html))), set(_numbers(clean(pdf)))
    assert html_numbers, "no numbers found in the HTML"
    assert html_numbers == pdf_numbers, {"only in HTML": html_numbers - pdf_numbers,
                                         "only in PDF": pdf_numbers - html_numbers}
    for item in doc["findings"]:
        for number in _numbers(item["text"]):
            assert number in html_numbers and number in pdf_numbers, (item["id"], number)
