#!/usr/bin/env bash
# Measures data-parallel training on this machine: all-reduce bandwidth between 2 local ranks and training
# images/s of AttributeGan64 on 1 rank vs 2 ranks with the same global batch. Run on a quiet machine after
# `dotnet build AttributeGan.sln -c Release`. Prints a Markdown table; STEPS and BATCH override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${STEPS:-40}"
batch="${BATCH:-16}"
cli=runtime/AttributeGan.Cli/bin/Release/net10.0/attributegan.dll
probe=tests/AttributeGan.Distributed.Probe/bin/Release/net10.0/AttributeGan.Distributed.Probe.dll
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Median images/s over the steps after the first 5 (warm-up), from a run's losses.csv.
median_rate() {
  python3 - "$1" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))[5:]
print(f"{statistics.median(float(r['images_per_second']) for r in rows):.2f}")
PY
}

bandwidth=$(mpiexec.mpich -n 2 dotnet "$probe" bandwidth | grep -E "rank=0 bandwidth\.(median_ms|gb_per_s)" | sed 's/.*bandwidth\.//' | tr '\n' ' ')
common=(train --model AttributeGan64 --steps "$steps" --batch "$batch" --sample-every 0 --checkpoint-every 100000)
dotnet "$cli" "${common[@]}" --out "$work/one" >/dev/null
mpiexec.mpich -n 2 dotnet "$cli" "${common[@]}" --out "$work/two" >/dev/null
one=$(median_rate "$work/one/losses.csv")
two=$(median_rate "$work/two/losses.csv")

echo "| measure | value |"
echo "| --- | --- |"
echo "| machine | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores |"
echo "| all-reduce of 10 M float32, 2 local ranks | ${bandwidth} |"
echo "| AttributeGan64, global batch $batch, 1 rank | $one images/s |"
echo "| AttributeGan64, global batch $batch, 2 ranks × $((batch / 2)) | $two images/s |"
echo "| 2 ranks ÷ 1 rank | $(python3 -c "print(f'{$two / $one:.2f}')") |"
