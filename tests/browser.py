"""Debian's chromium driven by Playwright, for the browser tests (the HTML brief, make explore).

Playwright (PyPI) drives chromium through ``executable_path``; it never downloads a browser.
Without chromium a browser test skips with the reason, except in CI (env ``CI`` set), where
a missing browser or Playwright is a failure: ``.ci/run`` installs chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def chromium() -> str | None:
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


def launch(what: str) -> Iterator:
    """Yield a launched browser (for a module-scoped fixture); ``what`` names the test in the
    skip or failure message."""
    executable = chromium()
    if executable is None:
        reason = (f"chromium not found at {CHROMIUM} (apt-get install chromium); "
                  f"the browser test of {what} cannot run")
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    if os.environ.get("CI"):
        from playwright import sync_api  # a missing package is an error in CI
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=ARGS)
        yield b
        b.close()
