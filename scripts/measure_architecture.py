"""Print the architecture measures of issue 11: module sizes, import cycles, mypy, contracts.

    .venv/bin/python scripts/measure_architecture.py

Run from the project root. The `duplicates` count comes from the tool library's `duplicates`
command where it is installed (it is not part of the project); without it that line says so.

Beside the pairs `duplicates` itself calls boilerplate, three kinds are boilerplate here too, and
are listed apart (see `boilerplate_kind`): table declarations and frozen schema upgrades, the
continuation lines of a long import (the tool skips one-line imports only), and lists of record
fields (a dataclass's fields, or a record built field by field from another).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nrp_desktop"
MAX_LINES = 600


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def long_modules() -> list[tuple[str, int]]:
    sizes = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            sizes.append((str(path.relative_to(ROOT)), lines))
    return sorted(sizes, key=lambda item: -item[1])


def import_cycles() -> list[list[str]]:
    """Cycles among modules, counting imports at any depth of a module (lazy imports too) but
    not those under `if TYPE_CHECKING:`."""
    import grimp

    graph = grimp.build_graph("nrp_desktop", exclude_type_checking_imports=True)
    cycles: list[list[str]] = []
    modules = sorted(graph.modules)
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == module or module.startswith(imported + "."):
                continue  # a module and its own package's __init__
            if graph.chain_exists(importer=imported, imported=module) and module < imported:
                chain = graph.find_shortest_chain(importer=imported, imported=module) or ()
                cycles.append([module, *chain])
    return cycles


# Files that declare tables, one line a column by nature, and schema upgrades that are frozen once
# released (a file made by them exists on someone's laptop): their likeness is not to be folded.
SCHEMA_FILES = re.compile(r"^storage/(schema|content_schema|user_db_upgrades)\.py$"
                          r"|^storage/council_migrations/versions/[^/]+\.py$")
# One record field: `name: type [= default]`, `name=value,` in a call, `@dataclass`, `class X:`.
FIELD_LINE = re.compile(r"^(@dataclass\b.*|class \w+(\(.*\))?:|\w+: [^=]+(= .+)?|\w+=[^=].*,?"
                        r"|\w+ = [A-Z]\w*\(|[A-Z]\w*\(|\)|[\"']{3}.*)$")
SIDE = re.compile(r"(\S+\.py):(\d+)-(\d+)")


def _statement_lines(path: Path) -> tuple[set[int], set[int]]:
    """The lines of `path` inside import statements (and `__all__` lists), and inside docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports: set[int] = set()
    strings: set[int] = set()
    for node in ast.walk(tree):
        end = getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)
        is_all = isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets)
        if isinstance(node, ast.Import | ast.ImportFrom) or is_all:
            imports.update(range(node.lineno, end + 1))
        elif isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            imports.add(node.lineno)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            strings.update(range(node.lineno, end + 1))
    return imports, strings


def _code_lines(path: Path, first: int, last: int) -> list[tuple[int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = []
    for number in range(first, min(last, len(lines)) + 1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#"):
            kept.append((number, text))
    return kept


def boilerplate_kind(row: str) -> str | None:
    """Why a pair is boilerplate though `duplicates` did not say so, or None when it is a repeat."""
    sides = [(PACKAGE / name, int(first), int(last)) for name, first, last in SIDE.findall(row)[:2]]
    if len(sides) != 2:
        return None
    names = [str(path.relative_to(PACKAGE)) for path, _, _ in sides]
    if all(SCHEMA_FILES.match(name) for name in names):
        return "schema"
    import_side = field_sides = 0
    for path, first, last in sides:
        imports, strings = _statement_lines(path)
        code = _code_lines(path, first, last)
        if code and all(number in imports for number, _ in code):
            import_side += 1
        if code and all(number in strings or FIELD_LINE.match(text) for number, text in code):
            field_sides += 1
    if import_side == 2:
        return "import list"
    if field_sides == 2:
        return "record fields"
    return None


def main() -> int:
    print(f"Modules over {MAX_LINES} lines:")
    long = long_modules()
    for name, lines in long:
        print(f"  {lines:5d}  {name}")
    if not long:
        print("  none")

    cycles = import_cycles()
    print(f"Import cycles (type-only imports aside): {len(cycles)}")
    for cycle in cycles[:20]:
        print("  " + " -> ".join(cycle))

    mypy = subprocess.run([sys.executable, "-m", "mypy", "--no-color-output"], cwd=ROOT,
                          capture_output=True, text=True)
    summary = (mypy.stdout.strip().splitlines() or ["(no output)"])[-1]
    print(f"mypy: {summary}")
    errors = re.findall(r"^nrp_desktop/([A-Za-z_]+)[^:]*:\d+: error:", mypy.stdout, re.MULTILINE)
    for part in sorted(set(errors)):
        print(f"  {part}: {errors.count(part)} errors")

    contracts = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    kept = re.search(r"Contracts: (\d+) kept, (\d+) broken", contracts.stdout)
    print(f"lint-imports: {kept.group(0) if kept else contracts.stdout[-300:]}")

    duplicates = shutil.which("duplicates")
    if duplicates:
        result = subprocess.run([duplicates, "--repo", "nrp_desktop", "--most", "200"], cwd=ROOT,
                                capture_output=True, text=True)
        rows = [line for line in result.stdout.splitlines() if re.match(r"^D\d+ ", line)]
        unmarked = [row for row in rows if "boilerplate" not in row]
        kinds = {row: boilerplate_kind(row) for row in unmarked}
        real = [row for row in unmarked if kinds[row] is None]
        print(f"duplicates: {len(real)} pairs beyond boilerplate ({len(rows)} in all)")
        for row in real:
            print("  " + row)
        print(f"  also boilerplate here ({len(unmarked) - len(real)}):")
        for row in unmarked:
            if kinds[row] is not None:
                print(f"    [{kinds[row]}] {row}")
    else:
        print("duplicates: the `duplicates` command is not installed here")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
