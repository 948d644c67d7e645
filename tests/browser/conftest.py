"""Headless Chromium for the dashboard's browser tests (`-m browser`).

The browser is Debian's `chromium` package, driven by Playwright (a Python package pinned in the dev
extras); Playwright never downloads a browser of its own here. scripts/bootstrap.sh installs chromium
when it is missing and it runs as root with apt-get; elsewhere install it yourself or point
TRIAGE_CHROMIUM at a Chromium or Chrome executable. Without one the tests are skipped, saying what is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.async_api import Browser

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_executable() -> str | None:
    """TRIAGE_CHROMIUM when set, else the first Chromium on PATH (Debian: /usr/bin/chromium)."""
    configured = os.environ.get("TRIAGE_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.skip("the Python package 'playwright' is not installed: run scripts/bootstrap.sh (dev extras)")
    executable = chromium_executable()
    if executable is None:
        pytest.skip(
            "no Chromium to drive: install Debian's 'chromium' package (scripts/bootstrap.sh does when run as root "
            "with apt-get) or set TRIAGE_CHROMIUM to a Chromium/Chrome executable"
            + (
                f" (TRIAGE_CHROMIUM={os.environ['TRIAGE_CHROMIUM']} does not exist)"
                if "TRIAGE_CHROMIUM" in os.environ
                else ""
            )
        )
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            yield launched
        finally:
            await launched.close()
