#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "reference.h"

namespace {

// The reference: stable sort by logit descending (ties keep the lower index first), softmax of logit / T.
void reference_route(const float* logits, int64_t experts, int32_t k, float temperature, std::vector<int32_t>& idx,
                     std::vector<double>& weight) {
    std::vector<int32_t> order(static_cast<size_t>(experts));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return logits[a] > logits[b]; });
    idx.assign(order.begin(), order.begin() + k);
    weight.resize(static_cast<size_t>(k));
    double sum = 0;
    for (int32_t i = 0; i < k; ++i) sum += weight[i] = std::exp((logits[idx[i]] - logits[idx[0]]) / double(temperature));
    for (auto& w : weight) w /= sum;
}

struct Case {
    int64_t rows, experts;
    int32_t k;
    float temperature;
};

class TopKTest : public ::testing::TestWithParam<Case> {};

TEST_P(TopKTest, MatchesReferenceWithTies) {
    const Case c = GetParam();
    auto logits = ref::random(static_cast<size_t>(c.rows * c.experts), 201, 2.0f);
    for (auto& v : logits) v = std::round(v * 2.0f) / 2.0f;  // many ties
    std::vector<int32_t> idx(static_cast<size_t>(c.rows * c.k));
    std::vector<float> w(idx.size());
    ASSERT_EQ(DSM_OK, dsm_topk_gate_f32(logits.data(), c.rows, c.experts, c.k, c.temperature, idx.data(), w.data()))
        << dsm_last_error();
    std::vector<int32_t> want_idx;
    std::vector<double> want_w;
    for (int64_t r = 0; r < c.rows; ++r) {
        reference_route(&logits[r * c.experts], c.experts, c.k, c.temperature, want_idx, want_w);
        for (int32_t i = 0; i < c.k; ++i) {
            ASSERT_EQ(want_idx[i], idx[r * c.k + i]) << "row " << r << " slot " << i;
            EXPECT_NEAR(want_w[i], w[r * c.k + i], 1e-6 + 1e-6 * want_w[i]) << "row " << r << " slot " << i;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, TopKTest,
                         ::testing::Values(Case{50, 16, 2, 0.1f}, Case{3, 16, 16, 1.0f}, Case{7, 1, 1, 0.5f},
                                           Case{1000, 64, 8, 1.0f}, Case{5, 33, 33, 2.0f}, Case{300, 256, 4, 0.7f}));

TEST(TopKCases, ZeroRows_Ok) {
    const float logit = 0.0f;
    EXPECT_EQ(DSM_OK, dsm_topk_gate_f32(&logit, 0, 4, 2, 1.0f, nullptr, nullptr));
}

TEST(TopKCases, NanLogits_RankFirstAndPoisonWeightsDeterministically) {
    const float nan = std::nanf("");
    const std::vector<float> logits{0.5f, nan, 2.0f, nan, 1.0f, 3.0f, 0.0f, 1.0f, 2.0f, 0.0f};
    std::vector<int32_t> idx(4);
    std::vector<float> w(4);
    ASSERT_EQ(DSM_OK, dsm_topk_gate_f32(logits.data(), 2, 5, 2, 1.0f, idx.data(), w.data()));
    // Row 0 has two NaN logits: both chosen, lower index first, weights NaN.
    EXPECT_EQ(1, idx[0]);
    EXPECT_EQ(3, idx[1]);
    EXPECT_TRUE(std::isnan(w[0]) && std::isnan(w[1]));
    // Row 1 has none: unaffected.
    EXPECT_EQ(0, idx[2]);
    EXPECT_EQ(3, idx[3]);
    EXPECT_NEAR(1.0 / (1.0 + std::exp(-1.0)), w[2], 1e-6);
}

TEST(TopKCases, ManyRows_OneAndTwoThreadsIdentical) {
    const int64_t rows = 5000, experts = 16;
    const auto logits = ref::random(static_cast<size_t>(rows * experts), 211);
    std::vector<int32_t> i1(rows * 2), i2(rows * 2);
    std::vector<float> w1(rows * 2), w2(rows * 2);
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(1));
    ASSERT_EQ(DSM_OK, dsm_topk_gate_f32(logits.data(), rows, experts, 2, 0.1f, i1.data(), w1.data()));
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(2));
    ASSERT_EQ(DSM_OK, dsm_topk_gate_f32(logits.data(), rows, experts, 2, 0.1f, i2.data(), w2.data()));
    dsm_set_num_threads(0);
    EXPECT_EQ(i1, i2);
    EXPECT_TRUE(ref::bitwise_equal(w1, w2));
}

}  // namespace
