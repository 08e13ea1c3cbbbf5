from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.send_message_request import SendMessageRequest
from ...models.send_message_response import SendMessageResponse
from ...types import Response, loads_json


def _get_kwargs(
    *,
    body: SendMessageRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/messages/send",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SendMessageResponse | None:
    if response.status_code == 200:
        response_200 = SendMessageResponse.from_dict(loads_json(response.content))

        return response_200

    if response.status_code == 201:
        response_201 = SendMessageResponse.from_dict(loads_json(response.content))

        return response_201

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(loads_json(response.content))

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(loads_json(response.content))

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(loads_json(response.content))

        return response_403

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
) -> Response[ErrorResponse | SendMessageResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SendMessageRequest,
) -> Response[ErrorResponse | SendMessageResponse]:
    """Send an SMS or MMS

     Sends a text (and optionally a picture) to a customer's mobile phone. Give
    `mobilePhone`, `customerId`, or both (then the mobile must be that customer's
    `phone.mobile`). Needs an Enterprise plan; counts against the daily quota.

    Args:
        body (SendMessageRequest): An SMS (`message`) or MMS (`mediaUrl`, with or without text).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SendMessageResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: SendMessageRequest,
) -> ErrorResponse | SendMessageResponse | None:
    """Send an SMS or MMS

     Sends a text (and optionally a picture) to a customer's mobile phone. Give
    `mobilePhone`, `customerId`, or both (then the mobile must be that customer's
    `phone.mobile`). Needs an Enterprise plan; counts against the daily quota.

    Args:
        body (SendMessageRequest): An SMS (`message`) or MMS (`mediaUrl`, with or without text).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SendMessageResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SendMessageRequest,
) -> Response[ErrorResponse | SendMessageResponse]:
    """Send an SMS or MMS

     Sends a text (and optionally a picture) to a customer's mobile phone. Give
    `mobilePhone`, `customerId`, or both (then the mobile must be that customer's
    `phone.mobile`). Needs an Enterprise plan; counts against the daily quota.

    Args:
        body (SendMessageRequest): An SMS (`message`) or MMS (`mediaUrl`, with or without text).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SendMessageResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SendMessageRequest,
) -> ErrorResponse | SendMessageResponse | None:
    """Send an SMS or MMS

     Sends a text (and optionally a picture) to a customer's mobile phone. Give
    `mobilePhone`, `customerId`, or both (then the mobile must be that customer's
    `phone.mobile`). Needs an Enterprise plan; counts against the daily quota.

    Args:
        body (SendMessageRequest): An SMS (`message`) or MMS (`mediaUrl`, with or without text).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SendMessageResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
