"""The class board's load bench (bench/board_load.py) run small: students join through nginx and two replicas
sharing one PostgreSQL, send, one replica stops and its students come back through the other and send again,
PostgreSQL restarts (a send during the outage gets the sentence, the retry goes through), and every
acknowledged send is in the database and on the teacher's board. Counts only: the timings are the bench's
(docs/BENCHMARKS.md)."""
import json

import pytest

from bench import board_load

pytestmark = pytest.mark.system


def test_every_acknowledged_send_is_on_the_board_through_a_replica_stop_and_a_database_restart(tmp_path):
    out = tmp_path / "result.json"
    code = board_load.main(["--students", "6", "--sources", "6", "--play", "2", "--json", str(out)])
    r = json.loads(out.read_text())
    assert r["errors"] == [] and code == 0
    assert r["phase1"]["acks"] == r["phase1"]["db"] == 6
    assert r["stopped_replica_students"] >= 1 and len(r["back_after_stop_s"]) == r["stopped_replica_students"]
    assert r["outage_refused"] == r["outage_retried"] == 5
    assert r["acks"] == r["db_submissions"] == r["board_shows"] == 6 + r["stopped_replica_students"] + 5
