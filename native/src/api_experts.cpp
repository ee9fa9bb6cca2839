// Exported: experts and layers.
#include <new>
#include <vector>

#include "checks.h"
#include "cpu.h"
#include "deepseek_moe.h"
#include "error.h"
#include "expert.h"
#include "layer.h"

namespace {

std::vector<const dsm::Expert*> expert_list(int64_t count, const dsm_expert* const* experts, const char* name) {
    std::vector<const dsm::Expert*> list;
    list.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        dsm::checks::not_null_item(experts[i], name, i);
        list.push_back(experts[i]);
    }
    return list;
}

}  // namespace

extern "C" {

DSM_API int32_t dsm_expert_create_linear_layernorm_gelu(int64_t d_model, int64_t d_hidden, int64_t d_out,
                                                        const float* w1, const float* b1, const float* gamma,
                                                        const float* beta, float eps, const float* w2,
                                                        const float* b2, dsm_expert** out) {
    return dsm::guard(__func__, [&] {
        if (out != nullptr) *out = nullptr;
        dsm::checks::linear_layernorm_gelu(d_model, d_hidden, d_out, w1, b1, gamma, beta, eps, w2, b2, out);
        *out = new dsm_expert(dsm::LinearLayerNormGeluWeights{d_model, d_hidden, d_out, w1, b1, gamma, beta, eps, w2, b2});
    });
}

DSM_API int32_t dsm_expert_create_swiglu(int64_t d_model, int64_t d_hidden, int64_t d_out, const float* w_gate,
                                         const float* w_up, const float* w_down, const float* shared_gate,
                                         dsm_expert** out) {
    return dsm::guard(__func__, [&] {
        if (out != nullptr) *out = nullptr;
        dsm::checks::swiglu(d_model, d_hidden, d_out, w_gate, w_up, w_down, out);
        *out = new dsm_expert(dsm::SwiGluWeights{d_model, d_hidden, d_out, w_gate, w_up, w_down, shared_gate});
    });
}

DSM_API int32_t dsm_expert_forward(const dsm_expert* expert, const float* x, int64_t rows, float* y) {
    return dsm::guard(__func__, [&] {
        dsm::checks::expert_forward(expert, rows);
        dsm::checks::rows_buffers(x, y, rows, expert->d_model(), expert->d_out());
        expert->forward(dsm::kernels(), x, rows, y, true);
    });
}

DSM_API void dsm_expert_destroy(dsm_expert* expert) { delete expert; }

DSM_API int32_t dsm_layer_create(int64_t routed_count, const dsm_expert* const* routed, int64_t shared_count,
                                 const dsm_expert* const* shared, dsm_layer** out) {
    return dsm::guard(__func__, [&] {
        if (out != nullptr) *out = nullptr;
        dsm::checks::layer_counts(routed_count, routed, shared_count, shared, out);
        auto routed_list = expert_list(routed_count, routed, "routed");
        auto shared_list = expert_list(shared_count, shared, "shared");
        const dsm::Expert* first = routed_list.front();
        for (size_t i = 0; i < routed_list.size(); ++i)
            dsm::checks::same_shape(routed_list[i]->d_model(), routed_list[i]->d_out(), first->d_model(),
                                    first->d_out(), "routed", static_cast<int64_t>(i));
        for (size_t i = 0; i < shared_list.size(); ++i)
            dsm::checks::same_shape(shared_list[i]->d_model(), shared_list[i]->d_out(), first->d_model(),
                                    first->d_out(), "shared", static_cast<int64_t>(i));
        *out = new dsm_layer(std::move(routed_list), std::move(shared_list));
    });
}

DSM_API int32_t dsm_layer_forward(const dsm_layer* layer, const float* x, int64_t rows, const int32_t* idx,
                                  const float* weight, int32_t k, float* y) {
    return dsm::guard(__func__, [&] {
        const int64_t slots = dsm::checks::layer_forward(layer, rows, k, layer ? layer->routed_count() : 0, idx, weight);
        dsm::checks::rows_buffers(x, y, rows, layer->d_model(), layer->d_out());
        dsm::checks::expert_indices(idx, slots, layer->routed_count());
        layer->forward(dsm::kernels(), x, rows, idx, weight, k, y);
    });
}

DSM_API void dsm_layer_destroy(dsm_layer* layer) { delete layer; }

}  // extern "C"
