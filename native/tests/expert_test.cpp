#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "reference.h"

namespace {

// Two float GEMMs, LayerNorm and GeLU against a double reference: 2e-4 absolute + 2e-4 relative on outputs
// of magnitude ~1.
constexpr double kAbs = 2e-4, kRel = 2e-4;

struct Shape {
    int64_t d_model, d_hidden, d_out;
};

class ExpertTest : public ref::KernelState, public ::testing::WithParamInterface<Shape> {};

TEST_P(ExpertTest, LinearLayerNormGelu_MatchesReference) {
    const Shape s = GetParam();
    const ref::LngWeights w(s.d_model, s.d_hidden, s.d_out, 301);
    dsm_expert* e = w.create();
    for (int64_t rows : {0, 1, 5, 130}) {
        const auto x = ref::random(static_cast<size_t>(std::max<int64_t>(rows, 1) * s.d_model), 302);
        const auto want = w.forward(x, rows);
        for (int32_t path : ref::kernel_paths()) {
            SCOPED_TRACE(testing::Message() << "rows=" << rows << " path=" << path);
            ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
            std::vector<float> y(static_cast<size_t>(rows * s.d_out));
            ASSERT_EQ(DSM_OK, dsm_expert_forward(e, rows ? x.data() : nullptr, rows, rows ? y.data() : nullptr))
                << dsm_last_error();
            ref::expect_close(y.data(), want, kAbs, kRel);
        }
    }
    dsm_expert_destroy(e);
}

TEST_P(ExpertTest, SwiGlu_MatchesReferenceWithAndWithoutSharedGate) {
    const Shape s = GetParam();
    for (bool gated : {false, true}) {
        const ref::SwiGluWeights w(s.d_model, s.d_hidden, s.d_out, 311, gated);
        dsm_expert* e = w.create();
        for (int64_t rows : {1, 7, 130}) {
            const auto x = ref::random(static_cast<size_t>(rows * s.d_model), 312);
            const auto want = w.forward(x, rows);
            for (int32_t path : ref::kernel_paths()) {
                SCOPED_TRACE(testing::Message() << "gated=" << gated << " rows=" << rows << " path=" << path);
                ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
                std::vector<float> y(static_cast<size_t>(rows * s.d_out));
                ASSERT_EQ(DSM_OK, dsm_expert_forward(e, x.data(), rows, y.data())) << dsm_last_error();
                ref::expect_close(y.data(), want, kAbs, kRel);
            }
        }
        dsm_expert_destroy(e);
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, ExpertTest,
                         ::testing::Values(Shape{17, 33, 5}, Shape{1, 3, 1}, Shape{64, 255, 40},
                                           Shape{256, 1024, 256}));

using ExpertCases = ref::KernelState;

TEST_F(ExpertCases, OneAndTwoThreads_BitIdentical) {
    const ref::LngWeights w(256, 1024, 256, 321);
    const ref::SwiGluWeights s(256, 512, 256, 322, true);
    dsm_expert* experts[2] = {w.create(), s.create()};
    for (dsm_expert* e : experts) {
        for (int64_t rows : {3, 200}) {
            const auto x = ref::random(static_cast<size_t>(rows * 256), 323);
            std::vector<float> one(static_cast<size_t>(rows * 256)), two(one.size());
            ASSERT_EQ(DSM_OK, dsm_set_num_threads(1));
            ASSERT_EQ(DSM_OK, dsm_expert_forward(e, x.data(), rows, one.data()));
            ASSERT_EQ(DSM_OK, dsm_set_num_threads(2));
            ASSERT_EQ(DSM_OK, dsm_expert_forward(e, x.data(), rows, two.data()));
            EXPECT_TRUE(ref::bitwise_equal(one, two)) << "rows " << rows;
        }
        dsm_expert_destroy(e);
    }
}

TEST_F(ExpertCases, NanInOneRow_StaysInThatRow) {
    const ref::LngWeights w(32, 64, 16, 331);
    dsm_expert* e = w.create();
    auto x = ref::random(4 * 32, 332);
    x[1 * 32 + 7] = std::nanf("");
    for (int32_t path : ref::kernel_paths()) {
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> y(4 * 16);
        ASSERT_EQ(DSM_OK, dsm_expert_forward(e, x.data(), 4, y.data()));
        for (int64_t r = 0; r < 4; ++r)
            for (int64_t j = 0; j < 16; ++j) EXPECT_EQ(r == 1, std::isnan(y[r * 16 + j])) << path;
    }
    dsm_expert_destroy(e);
}

}  // namespace
