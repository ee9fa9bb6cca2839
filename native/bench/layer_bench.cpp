// The whole demo MoE layer (16 experts, top-2, 256 -> 1024 -> 256) at batch 1024, one call of
// dsm_layer_forward. Arguments: threads, kernel path (0 = detect, 2 = AVX2/FMA).
#include <benchmark/benchmark.h>

#include <memory>

#include "bench_data.h"

namespace {

void BM_Layer(benchmark::State& state) {
    const char* error = nullptr;
    if (!bench::use_threads(static_cast<int32_t>(state.range(1)), &error)) return state.SkipWithError(error);
    if (dsm_set_kernel_path(static_cast<int32_t>(state.range(2))) != DSM_OK)
        return state.SkipWithError(dsm_last_error());
    static std::unique_ptr<bench::DemoLayer> layer;
    if (!layer) layer = std::make_unique<bench::DemoLayer>(state.range(0));
    for (auto _ : state)
        if (layer->forward() != DSM_OK) return state.SkipWithError(dsm_last_error());
    dsm_set_kernel_path(0);
    state.counters["FLOP/s"] = benchmark::Counter(layer->flops(), benchmark::Counter::kIsIterationInvariantRate);
}

#ifdef DSM_BENCH_CUDA
// The CUDA library has one kernel path and no host threads to set.
BENCHMARK(BM_Layer)->ArgNames({"rows", "threads", "path"})->Args({1024, 1, 0})
#else
BENCHMARK(BM_Layer)
    ->ArgNames({"rows", "threads", "path"})
    ->ArgsProduct({{1024}, {1, 2}, {0, 2}})
#endif
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);

}  // namespace
