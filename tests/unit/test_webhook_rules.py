"""The webhook rules that need no database or network: which addresses count as public (the SSRF guard's
test), which allow-list entry a callback URL falls under, the retry schedule and the decision handed to
Procrastinate, and the shape of a new signing secret."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from procrastinate.jobs import Job

from store.webhooks import AllowedDestination, destination_for
from tasks import webhooks
from tasks.webhook_transport import is_public
from tasks.webhooks import DeliveryAbandoned, DeliveryFailed, WebhookRetry, new_secret, retry_delay
from tests.helpers import make_settings


class Jitter:
    """Stands in for `random`: notes each `uniform(a, b)` asked for and answers the point `share` of the way."""

    def __init__(self, share: float) -> None:
        self.share = share
        self.asked: list[tuple[float, float]] = []

    def uniform(self, a: float, b: float) -> float:
        self.asked.append((a, b))
        return a + self.share * (b - a)


def _use(monkeypatch: pytest.MonkeyPatch, *, wait: float, attempts: int, share: float) -> Jitter:
    settings = make_settings("postgresql://db/triage", webhook_retry_wait_seconds=wait, webhook_max_attempts=attempts)
    monkeypatch.setattr(webhooks, "get_settings", lambda: settings)
    jitter = Jitter(share)
    monkeypatch.setattr(webhooks, "random", jitter)
    return jitter


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),  # loopback
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("10.0.0.1", False),  # RFC 1918
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # link-local: the cloud metadata service
        ("fe80::1", False),
        ("fc00::1", False),  # IPv6 unique local
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104 (an address under test, not a bind)
        ("2001:db8::1", False),  # documentation
        # Global-scope multicast is "global" to ipaddress, yet never a callback's destination.
        ("233.252.0.1", False),
        ("ff0e::1", False),
        # IPv6 addresses carrying an IPv4 one (NAT64, 6to4, IPv4-compatible), public or not inside.
        ("64:ff9b::a00:1", False),
        ("64:ff9b::808:808", False),
        ("64:ff9b:1::a00:1", False),
        ("2002:7f00:1::", False),
        ("::127.0.0.1", False),
        ("::a00:1", False),
    ],
)
def test_only_globally_routable_unicast_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public


A = AllowedDestination


def test_a_url_falls_under_the_longest_allow_listed_prefix_it_starts_with() -> None:
    broad = A("https://hooks.example.org/", False)
    narrow = A("https://hooks.example.org/a/", True)
    other = A("https://other.example.org/", False)
    for listed in ([broad, narrow, other], [other, narrow, broad]):  # whatever the order they are listed in
        assert destination_for("https://hooks.example.org/a/b", listed) is narrow
        assert destination_for("https://hooks.example.org/a/", listed) is narrow  # the prefix itself
        assert destination_for("https://hooks.example.org/b", listed) is broad
    assert destination_for("https://other.example.org/x", [broad, other]) is other


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.org.evil.test/a/",  # the host continues past the allow-listed one
        "https://evil.test/https://hooks.example.org/a/",  # the prefix inside, not at the start
        "http://hooks.example.org/a/",  # another scheme
        "https://hooks.example.org/",  # shorter than the prefix
        "https://HOOKS.example.org/a/",  # compared exactly, as stored
    ],
)
def test_a_url_merely_containing_a_prefix_falls_under_none(url: str) -> None:
    assert destination_for(url, [A("https://hooks.example.org/a/", False)]) is None


def test_nothing_allow_listed_means_no_destination_and_equal_prefixes_go_to_the_first() -> None:
    assert destination_for("https://hooks.example.org/a/", []) is None
    # Not two rows of one tenant (the prefix is the key), but the rule is stated: the first longest wins.
    first, second = A("https://hooks.example.org/", False), A("https://hooks.example.org/", True)
    assert destination_for("https://hooks.example.org/x", [first, second]) is first


def test_the_wait_doubles_from_the_configured_one_with_jitter_over_its_upper_half(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for share, expected in ((0.0, [1.0, 2.0, 4.0, 8.0, 16.0]), (1.0, [2.0, 4.0, 8.0, 16.0, 32.0])):
        jitter = _use(monkeypatch, wait=2.0, attempts=6, share=share)
        assert [retry_delay(n) for n in range(5)] == expected
        # The jitter is drawn over the upper half of each doubled ceiling: [ceiling/2, ceiling].
        assert jitter.asked == [(0, 1.0), (0, 2.0), (0, 4.0), (0, 8.0), (0, 16.0)]


def test_the_last_attempt_gets_no_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, wait=2.0, attempts=6, share=0.5)
    # Attempts so far 0..4 are followed by another (6 in all counting the first); after the 6th, none.
    assert [retry_delay(n) is not None for n in range(7)] == [True] * 5 + [False] * 2
    _use(monkeypatch, wait=2.0, attempts=1, share=0.5)
    assert retry_delay(0) is None  # one attempt allowed: the first is the last


def test_the_wait_is_capped_at_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, wait=5.0, attempts=20, share=1.0)
    assert retry_delay(9) == 2560.0  # 5 s × 2⁹, under the cap
    assert retry_delay(10) == 3600.0  # 5 s × 2¹⁰ = 5120 s, capped
    assert retry_delay(18) == 3600.0
    _use(monkeypatch, wait=5.0, attempts=20, share=0.0)
    assert retry_delay(18) == 1800.0  # the jitter's floor is half the cap
    _use(monkeypatch, wait=0.0, attempts=3, share=1.0)
    assert retry_delay(1) == 0.0  # TRIAGE_WEBHOOK_RETRY_WAIT=0: retried at once


def _job(attempts: int) -> Job:
    return Job(id=7, queue="webhooks", lock=None, queueing_lock=None, task_name="deliver_webhook", attempts=attempts)


def test_a_failed_attempt_is_retried_at_its_wait_from_now(monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, wait=2.0, attempts=3, share=1.0)
    for exception, attempts, wait in ((DeliveryFailed("answered 500"), 0, 2.0), (KeyError("x"), 1, 4.0)):
        before = datetime.now(UTC)
        decision = WebhookRetry().get_retry_decision(exception=exception, job=_job(attempts))
        after = datetime.now(UTC)
        assert decision is not None
        assert decision.retry_at is not None
        assert before + timedelta(seconds=wait) <= decision.retry_at <= after + timedelta(seconds=wait)
        # Only the time changes: the job keeps its priority, queue and lock.
        assert (decision.priority, decision.queue, decision.lock) == (None, None, None)


def test_an_abandoned_or_last_attempt_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, wait=2.0, attempts=3, share=1.0)
    retry = WebhookRetry()
    assert retry.get_retry_decision(exception=DeliveryAbandoned("refused"), job=_job(0)) is None
    assert retry.get_retry_decision(exception=DeliveryFailed("answered 500"), job=_job(2)) is None


def test_a_new_secret_is_a_standard_webhooks_secret_of_32_random_bytes() -> None:
    first, second = new_secret(), new_secret()
    assert first.startswith("whsec_") and second.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"), validate=True)) == 32
    assert len(first) == len("whsec_") + 44  # 32 bytes in base64, nothing else appended
    assert first != second
