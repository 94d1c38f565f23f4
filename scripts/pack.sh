#!/usr/bin/env bash
# Writes every AttributeGan package to artifacts/packages: AttributeGan.Generators (the spec compiler, an analyzer),
# AttributeGan.Models, .Runtime, .Evaluation, .Benchmarks, .Cli (the command line as a library) and
# AttributeGan.Templates (`dotnet new attributegan`), with symbols packages (.snupkg). The version is build/Version.props'.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out="$PWD/artifacts/packages"
rm -rf "$out"
mkdir -p "$out"

# ContinuousIntegrationBuild: paths in the PDBs become /_/..., so one commit packs to the same assemblies anywhere.
dotnet pack build/Packages.slnf -c Release -nologo -v quiet -p:ContinuousIntegrationBuild=true -p:PackageOutputPath="$out"
dotnet pack templates/AttributeGan.Templates/AttributeGan.Templates.csproj -c Release -nologo -v quiet -p:PackageOutputPath="$out"

# A restore takes a package from the global packages folder when that version is there, even if the file in
# artifacts/packages changed: remove this version's copies so the next restore extracts what was just packed.
version="$(dotnet msbuild build/Version.props -getProperty:AttributeGanPackageVersion)"
global="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
for package in "$out"/*.nupkg; do
  id="$(basename "$package" ".$version.nupkg")"
  rm -rf "${global%/}/${id,,}/$version"
done

echo "AttributeGan $version packages in $out:"
( cd "$out" && ls -l *.nupkg *.snupkg | awk '{ printf "  %-45s %12s bytes\n", $9, $5 }' )
