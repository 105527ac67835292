#!/usr/bin/env bash
# Builds `merit` and `evaluator_bench` optimised with a profile of a training run (GCC's
# profile-guided optimisation, CMake option MERIT_PGO):
#   1. an instrumented build (-DMERIT_PGO=generate);
#   2. a training run: `merit gen` histories for the benchmark's program and for every program in
#      rulesets/, each replayed, and a small evaluator bench. The training histories are not the
#      measured ones: other seeds, 50,000 members, not 1,000,000;
#   3. the same build again, compiled with what the training recorded (-DMERIT_PGO=use).
#
#   bench/build_pgo.sh [BUILD_DIR]          (default build-pgo; takes about 4 minutes on 2 cores)
#
# Then, as in docs/performance.md:
#   BUILD_DIR/bench/evaluator_bench --benchmark_filter='apply/year|table|codec'
#   bench/run_replay.sh BUILD_DIR/tools/merit
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-pgo}"
config=(-S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMERIT_BUILD_BENCH=ON
        -DMERIT_BUILD_TESTS=OFF "-DMERIT_PGO_DIR=$build/pgo-profiles")
targets=(merit evaluator_bench)

echo "== 1. instrumented build in $build" >&2
rm -rf "$build/pgo-profiles"
cmake "${config[@]}" -DMERIT_PGO=generate >/dev/null
ninja -C "$build" "${targets[@]}"

echo "== 2. training" >&2
train="$(mktemp -d)"
trap 'rm -rf "$train"' EXIT
merit="$build/tools/merit"
programs=("$root/bench/programs/yanxuan.merit" "$root"/rulesets/*/program.merit)
seed=7
for program in "${programs[@]}"; do
  events=500000
  [ "$program" = "${programs[0]}" ] || events=100000
  "$merit" gen --members 50000 --events "$events" --days 365 --seed "$seed" \
    --program "$program" --out "$train/events.jsonl"
  "$merit" replay --rules "$program" --events "$train/events.jsonl" --out /dev/null 2>/dev/null
  seed=$((seed + 1))
done
"$build/bench/evaluator_bench" --members 200000 --events 2000000 --seed 7 \
  --benchmark_filter='apply/year|table|codec' >/dev/null

echo "== 3. optimised build with the training profile" >&2
cmake "${config[@]}" -DMERIT_PGO=use >/dev/null
ninja -C "$build" "${targets[@]}"
echo "built $build/tools/merit and $build/bench/evaluator_bench" >&2
