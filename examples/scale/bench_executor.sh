#!/usr/bin/env bash
# Executor benchmark: the local executor's overhead on four shapes, each as
# a ratio or a difference against a baseline measured in the same run
# (median of PAIRS pairs, default 5), so the numbers mean the same on any
# machine:
#   - one CodeBuild action of one `true` command, over a shell running
#     `true`: the cost one more such action adds to `pipeform apply`
#     ((T(21 actions) - T(1 action)) / 20 - T(sh -c true)),
#   - one `local` action, the same way,
#   - a 10-wide x 5-deep DAG of `sleep 0.2` local actions with
#     --parallelism 10, over its critical path (five `sleep 0.2` in a row),
#   - a re-run of a chain of 50 CodeBuild actions, everything cached, over
#     `pipeform validate` of the same directory (the cost of loading it),
#     with 2 earlier runs kept and again with 100.
# go-task runs the same shapes as a peer when `task` is on PATH.
# Usage: bash examples/scale/bench_executor.sh [PAIRS]
#        PIPEFORM=/path/to/pipeform bash examples/scale/bench_executor.sh [PAIRS]
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs="${1:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# PIPEFORM=path measures another build (an older commit, say) instead.
pf="${PIPEFORM:-}"
if [ -z "$pf" ]; then
  go build -o "$tmp/pipeform" ./cmd/pipeform
  pf="$tmp/pipeform"
fi

# ms CMD...: "WALL CPU", the wall and CPU (user + system, children
# included) milliseconds of one run of CMD, output discarded. CPU time is
# less disturbed by other load on the machine than wall time.
ms() {
  local t
  TIMEFORMAT='%3R %3U %3S'
  t=$({ time "$@" >/dev/null 2>&1; } 2>&1) || { echo "failed: $*" >&2; exit 1; }
  awk -v t="$t" 'BEGIN { split(t, f, " "); printf "%.3f %.3f", f[1] * 1000, (f[2] + f[3]) * 1000 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# extra_cost: reads lines of "A_WALL A_CPU B_WALL B_CPU S_WALL S_CPU"
# and prints the medians of (B - A) / 20 - S for wall and for CPU.
extra_cost() {
  awk '{ print ($3 - $1) / 20 - $5, ($4 - $2) / 20 - $6 }' >"$tmp/pairs.txt"
  echo "$(awk '{ print $1 }' "$tmp/pairs.txt" | median) $(awk '{ print $2 }' "$tmp/pairs.txt" | median)"
}

source_stage='  stage "Source" {
    action "src" {
      codecommit {
        repository = "bench"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }'

# gen_actions DIR N KIND: a pipeline of a source and N actions run one
# after another (run_order 1..N), each a CodeBuild action or a local block
# running `true`.
gen_actions() {
  local dir=$1 n=$2 kind=$3 i
  mkdir -p "$dir"
  {
    printf 'project "pb" {\n  phase "build" {\n    commands = ["true"]\n  }\n}\n\n'
    printf 'pipeline "bench" {\n%s\n  stage "Work" {\n' "$source_stage"
    for ((i = 1; i <= n; i++)); do
      if [ "$kind" = codebuild ]; then
        printf '    action "a%d" {\n      codebuild = project.pb\n      inputs    = [artifact.src]\n      run_order = %d\n    }\n' "$i" "$i"
      else
        printf '    action "a%d" {\n      lambda {\n        function_name = "f"\n      }\n      local {\n        commands = ["true"]\n      }\n      run_order = %d\n    }\n' "$i" "$i"
      fi
    done
    printf '  }\n}\n'
  } >"$dir/main.pf.hcl"
}

# gen_dag DIR: 5 stages of 10 parallel local actions running `sleep 0.2`.
gen_dag() {
  local dir=$1 s i
  mkdir -p "$dir"
  {
    printf 'pipeline "bench" {\n%s\n' "$source_stage"
    for ((s = 1; s <= 5; s++)); do
      printf '  stage "L%d" {\n' "$s"
      for ((i = 1; i <= 10; i++)); do
        printf '    action "a%d" {\n      lambda {\n        function_name = "f"\n      }\n      local {\n        commands = ["sleep 0.2"]\n      }\n    }\n' "$i"
      done
      printf '  }\n'
    done
    printf '}\n'
  } >"$dir/main.pf.hcl"
}

# gen_chain DIR: 50 CodeBuild actions, each consuming the previous one's
# output artifact.
gen_chain() {
  local dir=$1 i prev=src
  mkdir -p "$dir"
  {
    printf 'project "pb" {\n  phase "build" {\n    commands = ["true"]\n  }\n  artifacts {\n    files = ["**/*"]\n  }\n}\n\n'
    printf 'pipeline "bench" {\n%s\n  stage "Chain" {\n' "$source_stage"
    for ((i = 1; i <= 50; i++)); do
      printf '    action "a%d" {\n      codebuild = project.pb\n      inputs    = [artifact.%s]\n      outputs   = ["a%d"]\n      run_order = %d\n    }\n' "$i" "$prev" "$i" "$i"
      prev="a$i"
    done
    printf '  }\n}\n'
  } >"$dir/main.pf.hcl"
}

# per_action KIND: "WALL CPU", medians over pairs of the cost of one more
# action.
per_action() {
  local kind=$1 p
  gen_actions "$tmp/$kind-1" 1 "$kind"
  gen_actions "$tmp/$kind-21" 21 "$kind"
  "$pf" apply "$tmp/$kind-1" --no-cache >/dev/null # warm up
  for ((p = 0; p < pairs; p++)); do
    echo "$(ms "$pf" apply "$tmp/$kind-1" --no-cache) $(ms "$pf" apply "$tmp/$kind-21" --no-cache) $(ms sh -c true)"
  done | extra_cost
}

gen_dag "$tmp/dag"
gen_chain "$tmp/chain"

read -r cb cbcpu < <(per_action codebuild)
read -r lo locpu < <(per_action local)

# dag_ratio CMD...: the median over pairs of CMD's wall time over five
# `sleep 0.2` in a row (the critical path), and of its CPU time.
dag_ratio() {
  for ((p = 0; p < pairs; p++)); do
    echo "$(ms "$@") $(ms sh -c 'sleep 0.2; sleep 0.2; sleep 0.2; sleep 0.2; sleep 0.2')"
  done | awk '{ print $1 / $3, $2 }' >"$tmp/dag.txt"
  echo "$(awk '{ print $1 }' "$tmp/dag.txt" | median) $(awk '{ print $2 }' "$tmp/dag.txt" | median)"
}
read -r dag dagcpu < <(dag_ratio "$pf" apply "$tmp/dag" --parallelism 10)

"$pf" apply "$tmp/chain" >/dev/null # fills the cache
# rerun: "WALL RATIO CPU" of re-running the cached chain: the median wall
# time, its median ratio over `pipeform validate` of the same directory,
# and the median CPU time.
rerun() {
  for ((p = 0; p < pairs; p++)); do
    echo "$(ms "$pf" apply "$tmp/chain") $(ms "$pf" validate "$tmp/chain")"
  done >"$tmp/rerun.txt"
  echo "$(awk '{ print $1 }' "$tmp/rerun.txt" | median) $(awk '{ print $1 / $3 }' "$tmp/rerun.txt" | median) $(awk '{ print $2 }' "$tmp/rerun.txt" | median)"
}
read -r rerun2 ratio2 rerun2cpu < <(rerun)
for ((i = 0; i < 100 - 1 - pairs; i++)); do "$pf" apply "$tmp/chain" >/dev/null; done
read -r rerun100 ratio100 rerun100cpu < <(rerun)

echo
echo "pipeform executor, median of $pairs pairs        wall            CPU         goal (wall)"
printf 'one more CodeBuild action of `true`, over sh:   %7.2f ms    %7.2f ms     <= 3 ms\n' "$cb" "$cbcpu"
printf 'one more local action of `true`, over sh:       %7.2f ms    %7.2f ms     <= 1.5 ms\n' "$lo" "$locpu"
printf '10x5 DAG of sleep 0.2, -p 10, / critical path:  %7.3fx     %7.1f ms     <= 1.05x\n' "$dag" "$dagcpu"
printf 're-run, 50-action chain cached, 2 runs kept:    %7.1f ms    %7.1f ms     <= 100 ms (%.2fx validate)\n' "$rerun2" "$rerun2cpu" "$ratio2"
printf 'the same with 100 runs kept:                    %7.1f ms    %7.1f ms     no growth: %.2fx the 2-run time (%.2fx validate)\n' "$rerun100" "$rerun100cpu" "$(awk -v a="$rerun100" -v b="$rerun2" 'BEGIN { print a / b }')" "$ratio100"

# go-task, as a peer, on the same shapes: a chain of tasks each running
# `true`, a 10 x 5 DAG of `sleep 0.2` with --concurrency 10 (each level
# depends on the whole level before), and a re-run of a 50-task chain whose
# sources and generated files are all up to date (method: checksum).
task=$(command -v task || true)
if [ -z "$task" ] && [ -x "$(go env GOPATH)/bin/task" ]; then task="$(go env GOPATH)/bin/task"; fi
if [ -z "$task" ]; then
  echo
  echo "go-task is not installed: go install github.com/go-task/task/v3/cmd/task@latest, then run again to compare"
  exit 0
fi

# gen_task_chain DIR N: tasks a1..aN run one after another by task "all".
gen_task_chain() {
  local dir=$1 n=$2 i
  mkdir -p "$dir"
  {
    printf "version: '3'\ntasks:\n  all:\n    cmds:\n"
    for ((i = 1; i <= n; i++)); do printf '      - task: a%d\n' "$i"; done
    for ((i = 1; i <= n; i++)); do printf '  a%d:\n    cmds: ["true"]\n' "$i"; done
  } >"$dir/Taskfile.yml"
}
gen_task_chain "$tmp/task-1" 1
gen_task_chain "$tmp/task-21" 21
read -r task_one task_onecpu < <(for ((p = 0; p < pairs; p++)); do
  echo "$(ms "$task" -s -d "$tmp/task-1" all) $(ms "$task" -s -d "$tmp/task-21" all) $(ms sh -c true)"
done | extra_cost)

mkdir -p "$tmp/task-dag"
{
  printf "version: '3'\nrun: once\ntasks:\n"
  for ((l = 1; l <= 5; l++)); do
    printf '  l%d:\n    deps: [' "$l"
    for ((i = 1; i <= 10; i++)); do printf '%sl%d-%d' "$([ "$i" -gt 1 ] && echo ', ')" "$l" "$i"; done
    printf ']\n'
    for ((i = 1; i <= 10; i++)); do
      printf '  l%d-%d:\n' "$l" "$i"
      [ "$l" -gt 1 ] && printf '    deps: [l%d]\n' "$((l - 1))"
      printf '    cmds: ["sleep 0.2"]\n'
    done
  done
} >"$tmp/task-dag/Taskfile.yml"
read -r task_dag task_dagcpu < <(dag_ratio "$task" -s -d "$tmp/task-dag" --concurrency 10 l5)

mkdir -p "$tmp/task-cache"
echo seed >"$tmp/task-cache/a0.txt"
{
  printf "version: '3'\nmethod: checksum\ntasks:\n"
  for ((i = 1; i <= 50; i++)); do
    printf '  a%d:\n' "$i"
    [ "$i" -gt 1 ] && printf '    deps: [a%d]\n' "$((i - 1))"
    printf '    sources: [a%d.txt]\n    generates: [a%d.txt]\n    cmds: ["cp a%d.txt a%d.txt"]\n' "$((i - 1))" "$i" "$((i - 1))" "$i"
  done
} >"$tmp/task-cache/Taskfile.yml"
"$task" -s -d "$tmp/task-cache" a50 >/dev/null
for ((p = 0; p < pairs; p++)); do
  ms "$task" -s -d "$tmp/task-cache" a50
  echo
done >"$tmp/task-cache.txt"
task_cached=$(awk '{ print $1 }' "$tmp/task-cache.txt" | median)
task_cachedcpu=$(awk '{ print $2 }' "$tmp/task-cache.txt" | median)

echo
echo "go-task $("$task" --version | awk '{ print $NF }'), same shapes           wall            CPU"
printf 'one more task of `true`, over sh:               %7.2f ms    %7.2f ms\n' "$task_one" "$task_onecpu"
printf '10x5 DAG of sleep 0.2, -C 10, / critical path:  %7.3fx     %7.1f ms\n' "$task_dag" "$task_dagcpu"
printf 're-run, 50-task chain all up to date:           %7.1f ms    %7.1f ms\n' "$task_cached" "$task_cachedcpu"
