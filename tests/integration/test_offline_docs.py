"""Every page the API serves to a browser works on a closed network: `/docs`, `/redoc` and the `/ops` dashboard
reference only their own server's URLs (no CDN, no web fonts), and the server answers each of them."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.conftest import KeyFactory
from tests.helpers import ROOT

BASE = "http://testserver"
ASSETS = ROOT / "api" / "docs_ui" / "assets"
# An absolute or protocol-relative URL to some host, anywhere in a page or stylesheet.
ABSOLUTE_URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}", re.I)
# Swagger UI's inline initialiser names the OpenAPI document and the OAuth2 redirect page.
SWAGGER_URLS = re.compile(r"url: '([^']+)'|window\.location\.origin \+ '([^']+)'")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
SHA256_LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$", re.M)


class _References(HTMLParser):
    """The URLs a browser would load (or follow) from a page: src, href, and Redoc's spec-url."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (what, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for attribute in ("src", "href", "spec-url", "action", "poster", "data"):
            if attribute in values:
                self.found.append((f"{tag}[{attribute}]" + _rel(values), values[attribute]))


def _rel(values: dict[str, str]) -> str:
    return f"[rel={values['rel']}]" if "rel" in values else ""


def references(html: str) -> list[tuple[str, str]]:
    parser = _References()
    parser.feed(html)
    return parser.found + [("swagger-ui init", url) for pair in SWAGGER_URLS.findall(html) for url in pair if url]


def assert_same_origin(page: str, what: str, url: str) -> None:
    parts = urlsplit(urljoin(f"{BASE}{page}", url))
    assert (parts.scheme, parts.netloc) == ("http", "testserver"), f"{page}: {what} loads {url!r} from elsewhere"


async def assert_served(client: httpx.AsyncClient, page: str, what: str, url: str) -> None:
    """The server answers the URL itself, with a body of the kind the page expects."""
    response = await client.get(urljoin(page, url))
    assert response.status_code == 200, f"{page}: {what} {url!r} answered {response.status_code}"
    media_type = response.headers["content-type"].split(";")[0].strip()
    path = urlsplit(url).path
    if path.endswith(".js"):
        assert media_type in {"text/javascript", "application/javascript"}, (url, media_type)
        assert len(response.content) > 1000, url
    elif path.endswith(".css"):
        assert media_type == "text/css", (url, media_type)
        for inner in CSS_URL.findall(response.text):  # a stylesheet pulling fonts or images from a CDN
            assert inner.startswith("data:") or not ABSOLUTE_URL.match(inner), f"{url} loads {inner}"
    elif path.endswith((".png", ".ico", ".svg")):
        assert media_type.startswith("image/"), (url, media_type)
        assert len(response.content) > 100, url
    elif path.endswith(".json"):
        assert media_type == "application/json" and "openapi" in response.json(), url
    else:
        assert media_type == "text/html", (url, media_type)


def assert_csp_names_no_host(page: str, policy: str) -> None:
    """Every directive allows our origin, inline data or hashed scripts only; inline code only for styles."""
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'none'"], policy
    for name, sources in directives.items():
        for source in sources:
            allowed = source in {"'self'", "'none'", "data:", "blob:"} or source.startswith("'sha256-")
            allowed = allowed or (name == "style-src" and source == "'unsafe-inline'")
            assert allowed, f"{page}: {name} allows {source}"


async def assert_offline_page(client: httpx.AsyncClient, page: str, *, loads: set[str]) -> None:
    """The page names no other host, every URL it references is ours and answered, and it references at least
    the files in `loads` (so that a page whose assets moved elsewhere cannot pass by referencing nothing)."""
    response = await client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html"), page
    html = response.text
    hosts = ABSOLUTE_URL.findall(html)
    assert not hosts, f"{page} names other hosts: {hosts}"
    found = references(html)
    for what, url in found:
        assert_same_origin(page, what, url)
        if not what.startswith(("a[", "form[")):  # links and forms are followed, not loaded
            await assert_served(client, page, what, url)
    referenced = {urlsplit(url).path.rsplit("/", 1)[-1] for _, url in found}
    assert loads <= referenced, f"{page} references {sorted(referenced)}, not {sorted(loads - referenced)}"


async def test_swagger_ui_and_redoc_load_only_the_servers_own_assets(app_client: httpx.AsyncClient) -> None:
    await assert_offline_page(
        app_client,
        "/docs",
        loads={"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "openapi.json", "oauth2-redirect"},
    )
    await assert_offline_page(app_client, "/redoc", loads={"redoc.standalone.js", "favicon-32x32.png", "openapi.json"})

    for page in ("/docs", "/redoc"):  # and the browser refuses to fetch anything from another host
        assert_csp_names_no_host(page, (await app_client.get(page)).headers["content-security-policy"])
        assert (await app_client.head(page)).status_code == 200  # as FastAPI's own pages

    # The bundles are the real ones (their globals), sent as scripts the browser will not re-sniff.
    swagger = await app_client.get("/docs/assets/swagger-ui/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in swagger.text and swagger.headers["x-content-type-options"] == "nosniff"
    assert "Redoc" in (await app_client.get("/docs/assets/redoc/redoc.standalone.js")).text
    # Still public, like FastAPI's own pages; what is not vendored is a problem+json 404, not a directory listing.
    for missing in ("/docs/assets/", "/docs/assets/swagger-ui/index.html", "/docs/assets/redoc/..%2F..%2Frouter.py"):
        assert (await app_client.get(missing)).status_code == 404, missing


async def test_the_docs_honour_the_root_path_of_a_proxy(app_client: httpx.AsyncClient) -> None:
    """Behind a proxy that mounts the API under a prefix, the pages point at the prefixed URLs."""
    transport = httpx.ASGITransport(app=app_client.app, root_path="/triage")  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as proxied:
        html = (await proxied.get("/docs")).text
    assert 'src="/triage/docs/assets/swagger-ui/swagger-ui-bundle.js"' in html and "url: '/triage/openapi.json'" in html


async def test_the_ops_dashboard_loads_only_the_servers_own_assets(
    app_client: httpx.AsyncClient, make_key: KeyFactory
) -> None:
    await assert_offline_page(app_client, "/ops", loads={"dashboard.css", "login"})  # the sign-in page
    signed_in = await app_client.post("/ops/login", data={"key": await make_key(scopes=("ops:read",))})
    assert signed_in.status_code == 303
    await assert_offline_page(app_client, "/ops", loads={"dashboard.css", "dashboard.js"})


@pytest.mark.parametrize("package", ["swagger-ui", "redoc"])
def test_each_vendored_package_ships_its_licence(package: str) -> None:
    assert (ASSETS / package / "LICENSE").stat().st_size > 500


def test_the_vendored_files_are_those_the_readme_lists() -> None:
    """assets/README.md records the sha256 of every file copied from npm: an edit or an upgrade that did not
    update it fails here."""
    listed = {name: digest for digest, name in SHA256_LINE.findall((ASSETS / "README.md").read_text())}
    present = {str(path.relative_to(ASSETS)): path for path in ASSETS.glob("*/*")}
    assert set(listed) == set(present)
    for name, path in present.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == listed[name], name
