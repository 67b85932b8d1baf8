"""Real Chromium: on every page of the catalogue, at a tablet's 820×1180, a projector's 1280×720 in presentation
mode (``?present=1``) and a laptop's 1400×900, no text is clipped (issue 21).

Clipped means, in the main area and the sidebar:
- an element whose own box hides part of its text: ``scrollWidth > clientWidth + 1`` with ``overflow`` hidden or
  clip, or ``text-overflow: ellipsis`` (st.metric values, button labels, tab labels, captions …);
- a word of a button, radio, tab or metric label broken over two lines ("Com" / "pare");
- a figure's title or annotation that sticks out of its chart, or two titles of one chart that overlap
  (the race panels).
In presentation mode a live chart's title is at least 1.3 times its laptop size (the figures' type grows with
the page's). One server, one browser, one context; each page is visited once per size and the findings are reported
together, by size, page and text. The screenshots of 820×1180 and of 1280×720 present go to
docs/screenshots/fit/ (scaled down JPEG-like PNGs, small enough for git).
"""
from __future__ import annotations

import pytest

from tests import browser as b
from views.catalog import PAGES

pytestmark = pytest.mark.browser

SIZES = [  # (name, width, height, query)
    ("tablet-820", 820, 1180, ""),
    ("projector-1280-present", 1280, 720, "?present=1"),
    ("laptop-1400", 1400, 900, ""),
]
SHOTS = b.SCREENSHOTS / "fit"

# Every clipped text on the page now, as [what, text] pairs.
_CLIPPED = r"""() => {
    const roots = [...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebar"]')];
    const out = [];
    const seen = new Set();
    const visible = (el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        const s = getComputedStyle(el);
        return s.visibility !== 'hidden' && s.display !== 'none';
    };
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const sidebarOpen = sidebar && sidebar.dataset.collapsed === 'false';
    const text = (el) => (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80);
    const add = (what, el, t) => {
        const key = what + '|' + t;
        if (!seen.has(key)) { seen.add(key); out.push([what, t]); }
    };
    for (const root of roots) {
        if (root === sidebar && !sidebarOpen) continue;      // a collapsed sidebar is off screen on purpose
        // 1. a box that hides its own text
        for (const el of root.querySelectorAll('*')) {
            if (el.closest('.js-plotly-plot, svg, canvas, iframe, [data-testid="stCode"], pre, .katex-mathml, '
                           + '[data-testid="stDataFrame"], [data-testid="stTable"], table')) continue;
            if (el.clientWidth < 3) continue;         // a visually hidden box for screen readers
            const s = getComputedStyle(el);
            const hides = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
            if (!hides || el.scrollWidth <= el.clientWidth + 1 || !visible(el)) continue;
            if (el.querySelector('svg, canvas, iframe, img, .js-plotly-plot, [data-testid="stCode"], pre, table, '
                                 + '[data-testid="stDataFrame"]')) continue;
            // only a box whose overflow is text (not a padded container with a child that fits)
            const t = text(el);
            if (!t) continue;
            const kids = [...el.children].filter(visible);
            const r = el.getBoundingClientRect();
            const textOver = kids.length === 0 || kids.some((k) => k.getBoundingClientRect().right > r.right + 1
                                                                || k.scrollWidth > k.clientWidth + 1);
            if (!textOver && kids.length) continue;
            const where = el.closest('[data-testid]');
            add('cut off (' + (where ? where.dataset.testid : el.tagName) + ')', el, t);
        }
        // 2. a word broken over two lines in a label
        const labels = root.querySelectorAll('button p, button div, [data-testid="stMarkdownContainer"] p, '
            + '[data-baseweb="tab"] p, [data-testid="stMetricValue"] div, [data-testid="stMetricLabel"] p, '
            + 'label p, [role="radiogroup"] p');
        for (const el of labels) {
            if (!visible(el) || el.closest('.js-plotly-plot, [data-testid="stCode"], pre')) continue;
            const inLabel = el.closest('button, label, [data-baseweb="tab"], [data-testid="stMetric"], '
                                       + '[role="radiogroup"]');
            if (!inLabel) continue;
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                for (const m of node.data.matchAll(/\S+/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0)
                                         .map((q) => Math.round(q.top)));
                    if (tops.size > 1) add('word split', el, text(inLabel) + '  [' + m[0] + ']');
                }
            }
        }
        // 3. figure titles and annotations: inside their chart, and not on top of each other
        for (const chart of root.querySelectorAll('.js-plotly-plot')) {
            if (!visible(chart)) continue;
            const box = chart.getBoundingClientRect();
            const texts = [...chart.querySelectorAll('.gtitle, .g-gtitle text, .annotation-text, .g-xtitle text, '
                                                     + '.g-ytitle text')].filter(visible);
            const rects = texts.map((t) => t.getBoundingClientRect());
            texts.forEach((t, i) => {
                const q = rects[i];
                if (q.left < box.left - 1 || q.right > box.right + 1)
                    add('figure text out of its chart', t, (t.textContent || '').trim().slice(0, 80));
            });
            const titles = texts.map((t, i) => [t, rects[i]]).filter(([t]) => t.matches('.gtitle, .annotation-text'));
            for (let i = 0; i < titles.length; i++) for (let j = i + 1; j < titles.length; j++) {
                const [p, q] = [titles[i][1], titles[j][1]];
                const overlap = Math.min(p.right, q.right) - Math.max(p.left, q.left) > 2
                             && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 2;
                if (overlap) add('figure titles overlap', titles[i][0],
                                 titles[i][0].textContent.trim().slice(0, 40) + ' / '
                                 + titles[j][0].textContent.trim().slice(0, 40));
            }
        }
    }
    return out;
}"""

# Until the page has stopped growing: every image loaded, no skeleton, every chart drawn, same height twice.
_SETTLED = """() => {
    const loading = [...document.images].some((i) => !i.complete)
        || document.querySelector('[data-testid="stSkeleton"]')
        || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].some((c) => !c.querySelector('.main-svg'));
    const h = loading ? null : document.body.scrollHeight + ':' + document.querySelectorAll('*').length;
    const same = h !== null && window.__nnplayFitH === h;
    window.__nnplayFitH = h;
    return same;
}"""


# The font size (px) of the first chart's title on the page.
_TITLE_PX = """() => {
    const t = document.querySelector('.js-plotly-plot .gtitle');
    return t ? parseFloat(getComputedStyle(t).fontSize) : null;
}"""


def _visit(page, url):
    page.goto(url)
    b.wait_ready(page, 90_000)
    page.evaluate("() => { window.__nnplayFitH = null; }")
    try:
        page.wait_for_function(_SETTLED, polling=300, timeout=5_000)
    except Exception:                 # a live chart that keeps moving: measure it as it is
        pass
    b.wait_ready(page, 90_000)


def _shot(page, name):
    """A full-page screenshot scaled to half size (small PNGs for git)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, scale="css", type="png")
    try:
        from PIL import Image

        with Image.open(path) as im:
            small = im.resize((im.width // 2, im.height // 2), Image.LANCZOS).convert("RGB")
            small = small.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
            small.save(path, optimize=True)
    except ImportError:
        pass


def test_no_text_is_clipped_on_any_page_at_tablet_projector_and_laptop_sizes(server, chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    findings, title_px = [], {}
    try:
        for name, width, height, query in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            for info in PAGES:
                _visit(page, f"{server.url}/{info.url}{query}")
                for error in page.locator('[data-testid="stException"]').all_inner_texts():
                    findings.append(f"{name} /{info.url}: exception: {error[:300]!r}")
                if info.url == "regression":         # its live chart's title: the type grows on the projector
                    page.wait_for_function(_TITLE_PX, timeout=60_000)    # the live chart draws after the page
                    title_px[name] = page.evaluate(_TITLE_PX)
                for what, text in page.evaluate(_CLIPPED):
                    findings.append(f"{name} /{info.url}: {what}: {text!r}")
                if name != "laptop-1400":
                    _shot(page, f"{info.url or 'home'}-{name}")
    finally:
        context.close()
    assert not errors, errors
    assert not findings, f"{len(findings)} clipped texts:\n" + "\n".join(findings)
    assert title_px["laptop-1400"] and title_px["projector-1280-present"] >= 1.3 * title_px["laptop-1400"], title_px


def test_below_1024_px_the_sidebar_starts_collapsed_and_its_arrow_opens_it(server, chromium):
    context = chromium.new_context(viewport={"width": 820, "height": 1180})
    page = context.new_page()
    try:
        _visit(page, server.url + "/")
        sidebar = page.locator('[data-testid="stSidebar"]')
        page.wait_for_function('() => document.querySelector(\'[data-testid="stSidebar"]\')'
                               '.dataset.collapsed === "true"', timeout=10_000)
        main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
        assert main["width"] > 700, main              # the page has the tablet's width, not ~520 px
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function('() => document.querySelector(\'[data-testid="stSidebar"]\')'
                               '.dataset.collapsed === "false"', timeout=10_000)
        assert sidebar.get_by_text("Presentation mode").is_visible()
        # opened by hand, it stays open on the next page of the same tab
        page.get_by_role("link", name="Perceptron").first.click()
        b.wait_ready(page)
        page.wait_for_timeout(800)
        assert sidebar.get_attribute("data-collapsed") == "false"
    finally:
        context.close()


# The live pages' main figures (the two of their first row) and, paused, their timeline.
FIRST_ROW = {"playground": ("pg_network", "pg_boundary"), "regression": ("reg_fit", "reg_cost"),
             "race": ("race_costs", "race_boundaries")}


@pytest.mark.parametrize("name", list(FIRST_ROW))
def test_on_a_projector_the_run_buttons_and_the_main_figures_fit_above_the_fold(server, chromium, name):
    """At 1280×720 in presentation mode, before and after ⏩ Epoch (which pauses the run and shows the timeline's
    box and the run's sentences), ▶ Train, the speed and the first row of figures lie within the first 720 px of
    the page: the teacher does not scroll during the demo."""
    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        _visit(page, f"{server.url}/{name}?present=1")
        keys = FIRST_ROW[name]
        for key in keys:
            page.wait_for_selector(f".st-key-{key} .nnplay-live-plot .main-svg", timeout=60_000)

        def bottoms():
            page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
            out = {}
            for what, where in [("▶ Train", page.get_by_role("button", name="▶ Train")),
                                ("speed", page.locator('[data-testid="stSlider"]').filter(has_text="updates per frame"))
                                ] + [(key, page.locator(f".st-key-{key} .nnplay-live-plot")) for key in keys]:
                box = where.first.bounding_box()
                assert box, f"/{name}: no {what}"
                out[what] = box["y"] + box["height"]
            return out

        before = bottoms()
        page.get_by_role("button", name="⏩ Epoch").click()
        b.wait_ready(page)
        page.locator(f'.st-key-{"pg" if name == "playground" else "reg" if name == "regression" else name}_frame'
                     ).wait_for(timeout=30_000)                     # paused with two frames: the timeline shows
        b.wait_ready(page)
        after = bottoms()
        for when, found in (("at first", before), ("after ⏩ Epoch", after)):
            over = {what: round(y) for what, y in found.items() if y > 720}
            assert not over, f"/{name} {when}: below the fold at 720 px: {over}"
        assert not errors, errors
    finally:
        context.close()
