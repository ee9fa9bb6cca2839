#!/usr/bin/env bash
# Stages in artifacts/gpu/ what a bare GPU machine lacks, so that `native/scripts/gpu-check.sh` is all it runs there
# (that folder travels with the working tree; about 50 MiB):
#   googletest/, benchmark/   GoogleTest and Google Benchmark source trees (CMake builds them for the tests),
#                             from this machine's Debian packages: the googletest package's sources, and the
#                             source package of libbenchmark-dev
#   dotnet.tar.xz             the deepseek CLI, self-contained (native/scripts/dotnet-pack.sh)
# Usage: native/scripts/gpu-stage.sh   (Debian or Ubuntu with apt, .NET SDK; ~3 min)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$repo/artifacts/gpu"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest"

echo "== GoogleTest source"
[ -f /usr/src/googletest/CMakeLists.txt ] || apt-get install -y googletest > "$tmp/apt.log" 2>&1 \
    || { cat "$tmp/apt.log"; exit 1; }
rm -rf "$dest/googletest"
cp -r /usr/src/googletest "$dest/googletest"

echo "== Google Benchmark source (Debian source package)"
# A private source list, so the machine's own apt configuration is left as it is.
apt_src=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$tmp/parts" -o Dir::State::Lists="$tmp/lists")
mkdir -p "$tmp/parts" "$tmp/lists/partial"
. /etc/os-release
apt_sources=(/etc/apt/sources.list.d/*.sources /etc/apt/sources.list)
mirror="$(cat "${apt_sources[@]}" 2>/dev/null | grep -o -E '^(URIs:|deb) +https?://[^ ]+' | grep -o -E 'https?://.*' | head -n 1 || true)"
[ -n "$mirror" ] || { echo "gpu-stage: no Debian mirror found in the apt sources" >&2; exit 1; }
signed_by="$(cat "${apt_sources[@]}" 2>/dev/null | grep -m1 '^Signed-By:' || true)"
printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\n%s\n' "$mirror" "$VERSION_CODENAME" "$signed_by" \
    > "$tmp/parts/src.sources"
apt-get "${apt_src[@]}" update > "$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; exit 1; }
(cd "$tmp" && apt-get "${apt_src[@]}" source --download-only benchmark >> "$tmp/apt.log" 2>&1) \
    || { cat "$tmp/apt.log"; exit 1; }
rm -rf "$dest/benchmark"
mkdir -p "$dest/benchmark"
tar -C "$dest/benchmark" --strip-components=1 -xzf "$tmp"/benchmark_*.orig.tar.gz

"$repo/native/scripts/dotnet-pack.sh" "$dest/dotnet.tar.xz"
du -sh "$dest"
