#!/usr/bin/env bash
# AttributeGan used from another repository, the way a user meets it: pack the packages and check what each holds;
# build and run samples/consumer (its own specs, a one-line Program.cs) and samples/library (the README's library
# example) from artifacts/packages only; edit a spec, break one; then install the `dotnet new` template, create a project
# in a temporary folder and build, run and test it. Each check counts; the last line is "N passed, N failed".
# KEEP=1 keeps the temporary folder (its path is printed).
set -uo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# libtorch's OpenMP threads sleep while they wait (see scripts/test.sh): builds and runs share two cores here.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# The samples and the template's projects each get libtorch (≈ 1 GB) in their outputs: hard links to the NuGet cache
# (as the repository's Directory.Build.props does for its own projects) keep five of them from filling a CI disk.
# MSBuild reads environment variables as properties; the projects themselves stay as a user would have them.
export CreateHardLinksForCopyLocalIfPossible=true

work="$(mktemp -d -t attributegan-packages.XXXXXX)"
spec="samples/consumer/specs/colon-32.yaml"
cp "$spec" "$work/colon-32.yaml.original"
finish() {
  cp "$work/colon-32.yaml.original" "$repo/$spec"        # the spec edits below never outlive the script
  if [ "${KEEP:-0}" = "1" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap finish EXIT

passed=0 failed=0 n=0
timings=()

# check NAME COMMAND...: runs the command (output to its own log), counts it, prints ok/FAIL and the time it took.
check() {
  local name="$1"; shift
  n=$((n + 1))
  last_log="$work/$(printf '%02d' "$n").log"
  local start status
  start=$(date +%s.%N)
  "$@" > "$last_log" 2>&1
  status=$?
  last_seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    printf 'ok    %-80s %6s s\n' "$name" "$last_seconds"
  else
    failed=$((failed + 1))
    printf 'FAIL  %-80s %6s s\n' "$name" "$last_seconds"
    tail -n 40 "$last_log" | sed 's/^/      | /'
  fi
  return "$status"
}

# expect FILE PATTERN...: every extended regular expression occurs in FILE; refuse FILE PATTERN...: none does.
expect() {
  local file="$1" pattern; shift
  for pattern in "$@"; do grep -Eq -- "$pattern" "$file" || { echo "missing in $file: $pattern"; return 1; }; done
}
refuse() {
  local file="$1" pattern; shift
  for pattern in "$@"; do
    if grep -Eq -- "$pattern" "$file"; then echo "unexpected in $file: $pattern"; grep -E -- "$pattern" "$file" | head -3; return 1; fi
  done
}

summary() {
  echo
  echo "measured (this machine: 2 cores, shared; no compiler server when UseSharedCompilation=false):"
  local t
  for t in "${timings[@]}"; do echo "  $t"; done
  echo "$passed passed, $failed failed"
}

# ---- the packages -------------------------------------------------------------------------------------------------
if ! check "scripts/pack.sh writes every package to artifacts/packages" scripts/pack.sh; then
  summary
  exit 1
fi
while read -r line; do timings+=("$line"); done < <(grep -E '\.s?nupkg ' "$last_log" | sed 's/^ *//')
version="$(dotnet msbuild build/Version.props -getProperty:AttributeGanPackageVersion)"
packages="$repo/artifacts/packages"

# package_holds ID PATTERN...: the package's file list has every pattern, a licence, a README and repository metadata.
package_holds() {
  unzip -l "$packages/$1.$version.nupkg" | awk 'NR > 3 { print $4 }' > "$work/$1.files"
  unzip -p "$packages/$1.$version.nupkg" "$1.nuspec" > "$work/$1.nuspec"
  local id="$1"; shift
  expect "$work/$id.files" '^LICENSE$' '^README.md$' "$@" &&
    expect "$work/$id.nuspec" '<license type="expression">MIT</license>' '<readme>README.md</readme>' "<version>$version</version>" \
      '<repository type="git"[^>]* commit="[0-9a-f]{40}"'
}
generators_package() {
  package_holds AttributeGan.Generators '^analyzers/dotnet/cs/AttributeGan.Generators.dll$' '^analyzers/dotnet/cs/YamlDotNet.dll$' \
    '^buildTransitive/AttributeGan.Generators.props$' '^buildTransitive/AttributeGan.Generators.targets$' '^schema/spec.schema.json$' &&
    refuse "$work/AttributeGan.Generators.files" '^lib/' &&
    refuse "$work/AttributeGan.Generators.nuspec" '<dependency ' &&
    expect "$work/AttributeGan.Generators.nuspec" '<developmentDependency>true</developmentDependency>'
}
models_package() {
  package_holds AttributeGan.Models '^lib/net10.0/AttributeGan.Models.dll$' \
    '^buildTransitive/AttributeGan.Models.targets$' '^buildTransitive/LibTorchSharpGlibcxxFix.targets$' &&
    expect "$work/AttributeGan.Models.nuspec" 'id="TorchSharp"' 'id="libtorch-cpu-linux-x64"' &&
    refuse "$work/AttributeGan.Models.nuspec" 'id="AttributeGan.Generators"'
}
library_packages() {
  package_holds AttributeGan.Runtime '^lib/net10.0/AttributeGan.Runtime.dll$' &&
    package_holds AttributeGan.Evaluation '^lib/net10.0/AttributeGan.Evaluation.dll$' '^onnx/ResNet18.onnx$' '^onnx/ResNetPreprocess.onnx$' \
      '^onnx/LICENSE$' '^buildTransitive/AttributeGan.Evaluation.targets$' &&
    package_holds AttributeGan.Benchmarks '^lib/net10.0/AttributeGan.Benchmarks.dll$' '^lib/net10.0/AttributeGan.Generators.dll$' &&
    refuse "$work/AttributeGan.Benchmarks.nuspec" 'id="AttributeGan.Generators"' &&
    package_holds AttributeGan.Cli '^lib/net10.0/attributegan.dll$' &&
    expect "$work/AttributeGan.Cli.nuspec" 'id="AttributeGan.Evaluation"' 'id="AttributeGan.Benchmarks"'
}
template_package() {
  package_holds AttributeGan.Templates '^content/attributegan/.template.config/template.json$' '^content/attributegan/specs/starter.yaml$' \
    '^content/attributegan/tests/Snapshots/Starter.verified.cs$' &&
    expect "$work/AttributeGan.Templates.nuspec" '<packageType name="Template"' &&
    unzip -p "$packages/AttributeGan.Templates.$version.nupkg" 'content/*' > "$work/template-content.txt" &&
    expect "$work/template-content.txt" "Include=\"AttributeGan.Cli\" Version=\"$version\"" &&
    refuse "$work/template-content.txt" '\{\{version:'
}
check "AttributeGan.Generators: analyzer + YamlDotNet in analyzers/dotnet/cs, build files, schema; no lib/, no dependency" generators_package
check "AttributeGan.Models: the library, the libLibTorchSharp.so fix in buildTransitive, no generator dependency" models_package
check "AttributeGan.Runtime, .Evaluation (+ ResNet-18 ONNX files and their licence), .Benchmarks, .Cli" library_packages
check "AttributeGan.Templates: a template package, its package versions stamped" template_package

# ---- samples/consumer: a project outside the solution, AttributeGan from artifacts/packages only --------------------
rm -rf samples/consumer/bin samples/consumer/obj samples/library/bin samples/library/obj
check "samples/consumer: clean restore + build" dotnet build samples/consumer -nologo -v:n &&
  timings+=("consumer clean build (restore + compile): $last_seconds s")
clean_build_log="$last_log"

provenance() {
  local global id
  global="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
  for id in attributegan.generators attributegan.models attributegan.runtime attributegan.evaluation attributegan.benchmarks attributegan.cli; do
    grep -q "\"source\": \"$packages\"" "${global%/}/$id/$version/.nupkg.metadata" ||
      { echo "$id $version was not restored from $packages:"; cat "${global%/}/$id/$version/.nupkg.metadata"; return 1; }
  done
  dotnet msbuild samples/consumer/Consumer.csproj -preprocess:"$work/consumer.xml" > /dev/null || return 1
  expect "$work/consumer.xml" "attributegan.models/$version/buildTransitive/LibTorchSharpGlibcxxFix.targets" &&
    refuse "$work/consumer.xml" "$repo/build/LibTorchSharpGlibcxxFix.targets" &&
    expect "$clean_build_log" 'Marked GLIBCXX_3.4.32 weak in bin/Debug/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so'
}
check "samples/consumer: AttributeGan.* restored from artifacts/packages; the native fix came with AttributeGan.Models" provenance

own_models() {
  dotnet run --project samples/consumer --no-build -- models > "$work/models.txt" &&
    expect "$work/models.txt" '^Colon32 +32px' '^Colon32NoAttention +32px' && refuse "$work/models.txt" 'AttributeGan512'
}
check "samples/consumer: 'models' lists its own specs, not the ones compiled into AttributeGan.Models" own_models
consumer_trains() {
  dotnet run --project samples/consumer --no-build -- train --model Colon32 --steps 2 --synthetic-count 256 --out "$work/consumer-run" &&
    test -f "$work/consumer-run/checkpoints/step-00000002.ckpt" && test -f "$work/consumer-run/samples/final-mitosis.png"
}
check "samples/consumer: trains two steps through its one-line Program.cs" consumer_trains

no_op() {
  dotnet build samples/consumer -nologo -v:d > "$work/no-op.log" || return 1
  expect "$work/no-op.log" 'Skipping target "CoreCompile" because all output files are up-to-date'
}
check "samples/consumer: a build with nothing changed skips the compiler, so the generator does not run" no_op &&
  timings+=("consumer no-op build: $last_seconds s")

sed -i 's/^latent: 48$/latent: 64/' "$spec"
check "samples/consumer: editing one spec (latent 48 → 64) recompiles it" dotnet build samples/consumer -nologo &&
  timings+=("consumer build after editing one spec: $last_seconds s")
edited_model() {
  dotnet run --project samples/consumer --no-build -- describe --model Colon32 --json > "$work/describe.json" &&
    expect "$work/describe.json" '"latent": 64,' && refuse "$work/describe.json" '"generatorParameters": 248333,'
}
check "samples/consumer: the edited model is the one that runs (latent 64, more generator parameters)" edited_model
cp "$work/colon-32.yaml.original" "$spec"

stage='- { resolution: 16, channels: 32 }'                   # generator stage 1 (the first line that reads so)
line=$(grep -n -F -- "$stage" "$spec" | head -1 | cut -d: -f1)
column=$(sed -n "${line}p" "$spec" | awk '{ print index($0, "16") }')
sed -i "${line}s/resolution: 16, channels: 32/resolution: 24, channels: 32/" "$spec"
broken_consumer() {
  ! dotnet build samples/consumer -nologo > "$work/broken.log" 2>&1 &&
    expect "$work/broken.log" "samples/consumer/specs/colon-32.yaml\\($line,$column\\): error AGAN006: 'generator.stages\\[1\\].resolution' is 24" \
      'samples/consumer/specs/colon-32-no-attention.yaml\([0-9]+,[0-9]+\): error AGAN032'
}
check "samples/consumer: a broken spec fails the build at its line: colon-32.yaml($line,$column): error AGAN006" broken_consumer
cp "$work/colon-32.yaml.original" "$spec"
check "samples/consumer: with the spec fixed again it builds" dotnet build samples/consumer -nologo

# ---- samples/library: the README's library example ----------------------------------------------------------------
library_example() {
  dotnet run --project samples/consumer --no-build -- synth --out "$work/data" --count 64 --resolution 32 --model Colon32 &&
    dotnet run --project samples/library -- "$work/data" "$work/library-run" 2 &&
    test -s "$work/library-run/mitosis.png"
}
check "samples/library (the README's example): builds, trains 2 steps on a folder, samples a grid" library_example

# ---- the template, in an empty folder elsewhere -------------------------------------------------------------------
# An earlier install of this version would shadow the new file (and `--force` registers it twice): uninstall first.
for _ in 1 2 3; do dotnet new uninstall AttributeGan.Templates > /dev/null 2>&1 || break; done
check "dotnet new install AttributeGan.Templates.$version.nupkg" dotnet new install "$packages/AttributeGan.Templates.$version.nupkg"
app="$work/app/MyGan"
mkdir -p "$work/app"
new_project() (
  cd "$work/app" && dotnet new attributegan -n MyGan && cd MyGan &&
    expect specs/starter.yaml '^# yaml-language-server: \$schema=spec.schema.json$' &&
    test "$(grep -cv '^//' Program.cs)" = 1 && expect Program.cs 'MyGan\.Specs\.ModelCatalog\.All' &&
    expect README.md 'dotnet run -- train --model Starter' '^dotnet test tests$' &&
    test -f tests/MyGan.Tests.csproj && test -f tests/Snapshots/Starter.verified.cs
)
check "dotnet new attributegan -n MyGan: specs/, a one-line Program.cs, README, tests/" new_project
local_feed() ( cd "$app" && dotnet new nugetconfig && dotnet nuget add source "$packages" --name attributegan --configfile nuget.config )
check "MyGan: add the local feed (dotnet new nugetconfig; dotnet nuget add source)" local_feed
app_build() ( cd "$app" && dotnet build -nologo && test -s specs/spec.schema.json )
check "MyGan: dotnet build (and the JSON Schema lands beside the specs)" app_build &&
  timings+=("template project clean build (restore + compile): $last_seconds s")
app_models() ( cd "$app" && dotnet run -- models > models.txt && expect models.txt '^Starter +32px' )
check "MyGan: dotnet run -- models" app_models
app_train() ( cd "$app" && dotnet run -- train --model Starter --steps 2 --out r && test -f r/checkpoints/step-00000002.ckpt )
check "MyGan: dotnet run -- train --model Starter --steps 2 --out r" app_train
app_test() ( cd "$app" && dotnet test tests -nologo > test.log 2>&1; local status=$?; cat test.log; [ "$status" -eq 0 ] && expect test.log 'Passed: +4,' )
check "MyGan: dotnet test tests (generated-code snapshots; the models run in the test output)" app_test
copied_spec() (
  cd "$app" && cp "$repo/specs/tiny.yaml" specs/ && dotnet build -nologo || exit 1
  generated=obj/generated/AttributeGan.Generators/AttributeGan.Generators.SpecGenerator/TinySpec.g.cs
  expect "$generated" '^namespace MyGan\.Specs$' 'public sealed partial class TinySpec : global::AttributeGan.Models.IGanSpec' &&
    dotnet run --no-build -- describe --model Tiny --json > tiny.json && expect tiny.json '"name": "Tiny"'
)
check "MyGan: a spec copied in from elsewhere (the repository's tiny.yaml) becomes a typed model" copied_spec
broken_app() (
  cd "$app" && sed -e 's/name: Tiny/name: Broken/' -e 's/- { resolution: 16, channels: 8 }/- { resolution: 24, channels: 8 }/' \
    "$repo/specs/tiny.yaml" > specs/broken.yaml
  ! dotnet build -nologo > broken.log 2>&1 && cat broken.log && expect broken.log 'specs/broken.yaml\(13,21\): error AGAN006'
)
check "MyGan: a broken spec fails the build at its line: specs/broken.yaml(13,21): error AGAN006" broken_app
deleted_specs() (
  cd "$app" && rm -f specs/tiny.yaml specs/broken.yaml && dotnet build -nologo && dotnet run --no-build -- models > models.txt &&
    refuse models.txt 'Tiny|Broken'
)
check "MyGan: with the copied and the broken spec deleted, their models are gone" deleted_specs
dashed_name() (
  cd "$work/app" && dotnet new attributegan -n My-Gan && cd My-Gan && cp "$app/nuget.config" . &&
    expect Program.cs 'My_Gan\.Specs\.ModelCatalog\.All' && dotnet build -nologo && dotnet test tests -nologo > test.log 2>&1
  local status=$?
  cat test.log 2>/dev/null
  [ "$status" -eq 0 ] && expect test.log 'Passed: +4,'
)
check "dotnet new attributegan -n My-Gan: a name that is no namespace builds (My_Gan.Specs) and its tests pass" dashed_name
without_models() (
  mkdir -p "$work/app/NoModels/specs" && cd "$work/app/NoModels" && cp "$app/nuget.config" . && cp "$repo/specs/tiny.yaml" specs/ &&
    echo 'System.Console.WriteLine("no models");' > Program.cs &&
    printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk">' \
      '  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>' \
      "  <ItemGroup><PackageReference Include=\"AttributeGan.Generators\" Version=\"$version\" PrivateAssets=\"all\" /></ItemGroup>" \
      '</Project>' > NoModels.csproj || exit 1
  ! dotnet build -nologo > build.log 2>&1 && cat build.log &&
    expect build.log 'error AGANB001: NoModels compiles AttributeGan specs \(tiny.yaml\) but does not reference AttributeGan.Models' &&
    refuse build.log 'error CS'
)
check "a project with the generator but not AttributeGan.Models gets one clear error (AGANB001), no CS errors" without_models

summary
[ "$failed" -eq 0 ]
