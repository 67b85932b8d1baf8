"""Real Chromium: the optimiser race runs live (screenshot mid-race); teacher links and presentation mode render."""
import pytest

from tests import browser as b

pytestmark = pytest.mark.browser

COSTS = ".nnplay-live-plot[data-title^='training cost J per epoch']"


def test_race_screenshot_mid_race(server, chromium):
    """docs/screenshots/race.png: six optimisers on the circle, paused part-way through; its timeline scrubs back
    to θ₀ and forward to the newest frame."""
    page = b.open_page(chromium, server.url + "/race?data=circle&speed=10", height=1500)
    page.wait_for_selector(COSTS + " .main-svg")
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_function(
        f"() => /epoch ([2-9][0-9]|1[0-9][0-9])$/"
        f".test((document.querySelector(\"{COSTS}\") || {{dataset: {{}}}}).dataset.title)",
        timeout=90_000)
    page.get_by_role("button", name="⏸ Pause").click()
    b.wait_ready(page)
    page.wait_for_timeout(1500)
    b.assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "leads after epoch" in main
    assert page.locator(".nnplay-live-plot").count() == 2          # the costs and the boundary panels
    assert page.locator(".nnplay-live-plot .imagelayer image").count() >= 12   # 6 racers × (map + line)
    newest = page.locator(COSTS).get_attribute("data-title")
    slider = page.locator('.st-key-race_frame input[type="range"]')             # the race's timeline (issue 20)
    slider.focus()
    page.keyboard.press("Home")                                                  # back to θ₀: every racer's start
    page.locator('[data-testid="stCaptionContainer"]:has-text("(θ₀)")').wait_for(timeout=30_000)
    title = f"(document.querySelector(\"{COSTS}\") || {{dataset: {{}}}}).dataset.title || ''"
    page.wait_for_function(f"() => ({title}).endsWith('epoch 0')")
    page.locator('.st-key-race_frame input[type="range"]').focus()
    page.keyboard.press("End")                                                   # and forward to the newest frame
    page.wait_for_function(f"(t) => ({title}) === t", arg=newest)
    b.wait_ready(page)
    b.assert_no_exception(page)
    assert not page.errors
    b.screenshot(page, "race")
    page.close()


def test_a_teacher_link_in_presentation_mode(server, chromium):
    page = b.open_page(chromium, server.url + "/race?present=1&lock=racers,lr_adam&hide=data")
    b.assert_no_exception(page)
    page.wait_for_selector('[data-testid="stSidebar"][data-collapsed="true"]', state="attached", timeout=30_000)
    page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize === '24px'", timeout=30_000)
    page.get_by_text("Your teacher fixed these").wait_for(timeout=30_000)
    assert "Your teacher fixed these: optimisers = sgd,momentum,nesterov,rmsprop,adam,adagrad, α for Adam = 0.01" \
        in page.locator('[data-testid="stMain"]').inner_text()          # the controls' labels, not their URL names
    assert "present=1" in page.url and "lock=racers" in page.url
    assert not page.errors
    page.close()
