"""The public names of homebase_async.testing."""

from __future__ import annotations

import homebase_async.testing as testing


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(testing) if not name.startswith("_")}
    assert set(testing.__all__) == public
    assert testing.__all__ == sorted(testing.__all__)
