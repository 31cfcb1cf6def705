"""The packaged app against a bare PySide6 window packaged the same way: size and frozen start-up.

    python3 packaging/build.py linux && python3 packaging/build.py baseline --reuse-env
    python3 benchmarks/bench_packaging.py [--runs N] [--json]

The baseline (packaging/baseline_window.py) is frozen with the same spec, the same exclusions and
the same Qt plugin rules, and packed into a .deb by the same code, so the ratios show what the app
itself adds: its Python libraries, the content database, the fonts. Goal: ≤ 1.15× in size.
Start-up is `--smoke-test` on both (offscreen, quit at the first paint), alternating runs so load on
the machine falls on both alike.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE_GOAL = 1.15


def _build_module():
    spec = importlib.util.spec_from_file_location("nrp_packaging_build", ROOT / "packaging" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def installed_kib(deb: Path) -> int:
    result = subprocess.run(["dpkg-deb", "-f", str(deb), "Installed-Size"], capture_output=True, text=True, check=True)
    return int(result.stdout.strip())


def start_up(executable: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one `--smoke-test`."""
    started = time.perf_counter()
    process = subprocess.Popen([str(executable), "--smoke-test"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        message = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{executable} --smoke-test failed: {message}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    build = _build_module()
    version = build.app_metadata().version
    app_folder = build.BUILD / "dist" / "nrp-desktop"
    app_deb = build.DIST / f"nrp-desktop_{version}_amd64.deb"
    bare_folder = build.BUILD / "baseline-dist" / "nrp-desktop-baseline"
    bare_deb = build.BUILD / "baseline" / f"nrp-desktop-baseline_{version}_amd64.deb"
    missing = [path for path in (app_folder, app_deb, bare_folder, bare_deb) if not path.exists()]
    if missing:
        print("bench_packaging: build first: python3 packaging/build.py linux && "
              "python3 packaging/build.py baseline --reuse-env\n  missing: "
              + ", ".join(str(path) for path in missing), file=sys.stderr)
        return 2

    figures: dict[str, float] = {
        "app_deb_mib": app_deb.stat().st_size / 2**20,
        "bare_deb_mib": bare_deb.stat().st_size / 2**20,
        "app_folder_mib": build.folder_size(app_folder) / 2**20,
        "bare_folder_mib": build.folder_size(bare_folder) / 2**20,
        "app_installed_mib": installed_kib(app_deb) / 1024,
        "bare_installed_mib": installed_kib(bare_deb) / 1024,
    }
    figures["deb_ratio"] = figures["app_deb_mib"] / figures["bare_deb_mib"]
    figures["folder_ratio"] = figures["app_folder_mib"] / figures["bare_folder_mib"]

    with tempfile.TemporaryDirectory(prefix="nrp-bench-") as data:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NRP_DESKTOP_DATA_DIR": data}
        app, bare = app_folder / "nrp-desktop", bare_folder / "nrp-desktop-baseline"
        start_up(app, env), start_up(bare, env)  # warm the file cache for both
        app_runs, bare_runs = [], []
        for _ in range(args.runs):
            bare_runs.append(start_up(bare, env))
            app_runs.append(start_up(app, env))
    figures["app_start_s"] = statistics.median(seconds for seconds, _ in app_runs)
    figures["bare_start_s"] = statistics.median(seconds for seconds, _ in bare_runs)
    figures["start_ratio"] = figures["app_start_s"] / figures["bare_start_s"]
    figures["app_peak_mib"] = statistics.median(mib for _, mib in app_runs)
    figures["bare_peak_mib"] = statistics.median(mib for _, mib in bare_runs)

    if args.json:
        print(json.dumps({key: round(value, 3) for key, value in figures.items()}, indent=2))
        return 0
    print(f"{'':24}{'app':>10}{'bare':>10}{'ratio':>8}")
    print(f"{'.deb (MiB)':24}{figures['app_deb_mib']:10.1f}{figures['bare_deb_mib']:10.1f}{figures['deb_ratio']:8.2f}")
    print(f"{'installed folder (MiB)':24}{figures['app_folder_mib']:10.1f}{figures['bare_folder_mib']:10.1f}"
          f"{figures['folder_ratio']:8.2f}")
    print(f"{'start-up, median (s)':24}{figures['app_start_s']:10.3f}{figures['bare_start_s']:10.3f}"
          f"{figures['start_ratio']:8.2f}")
    print(f"{'peak memory (MiB)':24}{figures['app_peak_mib']:10.0f}{figures['bare_peak_mib']:10.0f}"
          f"{figures['app_peak_mib'] / figures['bare_peak_mib']:8.2f}")
    verdict = "meets" if max(figures["deb_ratio"], figures["folder_ratio"]) <= SIZE_GOAL else "misses"
    print(f"size {verdict} the goal of ≤ {SIZE_GOAL}× the bare window")
    return 0


if __name__ == "__main__":
    sys.exit(main())
