// Exported by libdeepseek_moe_cuda: LayerNorm(+GeLU), GeLU, top-k gate, SGEMM. Host buffers in and out;
// each call copies to the device, runs on this thread's stream and waits for it.
#include <cstring>

#include "blas.h"
#include "checks.h"
#include "deepseek_moe.h"
#include "device.h"
#include "error.h"
#include "kernels.h"

namespace {

using dsm::cuda::Context;
using dsm::cuda::DeviceSlot;

void layernorm(const float* x, const float* gamma, const float* beta, float* y, int64_t rows, int64_t cols, float eps,
               bool gelu) {
    if (rows * cols == 0) return;
    Context& ctx = Context::current();
    const size_t bytes = static_cast<size_t>(rows * cols) * sizeof(float);
    float* x_dev = ctx.scratch_of<float>(DeviceSlot::In, rows * cols);
    float* y_dev = ctx.scratch_of<float>(DeviceSlot::Out, rows * cols);
    float* params = ctx.scratch_of<float>(DeviceSlot::Weight, 2 * cols);
    ctx.upload(x_dev, x, bytes);
    ctx.upload(params, gamma, static_cast<size_t>(cols) * sizeof(float));
    ctx.upload(params + cols, beta, static_cast<size_t>(cols) * sizeof(float));
    dsm::cuda::launch_layernorm(x_dev, params, params + cols, y_dev, rows, cols, eps, gelu, ctx.stream());
    ctx.download(y, y_dev, bytes);
    ctx.synchronize();
}

}  // namespace

extern "C" {

DSM_API int32_t dsm_layernorm_gelu_f32(const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
                                       int64_t cols, float eps) {
    return dsm::guard(__func__, [&] {
        dsm::checks::layernorm(x, gamma, beta, y, rows, cols, eps);
        layernorm(x, gamma, beta, y, rows, cols, eps, true);
    });
}

DSM_API int32_t dsm_layernorm_f32(const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
                                  int64_t cols, float eps) {
    return dsm::guard(__func__, [&] {
        dsm::checks::layernorm(x, gamma, beta, y, rows, cols, eps);
        layernorm(x, gamma, beta, y, rows, cols, eps, false);
    });
}

DSM_API int32_t dsm_gelu_f32(const float* x, float* y, int64_t count) {
    return dsm::guard(__func__, [&] {
        dsm::checks::gelu(x, y, count);
        if (count == 0) return;
        Context& ctx = Context::current();
        const size_t bytes = static_cast<size_t>(count) * sizeof(float);
        float* x_dev = ctx.scratch_of<float>(DeviceSlot::In, count);
        float* y_dev = ctx.scratch_of<float>(DeviceSlot::Out, count);
        ctx.upload(x_dev, x, bytes);
        dsm::cuda::launch_gelu(x_dev, y_dev, count, ctx.stream());
        ctx.download(y, y_dev, bytes);
        ctx.synchronize();
    });
}

DSM_API int32_t dsm_topk_gate_f32(const float* logits, int64_t rows, int64_t experts, int32_t k, float temperature,
                                  int32_t* out_idx, float* out_weight) {
    return dsm::guard(__func__, [&] {
        dsm::checks::topk(logits, rows, experts, k, temperature, out_idx, out_weight);
        if (rows == 0) return;
        Context& ctx = Context::current();
        float* logits_dev = ctx.scratch_of<float>(DeviceSlot::In, rows * experts);
        int32_t* idx_dev = ctx.scratch_of<int32_t>(DeviceSlot::Idx, rows * k);
        float* weight_dev = ctx.scratch_of<float>(DeviceSlot::Out, rows * k);
        ctx.upload(logits_dev, logits, static_cast<size_t>(rows * experts) * sizeof(float));
        dsm::cuda::launch_topk(logits_dev, rows, experts, k, temperature, idx_dev, weight_dev, ctx.stream());
        ctx.download(out_idx, idx_dev, static_cast<size_t>(rows * k) * sizeof(int32_t));
        ctx.download(out_weight, weight_dev, static_cast<size_t>(rows * k) * sizeof(float));
        ctx.synchronize();
    });
}

DSM_API int32_t dsm_sgemm_f32(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c,
                              int32_t accumulate) {
    return dsm::guard(__func__, [&] {
        dsm::checks::sgemm(m, n, k, a, b, c);
        if (m == 0 || n == 0) return;
        Context& ctx = Context::current();
        float* a_dev = ctx.scratch_of<float>(DeviceSlot::In, m * k);
        float* b_dev = ctx.scratch_of<float>(DeviceSlot::Hidden, k * n);
        float* c_dev = ctx.scratch_of<float>(DeviceSlot::Out, m * n);
        ctx.upload(a_dev, a, static_cast<size_t>(m * k) * sizeof(float));
        ctx.upload(b_dev, b, static_cast<size_t>(k * n) * sizeof(float));
        if (accumulate != 0) ctx.upload(c_dev, c, static_cast<size_t>(m * n) * sizeof(float));
        dsm::cuda::sgemm(ctx.blas(), m, n, k, a_dev, k, b_dev, n, c_dev, n, accumulate != 0 ? 1.0f : 0.0f);
        ctx.download(c, c_dev, static_cast<size_t>(m * n) * sizeof(float));
        ctx.synchronize();
    });
}

}  // extern "C"
