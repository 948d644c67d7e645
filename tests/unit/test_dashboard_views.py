"""The dashboard's verdicts, durations and chart geometry (api/dashboard/views.py), without a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.dashboard import views
from store import ops


def queue(todo: int = 0, oldest: float | None = None, name: str = "triage") -> ops.QueueRow:
    return ops.QueueRow(
        queue_name=name, todo=todo, doing=0, succeeded=10, failed=0, cancelled=0, aborted=0, oldest_waiting_s=oldest
    )


PAUSED = ops.PausedQueue(queue_name="triage", paused_at=datetime.now(UTC), paused_by="key:abc")


@pytest.mark.parametrize(
    ("row", "paused", "live", "stalled", "level", "words"),
    [
        (queue(), None, 1, 0, "ok", "Keeping up"),
        (queue(todo=3, oldest=2.0), None, 2, 0, "ok", "Keeping up"),
        (queue(todo=3, oldest=75.0), None, 2, 0, "warn", "Falling behind"),
        (queue(todo=3, oldest=400.0), None, 2, 0, "bad", "Stuck"),
        (queue(todo=3, oldest=5.0), None, 0, 0, "bad", "no live worker"),
        (queue(todo=0), None, 0, 0, "ok", "Keeping up"),  # nothing waits: no worker needed right now
        (queue(todo=1, oldest=5.0), None, 1, 2, "warn", "2 stalled"),
        (queue(todo=1, oldest=5.0), PAUSED, 1, 0, "bad", "Paused by key:abc"),
        (queue(todo=0), PAUSED, 1, 0, "warn", "Paused"),
    ],
)
def test_verdicts(
    row: ops.QueueRow, paused: ops.PausedQueue | None, live: int, stalled: int, level: str, words: str
) -> None:
    verdict = views.verdict(row, paused, live, stalled)
    assert verdict.level == level and words in verdict.text


def test_durations_read_like_people_write_them() -> None:
    assert [views.seconds(v) for v in (None, 0.0123, 4.25, 245.0, 7380.0)] == [
        "—",
        "12 ms",
        "4.2 s",
        "4 min 05 s",
        "2 h 03 min",
    ]


def test_bars_share_one_scale_and_stack() -> None:
    chart = views.depth_chart([queue(todo=30, name="triage"), queue(todo=10, name="maintenance")])
    widths = [[s.width for s in row.segments] for row in chart.rows]
    assert widths[0][0] == pytest.approx(3 * widths[1][0])
    assert [s.x for s in chart.rows[0].segments] == [
        chart.bar_x,
        chart.bar_x + widths[0][0],
        chart.bar_x + widths[0][0],
    ]
    assert views.depth_chart([]).rows == []


def test_latency_puts_p50_in_front_of_p95_and_triage_first() -> None:
    windows = [
        ops.ThroughputRow("maintenance", 1, 1, 0, 0.01, 0.02, 0.01, 0.02),
        ops.ThroughputRow("triage", 1, 10, 1, 0.5, 2.0, 0.1, 0.3),
    ]
    chart = views.latency_chart(windows, "wait")
    assert chart.rows[0].label == "triage · 1 min"
    p95, p50 = chart.rows[0].segments
    assert p95.width == pytest.approx(4 * p50.width) and p50.x == p95.x and p50.height < p95.height
    assert chart.rows[0].text == "p50 500 ms · p95 2.0 s"
