#!/usr/bin/env bash
# GPU check of libdeepseek_moe_cuda, for a machine with an NVIDIA GPU, the CUDA toolkit (nvcc, cuBLAS),
# CMake >= 3.22, GoogleTest and Google Benchmark (installed, or their sources named by DSM_GTEST_SOURCE_DIR and
# DSM_BENCHMARK_SOURCE_DIR). Configures with CUDA, builds both libraries, runs every
# ctest test (CPU and "cuda."-prefixed) and a short benchmark of each library, then prints a summary.
# Takes a few minutes. Usage: native/scripts/gpu-check.sh [build-dir]   (CUDA_ARCH=90 to pick the arch)
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/gpu}"
arch="${CUDA_ARCH:-native}"
jobs="$(nproc 2>/dev/null || echo 4)"
mkdir -p "$build"
log="$build/gpu-check.log"
: > "$log"

step() { printf '== %s\n' "$*" | tee -a "$log"; }
fail() { printf 'gpu-check: %s (see %s)\n' "$*" "$log"; exit 1; }

step "GPU"
if command -v nvidia-smi > /dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$log"
else
    fail "nvidia-smi not found: no NVIDIA driver on this machine"
fi
command -v nvcc > /dev/null || fail "nvcc not found: install the CUDA toolkit or put it on PATH"
nvcc --version | tail -n 1 | tee -a "$log"

# Where GoogleTest / Google Benchmark are not installed, their source trees may be named instead; those staged
# by native/scripts/gpu-stage.sh in artifacts/gpu/ are used by default.
staged="$root/../artifacts/gpu"
[ -z "${DSM_GTEST_SOURCE_DIR:-}" ] && [ -d "$staged/googletest" ] && DSM_GTEST_SOURCE_DIR="$staged/googletest"
[ -z "${DSM_BENCHMARK_SOURCE_DIR:-}" ] && [ -d "$staged/benchmark" ] && DSM_BENCHMARK_SOURCE_DIR="$staged/benchmark"
deps=()
[ -n "${DSM_GTEST_SOURCE_DIR:-}" ] && deps+=("-DDSM_GTEST_SOURCE_DIR=$DSM_GTEST_SOURCE_DIR")
[ -n "${DSM_BENCHMARK_SOURCE_DIR:-}" ] && deps+=("-DDSM_BENCHMARK_SOURCE_DIR=$DSM_BENCHMARK_SOURCE_DIR")

step "configure (CMAKE_CUDA_ARCHITECTURES=$arch)"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="$arch" "${deps[@]}" >> "$log" 2>&1 \
    || fail "configure failed"
grep -q "no CUDA compiler found" "$log" && fail "CMake did not find the CUDA compiler"

step "build"
cmake --build "$build" -j"$jobs" >> "$log" 2>&1 || fail "build failed"
[ -f "$build/libdeepseek_moe_cuda.so" ] || fail "libdeepseek_moe_cuda.so was not built"

step "ctest"
ctest --test-dir "$build" --output-on-failure -j"$jobs" > "$build/ctest.log" 2>&1
ctest_rc=$?
cat "$build/ctest.log" >> "$log"
tests_line="$(grep -E 'tests passed|tests failed' "$build/ctest.log" | tail -n 1)"
cuda_failed="$(grep -cE '^\s*[0-9]+ - cuda\.' "$build/ctest.log" || true)"

bench_args=(--benchmark_min_time=0.2 --benchmark_format=console)
step "benchmarks (CPU library)"
if [ -x "$build/dsm_bench" ]; then
    "$build/dsm_bench" --benchmark_filter='LayerNorm|BM_Layer|BM_Sgemm' "${bench_args[@]}" > "$build/bench_cpu.txt" 2>&1
    cat "$build/bench_cpu.txt" >> "$log"
fi
step "benchmarks (CUDA library; host buffers in and out, so copies over PCIe are included)"
if [ -x "$build/dsm_bench_cuda" ]; then
    "$build/dsm_bench_cuda" --benchmark_filter='LayerNorm|BM_Layer|BM_Sgemm' "${bench_args[@]}" > "$build/bench_cuda.txt" 2>&1
    cat "$build/bench_cuda.txt" >> "$log"
fi
step "device-resident timings (CUDA kernels on device buffers, no host copies)"
if [ -x "$build/dsm_cuda_device_bench" ]; then
    "$build/dsm_cuda_device_bench" > "$build/bench_cuda_device.txt" 2>&1 || ctest_rc=1
    cat "$build/bench_cuda_device.txt" >> "$log"
fi

dotnet_pack="${DSM_DOTNET_PACK:-$staged/dotnet.tar.xz}"
dotnet_line="not run (no packed CLI at $dotnet_pack; see native/scripts/dotnet-pack.sh)"
if [ -f "$dotnet_pack" ]; then
    step "C# native-cuda backend through the packed CLI"
    "$root/scripts/gpu-dotnet-check.sh" "$dotnet_pack" "$build/libdeepseek_moe_cuda.so" > "$build/dotnet_check.txt" 2>&1
    cat "$build/dotnet_check.txt" >> "$log"
    dotnet_line="$(grep -E '^dotnet-check:' "$build/dotnet_check.txt" | tail -n 1)"
    dotnet_line="${dotnet_line:-dotnet-check: FAILED (no closing line; see $build/dotnet_check.txt)}"
    [[ "$dotnet_line" == "dotnet-check: passed"* ]] || ctest_rc=1
fi

echo
echo "================ gpu-check summary ================"
echo "build:      $build"
echo "ctest:      ${tests_line:-no ctest summary} (rc $ctest_rc; failing cuda.* tests: $cuda_failed)"
for f in bench_cpu bench_cuda; do
    [ -f "$build/$f.txt" ] || { echo "$f:  not run (Google Benchmark missing?)"; continue; }
    echo "$f:"
    grep -E '^BM_' "$build/$f.txt" | awk '{printf "  %-70s %10s %s\n", $1, $2, $3}'
done
if [ -f "$build/bench_cuda_device.txt" ]; then
    echo "bench_cuda_device:"
    sed 's/^/  /' "$build/bench_cuda_device.txt"
fi
echo "C# backend: $dotnet_line"
[ -f "$build/dotnet_check.txt" ] && grep -E 'vs onnx-cpu|^throughput' "$build/dotnet_check.txt" | sed 's/^/  /'
echo "full log:   $log"
exit "$ctest_rc"
