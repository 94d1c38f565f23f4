#!/usr/bin/env bash
# Miniature ablation of the paper's Table 1 at 64×64 on the built-in synthetic data set:
#   1. synth the data set (images + attributes.csv) at 64×64,
#   2. train AttributeGan64, AttributeGan64NoAttention, AttributeGan64NoContrastive and the BigGAN baseline BigGan64
#      for the same step budget on it, once per seed (the three AttributeGan64 specs differ only in attention / the
#      contrastive loss; BigGan64 has their channels, latent, batch and DiffAugment),
#   3. fine-tune the attribute classifier (ImageNet ResNet-18) on the same images (before any run, so each run is
#      evaluated as soon as it is trained),
#   4. evaluate each run on its own (FD-ResNet18, diversity and attribute error per attribute) and combine the
#      evaluations into one table (`attributegan evaluate combine`; with several seeds the table ends with each
#      model's mean ± sample sd),
#   5. write docs/results/ablation-64.md with the table, the settings and the exact command, and each run's evaluation
#      beside it (ablation-64-runs/RUN.json, its wall time in RUN.seconds, its grid in ablation-64-RUN.png). Everything after the line
#      "<!-- reading -->" in an existing results file (the hand-written reading) is kept.
#
# Every budget is an environment variable, e.g. a smoke test of the whole pipeline in a few minutes:
#   STEPS=4 COUNT=64 SAMPLES=32 EPOCHS=1 SEEDS="0 1" WORK=/tmp/ablation RESULTS=/tmp/ablation/ablation-64.md scripts/ablation-64.sh
# Re-running resumes: train continues each run from its newest checkpoint up to STEPS; a run evaluated at STEPS is
# neither trained nor evaluated again; the data set is reused when it already has COUNT images (synth is deterministic
# for a seed). The whole table takes longer than one sitting on two cores (≈ 10 h): EVALUATIONS_FROM=DIR (e.g. the
# ablation-64-runs folder of an earlier, partial table) adds the evaluations found there to the work folder's, so
# only the missing runs are trained. `evaluate combine` refuses evaluations made against another data set, classifier
# or seed (their reference rows differ), so a table assembled this way is one measurement. LANES=2 trains two runs at
# once, each in its own process with its output in WORK/runs/RUN.log: on two cores two lanes train ≈ 1.4× the images
# per hour of one (18–20 images/s each against 27 alone, measured on AMD EPYC and Intel Xeon).
set -euo pipefail
cd "$(dirname "$0")/.."

STEPS="${STEPS:-5000}"            # generator/discriminator steps per run (batch 16): ≈ 38 min per AttributeGan64 run, ≈ 55 min per BigGan64 run (bench: its step is ≈ 1.4× AttributeGan64's; its 3,000-step runs, measured beside others, scale to ≈ 85 min) on an idle 2-core CPU; 5,000, not 3,000: polarity is controlled only from there (recipe-64.md, *5,000 steps*)
COUNT="${COUNT:-1024}"            # synthetic images
SAMPLES="${SAMPLES:-500}"         # generated images per run for the table
EPOCHS="${EPOCHS:-3}"             # classifier fine-tuning epochs
DEGRADE="${DEGRADE:-0.5}"         # share of the classifier's training images blurred and noised (classifier train --degrade): a classifier trained on clean images answers one crowding level for every generated image
PRECISION="${PRECISION:-float64}" # the classifier's (classifier train --precision): float64 is the judge that other CPUs (AVX2, AVX-512) train again to the same answers, so runs evaluated in sittings on different machines are read by one judge; float32 judges differ between them
SEEDS="${SEEDS:-0 1 2}"           # one training run per model and seed
SEED=0                            # the data set's, the classifier's and the evaluation's seed
WORK="${WORK:-runs/ablation-64}"
RESULTS="${RESULTS:-docs/results/ablation-64.md}"
EVALUATIONS_FROM="${EVALUATIONS_FROM:-}"   # a folder of RUN.json (+ RUN.seconds) evaluations at STEPS steps to reuse
DEVICE="${DEVICE:-cpu}"
LANES="${LANES:-1}"               # runs trained at once, each in its own process (see above)
ATTRIBUTEGAN="${ATTRIBUTEGAN:-}"  # a built attributegan.dll to run instead of building the repository's (e.g. a copy kept for a sitting of many hours, or a test's)
MODELS=(AttributeGan64 AttributeGan64NoAttention AttributeGan64NoContrastive BigGan64)

if ! [[ "$LANES" =~ ^[1-9][0-9]*$ ]]; then
  echo "LANES=$LANES: expected the number of runs to train at once, a whole number of 1 or more (2 suits a 2-core machine)" >&2
  exit 2
fi
command_line="STEPS=$STEPS COUNT=$COUNT SAMPLES=$SAMPLES EPOCHS=$EPOCHS SEEDS=\"$SEEDS\" scripts/ablation-64.sh"
if [ -z "$ATTRIBUTEGAN" ]; then
  dotnet build runtime/AttributeGan.Cli -c Release -nologo -v quiet
  ATTRIBUTEGAN=runtime/AttributeGan.Cli/bin/Release/net10.0/attributegan.dll
elif [ ! -f "$ATTRIBUTEGAN" ]; then
  echo "ATTRIBUTEGAN=$ATTRIBUTEGAN: no such file; point it at a built attributegan.dll, or leave it empty to build the repository's" >&2
  exit 2
fi
attributegan() { dotnet "$ATTRIBUTEGAN" "$@"; }
started=$(date -u +%s)
stage() { echo; echo "== $* ($(( $(date -u +%s) - started )) s)"; }

data="$WORK/data"
if [ -f "$data/attributes.csv" ] && [ "$(( $(wc -l < "$data/attributes.csv") - 1 ))" -eq "$COUNT" ]; then
  stage "reusing $data ($COUNT images)"
else
  stage "synth $COUNT images at 64×64"
  rm -rf "$data"
  attributegan synth --out "$data" --count "$COUNT" --resolution 64 --model AttributeGan64 --seed "$SEED"
fi

# The classifier depends only on the data, EPOCHS, DEGRADE, PRECISION and SEED: a re-run with more STEPS reuses it (fine-tuning is deterministic; in float64 also across instruction sets).
classifier_settings="count=$COUNT epochs=$EPOCHS seed=$SEED device=$DEVICE"
[ "$DEGRADE" = 0 ] || classifier_settings="$classifier_settings degrade=$DEGRADE"   # (unchanged text without it: older work folders are reused)
[ "$PRECISION" = float32 ] || classifier_settings="$classifier_settings precision=$PRECISION"
if [ -f "$WORK/classifier.bin" ] && [ -f "$WORK/classifier.log" ] && [ "$(cat "$WORK/classifier.settings" 2>/dev/null)" = "$classifier_settings" ]; then
  stage "reusing the attribute classifier ($classifier_settings)"
  classifier_seconds="$(cat "$WORK/classifier.seconds")"
else
  stage "fine-tune the attribute classifier"
  t0=$(date -u +%s)
  attributegan classifier train --data "$data" --out "$WORK/classifier.bin" --epochs "$EPOCHS" --seed "$SEED" --degrade "$DEGRADE" --precision "$PRECISION" --model AttributeGan64 --device "$DEVICE" \
    | tee "$WORK/classifier.log"
  classifier_seconds=$(( $(date -u +%s) - t0 ))
  echo "$classifier_settings" > "$WORK/classifier.settings"
  echo "$classifier_seconds" > "$WORK/classifier.seconds"
fi

declare -A seconds
evaluations="$WORK/evaluations"
mkdir -p "$evaluations" "$WORK/runs"
if [ -n "$EVALUATIONS_FROM" ]; then
  declare -A spec_hashes=()   # model → its spec hash now (describe builds the model: once per model, not per file)
  for carried in "$EVALUATIONS_FROM"/*.json; do
    [ -e "$carried" ] || continue
    run="$(basename "$carried" .json)"
    if [ -f "$evaluations/$run-$STEPS/table1.json" ]; then continue; fi
    if ! grep -q "\"step\": $STEPS," "$carried"; then echo "not reusing $carried: it is not an evaluation at $STEPS steps"; continue; fi
    # Only evaluations of runs trained from the spec as it is now: a recipe changed under the same name has another hash.
    model="${run%-s*}"
    [ -n "${spec_hashes[$model]:-}" ] || spec_hashes[$model]="$(attributegan describe --model "$model" --json | grep -oP '"specHash": *"\K[0-9a-f]+')"
    hash="${spec_hashes[$model]}"
    if ! grep -q "\"specHash\": \"$hash\"" "$carried"; then echo "not reusing $carried: not trained from $model's spec as it is now (hash $hash)"; continue; fi
    mkdir -p "$evaluations/$run-$STEPS"
    cp "$carried" "$evaluations/$run-$STEPS/table1.json"
    if [ -f "${carried%.json}.seconds" ] && [ ! -f "$WORK/runs/$run.seconds" ]; then cp "${carried%.json}.seconds" "$WORK/runs/$run.seconds"; fi
    echo "reusing the evaluation of $run from $carried"
  done
fi
# Trains one run and evaluates it; returns non-zero (instead of exiting) so that a lane can report which run failed.
train_and_evaluate() {
  local model=$1 seed=$2 run="$1-s$2" t0
  t0=$(date -u +%s)
  attributegan train --model "$model" --data "$data" --out "$WORK/runs/$run" --steps "$STEPS" --seed "$seed" --device "$DEVICE" --monitor-every 50 || return 1
  # Wall time summed over invocations, so a run resumed with a larger STEPS reports its whole training time.
  echo $(( $(cat "$WORK/runs/$run.seconds" 2>/dev/null || echo 0) + $(date -u +%s) - t0 )) > "$WORK/runs/$run.seconds"
  stage "evaluate $run"
  attributegan evaluate --run "$WORK/runs/$run" --data "$data" --classifier "$WORK/classifier.bin" --samples "$SAMPLES" --seed "$SEED" --out "$evaluations/$run-$STEPS" --device "$DEVICE" || return 1
}

pending=()   # "model seed" of every run without an evaluation at STEPS
for model in "${MODELS[@]}"; do
  for seed in $SEEDS; do
    if [ -f "$evaluations/$model-s$seed-$STEPS/table1.json" ]; then
      stage "reusing the evaluation of $model-s$seed at $STEPS steps"
    else
      pending+=("$model $seed")
    fi
  done
done
if [ "$LANES" -eq 1 ]; then
  for item in "${pending[@]}"; do
    read -r model seed <<< "$item"
    stage "train $model, seed $seed, for $STEPS steps"
    train_and_evaluate "$model" "$seed" || { echo "$model-s$seed failed (its output is above)" >&2; exit 1; }
  done
elif [ "${#pending[@]}" -gt 0 ]; then
  # Each lane takes the next run nobody has claimed (mkdir is atomic), so the lanes share the queue in its order.
  claims="$WORK/claims.$$"
  mkdir -p "$claims"
  lane() {
    local item model seed
    for item in "${pending[@]}"; do
      read -r model seed <<< "$item"
      mkdir "$claims/$model-s$seed" 2>/dev/null || continue
      stage "train $model, seed $seed, for $STEPS steps (lane $1; its output in $WORK/runs/$model-s$seed.log)"
      train_and_evaluate "$model" "$seed" > "$WORK/runs/$model-s$seed.log" 2>&1 \
        || { echo "$model-s$seed failed: see $WORK/runs/$model-s$seed.log" >&2; return 1; }
      stage "trained and evaluated $model-s$seed (lane $1)"
    done
  }
  # Each lane in its own process group (job control), so an interrupted script stops the lanes' trainings too; their
  # newest checkpoints stay, and the next sitting resumes them. Their input is /dev/null: a background process group
  # that touches the terminal is stopped by it.
  set -m
  lane_pids=()
  for (( l = 1; l <= LANES; l++ )); do lane "$l" < /dev/null & lane_pids+=("$!"); done
  set +m
  trap 'for pid in "${lane_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done; rm -rf "$claims"; exit 130' INT TERM
  failed=0
  for pid in "${lane_pids[@]}"; do wait "$pid" || failed=1; done
  trap - INT TERM
  rm -rf "$claims"
  [ "$failed" -eq 0 ] || exit 1
fi
tables=()
for model in "${MODELS[@]}"; do
  for seed in $SEEDS; do
    seconds[$model-s$seed]="$(cat "$WORK/runs/$model-s$seed.seconds" 2>/dev/null || echo "?")"
    tables+=("$evaluations/$model-s$seed-$STEPS/table1.json")
  done
done

stage "combine the evaluations of ${MODELS[*]}"
attributegan evaluate combine "${tables[@]}" --out "$WORK/table1"

stage "write $RESULTS"
mkdir -p "$(dirname "$RESULTS")"
results_prefix="$(dirname "$RESULTS")/$(basename "${RESULTS%.md}")"   # the chart, the grids and the kept evaluations are named after it
chart="$(basename "$results_prefix").png"
cp "$WORK/table1/table1.png" "$results_prefix.png"
# One attribute grid per run (rows: cell_crowding's levels, columns: noise vectors), to see what the numbers measure,
# named like its evaluation (RESULTS-RUN.png). A run reused from EVALUATIONS_FROM has no run folder here: its grid is
# the one an earlier sitting wrote beside RESULTS, and the table says so where there is none.
for model in "${MODELS[@]}"; do
  for seed in $SEEDS; do
    grid="$WORK/runs/$model-s$seed/samples/final-cell_crowding.png"
    if [ -f "$grid" ]; then cp "$grid" "$results_prefix-$model-s$seed.png"; fi
  done
done
# Each run's evaluation (and wall time), so a later, longer sitting can finish the table with EVALUATIONS_FROM.
kept="$results_prefix-runs"
mkdir -p "$kept"
for model in "${MODELS[@]}"; do
  for seed in $SEEDS; do
    cp "$evaluations/$model-s$seed-$STEPS/table1.json" "$kept/$model-s$seed.json"
    if [ -f "$WORK/runs/$model-s$seed.seconds" ]; then cp "$WORK/runs/$model-s$seed.seconds" "$kept/$model-s$seed.seconds"; fi
  done
done
# The hand-written reading (everything from the marker on) survives a re-run; the numbers above it are regenerated.
reading=""
if [ -f "$RESULTS" ] && grep -q '^<!-- reading -->' "$RESULTS"; then reading="$(sed -n '/^<!-- reading -->/,$p' "$RESULTS")"; fi
{
  echo "# Miniature ablation at 64×64 (paper Table 1)"
  echo
  echo "Four 64×64 models trained for the same budget on the same synthetic data (seeds: $SEEDS), evaluated like the paper's Table 1:"
  echo "AttributeGan64, its two ablations and the BigGAN baseline (one BigGan64 conditioned on all five attributes)."
  echo "A miniature: $STEPS steps instead of the paper's 50,000, $COUNT synthetic images instead of 4,253 real ones, $SAMPLES"
  echo "generated images per run; the distance is the Fréchet distance of ImageNet ResNet-18 features (FD-ResNet18), not FID,"
  echo "so its values are not comparable with the paper's FID column."
  echo
  echo "Reproduce (from the repository root, $(nproc) cores, $(date -u +%Y-%m-%d)):"
  echo
  echo '```bash'
  echo "$command_line"
  echo '```'
  echo
  cat "$WORK/table1/table1.md"
  echo
  echo "![Table 1 as bars]($chart)"
  echo
  echo "Samples of every run after $STEPS steps (EMA generator; rows: cell_crowding's levels, columns: noise vectors):"
  echo
  for model in "${MODELS[@]}"; do
    for seed in $SEEDS; do
      if [ -f "$results_prefix-$model-s$seed.png" ]; then echo "![$model seed $seed]($(basename "$results_prefix")-$model-s$seed.png)"
      else echo "$model seed $seed: no grid (its evaluation was reused, and no sitting wrote its grid beside this file)"; fi
      echo
    done
  done
  echo "| stage | wall time |"
  echo "| --- | ---: |"
  for model in "${MODELS[@]}"; do for seed in $SEEDS; do echo "| train $model, seed $seed ($STEPS steps) | ${seconds[$model-s$seed]} s |"; done; done
  echo "| fine-tune the classifier ($EPOCHS epoch(s)) | $classifier_seconds s |"

  echo
  echo "The attribute classifier (ImageNet ResNet-18 fine-tuned for $EPOCHS epoch(s)) on its held-out images, as"
  echo "\`attributegan classifier train\` reported it; the \"Real images\" row above is its held-out attribute error, the floor"
  echo "a perfect generator would reach:"
  echo
  echo '```text'
  # The report is the table and the summary line; the progress lines before it are redrawn in place on a terminal.
  sed -n '/┌\|+--/,$p' "$WORK/classifier.log"
  echo '```'
  if [ -n "$reading" ]; then echo; echo "$reading"; fi
} > "$RESULTS"
echo "Wrote $RESULTS and $(dirname "$RESULTS")/$chart"
