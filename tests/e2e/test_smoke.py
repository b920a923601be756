"""The home page is served and rendered by a real Chromium."""

from playwright.sync_api import Page, expect


def test_home_page_renders_lender_welcome_in_chromium(live_server, page: Page) -> None:
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("Bienvenue")
