"""Open-loop load: requests sent on a fixed schedule (rate per second), whether or not earlier ones were
answered, so that a slow server shows up as latency and backlog instead of slowing the load down (wrk's
closed loop cannot offer a fixed rate). A minimal HTTP/1.1 keep-alive client on asyncio streams: the
generator must cost far less than the server it measures.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class OpenLoopResult:
    offered_rps: float
    sent: int = 0
    accepted: int = 0  # 2xx
    refused: int = 0  # any other status or a broken connection
    seconds: float = 0.0
    late: int = 0  # requests sent more than 100 ms behind schedule (the generator itself fell behind)
    latencies_ms: list[float] = field(default_factory=list)


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    writer.write(raw)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def post_at_rate(
    url: str, body: bytes, *, rate: float, seconds: float, authorization: str = "", connections: int = 64
) -> OpenLoopResult:
    parts = urlsplit(url)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n" + (f"Authorization: {authorization}\r\n" if authorization else "") + "\r\n"
    ).encode()
    raw = head + body
    result = OpenLoopResult(offered_rps=rate)
    idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(await asyncio.open_connection(parts.hostname, parts.port))

    async def one(scheduled: float) -> None:
        conn = await idle.get()
        started = time.perf_counter()
        if started - scheduled > 0.1:
            result.late += 1
        try:
            status = await _request(*conn, raw)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            result.refused += 1
            conn[1].close()
            try:
                conn = await asyncio.open_connection(parts.hostname, parts.port)
            except OSError:
                return  # one connection fewer for the rest of the run; the refusal is counted
        else:
            # From the scheduled send time: waiting for a free connection counts as latency (no omission).
            result.latencies_ms.append((time.perf_counter() - scheduled) * 1000)
            if 200 <= status < 300:
                result.accepted += 1
            else:
                result.refused += 1
        idle.put_nowait(conn)

    start = time.perf_counter()
    total = int(rate * seconds)
    tasks = []
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
        result.sent += 1
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - start
    while not idle.empty():
        _, writer = idle.get_nowait()
        writer.close()
    return result
