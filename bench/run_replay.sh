#!/usr/bin/env bash
# Times `merit replay` end to end on a 10-million-event JSON Lines file (issue 3, "Speed"); prints
# the median events/s of RUNS runs. The file is made once (by `merit gen` when it is built, else by
# bench/make_events.py) and kept in bench/data/ (git-ignored).
#
#   bench/run_replay.sh [MERIT] [EVENTS_FILE]      env: RUNS=5 PROGRAM=bench/programs/yanxuan.merit
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
merit="${1:-$root/build-bench/tools/merit}"
events="${2:-$root/bench/data/events-10m.jsonl}"
program="${PROGRAM:-$root/bench/programs/yanxuan.merit}"
runs="${RUNS:-5}"
members=1000000
count=10000000

if [ ! -x "$merit" ]; then
  echo "run_replay.sh: no merit binary at $merit (build: ninja -C build-bench merit)" >&2
  exit 2
fi
if [ ! -s "$events" ]; then
  mkdir -p "$(dirname "$events")"
  echo "generating $events ($count events, $members members)" >&2
  if "$merit" gen --members "$members" --events "$count" --program "$program" --seed 1 >"$events.tmp" 2>/dev/null; then
    mv "$events.tmp" "$events"
  else
    rm -f "$events.tmp"
    python3 "$root/bench/make_events.py" --members "$members" --events "$count" --seed 1 --out "$events"
  fi
fi
lines=$(wc -l <"$events")
echo "merit replay of $events ($lines lines), $runs runs; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"

if command -v hyperfine >/dev/null; then
  hyperfine --runs "$runs" --export-json /tmp/run_replay.json \
    "$merit replay --rules $program --events $events --out /dev/null"
  python3 - "$lines" <<'PY'
import json, sys
r = json.load(open("/tmp/run_replay.json"))["results"][0]
print(f"median {r['median']:.2f} s: {int(sys.argv[1]) / r['median']:,.0f} events/s")
PY
  exit 0
fi

times=()
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o /tmp/run_replay.time \
    "$merit" replay --rules "$program" --events "$events" --out /dev/null 2>/tmp/run_replay.err
  read -r secs rss </tmp/run_replay.time
  echo "  run $i: ${secs} s, $(python3 -c "print(f'{$lines/$secs:,.0f}')") events/s, max RSS $((rss / 1024)) MiB; $(tail -1 /tmp/run_replay.err)"
  times+=("$secs")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median ${median} s: $(python3 -c "print(f'{$lines/$median:,.0f}')") events/s (end to end: read, parse, apply, write states)"
