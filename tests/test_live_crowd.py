"""A full room: the playground lightens each live frame when many students play on one server.

``views.ui.live.crowd()`` counts the sessions that computed a live frame in the last 3 s; above
``playground.CROWD`` the page sends a 24×24 boundary instead of 40×40 and the network's neuron maps
only at the newest frame of a batch (docs/BENCHMARKS.md, classroom load).
"""
import json
import struct
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from views.ui import components, live
from views.ui.live import FRAMES_PER_RERUN

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "playground.py")


def _live_plots(at) -> list:
    """Each live plot's decoded payload ({"frames": [...], "fps": ...}), as live_plot sent it."""
    return [json.loads(el.proto.bytes) for el in at.get("bidi_component")
            if el.proto.component_name.endswith("live_plot")]


def _png_width(uri: str) -> int:
    import base64

    png = base64.b64decode(uri.split(",", 1)[1])
    return struct.unpack(">I", png[16:20])[0]


def _playing_page(monkeypatch, students: int):
    monkeypatch.setattr(live, "crowd", lambda: students)
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.session_state["playground_playing"] = True
    at.run()
    assert not at.exception
    plots = _live_plots(at)
    boundary = next(p for p in plots if "accuracy" in p["frames"][-1]["layout"]["title"]["text"])
    network = next(p for p in plots if "parameters" in p["frames"][-1]["layout"]["title"]["text"])
    return boundary, network


@pytest.mark.parametrize("students, lighter", [(1, False), (8, False), (9, True), (30, True)])
def test_a_full_room_gets_lighter_frames_and_a_small_room_full_ones(monkeypatch, students, lighter):
    boundary, network = _playing_page(monkeypatch, students)
    frames = boundary["frames"]
    assert len(frames) == FRAMES_PER_RERUN * (2 if lighter else 1)   # a full room: fewer, fuller reruns
    title = frames[-1]["layout"]["title"]["text"]
    assert ("lighter frames" in title) is lighter
    assert (f"{students} training here" in title) is lighter
    width = _png_width(frames[-1]["layout"]["images"][0]["source"])
    assert width == (24 if lighter else 40)
    assert len(network["frames"]) == (1 if lighter else FRAMES_PER_RERUN // 2)   # maps: every other frame or the newest


def test_crowd_counts_sessions_that_played_in_the_last_three_seconds(monkeypatch):
    monkeypatch.setattr(live, "_PLAYING", {"a": time.monotonic(), "b": time.monotonic() - 1,
                                        "gone": time.monotonic() - 10})
    assert live.crowd() == 2
    assert "gone" not in live._PLAYING


def test_a_trace_that_did_not_move_is_sent_once_per_batch():
    points = {"type": "scatter", "x": [0.1, 0.2], "y": [0.3, 0.4]}
    frames = [{"data": [points, {"z": [k]}], "layout": {"title": k}} for k in range(3)]
    frames[2]["data"][0] = dict(points)                       # equal, not the same object: still a repeat
    sent = components.without_repeats(frames)
    assert sent[0] == frames[0]                               # the first frame carries everything
    assert [f["data"][0] for f in sent[1:]] == [None, None]   # the points: once per batch
    assert [f["data"][1] for f in sent] == [{"z": [0]}, {"z": [1]}, {"z": [2]}]
    assert [f["layout"] for f in sent] == [f["layout"] for f in frames]
    moved = [{"data": [points]}, {"data": [{**points, "x": [0.5, 0.6]}]}]
    assert components.without_repeats(moved)[1]["data"][0]["x"] == [0.5, 0.6]


def test_the_playground_sends_its_points_once_per_batch(monkeypatch):
    boundary, network = _playing_page(monkeypatch, 1)
    frames = boundary["frames"]
    assert all(t is not None for t in frames[0]["data"])
    points = [i for i, t in enumerate(frames[0]["data"]) if t["type"] == "scatter"]
    assert points and all(f["data"][i] is None for f in frames[1:] for i in points)   # the points never move
    assert all(t is None for f in frames[1:-1] for t in f["data"])   # the hover layer: renewed at the newest
    assert sum(t is not None for f in network["frames"] for t in f["data"]) < 3 * len(network["frames"][0]["data"])


def test_a_secondary_plot_gets_every_other_frame_at_half_the_rate(monkeypatch):
    sent = {}
    monkeypatch.setattr(components, "_components",
                        {"live_plot": lambda data, key, height: sent.update(json.loads(data))})
    frames = [{"data": [], "layout": {"title": {"text": str(k)}}} for k in range(5)]
    components.live_plot(frames, key="k", every=2)
    assert [f["layout"]["title"]["text"] for f in sent["frames"]] == ["0", "2", "4"]   # the newest is kept
    assert sent["fps"] == 25 * 3 / 5


def _captions(at) -> list:
    return [c.value for c in at.caption]


@pytest.mark.parametrize("seconds, throttled", [(0.0, True), (1e9, False)])
def test_a_live_frame_makes_what_fits_in_its_budget_and_says_so_when_it_is_cut(monkeypatch, seconds, throttled):
    from nncore.engine.budget import FairGate

    monkeypatch.setattr(live, "_LIVE_GATE", FairGate(seconds))
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.session_state["playground_playing"] = True
    at.run()
    assert not at.exception
    run = at.session_state["pg_run"]
    speed = at.session_state["playground.speed"]
    notes = [c for c in _captions(at) if c.startswith("⏱ A heavy set-up")]
    if throttled:       # no time at all: each rerun makes only its first update, and the page says why
        assert run.step == 1
        assert notes and f"instead of the {speed} asked" in notes[0] and "at most 0 ms" in notes[0]
    else:
        assert run.step == speed * FRAMES_PER_RERUN and not notes


def _weight_texts(network_plot) -> list:
    return [t for f in network_plot["frames"] for t in (f["data"] or []) if t and t.get("name") == "weights"]


@pytest.mark.parametrize("link, playing, texts", [
    ("", True, True),                                                   # 4-2: 12 weights
    ("layers=3&n1=24&n2=24&n3=24", True, False),                        # 2-24-24-24-1: 1,224 weights
    ("layers=3&n1=24&n2=24&n3=24", False, True),                        # paused: every edge names its weight
])
def test_a_big_network_names_its_weights_on_hover_only_when_paused(monkeypatch, link, playing, texts):
    """A live frame of a network over LIVE_EDGE_TEXTS weights leaves its edges' hover texts out (one per weight:
    700 kB a frame for 8 × 24, which slowed the other students of the server); paused, they are all there."""
    from urllib.parse import parse_qsl

    monkeypatch.setattr(live, "crowd", lambda: 1)
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in parse_qsl(link):
        at.query_params[k] = v
    at.run()
    if playing:                                   # the second playing rerun: no frame left from the paused one
        at.session_state["playground_playing"] = True
        at.run()
        at.run()
    assert not at.exception
    network = next(p for p in _live_plots(at) if "parameters" in p["frames"][-1]["layout"]["title"]["text"])
    weights = _weight_texts(network)
    assert bool(weights) is texts
    if texts:
        n = sum(layer.W.size for layer in at.session_state["pg_run"].net.layers)
        assert len(weights[-1]["hovertext"]) == n
