"""Print the architecture measures of issue 11: module sizes, import cycles, mypy, contracts.

    .venv/bin/python scripts/measure_architecture.py

Run from the project root. The `duplicates` count comes from the tool library's `duplicates`
command where it is installed (it is not part of the project); without it that line says so.
"""

from __future__ import annotations

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
        real = [row for row in rows if "boilerplate" not in row]
        print(f"duplicates: {len(real)} pairs beyond boilerplate ({len(rows)} in all)")
        for row in real:
            print("  " + row)
    else:
        print("duplicates: the `duplicates` command is not installed here")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
