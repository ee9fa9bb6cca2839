#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "reference.h"

namespace {

constexpr double kAbs = 2e-4, kRel = 2e-4;

// Router output for tests: k distinct experts per row with positive weights.
void random_routing(int64_t rows, int64_t experts, int32_t k, uint32_t seed, std::vector<int32_t>& idx,
                    std::vector<float>& weight) {
    std::mt19937 rng(seed);
    idx.resize(static_cast<size_t>(rows * k));
    weight.resize(idx.size());
    std::vector<int32_t> all(static_cast<size_t>(experts));
    for (int64_t r = 0; r < rows; ++r) {
        std::iota(all.begin(), all.end(), 0);
        std::shuffle(all.begin(), all.end(), rng);
        for (int32_t i = 0; i < k; ++i) {
            idx[r * k + i] = all[i];
            weight[r * k + i] = std::uniform_real_distribution<float>(0.1f, 1.0f)(rng);
        }
    }
}

struct TestLayer {
    std::vector<ref::LngWeights> routed_w;
    std::vector<ref::SwiGluWeights> shared_w;
    std::vector<dsm_expert*> routed, shared;
    dsm_layer* layer = nullptr;

    TestLayer(int64_t experts, int64_t shared_count, int64_t d_model, int64_t d_hidden) {
        for (int64_t e = 0; e < experts; ++e) routed_w.emplace_back(d_model, d_hidden, d_model, 400 + 10 * e);
        for (int64_t s = 0; s < shared_count; ++s)
            shared_w.emplace_back(d_model, d_hidden / 2 + 1, d_model, 900 + 10 * s, s % 2 == 0);
        for (auto& w : routed_w) routed.push_back(w.create());
        for (auto& w : shared_w) shared.push_back(w.create());
        EXPECT_EQ(DSM_OK, dsm_layer_create(experts, routed.data(), shared_count, shared.data(), &layer))
            << dsm_last_error();
    }
    ~TestLayer() {
        dsm_layer_destroy(layer);
        for (auto* e : routed) dsm_expert_destroy(e);
        for (auto* e : shared) dsm_expert_destroy(e);
    }

    std::vector<double> reference(const std::vector<float>& x, int64_t rows, int64_t d, const std::vector<int32_t>& idx,
                                  const std::vector<float>& weight, int32_t k) const {
        std::vector<double> y(static_cast<size_t>(rows * d), 0.0);
        for (int64_t r = 0; r < rows; ++r) {
            std::vector<float> row(x.begin() + r * d, x.begin() + (r + 1) * d);
            for (int32_t i = 0; i < k; ++i) {
                const auto out = routed_w[static_cast<size_t>(idx[r * k + i])].forward(row, 1);
                for (int64_t j = 0; j < d; ++j) y[r * d + j] += weight[r * k + i] * out[j];
            }
            for (const auto& s : shared_w) {
                const auto out = s.forward(row, 1);
                for (int64_t j = 0; j < d; ++j) y[r * d + j] += out[j];
            }
        }
        return y;
    }
};

using LayerTest = ref::KernelState;

TEST_F(LayerTest, RoutedAndShared_MatchReferenceOnEveryPath) {
    const int64_t experts = 6, d = 24, hidden = 40, rows = 45;
    for (int64_t shared : {0, 2}) {
        TestLayer t(experts, shared, d, hidden);
        for (int32_t k : {1, 2, 6}) {
            std::vector<int32_t> idx;
            std::vector<float> weight;
            random_routing(rows, experts, k, 401 + k, idx, weight);
            const auto x = ref::random(static_cast<size_t>(rows * d), 402);
            const auto want = t.reference(x, rows, d, idx, weight, k);
            for (int32_t path : ref::kernel_paths()) {
                SCOPED_TRACE(testing::Message() << "shared=" << shared << " k=" << k << " path=" << path);
                ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
                std::vector<float> y(static_cast<size_t>(rows * d));
                ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), k, y.data()))
                    << dsm_last_error();
                ref::expect_close(y.data(), want, kAbs, kRel);
            }
        }
    }
}

TEST_F(LayerTest, ZeroRows_Ok) {
    TestLayer t(3, 0, 8, 16);
    EXPECT_EQ(DSM_OK, dsm_layer_forward(t.layer, nullptr, 0, nullptr, nullptr, 2, nullptr)) << dsm_last_error();
}

TEST_F(LayerTest, InPlace_EqualsOutOfPlace) {
    const int64_t d = 16, rows = 20;
    TestLayer t(4, 1, d, 24);
    std::vector<int32_t> idx;
    std::vector<float> weight;
    random_routing(rows, 4, 2, 411, idx, weight);
    auto x = ref::random(static_cast<size_t>(rows * d), 412);
    std::vector<float> y(x.size());
    ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, y.data()));
    ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, x.data()));
    EXPECT_TRUE(ref::bitwise_equal(x, y));
}

TEST_F(LayerTest, DemoShape_OneAndTwoThreadsBitIdentical) {
    // The demo layer: 16 experts, top-2, 256 -> 1024 -> 256, plus a shared expert so tasks are split.
    const int64_t d = 256, rows = 333;
    TestLayer t(16, 1, d, 1024);
    std::vector<int32_t> idx;
    std::vector<float> weight;
    random_routing(rows, 16, 2, 421, idx, weight);
    const auto x = ref::random(static_cast<size_t>(rows * d), 422);
    std::vector<float> one(x.size()), two(x.size());
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(1));
    ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, one.data()));
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(2));
    ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, two.data()));
    EXPECT_TRUE(ref::bitwise_equal(one, two));
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(3));
    ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, two.data()));
    EXPECT_TRUE(ref::bitwise_equal(one, two));
}

TEST_F(LayerTest, UnevenLoadAndRepeatedExpert_MatchesReference) {
    // Every row on expert 0, one row twice on the same expert: dispatch must still sum in slot order.
    const int64_t experts = 3, d = 12, rows = 70;
    TestLayer t(experts, 0, d, 20);
    std::vector<int32_t> idx(rows * 2);
    std::vector<float> weight(rows * 2, 0.5f);
    for (int64_t r = 0; r < rows; ++r) {
        idx[r * 2] = 0;
        idx[r * 2 + 1] = r == 5 ? 0 : static_cast<int32_t>(1 + r % 2);
    }
    const auto x = ref::random(static_cast<size_t>(rows * d), 431);
    const auto want = t.reference(x, rows, d, idx, weight, 2);
    std::vector<float> y(x.size());
    ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, y.data()));
    ref::expect_close(y.data(), want, kAbs, kRel);
}

TEST_F(LayerTest, NanInOneRow_StaysInThatRow) {
    const int64_t d = 16, rows = 10;
    TestLayer t(4, 0, d, 24);
    std::vector<int32_t> idx;
    std::vector<float> weight;
    random_routing(rows, 4, 2, 441, idx, weight);
    auto x = ref::random(static_cast<size_t>(rows * d), 442);
    x[3 * d + 2] = std::nanf("");
    std::vector<float> y(x.size());
    ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, y.data()));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < d; ++j) EXPECT_EQ(r == 3, std::isnan(y[r * d + j]));
}

TEST_F(LayerTest, ConcurrentCallers_GetTheSingleThreadResult) {
    // Two threads share the layer: one gets the thread pool, the other runs inline; both match.
    const int64_t d = 64, rows = 150;
    TestLayer t(8, 1, d, 96);
    std::vector<int32_t> idx;
    std::vector<float> weight;
    random_routing(rows, 8, 2, 451, idx, weight);
    const auto x = ref::random(static_cast<size_t>(rows * d), 452);
    std::vector<float> want(x.size());
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(1));
    ASSERT_EQ(DSM_OK, dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, want.data()));
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(2));
    std::vector<std::vector<float>> got(4, std::vector<float>(x.size()));
    std::vector<int32_t> status(got.size(), -1);
    std::vector<std::thread> callers;
    for (size_t c = 0; c < got.size(); ++c)
        callers.emplace_back([&, c] {
            for (int rep = 0; rep < 5; ++rep)
                status[c] = dsm_layer_forward(t.layer, x.data(), rows, idx.data(), weight.data(), 2, got[c].data());
        });
    for (auto& c : callers) c.join();
    for (size_t c = 0; c < got.size(); ++c) {
        EXPECT_EQ(DSM_OK, status[c]);
        EXPECT_TRUE(ref::bitwise_equal(want, got[c])) << "caller " << c;
    }
}

}  // namespace
