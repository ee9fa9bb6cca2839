// The GEMM as experts run it: B packed once, A packed per call, one thread; per kernel table.
// Arguments: m, k, n, path (0 = detect, i.e. AVX-512 where present; 2 = AVX2/FMA; 1 = scalar).
#include <benchmark/benchmark.h>

#include "bench_data.h"
#include "cpu.h"
#include "gemm.h"

namespace {

void BM_PackedGemm(benchmark::State& state) {
    const int64_t m = state.range(0), k = state.range(1), n = state.range(2);
    const int32_t path = static_cast<int32_t>(state.range(3));
    if (dsm_set_kernel_path(path) != DSM_OK) return state.SkipWithError(dsm_last_error());
    const dsm::KernelTable& kernels = dsm::kernels();
    const auto a = bench::random(static_cast<size_t>(m * k), 1), b = bench::random(static_cast<size_t>(k * n), 2);
    const dsm::PackedMatrix packed(b.data(), k, n);
    std::vector<float> c(static_cast<size_t>(m * n));
    dsm::GemmArgs g;
    g.m = m;
    g.n = n;
    g.k = k;
    g.a = a.data();
    g.lda = k;
    g.b = packed.data();
    g.c = c.data();
    g.ldc = n;
    for (auto _ : state) {
        dsm::gemm(kernels, g, false);
        benchmark::ClobberMemory();
    }
    dsm_set_kernel_path(0);
    state.counters["FLOP/s"] = benchmark::Counter(2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate);
    state.SetLabel(kernels.name);
}

BENCHMARK(BM_PackedGemm)
    ->ArgNames({"m", "k", "n", "path"})
    ->ArgsProduct({{128}, {256}, {1024}, {0, 2}})
    ->ArgsProduct({{128}, {1024}, {256}, {0, 2}})
    ->ArgsProduct({{1024}, {256}, {1024}, {0, 2}})
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(0.2);

}  // namespace
