from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.lead_list_response import LeadListResponse
from ...models.lead_status import LeadStatus
from ...types import UNSET, Response, Unset, loads_json


def _get_kwargs(
    *,
    lead_id: str | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    status: LeadStatus | Unset = UNSET,
    limit: int | Unset = 25,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["leadId"] = lead_id

    params["customerId"] = customer_id

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/leads",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | LeadListResponse | None:
    if response.status_code == 200:
        response_200 = LeadListResponse.from_dict(loads_json(response.content))

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(loads_json(response.content))

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(loads_json(response.content))

        return response_401

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
) -> Response[ErrorResponse | LeadListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    lead_id: str | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    status: LeadStatus | Unset = UNSET,
    limit: int | Unset = 25,
) -> Response[ErrorResponse | LeadListResponse]:
    """Search leads

     Returns the non-archived leads matching every given filter. There is no pagination and
    no documented order.

    Args:
        lead_id (str | Unset):
        customer_id (str | Unset):
        status (LeadStatus | Unset): Where a lead stands.
        limit (int | Unset):  Default: 25.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | LeadListResponse]
    """

    kwargs = _get_kwargs(
        lead_id=lead_id,
        customer_id=customer_id,
        status=status,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    lead_id: str | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    status: LeadStatus | Unset = UNSET,
    limit: int | Unset = 25,
) -> ErrorResponse | LeadListResponse | None:
    """Search leads

     Returns the non-archived leads matching every given filter. There is no pagination and
    no documented order.

    Args:
        lead_id (str | Unset):
        customer_id (str | Unset):
        status (LeadStatus | Unset): Where a lead stands.
        limit (int | Unset):  Default: 25.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | LeadListResponse
    """

    return sync_detailed(
        client=client,
        lead_id=lead_id,
        customer_id=customer_id,
        status=status,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    lead_id: str | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    status: LeadStatus | Unset = UNSET,
    limit: int | Unset = 25,
) -> Response[ErrorResponse | LeadListResponse]:
    """Search leads

     Returns the non-archived leads matching every given filter. There is no pagination and
    no documented order.

    Args:
        lead_id (str | Unset):
        customer_id (str | Unset):
        status (LeadStatus | Unset): Where a lead stands.
        limit (int | Unset):  Default: 25.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | LeadListResponse]
    """

    kwargs = _get_kwargs(
        lead_id=lead_id,
        customer_id=customer_id,
        status=status,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    lead_id: str | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    status: LeadStatus | Unset = UNSET,
    limit: int | Unset = 25,
) -> ErrorResponse | LeadListResponse | None:
    """Search leads

     Returns the non-archived leads matching every given filter. There is no pagination and
    no documented order.

    Args:
        lead_id (str | Unset):
        customer_id (str | Unset):
        status (LeadStatus | Unset): Where a lead stands.
        limit (int | Unset):  Default: 25.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | LeadListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            lead_id=lead_id,
            customer_id=customer_id,
            status=status,
            limit=limit,
        )
    ).parsed
