"""The import graph of the package, and its cycles.

Every import of one of the package's modules counts: at the top, under
`if TYPE_CHECKING:`, and inside a function (an import put off until a command
runs is still a dependency). `python scripts/import_graph.py` prints each cycle
and exits 1 if there is one; tests/test_structure.py runs the same check.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE = "linkedin_optout"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE
# Edges known to close a cycle, each with the reason it is still there. Keep this
# empty: an entry is debt.
KNOWN: set[tuple[str, str]] = set()


def imported(tree: ast.AST, modules: set[str]) -> set[str]:
    """The package's modules that the code in `tree` imports, wherever it does."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == PACKAGE and len(parts) > 1 and parts[1] in modules:
                found.add(parts[1])
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports."""
    files = {path.stem: path for path in root.glob("*.py")}
    modules = set(files)
    return {
        name: imported(ast.parse(path.read_text(encoding="utf-8")), modules) - {name}
        for name, path in files.items()
    }


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The modules that import one another, round and round: each strongly
    connected group of more than one module, sorted (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def without_known(graph: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    return {name: {t for t in targets if (name, t) not in KNOWN} for name, targets in graph.items()}


def main() -> int:
    found = cycles(without_known(import_graph()))
    for group in found:
        print("cycle: " + " <-> ".join(group))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
