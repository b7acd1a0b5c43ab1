"""Shared test set-up: the browser pytest-playwright launches, and the fixture site."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from linkedin_optout.browser import discover_executable, launch_args


@pytest.fixture(scope="session")
def browser_executable() -> str:
    path = os.environ.get("LINKEDIN_OPTOUT_BROWSER") or discover_executable()
    if not path:
        pytest.exit("No browser for the tests: run 'make test', which installs one.", returncode=1)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_executable: str
) -> dict[str, Any]:
    # pytest-playwright has no executable-path option; extend its launch arguments.
    return {
        **browser_type_launch_args,
        "executable_path": browser_executable,
        "args": launch_args(),
    }


@pytest.fixture(scope="session")
def site_server() -> Iterator[Any]:
    from fixtures.site import FixtureSite

    server = FixtureSite()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(site_server: Any) -> Any:
    """The fixture site, reset to its defaults for each test."""
    site_server.reset()
    return site_server
