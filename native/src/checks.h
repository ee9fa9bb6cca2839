// Argument checks of the exported functions, shared by the CPU and CUDA libraries so both reject the same
// calls with the same messages.
#ifndef DSM_CHECKS_H
#define DSM_CHECKS_H

#include <cmath>
#include <cstdint>
#include <string>

#include "validate.h"

namespace dsm::checks {

inline void layernorm(const float* x, const float* gamma, const float* beta, const float* y, int64_t rows,
                      int64_t cols, float eps) {
    require_non_negative(rows, "rows");
    require_non_negative(cols, "cols");
    const int64_t count = checked_count(rows, cols, "rows * cols");
    require_buffer(x, count, "x");
    require_buffer(y, count, "y");
    require_buffer(gamma, count > 0 ? cols : 0, "gamma");
    require_buffer(beta, count > 0 ? cols : 0, "beta");
    require_eps(eps, "eps");
}

inline void gelu(const float* x, const float* y, int64_t count) {
    require_non_negative(count, "count");
    checked_count(count, 1, "count");
    require_buffer(x, count, "x");
    require_buffer(y, count, "y");
}

inline void topk(const float* logits, int64_t rows, int64_t experts, int32_t k, float temperature,
                 const int32_t* out_idx, const float* out_weight) {
    require_non_negative(rows, "rows");
    require_range(experts, 1, INT32_MAX, "experts");
    require_range(k, 1, experts, "k");
    if (!std::isfinite(temperature) || temperature <= 0.0f)
        throw_invalid("temperature must be finite and > 0 (got " + std::to_string(temperature) + ")");
    require_buffer(logits, checked_count(rows, experts, "rows * experts"), "logits");
    require_buffer(out_idx, rows, "out_idx");
    require_buffer(out_weight, rows, "out_weight");
}

inline void sgemm(int64_t m, int64_t n, int64_t k, const float* a, const float* b, const float* c) {
    require_non_negative(m, "m");
    require_non_negative(n, "n");
    require_non_negative(k, "k");
    require_buffer(a, checked_count(m, k, "m * k"), "a");
    require_buffer(b, checked_count(k, n, "k * n"), "b");
    require_buffer(c, checked_count(m, n, "m * n"), "c");
}

inline void expert_dims(int64_t d_model, int64_t d_hidden, int64_t d_out) {
    require_positive(d_model, "d_model");
    require_positive(d_hidden, "d_hidden");
    require_positive(d_out, "d_out");
    checked_count(d_model, 2 * d_hidden, "d_model * d_hidden");
    checked_count(d_hidden, d_out, "d_hidden * d_out");
}

inline void linear_layernorm_gelu(int64_t d_model, int64_t d_hidden, int64_t d_out, const float* w1, const float* b1,
                                  const float* gamma, const float* beta, float eps, const float* w2, const float* b2,
                                  const void* out) {
    require_not_null(out, "out");
    expert_dims(d_model, d_hidden, d_out);
    require_not_null(w1, "w1");
    require_not_null(b1, "b1");
    require_not_null(gamma, "gamma");
    require_not_null(beta, "beta");
    require_eps(eps, "eps");
    require_not_null(w2, "w2");
    require_not_null(b2, "b2");
}

inline void swiglu(int64_t d_model, int64_t d_hidden, int64_t d_out, const float* w_gate, const float* w_up,
                   const float* w_down, const void* out) {
    require_not_null(out, "out");
    expert_dims(d_model, d_hidden, d_out);
    require_not_null(w_gate, "w_gate");
    require_not_null(w_up, "w_up");
    require_not_null(w_down, "w_down");
}

inline void expert_forward(const void* expert, int64_t rows) {
    require_not_null(expert, "expert");
    require_non_negative(rows, "rows");
}

inline void rows_buffers(const float* x, const float* y, int64_t rows, int64_t d_model, int64_t d_out) {
    require_buffer(x, checked_count(rows, d_model, "rows * d_model"), "x");
    require_buffer(y, checked_count(rows, d_out, "rows * d_out"), "y");
}

inline void layer_counts(int64_t routed_count, const void* routed, int64_t shared_count, const void* shared,
                         const void* out) {
    require_not_null(out, "out");
    require_range(routed_count, 1, INT32_MAX, "routed_count");
    require_range(shared_count, 0, INT32_MAX, "shared_count");
    require_buffer(routed, routed_count, "routed");
    require_buffer(shared, shared_count, "shared");
}

// Every expert of a layer maps d_model -> d_out like routed[0].
inline void same_shape(int64_t d_model, int64_t d_out, int64_t first_d_model, int64_t first_d_out, const char* list,
                       int64_t i) {
    if (d_model != first_d_model || d_out != first_d_out)
        throw_invalid(std::string(list) + "[" + std::to_string(i) + "] is [" + std::to_string(d_model) + " -> " +
                      std::to_string(d_out) + "] but routed[0] is [" + std::to_string(first_d_model) + " -> " +
                      std::to_string(first_d_out) + "]");
}

inline void not_null_item(const void* p, const char* list, int64_t i) {
    if (p == nullptr) throw_invalid(std::string(list) + "[" + std::to_string(i) + "] must not be null");
}

// Returns rows * k.
inline int64_t layer_forward(const void* layer, int64_t rows, int32_t k, int64_t routed_count, const int32_t* idx,
                             const float* weight) {
    require_not_null(layer, "layer");
    require_non_negative(rows, "rows");
    require_range(k, 1, routed_count, "k");
    const int64_t slots = checked_count(rows, k, "rows * k");
    if (slots > INT32_MAX) throw_invalid("rows * k must fit in 32 bits");
    require_buffer(idx, slots, "idx");
    require_buffer(weight, slots, "weight");
    return slots;
}

inline void expert_indices(const int32_t* idx, int64_t slots, int64_t experts) {
    for (int64_t j = 0; j < slots; ++j) {
        if (idx[j] < 0 || idx[j] >= experts)
            throw_invalid("idx[" + std::to_string(j) + "] = " + std::to_string(idx[j]) + " is not an expert index (0.." +
                          std::to_string(experts - 1) + ")");
    }
}

}  // namespace dsm::checks

#endif
