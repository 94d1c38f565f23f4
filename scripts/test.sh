#!/usr/bin/env bash
# Builds the whole solution (the command line included: `dotnet test` alone skips projects no test references),
# runs every test project, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# The data-parallel tests launch ranks with MPICH (mpiexec.mpich, libmpich.so.12): install it once if missing.
if ! command -v mpiexec.mpich >/dev/null; then
  echo "installing MPICH for the data-parallel tests (apt-get install -y mpich)"
  sudo_if_needed=""
  if [ "$(id -u)" -ne 0 ]; then sudo_if_needed="sudo"; fi
  $sudo_if_needed apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq mpich libmpich-dev >/dev/null \
    || echo "could not install MPICH: the data-parallel tests will fail until 'apt-get install -y mpich' succeeds"
fi

configuration="${CONFIGURATION:-Release}"
# The test projects run in parallel on few cores: libtorch's OpenMP threads must sleep, not spin, while they wait,
# or processes preempting each other's spinning threads slow every test down many times over.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

if ! dotnet build AttributeGan.sln -c "$configuration" -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test AttributeGan.sln -c "$configuration" --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
