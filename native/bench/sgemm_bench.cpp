// dsm_sgemm_f32 at the expert shapes (it packs B on every call, as a general GEMM must).
// Arguments: m, k, n, threads.
#include <benchmark/benchmark.h>

#include "bench_data.h"

namespace {

void BM_Sgemm(benchmark::State& state) {
    const int64_t m = state.range(0), k = state.range(1), n = state.range(2);
    const char* error = nullptr;
    if (!bench::use_threads(static_cast<int32_t>(state.range(3)), &error)) return state.SkipWithError(error);
    const auto a = bench::random(static_cast<size_t>(m * k), 1), b = bench::random(static_cast<size_t>(k * n), 2);
    std::vector<float> c(static_cast<size_t>(m * n));
    for (auto _ : state) {
        if (dsm_sgemm_f32(m, n, k, a.data(), b.data(), c.data(), 0) != DSM_OK) return state.SkipWithError(dsm_last_error());
        benchmark::ClobberMemory();
    }
    state.counters["FLOP/s"] = benchmark::Counter(2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_Sgemm)
    ->ArgNames({"m", "k", "n", "threads"})
    ->Args({128, 256, 1024, 1})
    ->Args({128, 1024, 256, 1})
    ->Args({1024, 256, 1024, 1})
    ->Args({1024, 256, 1024, 2})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MinTime(0.2);

}  // namespace
