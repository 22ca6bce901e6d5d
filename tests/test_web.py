"""The pages in a real browser: Debian's chromium driven by Playwright (no browser download).

Screenshots of each page are written to test-artifacts/ for people to look at.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(__file__).parent.parent / "test-artifacts"

if not shutil.which(CHROMIUM) and os.environ.get("NEWSGRAPH_REQUIRE_BROWSER"):
    raise RuntimeError(f"NEWSGRAPH_REQUIRE_BROWSER is set but there is no chromium at {CHROMIUM}")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no chromium at {CHROMIUM}: "
                                "apt-get install chromium (make test does it where it can)")


@pytest.fixture(scope="module")
def page(server_url):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server_url)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        yield page
        browser.close()


def seed_id(page) -> str:
    page.goto("/search?person=Peskov")
    href = page.locator("a.title").first.get_attribute("href")
    return href.rsplit("/", 1)[-1]


def test_article_shows_quote_with_speaker_chip_and_links_to_the_speaker(page):
    page.goto(f"/articles/{seed_id(page)}")
    assert page.locator("h1").inner_text() == "Putin Warns Foreign Troops In Ukraine Will Be Targeted"
    quote = page.locator("q.quote", has_text="If any troops appear there")
    assert quote.count() == 1
    chip = quote.locator("xpath=preceding-sibling::*[1]")
    assert chip.inner_text() == "Vladimir Putin" and "chip" in chip.get_attribute("class")
    page.screenshot(path=SHOTS / "article.png", full_page=True)

    page.locator("a.chip", has_text="Dmitry Peskov").first.click()
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text().startswith("Dmitry Peskov")
    quotes = page.locator("li.wording").all_inner_texts()
    assert any("legally binding documents" in q for q in quotes)
    assert any("Of course, you can't just take anybody's word for something." in q for q in quotes)
    assert page.locator("svg.chart rect").count() >= 1
    page.screenshot(path=SHOTS / "entity.png", full_page=True)


def test_map_has_a_marker_at_dnipro(page):
    page.goto("/map")
    marker = page.locator('a.marker[data-place="Dnipro"] circle')
    assert marker.count() == 1
    cx, cy = float(marker.get_attribute("cx")), float(marker.get_attribute("cy"))
    # equirectangular 960x480: Dnipro is at 35.05 E, 48.45 N
    assert abs(cx - (35.05 + 180) / 360 * 960) < 2 and abs(cy - (90 - 48.45) / 180 * 480) < 2
    page.screenshot(path=SHOTS / "map.png")
    page.locator('a.marker[data-place="Dnipro"]').click()
    page.wait_for_url("**/search?place=Dnipro*")
    assert "Putin Warns" in page.locator("section.articles").inner_text()


def test_home_search_timeline_and_keyboard(page):
    page.goto("/")
    assert page.locator("section.articles li").count() == 20 and page.locator("a.more").count() == 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.fill("#q", "crane")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=crane")
    assert "Mecca crane" in page.locator("section.articles").inner_text()
    page.screenshot(path=SHOTS / "search.png", full_page=True)
    page.goto("/timeline")
    page.screenshot(path=SHOTS / "timeline.png", full_page=True)
    page.goto("/")
    page.screenshot(path=SHOTS / "home.png", full_page=True)


def test_phone_width_has_no_horizontal_scroll(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/articles/{seed_id(page)}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SHOTS / "article-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_hostile_article_renders_inert(page):
    page.goto("/articles/hostile-1")
    assert page.evaluate("window.__pwned") is None and page.dialogs == []
    assert "<script>window.__pwned = 1</script>" in page.locator("h1").inner_text()
    text = page.locator(".text").inner_text()
    assert '<img src=x onerror="window.__pwned = 4">' in text
    assert page.locator(".text img, .text script, .text svg, .text b").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    page.screenshot(path=SHOTS / "hostile.png")


def test_stories_pages_line_up_outlets_and_link_claims_to_their_words(page):
    page.goto("/stories")
    assert page.locator("ol.stories li").count() == 20 and "outlet" in page.locator("ol.stories li").first.inner_text()
    page.goto("/articles/wire-drones")
    page.locator("a", has_text="the story across outlets").click()
    page.wait_for_url("**/stories/*")
    assert "articles from 3 outlets" in page.locator("p.meta").first.inner_text()
    conflict = page.locator("div.claim.status-conflict", has_text="157")
    assert conflict.count() == 1 and "150" in conflict.inner_text()
    assert page.locator("div.claim.status-speaker_conflict").count() >= 1
    assert page.locator("table.coverage td.gap").count() >= 1
    page.screenshot(path=SHOTS / "story.png", full_page=True)
    conflict.locator("a", has_text="157").click()
    page.wait_for_url("**/articles/*span=*")
    target = page.locator("#span")
    assert target.inner_text() == "157" and "target" in target.get_attribute("class")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than the screen
    page.go_back()
    page.wait_for_url("**/stories/*")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=SHOTS / "story-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_api_docs_render_under_the_strict_policy(page):
    page.goto("/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/stories/{story_id}" in paths and "/api/articles" in paths
    page.screenshot(path=SHOTS / "docs.png")
