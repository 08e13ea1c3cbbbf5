"""The HTTP surface: routes, authentication, parsing and the error envelope."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import _validate as check
from ._common import API_PREFIX, ApiError, Json, bad_request, format_time, parse_time
from ._store import Store

_Handler = Callable[[Request, Store], Awaitable[Response]]
_UPDATE = ["PUT", "PATCH"]


def build_app(store: Store) -> Starlette:
    """The Homebase360 API under `/api/v1`, without faults."""

    def route(path: str, handler: _Handler, methods: list[str]) -> Route:
        return Route(API_PREFIX + path, _endpoint(store, handler), methods=methods)

    app = Starlette(
        routes=[route(path, handler, methods) for path, handler, methods in ROUTES],
        exception_handlers={HTTPException: _http_error},
    )
    # A trailing slash is another (unknown) path, not a redirect to the known one.
    app.router.redirect_slashes = False
    return app


def _endpoint(store: Store, handler: _Handler) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        key = request.headers.get("x-api-key")
        if not key:
            return error(401, "Missing API key: send it in the x-api-key header")
        if not hmac.compare_digest(key.encode(), store.api_key.encode()):
            return error(401, "Invalid API key")
        try:
            return await handler(request, store)
        except ApiError as exc:
            return error(exc.status, exc.message)

    return run


def ok(data: Any, status: int = 200) -> Response:
    return JSONResponse({"success": True, "data": data}, status_code=status)


def error(status: int, message: str) -> Response:
    return JSONResponse({"success": False, "error": message}, status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    message = "Not found" if status == 404 else str(getattr(exc, "detail", "Error"))
    return error(status, message)


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


async def _body(request: Request) -> Json:
    raw = await request.body()
    try:
        value = json.loads(raw, parse_constant=_reject_constant) if raw.strip() else None
    except (ValueError, RecursionError):
        raise bad_request("request body must be valid JSON") from None
    return check.json_object(value)


def _param(request: Request, name: str) -> str | None:
    """A query value, or None when absent or blank (the raw value keeps a decoded `+`)."""
    value = request.query_params.get(name)
    return value if value is not None and value.strip() else None


def _limit(request: Request, default: int) -> int:
    return check.limit(request.query_params.get("limit"), default)


async def _ping(request: Request, store: Store) -> Response:
    return ok(
        {
            "message": "API authentication successful",
            "email": store.business_email,
            "timestamp": format_time(store.context.now()),
        }
    )


async def _search_customers(request: Request, store: Store) -> Response:
    found = store.customers.search(
        customer_id=_param(request, "customerId"),
        phone=_param(request, "phone"),
        email=_param(request, "email"),
        identifiers=_param(request, "identifiers"),
        limit=_limit(request, 25),
    )
    return ok(found)


async def _create_customer(request: Request, store: Store) -> Response:
    return ok({"customerId": store.customers.create(await _body(request))}, 201)


async def _update_customer(request: Request, store: Store) -> Response:
    store.customers.update(request.path_params["customerId"], await _body(request))
    return ok({"message": "Customer updated"})


async def _search_jobs(request: Request, store: Store) -> Response:
    start, end = _param(request, "startDate"), _param(request, "endDate")
    found = store.jobs.search(
        job_id=_param(request, "jobId"),
        start=None if start is None else parse_time(start, "startDate"),
        end=None if end is None else parse_time(end, "endDate"),
        limit=_limit(request, 50),
    )
    return ok(found)


async def _create_job(request: Request, store: Store) -> Response:
    return ok({"jobId": store.jobs.create(await _body(request))}, 201)


async def _update_job(request: Request, store: Store) -> Response:
    store.jobs.update(request.path_params["jobId"], await _body(request))
    return ok({"message": "Job updated"})


async def _search_leads(request: Request, store: Store) -> Response:
    found = store.leads.search(
        lead_id=_param(request, "leadId"),
        customer_id=_param(request, "customerId"),
        status=_param(request, "status"),
        limit=_limit(request, 25),
    )
    return ok(found)


async def _create_lead(request: Request, store: Store) -> Response:
    return ok(store.leads.create(await _body(request)), 201)


async def _update_lead(request: Request, store: Store) -> Response:
    store.leads.update(request.path_params["leadId"], await _body(request))
    return ok({"message": "Lead updated"})


async def _send_message(request: Request, store: Store) -> Response:
    return ok(store.messages.send(await _body(request)))


async def _message_stats(request: Request, store: Store) -> Response:
    return ok(store.messages.stats())


# The one route table (the request log derives its route names from it); every operation of
# openapi.yaml has a row, which tests/test_spec_fake.py checks. PATCH is accepted as PUT.
ROUTES: tuple[tuple[str, _Handler, list[str]], ...] = (
    ("/ping", _ping, ["GET"]),
    ("/customers", _search_customers, ["GET"]),
    ("/customers", _create_customer, ["POST"]),
    ("/customers/{customerId}", _update_customer, _UPDATE),
    ("/jobs", _search_jobs, ["GET"]),
    ("/jobs", _create_job, ["POST"]),
    ("/jobs/{jobId}", _update_job, _UPDATE),
    ("/leads", _search_leads, ["GET"]),
    ("/leads", _create_lead, ["POST"]),
    ("/leads/{leadId}", _update_lead, _UPDATE),
    ("/messages/send", _send_message, ["POST"]),
    ("/messages/stats", _message_stats, ["GET"]),
)
