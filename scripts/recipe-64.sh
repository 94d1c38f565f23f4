#!/usr/bin/env bash
# The recipe experiments at 64×64 (docs/results/recipe-64.md): AttributeGan64 and its variants in
# experiments/recipe-64/specs, each trained for the same budget on the same synthetic images and evaluated together.
#   MODELS="R64Msd R64MsdAugGp" STEPS=800 SEEDS="0 1 2" scripts/recipe-64.sh
# prints, per run, the collapse monitor's last noise/attribute spreads and writes the evaluation to $WORK/table1.
# Re-running resumes each run from its newest checkpoint; the data set and the classifier are reused.
set -euo pipefail
cd "$(dirname "$0")/.."

MODELS="${MODELS:-AttributeGan64 R64Msd R64MsdAug R64MsdAugNoise R64MsdAugGp R64MsdAugGpNoise R64MsdGcon0 R64Plain}"
STEPS="${STEPS:-800}"
SEEDS="${SEEDS:-0}"
COUNT="${COUNT:-1024}"
SAMPLES="${SAMPLES:-500}"
EPOCHS="${EPOCHS:-3}"
DEGRADE="${DEGRADE:-0}"   # share of the classifier's training images blurred and noised (classifier train --degrade)
WORK="${WORK:-runs/recipe-64}"
DEVICE="${DEVICE:-cpu}"

dotnet build experiments/recipe-64 -c Release -nologo -v quiet
recipe() { dotnet experiments/recipe-64/bin/Release/net10.0/recipe-64.dll "$@"; }

data="$WORK/data"
if [ ! -f "$data/attributes.csv" ] || [ "$(( $(wc -l < "$data/attributes.csv") - 1 ))" -ne "$COUNT" ]; then
  rm -rf "$data"
  recipe synth --out "$data" --count "$COUNT" --resolution 64 --model AttributeGan64 --seed 0
fi
classifier="$WORK/classifier.bin"
[ "$DEGRADE" = 0 ] || classifier="$WORK/classifier-degrade-$DEGRADE.bin"
if [ ! -f "$classifier" ]; then
  recipe classifier train --data "$data" --out "$classifier" --epochs "$EPOCHS" --seed 0 --degrade "$DEGRADE" --model AttributeGan64 --device "$DEVICE"
fi

runs=()
for model in $MODELS; do
  for seed in $SEEDS; do
    out="$WORK/runs/$model-s$seed"
    recipe train --model "$model" --data "$data" --out "$out" --steps "$STEPS" --seed "$seed" --device "$DEVICE" --monitor-every 50 --sample-every 200
    # The collapse monitor's last row: per-pixel spread across noise vectors / across attribute levels (losses.csv).
    echo "$model seed $seed: noise, attribute spread $(grep -v ',,' "$out/losses.csv" | tail -1 | cut -d, -f7,8)"
    runs+=(--run "$out")
  done
done
recipe evaluate "${runs[@]}" --data "$data" --classifier "$classifier" --samples "$SAMPLES" --seed 0 --out "$WORK/table1" --device "$DEVICE"
