"""`__all__` lists exactly the public names (after httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import types

import pytest

import homebase_async
import homebase_async.models


def public_names(module: types.ModuleType) -> set[str]:
    # Submodules become attributes of their package once imported anywhere; they are not
    # re-exports.
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }


@pytest.mark.parametrize("module", [homebase_async, homebase_async.models])
def test_all_imports_are_exported(module: types.ModuleType) -> None:
    assert len(module.__all__) == len(set(module.__all__))
    assert set(module.__all__) == public_names(module)


def test_every_exported_error_is_a_homebase_error() -> None:
    for name in homebase_async.__all__:
        value = getattr(homebase_async, name)
        if (
            isinstance(value, type)
            and issubclass(value, Exception)
            and not issubclass(value, Warning)
        ):
            assert issubclass(value, homebase_async.HomebaseError), name
