// Fused LayerNorm+GeLU against the unfused pair (dsm_layernorm_f32, then dsm_gelu_f32 in place) on
// 1024 x 4096 fp32. Argument: threads.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "bench_data.h"

namespace {

constexpr int64_t kRows = 1024, kCols = 4096;

struct Buffers {
    std::vector<float> x = bench::random(kRows * kCols, 1, 2.0f, 0.5f);
    std::vector<float> gamma = bench::random(kCols, 2, 0.5f, 1.0f);
    std::vector<float> beta = bench::random(kCols, 3, 0.3f);
    std::vector<float> y = std::vector<float>(kRows * kCols);
};

Buffers& buffers() {
    static Buffers b;
    return b;
}

void report(benchmark::State& state, int passes_of_data) {
    // Bytes the kernel(s) must move at least: each pass reads and writes the matrix once.
    state.SetBytesProcessed(state.iterations() * passes_of_data * 2 * kRows * kCols * int64_t{sizeof(float)});
}

// Times `call` (true on success) on the shared buffers with `threads` = the benchmark's argument.
template <class Call>
void time_calls(benchmark::State& state, int passes_of_data, Call call) {
    const char* error = nullptr;
    if (!bench::use_threads(static_cast<int32_t>(state.range(0)), &error)) return state.SkipWithError(error);
    Buffers& b = buffers();
    for (auto _ : state) {
        if (!call(b)) return state.SkipWithError(dsm_last_error());
        benchmark::ClobberMemory();
    }
    report(state, passes_of_data);
}

void BM_LayerNormGeluFused(benchmark::State& state) {
    time_calls(state, 1, [](Buffers& b) {
        return dsm_layernorm_gelu_f32(b.x.data(), b.gamma.data(), b.beta.data(), b.y.data(), kRows, kCols, 1e-5f) ==
               DSM_OK;
    });
}

void BM_LayerNormThenGelu(benchmark::State& state) {
    time_calls(state, 2, [](Buffers& b) {
        return dsm_layernorm_f32(b.x.data(), b.gamma.data(), b.beta.data(), b.y.data(), kRows, kCols, 1e-5f) == DSM_OK &&
               dsm_gelu_f32(b.y.data(), b.y.data(), kRows * kCols) == DSM_OK;
    });
}

// The two halves of the unfused pair on their own, to show where its time goes.
void BM_LayerNormOnly(benchmark::State& state) {
    time_calls(state, 1, [](Buffers& b) {
        return dsm_layernorm_f32(b.x.data(), b.gamma.data(), b.beta.data(), b.y.data(), kRows, kCols, 1e-5f) == DSM_OK;
    });
}

void BM_GeluOnly(benchmark::State& state) {
    time_calls(state, 1, [](Buffers& b) { return dsm_gelu_f32(b.x.data(), b.y.data(), kRows * kCols) == DSM_OK; });
}

// The fused kernel's arithmetic floor: the same 1024 rows of work, done as 64 calls over one 16-row slice
// (256 KiB in, 256 KiB out: both stay in L2), so memory is out of the picture.
void BM_LayerNormGeluFusedInCache(benchmark::State& state) {
    constexpr int64_t kSliceRows = 16;
    time_calls(state, 1, [](Buffers& b) {
        for (int64_t i = 0; i < kRows / kSliceRows; ++i)
            if (dsm_layernorm_gelu_f32(b.x.data(), b.gamma.data(), b.beta.data(), b.y.data(), kSliceRows, kCols,
                                       1e-5f) != DSM_OK)
                return false;
        return true;
    });
}

BENCHMARK(BM_LayerNormGeluFused)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.3);
BENCHMARK(BM_LayerNormThenGelu)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.3);
BENCHMARK(BM_LayerNormOnly)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.3);
BENCHMARK(BM_GeluOnly)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.3);
BENCHMARK(BM_LayerNormGeluFusedInCache)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.3);

}  // namespace
