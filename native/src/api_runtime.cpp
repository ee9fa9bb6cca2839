// Exported: version, errors, CPU features, kernel path, threads.
#include "cpu.h"
#include "deepseek_moe.h"
#include "error.h"
#include "thread_pool.h"
#include "validate.h"

extern "C" {

DSM_API int32_t dsm_abi_version(void) { return DSM_ABI_VERSION; }

DSM_API const char* dsm_last_error(void) { return dsm::last_error(); }

DSM_API int32_t dsm_cpu_features(void) { return dsm::cpu_features(); }

DSM_API int32_t dsm_set_kernel_path(int32_t path) {
    return dsm::guard(__func__, [&] { dsm::set_kernel_path(path); });
}

DSM_API int32_t dsm_set_num_threads(int32_t threads) {
    return dsm::guard(__func__, [&] {
        dsm::require_range(threads, 0, 1024, "threads");
        dsm::ThreadPool::instance().set_threads(threads);
    });
}

DSM_API int32_t dsm_get_num_threads(void) { return dsm::ThreadPool::instance().threads(); }

}  // extern "C"
