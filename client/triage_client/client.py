"""`TriageClient` (sync) and `AsyncTriageClient`: submit, get, wait, history, events.

Every `submit` sends an Idempotency-Key (generated unless given) and reuses it on each retry, so a retried
submission is stored and triaged once. 409, 429 and 503 answers and failed connections are retried, after
the server's Retry-After when it sends one; other errors raise at once, as `triage_client.errors` types.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any
from uuid import UUID

import httpx

from triage_client import _protocol as p
from triage_client.errors import TransportError
from triage_client.models import Accepted, Event, Intake, IntakePage

# Stream reads: the server sends a keep-alive every 15 s.
_STREAM_READ_TIMEOUT = 60.0


def _submission(body: Any, status: int) -> Accepted | Intake:
    return Intake.model_validate(body) if status == 200 else Accepted.model_validate(body)


class TriageClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        retries: p.Retries | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self._api_key = api_key
        self._timeout = timeout
        self._retries = retries or p.Retries()
        self._http = http or httpx.Client(base_url=base_url, timeout=timeout)

    def __enter__(self) -> TriageClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def submit(
        self, intake: Mapping[str, Any], *, wait: float | None = None, idempotency_key: str | None = None
    ) -> Accepted | Intake:
        """Submit an intake: `Accepted` (202), or with `wait` the finished `Intake` if it finished in time."""
        key = idempotency_key or p.new_idempotency_key()
        response = self._request(
            "POST",
            "/v1/intakes",
            json=dict(intake),
            params=p.wait_params(wait),
            extra={"Idempotency-Key": key},
            wait=wait,
        )
        return _submission(p.body_or_raise(response), response.status_code)

    def get(self, intake_id: UUID | str, *, wait: float | None = None) -> Intake:
        """The intake; with `wait` (≤ 30 s) as soon as it is finished, or as it is when the wait runs out."""
        response = self._request("GET", f"/v1/intakes/{intake_id}", params=p.wait_params(wait), wait=wait)
        return Intake.model_validate(p.body_or_raise(response))

    def wait(self, intake_id: UUID | str, seconds: float = 60.0) -> Intake:
        """The intake once triaged or failed, or as it is after `seconds` (check `.finished`)."""
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            intake = self.get(intake_id, wait=max(0.0, min(p.MAX_SERVER_WAIT, remaining)))
            if intake.finished or remaining <= p.MAX_SERVER_WAIT:
                return intake

    def history(self, patient_id: str, *, page_size: int = 20) -> Iterator[Intake]:
        """The patient's intakes, newest first, across pages."""
        cursor: str | None = None
        while True:
            params = {"limit": str(page_size), **({"cursor": cursor} if cursor else {})}
            page = IntakePage.model_validate(
                p.body_or_raise(self._request("GET", f"/v1/patients/{patient_id}/intakes", params=params))
            )
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = str(page.next_cursor)

    def events(self, *, last_event_id: int | None = None) -> Iterator[Event]:
        """The tenant's finished intakes as they happen, forever; reconnects after `last_event_id` by itself."""
        attempt = 0
        while True:
            extra = {"Accept": "text/event-stream"} | (
                {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
            )
            try:
                with self._http.stream(
                    "GET",
                    "/v1/events",
                    headers=p.headers(self._api_key, extra),
                    timeout=httpx.Timeout(self._timeout, read=_STREAM_READ_TIMEOUT),
                ) as response:
                    if p.should_retry(response) and attempt < self._retries.attempts:
                        response.read()
                        time.sleep(self._retries.delay(attempt, response))
                        attempt += 1
                        continue
                    if not response.is_success:
                        response.read()
                        p.body_or_raise(response)
                    attempt = 0
                    for event in p.parse_events(response.iter_lines()):
                        last_event_id = event.event_id
                        yield event
            except httpx.TransportError as exc:
                if attempt >= self._retries.attempts:
                    raise p.transport_error(exc) from exc
                time.sleep(self._retries.delay(attempt, None))
                attempt += 1

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        extra: dict[str, str] | None = None,
        wait: float | None = None,
    ) -> httpx.Response:
        timeout = self._timeout + (wait or 0.0)
        for attempt in range(self._retries.attempts + 1):
            try:
                response = self._http.request(
                    method, path, params=params, json=json, headers=p.headers(self._api_key, extra), timeout=timeout
                )
            except httpx.TransportError as exc:
                if attempt == self._retries.attempts:
                    raise p.transport_error(exc) from exc
                time.sleep(self._retries.delay(attempt, None))
                continue
            if not p.should_retry(response) or attempt == self._retries.attempts:
                return response
            time.sleep(self._retries.delay(attempt, response))
        raise TransportError(0, "no attempt made")  # unreachable: attempts >= 0


class AsyncTriageClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        retries: p.Retries | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self._api_key = api_key
        self._timeout = timeout
        self._retries = retries or p.Retries()
        self._http = http or httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def __aenter__(self) -> AsyncTriageClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def submit(
        self, intake: Mapping[str, Any], *, wait: float | None = None, idempotency_key: str | None = None
    ) -> Accepted | Intake:
        key = idempotency_key or p.new_idempotency_key()
        response = await self._request(
            "POST",
            "/v1/intakes",
            json=dict(intake),
            params=p.wait_params(wait),
            extra={"Idempotency-Key": key},
            wait=wait,
        )
        return _submission(p.body_or_raise(response), response.status_code)

    async def get(self, intake_id: UUID | str, *, wait: float | None = None) -> Intake:
        response = await self._request("GET", f"/v1/intakes/{intake_id}", params=p.wait_params(wait), wait=wait)
        return Intake.model_validate(p.body_or_raise(response))

    async def wait(self, intake_id: UUID | str, seconds: float = 60.0) -> Intake:
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            intake = await self.get(intake_id, wait=max(0.0, min(p.MAX_SERVER_WAIT, remaining)))
            if intake.finished or remaining <= p.MAX_SERVER_WAIT:
                return intake

    async def history(self, patient_id: str, *, page_size: int = 20) -> AsyncIterator[Intake]:
        cursor: str | None = None
        while True:
            params = {"limit": str(page_size), **({"cursor": cursor} if cursor else {})}
            response = await self._request("GET", f"/v1/patients/{patient_id}/intakes", params=params)
            page = IntakePage.model_validate(p.body_or_raise(response))
            for item in page.items:
                yield item
            if page.next_cursor is None:
                return
            cursor = str(page.next_cursor)

    async def events(self, *, last_event_id: int | None = None) -> AsyncIterator[Event]:
        attempt = 0
        while True:
            extra = {"Accept": "text/event-stream"} | (
                {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
            )
            try:
                async with self._http.stream(
                    "GET",
                    "/v1/events",
                    headers=p.headers(self._api_key, extra),
                    timeout=httpx.Timeout(self._timeout, read=_STREAM_READ_TIMEOUT),
                ) as response:
                    if p.should_retry(response) and attempt < self._retries.attempts:
                        await response.aread()
                        await asyncio.sleep(self._retries.delay(attempt, response))
                        attempt += 1
                        continue
                    if not response.is_success:
                        await response.aread()
                        p.body_or_raise(response)
                    attempt = 0
                    lines: list[str] = []
                    async for line in response.aiter_lines():
                        lines.append(line)
                        if line == "":
                            for event in p.parse_events(lines):
                                last_event_id = event.event_id
                                yield event
                            lines = []
            except httpx.TransportError as exc:
                if attempt >= self._retries.attempts:
                    raise p.transport_error(exc) from exc
                await asyncio.sleep(self._retries.delay(attempt, None))
                attempt += 1

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        extra: dict[str, str] | None = None,
        wait: float | None = None,
    ) -> httpx.Response:
        timeout = self._timeout + (wait or 0.0)
        for attempt in range(self._retries.attempts + 1):
            try:
                response = await self._http.request(
                    method, path, params=params, json=json, headers=p.headers(self._api_key, extra), timeout=timeout
                )
            except httpx.TransportError as exc:
                if attempt == self._retries.attempts:
                    raise p.transport_error(exc) from exc
                await asyncio.sleep(self._retries.delay(attempt, None))
                continue
            if not p.should_retry(response) or attempt == self._retries.attempts:
                return response
            await asyncio.sleep(self._retries.delay(attempt, response))
        raise TransportError(0, "no attempt made")
