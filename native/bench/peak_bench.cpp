// This CPU's FMA peak, measured: 12 independent FMA chains (enough to cover latency x ports), so the loop
// runs at the FMA issue rate of the current clock. Compare the SGEMM figures against these.
#include <benchmark/benchmark.h>

#include "deepseek_moe.h"

namespace {

#define DSM_FMA12(R)                                                                                       \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "0\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "1\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "2\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "3\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "4\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "5\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "6\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "7\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "8\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "9\n\t"                                                     \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "10\n\t"                                                    \
    "vfmadd231ps %%" R "14, %%" R "15, %%" R "11\n\t"

constexpr long kLoops = 1 << 20;

__attribute__((target("avx2,fma"))) void fma_ymm(long n) {
    __asm__ volatile("vxorps %%xmm14, %%xmm14, %%xmm14\n\tvxorps %%xmm15, %%xmm15, %%xmm15\n\t"
                     "1:\n\t" DSM_FMA12("ymm") "dec %0\n\tjnz 1b"
                     : "+r"(n)
                     :
                     : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
                       "xmm11", "xmm14", "xmm15");
}

__attribute__((target("avx512f"))) void fma_zmm(long n) {
    __asm__ volatile("vxorps %%xmm14, %%xmm14, %%xmm14\n\tvxorps %%xmm15, %%xmm15, %%xmm15\n\t"
                     "1:\n\t" DSM_FMA12("zmm") "dec %0\n\tjnz 1b"
                     : "+r"(n)
                     :
                     : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
                       "xmm11", "xmm14", "xmm15");
}

void BM_PeakFma(benchmark::State& state) {
    const bool zmm = state.range(0) == 512;
    const int32_t need = zmm ? DSM_CPU_AVX512F : (DSM_CPU_AVX2 | DSM_CPU_FMA);
    if ((dsm_cpu_features() & need) != need) {
        state.SkipWithError("not supported by this CPU");
        return;
    }
    for (auto _ : state) zmm ? fma_zmm(kLoops) : fma_ymm(kLoops);
    const double flops = 12.0 * (zmm ? 32 : 16) * kLoops;
    state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
    state.SetLabel(zmm ? "AVX-512 one core" : "AVX2 one core");
}
BENCHMARK(BM_PeakFma)->Arg(256)->Arg(512)->MinTime(0.2);

}  // namespace
