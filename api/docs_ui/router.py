"""`/docs`, `/docs/oauth2-redirect` and `/redoc` as FastAPI serves them by default, but with their assets
served by the API itself under `/docs/assets/`: hospital networks are often closed to the internet.

The pages need no key, like FastAPI's own. Asset URLs carry the request's root path (as FastAPI does for
the OpenAPI URL), so the pages also work behind a proxy that mounts the API under a prefix.
"""

from __future__ import annotations

import os

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from api.docs_ui.csp import protected

ASSETS_PATH = "/docs/assets"
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"
_METHODS = ["GET", "HEAD"]  # as FastAPI's own pages answer

router = APIRouter(include_in_schema=False)


class _VendoredFiles(StaticFiles):
    """The package's assets/ folder. The files change only with a release, so browsers may keep them
    an hour (they revalidate with the ETag after that)."""

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "public, max-age=3600"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


assets = _VendoredFiles(packages=[("api.docs_ui", "assets")])


@router.api_route("/docs", methods=_METHODS)
async def swagger_ui(request: Request) -> HTMLResponse:
    app: FastAPI = request.app
    root = _root_path(request)
    page = get_swagger_ui_html(
        openapi_url=root + _openapi_path(app),
        title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_PATH}/swagger-ui/favicon-32x32.png",
        oauth2_redirect_url=root + OAUTH2_REDIRECT_PATH,
        init_oauth=app.swagger_ui_init_oauth,
        swagger_ui_parameters=app.swagger_ui_parameters,
    )
    return protected(page)


@router.api_route(OAUTH2_REDIRECT_PATH, methods=_METHODS)
async def swagger_ui_oauth2_redirect() -> HTMLResponse:
    return protected(get_swagger_ui_oauth2_redirect_html())


@router.api_route("/redoc", methods=_METHODS)
async def redoc(request: Request) -> HTMLResponse:
    app: FastAPI = request.app
    root = _root_path(request)
    page = get_redoc_html(
        openapi_url=root + _openapi_path(app),
        title=f"{app.title} - ReDoc",
        redoc_js_url=f"{root}{ASSETS_PATH}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_PATH}/swagger-ui/favicon-32x32.png",
        with_google_fonts=False,  # Redoc falls back to the system's fonts
    )
    return protected(page)


def _root_path(request: Request) -> str:
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/")


def _openapi_path(app: FastAPI) -> str:
    if app.openapi_url is None:  # the pages document the OpenAPI description: without it they are broken
        raise RuntimeError("the API documentation pages need the app's openapi_url")
    return app.openapi_url
