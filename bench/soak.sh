#!/bin/sh
# Ten-minute real-time soaks on quest, one after the other (never at the same time):
#  1. memory: resident memory at minute 1 and minute 10 (summary.json "rss_mb");
#  2. deadline misses with a strategist that takes 1 s per call ("deadline_misses",
#     agent_stats.latency.agent.p99_us).
# Usage: sh bench/soak.sh [OUT_DIR]   (default /tmp); about 21 minutes, on a quiet machine
# (other busy processes on a 2-core machine starve a real-time loop).
set -e
out=${1:-/tmp}
py=.venv/bin/eevee
$py play --seconds 600 --until frames --quiet --out "$out/soak1"
$py play --seconds 600 --until frames --quiet --strategist slow --out "$out/soak2"
for d in soak1 soak2; do
  .venv/bin/python - "$out/$d/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
lat = s.get("agent_stats", {}).get("latency", {}).get("agent", {})
print(sys.argv[1], "rss_mb", s.get("rss_mb"), "deadline_misses", s["deadline_misses"],
      "agent p50/p99 us", lat.get("p50_us"), lat.get("p99_us"), "frames", s["frames"],
      "wall_s", s["wall_s"], "gc", s.get("gc"))
PY
  grep '"deadline_miss"' "$out/$d/metrics.jsonl" || true
done
