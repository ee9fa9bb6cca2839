#include "cpu.h"

#include <atomic>
#include <string>

#include "deepseek_moe.h"
#include "error.h"

namespace dsm {

namespace {

std::atomic<int32_t> g_path{static_cast<int32_t>(KernelPath::Detect)};

int32_t detect() {
    __builtin_cpu_init();
    int32_t bits = 0;
    // __builtin_cpu_supports also checks that the OS saves the YMM/ZMM state (XGETBV).
    if (__builtin_cpu_supports("avx2")) bits |= DSM_CPU_AVX2;
    if (__builtin_cpu_supports("fma")) bits |= DSM_CPU_FMA;
    if (__builtin_cpu_supports("avx512f")) bits |= DSM_CPU_AVX512F;
    return bits;
}

bool has(int32_t bits) { return (cpu_features() & bits) == bits; }

}  // namespace

int32_t cpu_features() {
    static const int32_t bits = detect();
    return bits;
}

void set_kernel_path(int32_t path) {
    switch (static_cast<KernelPath>(path)) {
        case KernelPath::Detect:
        case KernelPath::Scalar:
            break;
        case KernelPath::Avx2:
            if (!has(DSM_CPU_AVX2 | DSM_CPU_FMA)) throw Error(DSM_UNSUPPORTED, "this CPU lacks AVX2/FMA");
            break;
        default:
            throw_invalid("path must be 0 (detect), 1 (scalar) or 2 (AVX2/FMA) (got " + std::to_string(path) + ")");
    }
    g_path.store(path, std::memory_order_relaxed);
}

const KernelTable& kernels() {
    switch (static_cast<KernelPath>(g_path.load(std::memory_order_relaxed))) {
        case KernelPath::Scalar:
            return kScalarKernels;
        case KernelPath::Avx2:
            return kAvx2Kernels;
        default:
            if (has(DSM_CPU_AVX512F | DSM_CPU_AVX2 | DSM_CPU_FMA)) return kAvx512Kernels;
            if (has(DSM_CPU_AVX2 | DSM_CPU_FMA)) return kAvx2Kernels;
            return kScalarKernels;
    }
}

}  // namespace dsm
