#!/usr/bin/env bash
# Front-end benchmark: `pipeform validate` and `pipeform generate` (all
# targets) of N generated pipelines, each as a ratio against the parse floor
# measured in the same run: the same files read and parsed with hclsyntax
# alone, one after another (`go run ./examples/scale -parse DIR`). Each ratio
# is the median of PAIRS pairs run back to back, in wall time (what a user
# waits for; pipeform uses both cores, the floor one) and in CPU time (user +
# system, which a busy machine disturbs less). Also the peak memory (maximum
# resident set) of generate.
# Usage: bash examples/scale/frontend.sh [PAIRS] [N]   (defaults 5 and 1000)
# PIPEFORM=path/to/pipeform measures that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs="${1:-5}"
n="${2:-1000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ ! -x /usr/bin/time ]; then
  echo "frontend.sh needs GNU time (/usr/bin/time)" >&2
  exit 2
fi

pipeform="${PIPEFORM:-$tmp/pipeform}"
[ -n "${PIPEFORM:-}" ] || go build -o "$pipeform" ./cmd/pipeform
go build -o "$tmp/scale" ./examples/scale
"$tmp/scale" -pipelines "$n" -out "$tmp/cfg" >/dev/null

# measure FILE CMD...: append "wall cpu maxrss_kib" of CMD to FILE.
measure() {
  local file=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >/dev/null 2>&1
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$tmp/t" >>"$file"
}
# median COLUMN FILE: the median of a column.
median() {
  cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# ratios A B OUT: per pair, A/B of wall and of CPU, into OUT.
ratios() {
  paste -d' ' "$1" "$2" | awk '{ printf "%.4f %.4f\n", $1 / $4, $2 / $5 }' >"$3"
}

"$tmp/scale" -parse "$tmp/cfg" # warm the page cache
for i in $(seq "$pairs"); do
  measure "$tmp/floor-v" "$tmp/scale" -parse "$tmp/cfg"
  measure "$tmp/validate" "$pipeform" validate "$tmp/cfg"
  rm -rf "$tmp/out"
  measure "$tmp/floor-g" "$tmp/scale" -parse "$tmp/cfg"
  measure "$tmp/generate" "$pipeform" generate "$tmp/cfg" --out "$tmp/out"
done
ratios "$tmp/validate" "$tmp/floor-v" "$tmp/r-validate"
ratios "$tmp/generate" "$tmp/floor-g" "$tmp/r-generate"

row() { # NAME RATIOS TIMES FLOOR GOAL
  printf "%-38s %5.2fx wall  %5.2fx CPU   (goal <= %s; medians %.2f s wall, %.2f s CPU; floor %.2f s, %.2f s)\n" \
    "$1" "$(median 1 "$2")" "$(median 2 "$2")" "$5" "$(median 1 "$3")" "$(median 2 "$3")" "$(median 1 "$4")" "$(median 2 "$4")"
}
echo
echo "front end, N=$n pipelines, $pairs pairs, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end:"
row "validate / parse floor" "$tmp/r-validate" "$tmp/validate" "$tmp/floor-v" 1.3x
row "generate (all targets) / parse floor" "$tmp/r-generate" "$tmp/generate" "$tmp/floor-g" 1.5x
printf "%-38s %5.0f MiB            (goal <= 100 MiB; validate %.0f MiB, floor %.0f MiB)\n" "peak memory of generate" \
  "$(median 3 "$tmp/generate" | awk '{ print $1 / 1024 }')" "$(median 3 "$tmp/validate" | awk '{ print $1 / 1024 }')" "$(median 3 "$tmp/floor-g" | awk '{ print $1 / 1024 }')"
