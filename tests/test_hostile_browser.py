"""Real Chromium: a link's value echoed in a warning is drawn as the text it is, with no link, no image and no
bold type (the escaping of ``views.ui.messages.as_text`` as Streamlit's Markdown really renders it)."""
from urllib.parse import quote

import pytest

from tests import browser as b

pytestmark = pytest.mark.browser

WAIT = 60_000
ECHOES = [  # the page and the link's value, each shown literally in the page's warning
    ("regression", "mode", "[Sign in](https://evil.example)"),
    ("regression", "mode", "![a](http://127.0.0.1:9/px.png)"),
    ("playground", "features", "x1**x1**x1**x1"),
    ("playground", "features", "9**9**9"),
    ("playground", "features", "__import__"),
    ("regression", "mode", "www.evil.example me@evil.example :smile:"),        # 40 characters: echoed whole
]
# The first alert that quotes the value, read in one go: the link's warning is drawn by the first run of the
# page and may be gone after a later rerun, so it is caught as soon as it is there.
ALERT = """([value]) => {
    const a = [...document.querySelectorAll('[data-testid="stAlert"]')]
        .find(e => e.innerText.replaceAll('\\u2060', '').includes(value));
    return a ? {text: a.innerText, tags: [...a.querySelectorAll('a, img, strong, em, code, del')].map(t => t.tagName),
                html: a.innerHTML.slice(0, 2000)} : null;
}"""


@pytest.mark.parametrize("page_name,param,value", ECHOES, ids=[v for _, _, v in ECHOES])
def test_a_link_value_in_a_warning_is_drawn_as_text(server, chromium, page_name, param, value):
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server.url}/{page_name}?{param}={quote(value)}")
    found = page.wait_for_function(ALERT, arg=[value], timeout=WAIT, polling=100).json_value()
    assert param in found["text"] or "feature" in found["text"], found["text"]
    assert not found["tags"], found["html"]
    b.assert_no_exception(page)
    page.close()
