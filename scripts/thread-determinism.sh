#!/usr/bin/env bash
# Trains one model for a few steps with one seed at 1 and at 2 libtorch threads and reports how far the losses drift
# apart, per loss and step range. Right kernels differ only in rounding order between thread counts, so the smooth losses
# stay close while the adversarial ones, which the GAN game amplifies, drift after some steps; a wrong kernel makes them
# differ from the first steps on (or NaN).
# Environment: MODEL (default AttributeGan64), STEPS (default 20), COUNT (synthetic images, default 1024).
# Usage: scripts/thread-determinism.sh [output.md]
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-docs/results/thread-determinism.md}"
model="${MODEL:-AttributeGan64}"
steps="${STEPS:-20}"
count="${COUNT:-1024}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cli="runtime/AttributeGan.Cli/bin/Release/net10.0/attributegan.dll"
dotnet build runtime/AttributeGan.Cli -c Release -nologo -v quiet >/dev/null

for threads in 1 2; do
  echo "training $model for $steps steps at $threads thread(s)" >&2
  OMP_NUM_THREADS=$threads dotnet "$cli" train --model "$model" --out "$work/$threads" --steps "$steps" --sample-every 0 \
    --checkpoint-every "$steps" --synthetic-count "$count" >/dev/null
done

mkdir -p "$(dirname "$out")"
{
  echo "# Losses at 1 and 2 threads, one seed"
  echo
  echo "Produced by \`MODEL=$model STEPS=$steps COUNT=$count scripts/thread-determinism.sh\` ($(git rev-parse --short HEAD 2>/dev/null || echo 'no git'), $(date -u '+%Y-%m-%d %H:%M UTC'))."
  echo "Largest relative difference |a − b| / max(|a|, 1e-3) between the two runs' losses (losses.csv), per step range."
  echo
  echo "| steps | d_adversarial | d_reconstruction | d_contrastive | g_adversarial | g_contrastive |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  paste -d, <(tail -n +2 "$work/1/losses.csv") <(tail -n +2 "$work/2/losses.csv") | awk -F, -v steps="$steps" '
    function rel(a, b) { d = a - b; if (d < 0) d = -d; m = a < 0 ? -a : a; if (m < 1e-3) m = 1e-3; return d / m }
    {
      step = $1; range = step <= 5 ? 1 : (step <= 10 ? 2 : 3)
      for (k = 2; k <= 6; k++) { r = rel($k, $(k + 8)); if (r > worst[range, k]) worst[range, k] = r }
    }
    END {
      label[1] = "1–5"; label[2] = "6–10"; label[3] = "11–" steps
      for (range = 1; range <= 3; range++) {
        printf "| %s |", label[range]
        for (k = 2; k <= 6; k++) printf " %.1e |", worst[range, k]
        printf "\n"
      }
    }'
} >"$out"
echo "wrote $out" >&2
