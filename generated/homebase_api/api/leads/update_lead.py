from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.lead_update import LeadUpdate
from ...models.message_response import MessageResponse
from ...types import Response, loads_json


def _get_kwargs(
    lead_id: str,
    *,
    body: LeadUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/leads/{lead_id}".format(
            lead_id=quote(str(lead_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | MessageResponse | None:
    if response.status_code == 200:
        response_200 = MessageResponse.from_dict(loads_json(response.content))

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(loads_json(response.content))

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(loads_json(response.content))

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(loads_json(response.content))

        return response_404

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(loads_json(response.content))

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(loads_json(response.content))

        return response_500

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(loads_json(response.content))

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | MessageResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    lead_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LeadUpdate,
) -> Response[ErrorResponse | MessageResponse]:
    """Update a lead

     Changes only the fields sent; `lineItems` and `assignedTo` replace the stored ones.
    Archived leads cannot be updated (404).

    Args:
        lead_id (str):
        body (LeadUpdate): The lead fields to change; no field has a default, so only what is set
            is sent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | MessageResponse]
    """

    kwargs = _get_kwargs(
        lead_id=lead_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    lead_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LeadUpdate,
) -> ErrorResponse | MessageResponse | None:
    """Update a lead

     Changes only the fields sent; `lineItems` and `assignedTo` replace the stored ones.
    Archived leads cannot be updated (404).

    Args:
        lead_id (str):
        body (LeadUpdate): The lead fields to change; no field has a default, so only what is set
            is sent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | MessageResponse
    """

    return sync_detailed(
        lead_id=lead_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    lead_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LeadUpdate,
) -> Response[ErrorResponse | MessageResponse]:
    """Update a lead

     Changes only the fields sent; `lineItems` and `assignedTo` replace the stored ones.
    Archived leads cannot be updated (404).

    Args:
        lead_id (str):
        body (LeadUpdate): The lead fields to change; no field has a default, so only what is set
            is sent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | MessageResponse]
    """

    kwargs = _get_kwargs(
        lead_id=lead_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    lead_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: LeadUpdate,
) -> ErrorResponse | MessageResponse | None:
    """Update a lead

     Changes only the fields sent; `lineItems` and `assignedTo` replace the stored ones.
    Archived leads cannot be updated (404).

    Args:
        lead_id (str):
        body (LeadUpdate): The lead fields to change; no field has a default, so only what is set
            is sent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | MessageResponse
    """

    return (
        await asyncio_detailed(
            lead_id=lead_id,
            client=client,
            body=body,
        )
    ).parsed
