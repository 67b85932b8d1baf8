"""One preset system: every page's presets are data with a course reference, and each opens in one click
(its link) with exactly its values in the page's controls."""
import pytest

from nncore.lessons import presets
from tests.pages import open_page

CASES = [(page, slug) for page, table in presets.PAGES.items() for slug in table]


def test_every_page_with_presets_is_in_the_one_catalog():
    assert set(presets.PAGES) == {"playground", "regression", "mnist"}
    assert all(presets.for_page(page) for page in presets.PAGES)
    assert presets.for_page("losses") == {}


@pytest.mark.parametrize("page,slug", CASES)
def test_a_preset_has_a_title_a_story_or_a_course_and_values(page, slug):
    preset = presets.for_page(page)[slug]
    assert preset.slug == slug and preset.title
    assert preset.course or preset.story, f"{page}/{slug} says neither what it reproduces nor what it shows"
    assert isinstance(preset.values(), dict)


def test_the_course_examples_name_their_course_note():
    named = {(page, slug): p.course for page, table in presets.PAGES.items() for slug, p in table.items() if p.course}
    assert named[("regression", "Course example (course 004)")].startswith("course 004")
    assert named[("playground", "xor-model-3")].startswith("course 003")
    assert named[("mnist", "course-001")].startswith("course 001")
    assert all(text.startswith("course 00") for text in named.values())


@pytest.mark.parametrize("page,slug", CASES)
def test_a_preset_link_opens_the_page_with_the_presets_values(page, slug):
    at = open_page(page, {"preset": slug})
    assert not at.exception
    assert not [w.value for w in at.warning if "link" in w.value], "the preset's own link is refused"
    assert at.session_state[f"{page}.preset"] == slug
    for name, value in presets.for_page(page)[slug].values().items():
        assert at.session_state[f"{page}.{name}"] == value, f"{page}?preset={slug}: {name}"
