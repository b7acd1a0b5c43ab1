"""The README, the pages in docs/ and the CI files say what is true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scripts.catalogue_table import TABLES, marked_files, render, stale_files
from scripts.readme_help import BLOCK, pages, stale_blocks

START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def test_readme_help_blocks_match_the_real_help():
    assert stale_blocks() == [], "run: python scripts/readme_help.py"
    blocks = [m["args"].strip() for page in pages() for m in BLOCK.finditer(page.read_text())]
    assert {"", "run", "checkup", "history", "login"} <= set(blocks)


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page's headings."""
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    titles = re.findall(r"^#+ (.+)$", text, flags=re.M)
    return {re.sub(r"[^\w\- ]", "", t.lower()).replace(" ", "-") for t in titles}


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_each_link_between_pages_resolves(page):
    for target in LINK.findall(page.read_text()):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{page.name}: {target}"
        if anchor:
            assert anchor in anchors(file), f"{page.name}: {target}"


def test_the_readme_links_every_page_in_docs():
    readme = (ROOT / "README.md").read_text()
    pages = [t.split("#")[0] for t in LINK.findall(readme) if t.startswith("docs/")]
    linked = {Path(t).name for t in pages if t.endswith(".md")}  # not the pictures
    assert linked == {p.name for p in (ROOT / "docs").glob("*.md")}


def test_the_readme_stays_short():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 250


def test_the_catalogue_table_sits_between_its_markers():
    text = (ROOT / "docs" / "catalogue.md").read_text()
    table = text.split("<!-- catalogue:start -->\n", 1)[1].split("<!-- catalogue:end -->", 1)[0]
    assert table.startswith("|") and "`generative-ai-training`" in table


def test_the_catalogue_table_is_the_selector_data():
    """Generated between its markers, in README.md or whichever docs page holds them."""
    assert marked_files(), f"no {START} ... {END} in README.md or docs/*.md"
    assert stale_files() == [], "run: python -m scripts.catalogue_table"


def test_the_two_tables_have_a_row_per_setting_and_only_their_blocks_are_rewritten():
    from linkedin_optout.selectors import bundled_selector_files, data_use_keys, setting_keys

    assert set(TABLES) == {"catalogue", "visibility"}
    rows: list[str] = []
    for name in TABLES:
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        text = f"before\n{start}\nstale\n{end}\nafter\n"
        out = render(text)
        assert out.startswith(f"before\n{start}\n| key |") and out.endswith(f"{end}\nafter\n")
        keys = [line.split("`")[1] for line in out.splitlines() if line.startswith("| `")]
        if name == "catalogue":
            assert keys == list(data_use_keys(bundled_selector_files()))
        rows += keys
    assert sorted(rows) == sorted(setting_keys(bundled_selector_files()))  # each once, in one


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert readme.index("make demo") < readme.index("## Use it on your account")


def test_ci_run_calls_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_workflow_mirrors_make_test_with_pinned_actions():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert workflow["permissions"] == {}
    test_job = workflow["jobs"]["test"]
    assert test_job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]
    steps = test_job["steps"]
    uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", u) for u in uses), uses
    runs = [s.get("run", "") for s in steps]
    assert any("playwright install --with-deps chromium" in r for r in runs)
    assert runs[-1] == "make test"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert "steps.playwright.outputs.version" in cache["with"]["key"]
    lint_runs = [s.get("run", "") for s in workflow["jobs"]["lint"]["steps"]]
    assert "make lint" in lint_runs
