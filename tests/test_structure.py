"""The package's structure: imports run one way, one table of exit codes, no
one-letter attributes. No browser, no server."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import get_args

from linkedin_optout import errors
from linkedin_optout.report import Outcome
from scripts.import_graph import KNOWN, ROOT, cycles, import_graph, without_known


def test_no_module_imports_itself_back_round_a_cycle():
    """Every import counts, TYPE_CHECKING and function-level ones included."""
    graph = import_graph()
    assert cycles(without_known(graph)) == [], "run: python scripts/import_graph.py"
    for source, target in KNOWN:  # an allowance that is no longer needed goes
        assert target in graph[source], (source, target)


def test_the_cycle_check_sees_a_cycle_behind_type_checking(tmp_path: Path):
    """The check can fail: a cycle hidden behind TYPE_CHECKING or in a function is found."""
    (tmp_path / "one.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from linkedin_optout.two import Two\n"
    )
    (tmp_path / "two.py").write_text("def f():\n    from linkedin_optout import one\n")
    (tmp_path / "three.py").write_text("import linkedin_optout.one\n")
    graph = import_graph(tmp_path)
    assert graph == {"one": {"two"}, "two": {"one"}, "three": {"one"}}
    assert cycles(graph) == [["one", "two"]]


def test_the_walk_core_imports_one_way():
    """The scheduler knows no route; the generator helpers are a leaf."""
    graph = import_graph()
    assert graph["steps"] == set()
    assert graph["lanes"] == {"steps"}
    assert "route" not in graph["switcher"] and "lanes" not in graph["switcher"]


def test_every_outcome_has_one_exit_code_from_its_error_class():
    assert set(errors.EXIT_CODES) == set(get_args(Outcome))
    for error in errors.ENDINGS:
        assert errors.EXIT_CODES[str(error.outcome)] == error.exit_code
    # Every error of the package that ends a check names an outcome of the table.
    for path in ROOT.glob("*.py"):
        if path.stem != "__main__":  # that one runs the CLI
            importlib.import_module(f"linkedin_optout.{path.stem}")
    stack = [errors.OptoutError]
    while stack:
        error = stack.pop()
        stack += error.__subclasses__()
        assert error.outcome is None or error.outcome in errors.EXIT_CODES, error


def test_an_error_s_own_exit_code_wins_for_its_outcome():
    stopped = errors.Stopped(15, "Stopped by SIGTERM.")
    assert errors.exit_code("interrupted", stopped) == 143
    assert errors.exit_code("interrupted", errors.InputEnded("No input.")) == 2
    assert errors.exit_code("interrupted") == 130
    assert errors.exit_code("change_failed", errors.NetworkFailed("No page.")) == 5
    assert errors.exit_code("changes_needed") == 1


def test_no_one_letter_attributes():
    short = []
    for path in ROOT.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and len(node.attr) == 1
            ):
                short.append(f"{path.name}:{node.lineno} self.{node.attr}")
            if isinstance(node, ast.ClassDef):
                short += [
                    f"{path.name}:{item.lineno} {node.name}.{item.target.id}"
                    for item in node.body
                    if isinstance(item, ast.AnnAssign)
                    and isinstance(item.target, ast.Name)
                    and len(item.target.id) == 1
                ]
    assert short == []
