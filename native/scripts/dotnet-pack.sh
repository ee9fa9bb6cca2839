#!/usr/bin/env bash
# Packs the deepseek CLI, self-contained (the .NET runtime inside), into one archive for a GPU machine that has
# no .NET: native/scripts/gpu-dotnet-check.sh unpacks it there and runs the C# native-cuda backend.
# Usage: native/scripts/dotnet-pack.sh [archive]   (default: artifacts/gpu/dotnet.tar.xz, about 45 MiB; ~1 min)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
archive="${1:-$repo/artifacts/gpu/dotnet.tar.xz}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

echo "== publish the CLI (linux-x64, self-contained)"
dotnet publish "$repo/src/DeepSeek.Cli" -c Release -r linux-x64 --self-contained -p:RunAnalyzers=false \
    -o "$stage/deepseek" > "$stage/publish.log" 2>&1 || { cat "$stage/publish.log"; exit 1; }
[ -f "$stage/deepseek/runtimes/linux-x64/native/libdeepseek_moe.so" ] \
    || { echo "dotnet-pack: the native CPU library is missing from the publish output" >&2; exit 1; }

echo "== pack into $archive"
mkdir -p "$(dirname "$archive")"
tar -C "$stage" -cf - --exclude='*.pdb' --exclude='*.xml' deepseek | xz -T0 -6 > "$archive.tmp"
mv "$archive.tmp" "$archive"
du -h "$archive"
