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
    const dsm::GemmArgs g = dsm::GemmArgs::dense(m, n, k, a.data(), packed.data(), c.data());
    for (auto _ : state) {
        dsm::gemm(kernels, g, false);
        benchmark::ClobberMemory();
    }
    dsm_set_kernel_path(0);
    state.counters["FLOP/s"] = benchmark::Counter(2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate);
    state.SetLabel(kernels.name);
}

// The first GEMM of the batching benchmark's experts (1024 -> 2048, 8 MiB of weights) at the row counts an expert
// meets one request at a time and in batches, with the depth in one block (the library's choice for this shape)
// against blocks of the kernel table's kc. Calls cycle over 16 weight matrices (128 MiB), as a layer's experts
// do, so the weights come from memory, not from the cache. Arguments: m, depth (0 = the library's choice).
void BM_ExpertGemmDepth(benchmark::State& state) {
    constexpr int64_t k = 1024, n = 2048, kMatrices = 16;
    const int64_t m = state.range(0);
    if (dsm_set_kernel_path(0) != DSM_OK) return state.SkipWithError(dsm_last_error());
    const dsm::KernelTable& kernels = dsm::kernels();
    const auto a = bench::random(static_cast<size_t>(m * k), 1);
    std::vector<dsm::PackedMatrix> weights;
    weights.reserve(kMatrices);
    for (int64_t i = 0; i < kMatrices; ++i) {
        const auto b = bench::random(static_cast<size_t>(k * n), static_cast<uint32_t>(2 + i));
        weights.emplace_back(b.data(), k, n);
    }
    std::vector<float> c(static_cast<size_t>(m * n));
    dsm::GemmArgs g = dsm::GemmArgs::dense(m, n, k, a.data(), nullptr, c.data());
    g.depth = state.range(1);
    int64_t next = 0;
    for (auto _ : state) {
        g.b = weights[static_cast<size_t>(next++ % kMatrices)].data();
        dsm::gemm(kernels, g, false);
        benchmark::ClobberMemory();
    }
    state.counters["FLOP/s"] = benchmark::Counter(2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate);
    state.SetLabel(g.depth == 0 ? "library's choice" : "kc blocks");
}

BENCHMARK(BM_ExpertGemmDepth)
    ->ArgNames({"m", "depth"})
    ->ArgsProduct({{1, 8, 64, 1024}, {0, 256}})
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(0.3);

BENCHMARK(BM_PackedGemm)
    ->ArgNames({"m", "k", "n", "path"})
    ->ArgsProduct({{128}, {256}, {1024}, {0, 2}})
    ->ArgsProduct({{128}, {1024}, {256}, {0, 2}})
    ->ArgsProduct({{1024}, {256}, {1024}, {0, 2}})
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(0.2);

}  // namespace
