/*
 * deepseek_moe: native MoE kernels behind a flat, versioned C ABI.
 *
 * Rules of the boundary:
 *  - every function returns a dsm_status (0 = DSM_OK) unless it is a pure getter or destructor;
 *  - no C++ exception and no CUDA error ever crosses it: failures set a per-thread message that
 *    dsm_last_error() returns until the next failing call on the same thread;
 *  - all matrices are row-major float32; "x @ W" layouts: W is [in, out];
 *  - handles are opaque; the caller destroys what it created, in reverse order of dependence;
 *  - NaN inputs propagate to outputs; they never crash a kernel.
 * The CPU library (libdeepseek_moe) and the CUDA library (libdeepseek_moe_cuda) export this same ABI.
 */
#ifndef DEEPSEEK_MOE_H
#define DEEPSEEK_MOE_H

#include <stdint.h>

#if defined(_WIN32)
#define DSM_API __declspec(dllexport)
#else
#define DSM_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define DSM_ABI_VERSION 2

typedef enum dsm_status {
    DSM_OK = 0,
    DSM_INVALID_ARGUMENT = 1,
    DSM_OUT_OF_MEMORY = 2,
    DSM_UNSUPPORTED = 3,
    DSM_DEVICE_ERROR = 4,
    DSM_INTERNAL = 5
} dsm_status;

/* CPU feature bits reported by dsm_cpu_features. */
#define DSM_CPU_AVX2 1
#define DSM_CPU_FMA 2
#define DSM_CPU_AVX512F 4

/* The ABI version this library implements (DSM_ABI_VERSION). */
DSM_API int32_t dsm_abi_version(void);

/* The last error message of the calling thread ("" when none). Valid until the next call on this thread. */
DSM_API const char* dsm_last_error(void);

/* Bitmask of DSM_CPU_* features detected at run time. */
DSM_API int32_t dsm_cpu_features(void);

/* Which kernel family runs: 0 = detect (default), 1 = force scalar, 2 = force AVX2/FMA (fails if unsupported). */
DSM_API int32_t dsm_set_kernel_path(int32_t path);

/* Threads used by the kernels, process-wide; 0 = one per CPU this process may use (default): the CPUs of its
   affinity mask, capped by its cgroup's CPU quota (a container's CPU limit), as .NET counts processors. */
DSM_API int32_t dsm_set_num_threads(int32_t threads);

/* The threads the kernels use now (what 0 resolved to, after dsm_set_num_threads(0) or by default). The CUDA
   library, whose host side runs each call on the calling thread, returns 1. (Since ABI version 2.) */
DSM_API int32_t dsm_get_num_threads(void);

/* y = GeLU_erf((x - mean) / sqrt(var + eps) * gamma + beta) per row, population variance, fused: one pass
   over the row after the statistics. In place allowed (y == x). rows may be 0. */
DSM_API int32_t dsm_layernorm_gelu_f32(const float* x, const float* gamma, const float* beta, float* y,
                                       int64_t rows, int64_t cols, float eps);

/* The unfused steps, for comparison: LayerNorm alone, then GeLU_erf alone (in place allowed). */
DSM_API int32_t dsm_layernorm_f32(const float* x, const float* gamma, const float* beta, float* y,
                                  int64_t rows, int64_t cols, float eps);
DSM_API int32_t dsm_gelu_f32(const float* x, float* y, int64_t count);

/* Per row the k largest logits (ties to the lower index) in descending order; weights = softmax(logit /
   temperature) over those k. out_idx and out_weight are [rows, k]. */
DSM_API int32_t dsm_topk_gate_f32(const float* logits, int64_t rows, int64_t experts, int32_t k,
                                  float temperature, int32_t* out_idx, float* out_weight);

/* C[m, n] = A[m, k] @ B[k, n] (+ C when accumulate != 0). */
DSM_API int32_t dsm_sgemm_f32(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c,
                              int32_t accumulate);

/* An expert with its weights copied (and packed) into native memory. */
typedef struct dsm_expert dsm_expert;

/* Linear -> LayerNorm -> GeLU_erf -> Linear: y = GeLU(LN(x W1 + b1)) W2 + b2.
   w1 [d_model, d_hidden], b1/gamma/beta [d_hidden], w2 [d_hidden, d_out], b2 [d_out]. */
DSM_API int32_t dsm_expert_create_linear_layernorm_gelu(int64_t d_model, int64_t d_hidden, int64_t d_out,
                                                        const float* w1, const float* b1, const float* gamma,
                                                        const float* beta, float eps, const float* w2,
                                                        const float* b2, dsm_expert** out);

/* SwiGLU: y = (silu(x Wg) * (x Wu)) Wd, times sigmoid(x . s) when shared_gate (s, [d_model]) is not null.
   w_gate/w_up [d_model, d_hidden], w_down [d_hidden, d_out]. */
DSM_API int32_t dsm_expert_create_swiglu(int64_t d_model, int64_t d_hidden, int64_t d_out, const float* w_gate,
                                         const float* w_up, const float* w_down, const float* shared_gate,
                                         dsm_expert** out);

/* y [rows, d_out] = expert(x [rows, d_model]). rows may be 0. */
DSM_API int32_t dsm_expert_forward(const dsm_expert* expert, const float* x, int64_t rows, float* y);

DSM_API void dsm_expert_destroy(dsm_expert* expert);

/* A whole MoE layer over experts the caller created (the layer borrows them; destroy it first). */
typedef struct dsm_layer dsm_layer;

DSM_API int32_t dsm_layer_create(int64_t routed_count, const dsm_expert* const* routed, int64_t shared_count,
                                 const dsm_expert* const* shared, dsm_layer** out);

/* y [rows, d_out] = sum_i weight[r, i] * routed[idx[r, i]](x[r]) + sum_s shared[s](x[r]).
   idx/weight are [rows, k] from the router. Rows are dispatched per expert, each activated expert runs
   once on its rows, outputs are combined per row in slot order i = 0..k-1, then shared experts added. */
DSM_API int32_t dsm_layer_forward(const dsm_layer* layer, const float* x, int64_t rows, const int32_t* idx,
                                  const float* weight, int32_t k, float* y);

DSM_API void dsm_layer_destroy(dsm_layer* layer);

#ifdef __cplusplus
}
#endif

#endif /* DEEPSEEK_MOE_H */
