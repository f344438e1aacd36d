#!/usr/bin/env bash
# Kurasi's benchmarks, all of them, in one command: builds the release binaries, generates the
# synthetic rounds into a temp dir, runs the in-process benchmarks (ordo-one/benchmark), the
# start-up of the real binary and of VisiData in tmux, Python's json on the same files, and prints
# one markdown table. See README.md beside this file.
#
#   Benchmarks/run.sh                       every size: madiun (the fixture), 1x, 10x, 100x, 1000x
#   KURASI_BENCH_SCALES=madiun,1x,10x Benchmarks/run.sh     a quicker subset
#   KURASI_BENCH_DIR=DIR                    keep (and reuse) the generated rounds in DIR
#   KURASI_BENCH_IMPORT_ROWS=10000,100000   the registry sizes imported (default 10000,100000,1000000)
#   KURASI_BENCH_RESULTS=DIR                where the raw results and table.md go
#                                           (default Benchmarks/.build/bench-results/<UTC time>)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
SCALES="${KURASI_BENCH_SCALES:-madiun,1x,10x,100x,1000x}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="${KURASI_BENCH_RESULTS:-$HERE/.build/bench-results/$STAMP}"
if [[ -n "${KURASI_BENCH_DIR:-}" ]]; then
    DATA="$KURASI_BENCH_DIR"
else
    DATA="$(mktemp -d "${TMPDIR:-/tmp}/kurasi-bench.XXXXXX")"
    trap 'rm -rf "$DATA"' EXIT
    trap 'exit 130' INT TERM HUP
fi
mkdir -p "$RESULTS/ordo" "$DATA"
export KURASI_BENCH_DIR="$DATA" KURASI_BENCH_SCALES="$SCALES"
say() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)" >&2; }

for tool in swift tmux python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 1; }
done
if ! python3 -c 'import visidata' 2>/dev/null; then
    say "installing VisiData from PyPI (for the comparison)"
    python3 -m pip install --quiet visidata >&2
fi
VD="$(python3 -c 'import os, sys; print(os.path.join(sys.prefix, "bin", "vd"))')"
[[ -x "$VD" ]] || VD="$(command -v vd)"

COMMIT="$(git -C .. rev-parse --short HEAD 2>/dev/null || echo '?')"
say "building kurasi and kurasi-bench (release, in Benchmarks/.build) at $COMMIT"
swift build -c release --product kurasi >&2
swift build -c release --product kurasi-bench >&2
swift build -c release --product KurasiBenchmarks >&2   # now, so that every number is of the same code
BIN="$(swift build -c release --show-bin-path)"

say "generating the rounds in $DATA"
"$BIN/kurasi-bench" generate "$DATA" --scales "$SCALES" | tee "$RESULTS/generate.jsonl" >&2

say "in-process benchmarks (ordo-one/benchmark)"
swift package --disable-sandbox --allow-writing-to-directory "$RESULTS/ordo" benchmark \
    --target KurasiBenchmarks --no-progress --format histogramPercentiles --path "$RESULTS/ordo" >&2

# Fewer runs where one takes seconds; no warm-up there (the files are in the page cache already).
runs() { case "$1" in 100x) echo 3 ;; 1000x) echo 2 ;; *) echo 7 ;; esac; }
warmup() { case "$1" in 100x|1000x) echo 0 ;; *) echo 1 ;; esac; }

IFS=',' read -ra LIST <<<"$SCALES"
for s in "${LIST[@]}"; do
    store="$DATA/$s/kurasi.json"
    say "$s: Python json"
    python3 tools/bench.py pyjson --scale "$s" --runs "$(runs "$s")" "$store" | tee -a "$RESULTS/pyjson.jsonl" >&2
    say "$s: a CLI score edit, end to end in a fresh process"
    python3 tools/bench.py cli --scale "$s" --runs "$(runs "$s")" --kurasi "$BIN/kurasi" "$store" | tee -a "$RESULTS/cli.jsonl" >&2
    say "$s: start-up to the first frame in tmux (kurasi, then VisiData)"
    python3 tools/bench.py startup --name kurasi --scale "$s" --runs "$(runs "$s")" --warmup "$(warmup "$s")" \
        --pattern '^\s+(1|·) P-\d' -- env LANG=C.UTF-8 "$BIN/kurasi" --store "$store" --curator K1 \
        | tee -a "$RESULTS/startup.jsonl" >&2
    python3 tools/bench.py startup --name visidata --scale "$s" --runs "$(runs "$s")" --warmup "$(warmup "$s")" \
        --pattern '^\s*P-0*1\s' -- env LANG=C.UTF-8 "$VD" "$DATA/$s/products.csv" \
        | tee -a "$RESULTS/startup.jsonl" >&2
done

say "registry import: ${KURASI_BENCH_IMPORT_ROWS:-10000,100000,1000000} rows"
python3 tools/bench.py import --kurasi "$BIN/kurasi" --rows "${KURASI_BENCH_IMPORT_ROWS:-10000,100000,1000000}" \
    | tee -a "$RESULTS/import.jsonl" >&2

python3 - "$RESULTS/meta.json" "$STAMP" "$VD" "$COMMIT" <<'EOF'
import json, subprocess, sys
def out(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"
swift = out("swift", "--version").split("version ")[-1].split(" ")[0]
vd = out(sys.argv[3], "--version").split()[-1].lstrip("v")
tmux = out("tmux", "-V").split()[-1]
stamp = sys.argv[2]
start = sys.argv[4]
end = out("git", "-C", "..", "rev-parse", "--short", "HEAD") or "?"
dirty = out("git", "-C", "..", "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift")
commit = start if start == end else f"{start} (changed to {end} during the run)"
json.dump({"date": f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]} UTC",
           "swift": swift, "visidata": vd, "tmux": tmux,
           "commit": commit + (" with uncommitted changes in Sources/" if dirty else "")}, open(sys.argv[1], "w"))
EOF

python3 tools/bench.py report "$RESULTS" | tee "$RESULTS/table.md"
say "raw results and table.md in $RESULTS"
