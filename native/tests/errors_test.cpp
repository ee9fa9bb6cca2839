// Every exported function rejects bad arguments with a status and a message naming the argument.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "reference.h"

namespace {

void expect_invalid(int32_t status, const char* argument) {
    EXPECT_EQ(DSM_INVALID_ARGUMENT, status);
    const std::string message = dsm_last_error();
    // Messages read "<function>: <argument> <what is wrong>".
    EXPECT_NE(std::string::npos, message.find(": " + std::string(argument) + " ")) << "message: " << message;
}

TEST(ErrorsTest, LayerNorm_BadArguments_InvalidArgument) {
    float x[4] = {1, 2, 3, 4}, g[2] = {1, 1}, b[2] = {0, 0}, y[4];
    expect_invalid(dsm_layernorm_gelu_f32(nullptr, g, b, y, 2, 2, 1e-5f), "x");
    expect_invalid(dsm_layernorm_gelu_f32(x, nullptr, b, y, 2, 2, 1e-5f), "gamma");
    expect_invalid(dsm_layernorm_gelu_f32(x, g, nullptr, y, 2, 2, 1e-5f), "beta");
    expect_invalid(dsm_layernorm_gelu_f32(x, g, b, nullptr, 2, 2, 1e-5f), "y");
    expect_invalid(dsm_layernorm_gelu_f32(x, g, b, y, -1, 2, 1e-5f), "rows");
    expect_invalid(dsm_layernorm_gelu_f32(x, g, b, y, 2, -2, 1e-5f), "cols");
    expect_invalid(dsm_layernorm_gelu_f32(x, g, b, y, 2, 2, -1e-5f), "eps");
    expect_invalid(dsm_layernorm_gelu_f32(x, g, b, y, 2, 2, std::nanf("")), "eps");
    expect_invalid(dsm_layernorm_f32(x, g, b, y, 2, 2, std::numeric_limits<float>::infinity()), "eps");
    expect_invalid(dsm_layernorm_f32(x, g, b, y, std::numeric_limits<int64_t>::max(), 2, 1e-5f), "rows * cols");
    expect_invalid(dsm_gelu_f32(x, nullptr, 4), "y");
}

TEST(ErrorsTest, LayerNorm_ZeroRowsWithNullPointers_Ok) {
    EXPECT_EQ(DSM_OK, dsm_layernorm_gelu_f32(nullptr, nullptr, nullptr, nullptr, 0, 16, 1e-5f));
    EXPECT_EQ(DSM_OK, dsm_gelu_f32(nullptr, nullptr, 0));
}

TEST(ErrorsTest, TopK_BadArguments_InvalidArgument) {
    float logits[8] = {};
    int32_t idx[4];
    float w[4];
    expect_invalid(dsm_topk_gate_f32(logits, 2, 4, 0, 1.0f, idx, w), "k");
    expect_invalid(dsm_topk_gate_f32(logits, 2, 4, 5, 1.0f, idx, w), "k");
    expect_invalid(dsm_topk_gate_f32(logits, 2, 0, 1, 1.0f, idx, w), "experts");
    expect_invalid(dsm_topk_gate_f32(logits, 2, 4, 2, 0.0f, idx, w), "temperature");
    expect_invalid(dsm_topk_gate_f32(logits, 2, 4, 2, -1.0f, idx, w), "temperature");
    expect_invalid(dsm_topk_gate_f32(logits, 2, 4, 2, std::nanf(""), idx, w), "temperature");
    expect_invalid(dsm_topk_gate_f32(logits, 2, 4, 2, std::numeric_limits<float>::infinity(), idx, w), "temperature");
    expect_invalid(dsm_topk_gate_f32(nullptr, 2, 4, 2, 1.0f, idx, w), "logits");
    expect_invalid(dsm_topk_gate_f32(logits, 2, 4, 2, 1.0f, nullptr, w), "out_idx");
    expect_invalid(dsm_topk_gate_f32(logits, 2, 4, 2, 1.0f, idx, nullptr), "out_weight");
    expect_invalid(dsm_topk_gate_f32(logits, -2, 4, 2, 1.0f, idx, w), "rows");
}

TEST(ErrorsTest, Sgemm_BadArguments_InvalidArgument) {
    float a[4] = {}, b[4] = {}, c[4] = {};
    expect_invalid(dsm_sgemm_f32(-1, 2, 2, a, b, c, 0), "m");
    expect_invalid(dsm_sgemm_f32(2, -1, 2, a, b, c, 0), "n");
    expect_invalid(dsm_sgemm_f32(2, 2, -1, a, b, c, 0), "k");
    expect_invalid(dsm_sgemm_f32(2, 2, 2, nullptr, b, c, 0), "a");
    expect_invalid(dsm_sgemm_f32(2, 2, 2, a, nullptr, c, 0), "b");
    expect_invalid(dsm_sgemm_f32(2, 2, 2, a, b, nullptr, 0), "c");
}

TEST(ErrorsTest, Experts_BadArguments_InvalidArgument) {
    ref::LngWeights w(4, 8, 3, 1);
    dsm_expert* e = reinterpret_cast<dsm_expert*>(0x1);
    expect_invalid(dsm_expert_create_linear_layernorm_gelu(0, 8, 3, w.w1.data(), w.b1.data(), w.gamma.data(),
                                                           w.beta.data(), 1e-5f, w.w2.data(), w.b2.data(), &e),
                   "d_model");
    EXPECT_EQ(nullptr, e);
    expect_invalid(dsm_expert_create_linear_layernorm_gelu(4, -8, 3, w.w1.data(), w.b1.data(), w.gamma.data(),
                                                           w.beta.data(), 1e-5f, w.w2.data(), w.b2.data(), &e),
                   "d_hidden");
    expect_invalid(dsm_expert_create_linear_layernorm_gelu(4, 8, 3, w.w1.data(), nullptr, w.gamma.data(),
                                                           w.beta.data(), 1e-5f, w.w2.data(), w.b2.data(), &e),
                   "b1");
    expect_invalid(dsm_expert_create_linear_layernorm_gelu(4, 8, 3, w.w1.data(), w.b1.data(), w.gamma.data(),
                                                           w.beta.data(), -1.0f, w.w2.data(), w.b2.data(), &e),
                   "eps");
    expect_invalid(dsm_expert_create_linear_layernorm_gelu(4, 8, 3, w.w1.data(), w.b1.data(), w.gamma.data(),
                                                           w.beta.data(), 1e-5f, w.w2.data(), w.b2.data(), nullptr),
                   "out");
    ref::SwiGluWeights s(4, 8, 3, 1, false);
    expect_invalid(dsm_expert_create_swiglu(4, 8, 3, s.w_gate.data(), nullptr, s.w_down.data(), nullptr, &e), "w_up");
    expect_invalid(dsm_expert_create_swiglu(4, 8, 0, s.w_gate.data(), s.w_up.data(), s.w_down.data(), nullptr, &e),
                   "d_out");

    dsm_expert* good = w.create();
    float x[8] = {}, y[6];
    expect_invalid(dsm_expert_forward(nullptr, x, 2, y), "expert");
    expect_invalid(dsm_expert_forward(good, x, -2, y), "rows");
    expect_invalid(dsm_expert_forward(good, nullptr, 2, y), "x");
    expect_invalid(dsm_expert_forward(good, x, 2, nullptr), "y");
    dsm_expert_destroy(good);
}

TEST(ErrorsTest, Layers_BadArguments_InvalidArgument) {
    ref::LngWeights w(4, 8, 3, 1), other(5, 8, 3, 2);
    dsm_expert* experts[2] = {w.create(), w.create()};
    dsm_expert* odd = other.create();
    dsm_layer* layer = nullptr;
    expect_invalid(dsm_layer_create(0, experts, 0, nullptr, &layer), "routed_count");
    expect_invalid(dsm_layer_create(2, nullptr, 0, nullptr, &layer), "routed");
    dsm_expert* with_null[2] = {experts[0], nullptr};
    expect_invalid(dsm_layer_create(2, with_null, 0, nullptr, &layer), "routed[1]");
    dsm_expert* mixed[2] = {experts[0], odd};
    expect_invalid(dsm_layer_create(2, mixed, 0, nullptr, &layer), "routed[1]");
    expect_invalid(dsm_layer_create(2, experts, 1, &odd, &layer), "shared[0]");
    expect_invalid(dsm_layer_create(2, experts, -1, nullptr, &layer), "shared_count");
    EXPECT_EQ(nullptr, layer);

    ASSERT_EQ(DSM_OK, dsm_layer_create(2, experts, 0, nullptr, &layer)) << dsm_last_error();
    float x[8] = {}, y[6], wt[4] = {0.5f, 0.5f, 0.5f, 0.5f};
    int32_t idx[4] = {0, 1, 1, 0};
    expect_invalid(dsm_layer_forward(layer, x, 2, idx, wt, 3, y), "k");
    expect_invalid(dsm_layer_forward(layer, x, 2, idx, wt, 0, y), "k");
    expect_invalid(dsm_layer_forward(layer, x, 2, nullptr, wt, 2, y), "idx");
    expect_invalid(dsm_layer_forward(layer, x, 2, idx, nullptr, 2, y), "weight");
    expect_invalid(dsm_layer_forward(nullptr, x, 2, idx, wt, 2, y), "layer");
    int32_t bad[4] = {0, 1, 2, 0};
    expect_invalid(dsm_layer_forward(layer, x, 2, bad, wt, 2, y), "idx[2]");
    int32_t negative[4] = {0, -1, 1, 0};
    expect_invalid(dsm_layer_forward(layer, x, 2, negative, wt, 2, y), "idx[1]");

    dsm_layer_destroy(layer);
    dsm_expert_destroy(odd);
    dsm_expert_destroy(experts[0]);
    dsm_expert_destroy(experts[1]);
}

}  // namespace
