"""HTTP for webhook deliveries, guarded against server-side request forgery.

The destination's name is resolved here and the connection is made to an address that was checked — so a
name that resolves to a public address when checked and a private one when connected (DNS rebinding)
cannot slip through. Loopback, private, link-local, multicast and reserved addresses are refused unless the
tenant's allow-list entry says `allow_private`. TLS still verifies the certificate against the name.
Redirects are never followed (httpcore has none), so a 3xx cannot lead anywhere else either.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Iterable

import anyio
import httpcore

CONNECT_SECONDS = 5.0
READ_SECONDS = 10.0


class DestinationRefused(Exception):
    """The destination resolves to an address callbacks may not reach."""


# IPv6 ranges that carry an IPv4 address a gateway or relay may forward to (NAT64, 6to4) or that the stack may
# treat as IPv4 (IPv4-compatible): Python counts them as global, whatever the IPv4 address inside.
_EMBEDDING_IPV4 = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("2002::/16"),
    ipaddress.ip_network("::/96"),
)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and any(ip in network for network in _EMBEDDING_IPV4):
        return False  # refused outright: where it leads depends on the network, not on the address
    return ip.is_global and not ip.is_multicast


class GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, *, allow_private: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            found = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve the destination ({exc.strerror})") from None
        addresses = [str(info[4][0]) for info in found]
        allowed = [a for a in addresses if self._allow_private or is_public(a)]
        if not allowed:
            raise DestinationRefused("the destination resolves only to private or reserved addresses")
        return await self._inner.connect_tcp(allowed[0], port, timeout, local_address, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise DestinationRefused("callbacks go over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


async def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool) -> int:
    """POST once; the response's status code. Raises DestinationRefused or httpcore errors."""
    async with httpcore.AsyncConnectionPool(
        ssl_context=ssl.create_default_context(), network_backend=GuardedBackend(allow_private=allow_private)
    ) as pool:
        response = await pool.request(
            "POST",
            url,
            headers=[*headers.items(), ("Content-Type", "application/json"), ("User-Agent", "triage-webhooks")],
            content=body,
            extensions={"timeout": {"connect": CONNECT_SECONDS, "read": READ_SECONDS, "write": READ_SECONDS}},
        )
        return response.status
