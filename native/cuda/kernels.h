// Launchers of the CUDA kernels (kernels.cu); all device pointers, all queued on `stream`, errors checked
// at launch (cudaGetLastError) and again at the caller's synchronize.
#ifndef DSM_CUDA_KERNELS_H
#define DSM_CUDA_KERNELS_H

#include <cuda_runtime_api.h>

#include <cstdint>

namespace dsm::cuda {

// y = LayerNorm(x) (then GeLU_erf when gelu), one block per row; y may be x.
void launch_layernorm(const float* x, const float* gamma, const float* beta, float* y, int64_t rows, int64_t cols,
                      float eps, bool gelu, cudaStream_t stream);
void launch_gelu(const float* x, float* y, int64_t count, cudaStream_t stream);
// Top-k with ties to the lower index, NaN first; softmax of logit / temperature over the k.
void launch_topk(const float* logits, int64_t rows, int64_t experts, int32_t k, float temperature, int32_t* idx,
                 float* weight, cudaStream_t stream);
// y[r, :] = bias for rows x n.
void launch_fill_rows(float* y, const float* bias, int64_t rows, int64_t n, cudaStream_t stream);
// h[r, j] = silu(h[r, j]) * h[r, hidden + j] for a [rows, 2 hidden] buffer.
void launch_silu_mul(float* h, int64_t rows, int64_t hidden, cudaStream_t stream);
// y[r, :] *= sigmoid(x[r, :] . gate).
void launch_gate_scale(const float* x, const float* gate, float* y, int64_t rows, int64_t d_model, int64_t d_out,
                       cudaStream_t stream);
// out[j, :] = x[order[j], :] for j < count.
void launch_gather(const float* x, const int32_t* order, float* out, int64_t count, int64_t d_model,
                   cudaStream_t stream);
// y[r] = sum_i weight[r, i] routed_out[pos[r, i]] in slot order, then + shared_out[s][r] for each s.
void launch_combine(const float* routed_out, const int32_t* pos, const float* weight, int32_t k,
                    const float* shared_out, int64_t shared, float* y, int64_t rows, int64_t d_out,
                    cudaStream_t stream);

}  // namespace dsm::cuda

#endif
