#!/usr/bin/env bash
# Compares two `merit` binaries on `merit replay` of the same file, run side by side: in each round
# both run at once, one on each core (taskset), and the next round swaps the cores. This machine's
# speed drifts by ±20% from one minute to the next (it is a shared virtual machine); two
# runs at the same moment see much the same drift, so the ratio of a pair is steadier than the
# ratio of runs taken in turn (one binary against itself: ±4% against ±20%; docs/performance.md).
# Prints each pair, the medians and the median of the pairs' ratios.
#
#   bench/ab_replay.sh BASE_MERIT NEW_MERIT [EVENTS_FILE]      env: ROUNDS=4 PROGRAM=...
#
# Needs two cores. The file defaults to bench/data/events-10m.jsonl (bench/run_replay.sh makes it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -lt 2 ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
base="$1"
new="$2"
events="${3:-$root/bench/data/events-10m.jsonl}"
program="${PROGRAM:-$root/bench/programs/yanxuan.merit}"
rounds="${ROUNDS:-4}"
for b in "$base" "$new"; do
  if [ ! -x "$b" ]; then
    echo "ab_replay.sh: no merit binary at $b" >&2
    exit 2
  fi
done
if [ ! -s "$events" ]; then
  echo "ab_replay.sh: no events file at $events (bench/run_replay.sh makes one)" >&2
  exit 2
fi
if [ "$(nproc)" -lt 2 ]; then
  echo "ab_replay.sh: needs two cores, this machine has $(nproc)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
run() {  # run CORE BINARY OUT: wall seconds into OUT; the binary's summary line must match
  taskset -c "$1" /usr/bin/time -f "%e" -o "$3" \
    "$2" replay --rules "$program" --events "$events" --out /dev/null 2>"$3.err" >/dev/null
  tail -1 "$3.err" >"$3.summary"
}
echo "merit replay of $events, $rounds rounds side by side; machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
for i in $(seq "$rounds"); do
  core_base=$(((i + 1) % 2))
  core_new=$((i % 2))
  run "$core_base" "$base" "$work/base.$i" &
  run "$core_new" "$new" "$work/new.$i" &
  wait
  if ! cmp -s "$work/base.$i.summary" "$work/new.$i.summary"; then
    echo "ab_replay.sh: the two binaries replayed the file differently:" >&2
    echo "  base: $(cat "$work/base.$i.summary")" >&2
    echo "  new:  $(cat "$work/new.$i.summary")" >&2
    exit 1
  fi
  echo "  round $i: base $(cat "$work/base.$i") s (core $core_base), new $(cat "$work/new.$i") s (core $core_new)"
done
python3 - "$work" "$rounds" <<'PY'
import statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
base = [float(open(f"{work}/base.{i}").read()) for i in range(1, rounds + 1)]
new = [float(open(f"{work}/new.{i}").read()) for i in range(1, rounds + 1)]
ratios = [n / b for b, n in zip(base, new)]
print(f"median base {statistics.median(base):.2f} s, new {statistics.median(new):.2f} s; "
      f"new / base per pair: {', '.join(f'{r:.3f}' for r in ratios)}; "
      f"median {statistics.median(ratios):.3f} ({(statistics.median(ratios) - 1) * 100:+.1f}%)")
PY
