from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_list_response import CustomerListResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset, loads_json


def _get_kwargs(
    *,
    customer_id: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    email: str | Unset = UNSET,
    identifiers: str | Unset = UNSET,
    limit: int | Unset = 25,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["customerId"] = customer_id

    params["phone"] = phone

    params["email"] = email

    params["identifiers"] = identifiers

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/customers",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CustomerListResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CustomerListResponse.from_dict(loads_json(response.content))

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
) -> Response[CustomerListResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    customer_id: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    email: str | Unset = UNSET,
    identifiers: str | Unset = UNSET,
    limit: int | Unset = 25,
) -> Response[CustomerListResponse | ErrorResponse]:
    """Search customers

     Returns the customers matching any of the given criteria (logical OR). Without any
    criterion the result is an empty list. There is no pagination and no documented order.

    Args:
        customer_id (str | Unset):
        phone (str | Unset): A US or Canadian phone number in E.164 form. Example: +13038284444.
        email (str | Unset):
        identifiers (str | Unset):
        limit (int | Unset):  Default: 25.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        phone=phone,
        email=email,
        identifiers=identifiers,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    customer_id: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    email: str | Unset = UNSET,
    identifiers: str | Unset = UNSET,
    limit: int | Unset = 25,
) -> CustomerListResponse | ErrorResponse | None:
    """Search customers

     Returns the customers matching any of the given criteria (logical OR). Without any
    criterion the result is an empty list. There is no pagination and no documented order.

    Args:
        customer_id (str | Unset):
        phone (str | Unset): A US or Canadian phone number in E.164 form. Example: +13038284444.
        email (str | Unset):
        identifiers (str | Unset):
        limit (int | Unset):  Default: 25.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerListResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        customer_id=customer_id,
        phone=phone,
        email=email,
        identifiers=identifiers,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    customer_id: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    email: str | Unset = UNSET,
    identifiers: str | Unset = UNSET,
    limit: int | Unset = 25,
) -> Response[CustomerListResponse | ErrorResponse]:
    """Search customers

     Returns the customers matching any of the given criteria (logical OR). Without any
    criterion the result is an empty list. There is no pagination and no documented order.

    Args:
        customer_id (str | Unset):
        phone (str | Unset): A US or Canadian phone number in E.164 form. Example: +13038284444.
        email (str | Unset):
        identifiers (str | Unset):
        limit (int | Unset):  Default: 25.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        phone=phone,
        email=email,
        identifiers=identifiers,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    customer_id: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    email: str | Unset = UNSET,
    identifiers: str | Unset = UNSET,
    limit: int | Unset = 25,
) -> CustomerListResponse | ErrorResponse | None:
    """Search customers

     Returns the customers matching any of the given criteria (logical OR). Without any
    criterion the result is an empty list. There is no pagination and no documented order.

    Args:
        customer_id (str | Unset):
        phone (str | Unset): A US or Canadian phone number in E.164 form. Example: +13038284444.
        email (str | Unset):
        identifiers (str | Unset):
        limit (int | Unset):  Default: 25.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerListResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            customer_id=customer_id,
            phone=phone,
            email=email,
            identifiers=identifiers,
            limit=limit,
        )
    ).parsed
