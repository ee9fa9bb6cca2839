// Exported: LayerNorm(+GeLU), GeLU, top-k gate, SGEMM.
#include <algorithm>

#include "checks.h"
#include "cpu.h"
#include "deepseek_moe.h"
#include "error.h"
#include "gemm.h"
#include "thread_pool.h"
#include "topk.h"

namespace {

// Outputs at least this large bypass the cache (non-temporal stores): they cannot stay there anyway.
constexpr int64_t kStreamBytes = int64_t{8} << 20;
// Elements per parallel task of the row kernels.
constexpr int64_t kElementsPerTask = int64_t{1} << 16;

using RowKernel = void (*)(const float*, const float*, const float*, float*, int64_t, int64_t, float, bool);

void run_rows(RowKernel kernel, const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
              int64_t cols, float eps) {
    const int64_t count = rows * cols;
    if (count == 0) return;
    const bool stream = count * static_cast<int64_t>(sizeof(float)) >= kStreamBytes;
    const int64_t rows_per_task = std::max<int64_t>(1, kElementsPerTask / cols);
    const int64_t tasks = (rows + rows_per_task - 1) / rows_per_task;
    dsm::ThreadPool::instance().parallel_for(tasks, [&](int64_t i) {
        const int64_t r0 = i * rows_per_task, n = std::min(rows_per_task, rows - r0);
        kernel(x + r0 * cols, gamma, beta, y + r0 * cols, n, cols, eps, stream);
    });
}

}  // namespace

extern "C" {

DSM_API int32_t dsm_layernorm_gelu_f32(const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
                                       int64_t cols, float eps) {
    return dsm::guard(__func__, [&] {
        dsm::checks::layernorm(x, gamma, beta, y, rows, cols, eps);
        run_rows(dsm::kernels().layernorm_gelu, x, gamma, beta, y, rows, cols, eps);
    });
}

DSM_API int32_t dsm_layernorm_f32(const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
                                  int64_t cols, float eps) {
    return dsm::guard(__func__, [&] {
        dsm::checks::layernorm(x, gamma, beta, y, rows, cols, eps);
        run_rows(dsm::kernels().layernorm, x, gamma, beta, y, rows, cols, eps);
    });
}

DSM_API int32_t dsm_gelu_f32(const float* x, float* y, int64_t count) {
    return dsm::guard(__func__, [&] {
        dsm::checks::gelu(x, y, count);
        if (count == 0) return;
        const auto gelu = dsm::kernels().gelu;
        const bool stream = count * static_cast<int64_t>(sizeof(float)) >= kStreamBytes;
        const int64_t tasks = (count + kElementsPerTask - 1) / kElementsPerTask;
        dsm::ThreadPool::instance().parallel_for(tasks, [&](int64_t i) {
            const int64_t i0 = i * kElementsPerTask;
            gelu(x + i0, y + i0, std::min(kElementsPerTask, count - i0), stream);
        });
    });
}

DSM_API int32_t dsm_topk_gate_f32(const float* logits, int64_t rows, int64_t experts, int32_t k, float temperature,
                                  int32_t* out_idx, float* out_weight) {
    return dsm::guard(__func__, [&] {
        dsm::checks::topk(logits, rows, experts, k, temperature, out_idx, out_weight);
        dsm::topk_gate(logits, rows, experts, k, temperature, out_idx, out_weight);
    });
}

DSM_API int32_t dsm_sgemm_f32(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c,
                              int32_t accumulate) {
    return dsm::guard(__func__, [&] {
        dsm::checks::sgemm(m, n, k, a, b, c);
        if (m == 0 || n == 0) return;
        dsm::GemmArgs g = dsm::GemmArgs::dense(m, n, k, a, nullptr, c);
        g.accumulate = accumulate != 0;
        if (k > 0) {
            // A general GEMM gets B unpacked: pack it into this thread's scratch (experts pack once instead).
            float* packed = dsm::scratch_of<float>(dsm::Slot::PackB, dsm::packed_size(k, n));
            dsm::pack_b(b, n, k, n, packed, true);
            g.b = packed;
        }
        dsm::gemm(dsm::kernels(), g, true);
    });
}

}  // extern "C"
