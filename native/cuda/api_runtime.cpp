// Exported by libdeepseek_moe_cuda: version, errors, CPU features, kernel path, threads.
#include <string>

#include "deepseek_moe.h"
#include "error.h"
#include "validate.h"

extern "C" {

DSM_API int32_t dsm_abi_version(void) { return DSM_ABI_VERSION; }

DSM_API const char* dsm_last_error(void) { return dsm::last_error(); }

DSM_API int32_t dsm_cpu_features(void) {
    __builtin_cpu_init();
    int32_t bits = 0;
    if (__builtin_cpu_supports("avx2")) bits |= DSM_CPU_AVX2;
    if (__builtin_cpu_supports("fma")) bits |= DSM_CPU_FMA;
    if (__builtin_cpu_supports("avx512f")) bits |= DSM_CPU_AVX512F;
    return bits;
}

DSM_API int32_t dsm_set_kernel_path(int32_t path) {
    return dsm::guard(__func__, [&] {
        if (path == 1 || path == 2) throw dsm::Error(DSM_UNSUPPORTED, "the CUDA library has one kernel path (0)");
        if (path != 0)
            dsm::throw_invalid("path must be 0 (detect), 1 (scalar) or 2 (AVX2/FMA) (got " + std::to_string(path) + ")");
    });
}

// Kernels run on the GPU; the host side is single-threaded per call, so the count is only validated.
DSM_API int32_t dsm_set_num_threads(int32_t threads) {
    return dsm::guard(__func__, [&] { dsm::require_range(threads, 0, 1024, "threads"); });
}

DSM_API int32_t dsm_get_num_threads(void) { return 1; }

}  // extern "C"
