"""Shared fixtures: the catalogue, loaded once, and a private cache directory."""
import os

import pytest

from symcheck.catalogue import load


@pytest.fixture(scope="session")
def catalogue():
    return load()


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    # Tests never read or write a developer's own cache.
    os.environ["SYMCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
