"""Playwright for Python driving Debian's chromium against pytest-django's live server.

Never `playwright install`: the browser is /usr/bin/chromium (installed by .ci/run).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the CI script does this)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # alongside it are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    settings.SITE_URL = live_server.url  # links in e-mails point at the portal under test
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []

    def on_console(message):
        # A page that answers 4xx on purpose (a used invitation link) logs "Failed to load
        # resource"; missing assets are caught below by their responses instead.
        expected = any(text in message.text for text in page.expected_errors)
        if (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and not expected
        ):
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and "/static/" in response.url:
            errors.append(f"{response.status} {response.url}")

    # A journey that cuts the connection or the session on purpose names the console errors
    # htmx then logs, e.g. page.expected_errors.append("htmx:sendError").
    page.expected_errors = []
    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", on_response)
    yield page
    context.close()
    # A Content-Security-Policy violation, a script error or a missing asset fails the journey.
    assert errors == []
