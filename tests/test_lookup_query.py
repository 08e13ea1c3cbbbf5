"""A bulk lookup builds each request's URL once, exactly as httpx would from `params`."""

from __future__ import annotations

import httpx
import pytest

from homebase_async._query import identifiers_query, url_with_query

BASE = httpx.URL("http://127.0.0.1:8000/api/v1/").join("customers")


@pytest.mark.parametrize(
    "chunk",
    [
        ["a@x.com", "+13038284444", "ABC123"],
        ["weird name", "é@ü.de", "a~b_c.d-e", "x/y?z&w=1#f", "100%", "tab\there"],
        [f"customer{i}@example.com" for i in range(100)],
    ],
)
def test_the_url_is_the_one_httpx_builds(chunk: list[str]) -> None:
    mine = url_with_query(BASE, identifiers_query(chunk, 100))
    expected = BASE.copy_with(params={"identifiers": ",".join(chunk), "limit": 100})
    assert mine == expected
    assert str(mine) == str(expected)
    assert mine.params["identifiers"].split(",") == chunk
