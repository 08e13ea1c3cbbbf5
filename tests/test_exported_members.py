"""`__all__` lists exactly the public names (after httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import types

import pytest

import homebase_async
import homebase_async.models


def public_names(module: types.ModuleType) -> set[str]:
    # Submodules become attributes of their package once imported anywhere; they are not
    # re-exports.
    # `__version__` is public by convention despite its underscores.
    return {
        name
        for name, value in vars(module).items()
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(value, types.ModuleType)
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


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert homebase_async.__version__ == version("homebase-async")
    assert "__version__" in homebase_async.__all__
