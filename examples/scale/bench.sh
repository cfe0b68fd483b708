#!/usr/bin/env bash
# Scale benchmark: compiles N=100 and N=1000 generated pipelines and prints
# ratios against baselines measured in the same run, so the numbers mean
# the same on any machine:
#   - compile time per pipeline at N=1000 vs N=100 (1.0 = linear scaling),
#   - the compiler's share of the front end (Compile vs Load+Compile),
#   - CPU time per pipeline of `pipeform validate` at N=1000 vs N=100,
#   - peak memory of `pipeform validate` on the N=1000 directory,
#   - load+compile against parsing alone (BenchmarkParse),
# and then runs frontend.sh: validate and generate of the real binary
# against the parse floor, median of paired runs, and generate's memory.
# Usage: bash examples/scale/bench.sh [BENCHTIME] [PAIRS]   (default 5x, 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
benchtime="${1:-5x}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

go test ./examples/scale -run '^$' -bench . -benchtime "$benchtime" -count 1 | tee "$tmp/bench.txt"

# metric NAME UNIT: the value of UNIT on the benchmark line NAME.
metric() {
  awk -v name="$1" -v unit="$2" '$1 ~ "^"name"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == unit) print $i }' "$tmp/bench.txt"
}
c100=$(metric 'BenchmarkCompile/N=100' ns/pipeline)
c1000=$(metric 'BenchmarkCompile/N=1000' ns/pipeline)
f100=$(metric 'BenchmarkLoadCompile/N=100' ns/pipeline)
f1000=$(metric 'BenchmarkLoadCompile/N=1000' ns/pipeline)
p1000=$(metric 'BenchmarkParse/N=1000' ns/pipeline)

go run ./examples/scale -pipelines 100 -out "$tmp/n100" >/dev/null
go run ./examples/scale -pipelines 1000 -out "$tmp/n1000" >/dev/null
go build -o "$tmp/pipeform" ./cmd/pipeform
rss="" cpu100="" cpu1000=""
if [ -x /usr/bin/time ]; then
  # CPU seconds (user+sys) are less disturbed by other load than wall time.
  for n in 100 1000; do
    /usr/bin/time -f '%U %S %M' -o "$tmp/time$n.txt" "$tmp/pipeform" validate "$tmp/n$n" >/dev/null 2>&1 || true
  done
  cpu100=$(awk '{ print $1 + $2 }' "$tmp/time100.txt")
  cpu1000=$(awk '{ print $1 + $2 }' "$tmp/time1000.txt")
  rss=$(awk '{ print $3 }' "$tmp/time1000.txt")
fi

echo
awk -v p1000="$p1000" -v c100="$c100" -v c1000="$c1000" -v f100="$f100" -v f1000="$f1000" -v rss="$rss" -v cpu100="$cpu100" -v cpu1000="$cpu1000" 'BEGIN {
  printf "compile time per pipeline, N=1000 vs N=100:      %.2fx (1.00 = linear)\n", c1000 / c100
  printf "load+compile per pipeline, N=1000 vs N=100:      %.2fx\n", f1000 / f100
  printf "compiler share of load+compile at N=1000:        %.1f%%\n", 100 * c1000 / f1000
  printf "load+compile / parse alone (in process), N=1000: %.2fx\n", f1000 / p1000
  printf "load+compile of N=1000:                          %.2f s (%.2f ms per pipeline)\n", f1000 * 1000 / 1e9, f1000 / 1e6
  if (cpu100 > 0) printf "validate CPU time per pipeline, N=1000 vs N=100: %.2fx (%.2f s vs %.2f s in all)\n", (cpu1000 / 1000) / (cpu100 / 100), cpu1000, cpu100
  if (rss != "") printf "peak memory, pipeform validate on N=1000:        %.0f MiB\n", rss / 1024
}'

bash examples/scale/frontend.sh "${2:-5}"
