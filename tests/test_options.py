"""Bad options: an unknown --only key, a malformed --base-url (or
LINKEDIN_OPTOUT_BASE_URL), and a --profile or --screenshots path that is a file.
Each ends in exit 2 and one plain line naming the option and what is wrong, with
no traceback and nothing switched.
"""

from __future__ import annotations

import pytest
from conftest import TOOL_TIMEOUT
from input_helpers import says, the_error_line, write

# -- options -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "status"])
def test_an_unknown_only_key_exits_2_naming_the_option(site, cli, command):
    result = cli(command, "--json", "--only", "profile-visibility")
    line = the_error_line(result)
    assert "--only" in line and "profile-visibility" in line
    assert site.requests == []


BAD_URLS = [
    "ftp://www.linkedin.com",
    "www.linkedin.com",
    "http://",
    "https://www.linkedin.com:port",
    "http://exa mple.com",
    "",
]


# An empty LINKEDIN_OPTOUT_BASE_URL counts as unset (the default, the real site): not here.
@pytest.mark.parametrize(
    ("how", "url"),
    [("option", u) for u in BAD_URLS] + [("env", u) for u in BAD_URLS if u],
)
def test_a_malformed_base_url_exits_2(site, cli, how, url):
    if how == "option":
        result = cli("run", "--json", "--base-url", url)
    else:
        result = cli("run", "--json", env={"LINKEDIN_OPTOUT_BASE_URL": url})
    line = the_error_line(result)
    assert says(line, "--base-url", "LINKEDIN_OPTOUT_BASE_URL"), line
    assert says(line, "not an http", "not a number", "url"), line
    assert site.requests == []


def test_a_profile_path_that_is_a_file_exits_2(site, cli, tmp_path):
    path = write(tmp_path / "profile", "not a folder")
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--profile", str(path))
    line = the_error_line(result)
    assert str(path) in line or "--profile" in line
    assert says(line, "not a folder", "not a directory", "is a file"), line
    assert site.saves == []


def test_a_screenshots_path_that_is_a_file_exits_2(site, cli, tmp_path):
    path = write(tmp_path / "shots", "not a folder")
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--screenshots", str(path))
    line = the_error_line(result)
    assert str(path) in line or "--screenshots" in line
    assert says(line, "not a folder", "not a directory", "is a file", "exists"), line
    assert site.saves == []  # bad input is found before anything is switched
