"""Two builds of benches/upload.rs side by side, and the Python SDK, against one
uploads server (README, "Uploading large files"). Runs are interleaved (for
each setting: the base build, the new one, the new one with `--progress`), so
that the load of a shared machine falls on all alike; the table gives median
MiB/s and the median of the per-round ratios to the base. Run by hand:

    python3 generated/benches/upload_compare.py --base BASE_BENCH_BINARY --new NEW_BENCH_BINARY \
        [--python VENV/bin/python] [--rounds 5] [--size-mib 1024] [--base-url http://127.0.0.1:8911]
"""

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

LINE = re.compile(r"concurrency \d+: [\d.]+ s, (\d+) MiB/s, peak RSS (\d+) MiB")
PYTHON_LINE = re.compile(r"python sdk ([\w.]+): [\d.]+ s, (\d+) MiB/s, peak RSS (\d+) MiB")
SDK_BENCH = Path(__file__).with_name("upload_python_sdk.py")


def run(command: list[str], pattern: re.Pattern) -> re.Match:
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = next((m for m in map(pattern.search, output.splitlines()) if m), None)
    if match is None:
        sys.exit(f"no result from {' '.join(command)}:\n{output}")
    return match


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="the bench binary to compare against")
    parser.add_argument("--new", required=True, help="the bench binary under test (knows --progress)")
    parser.add_argument("--python", help="a Python with the openai package, to run the SDK's bench")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size-mib", default="1024")
    parser.add_argument("--base-url", default="http://127.0.0.1:8911")
    args = parser.parse_args()
    variants = {"base": [args.base], "new": [args.new], "new --progress": [args.new, "--progress"]}
    settings = [(md5, parts) for md5 in (False, True) for parts in (1, 4, 8)]
    results = {}  # (variant, md5, parts) -> [(MiB/s, peak RSS)] by round
    sdk = []
    for round_ in range(args.rounds):
        for md5, parts in settings:
            for name, command in variants.items():
                flags = ["--size-mib", args.size_mib, "--concurrency", str(parts), "--base-url", args.base_url]
                match = run(command + flags + (["--md5"] if md5 else []), LINE)
                results.setdefault((name, md5, parts), []).append((int(match[1]), int(match[2])))
                print(f"round {round_ + 1}, {name}, md5 {md5}, {parts} parts: {match[1]} MiB/s", file=sys.stderr)
        if args.python:
            match = run([args.python, str(SDK_BENCH), "--size-mib", args.size_mib, "--base-url", args.base_url], PYTHON_LINE)
            sdk.append((int(match[2]), int(match[3]), match[1]))

    python_median = statistics.median(rate for rate, _, _ in sdk) if sdk else None
    if sdk:
        print(f"Python SDK {sdk[0][2]}: {python_median:.0f} MiB/s (runs: {[rate for rate, _, _ in sdk]}), peak RSS {sdk[0][1]} MiB")
    print("| MD5 | parts in flight | base MiB/s | new | new, progress | new / base | new, progress / base | new, progress / Python | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    for md5, parts in settings:
        runs = {name: results[(name, md5, parts)] for name in variants}
        median = {name: statistics.median(rate for rate, _ in runs[name]) for name in variants}
        ratio = {
            name: statistics.median(new[0] / base[0] for new, base in zip(runs[name], runs["base"]))
            for name in variants
        }
        versus_python = f"{median['new --progress'] / python_median:.2f}" if python_median else "-"
        rss = statistics.median(peak for _, peak in runs["new --progress"])
        print(
            f"| {'on' if md5 else 'off'} | {parts} | {median['base']:.0f} | {median['new']:.0f} | "
            f"{median['new --progress']:.0f} | {ratio['new']:.2f} | {ratio['new --progress']:.2f} | {versus_python} | {rss:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
