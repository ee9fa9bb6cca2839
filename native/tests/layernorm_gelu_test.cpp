#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "reference.h"

namespace {

// Tolerance against the double reference: 1e-5 absolute + 1e-5 relative.
constexpr double kAbs = 1e-5, kRel = 1e-5;
constexpr float kEps = 1e-5f;

class LayerNormGeluTest : public ref::KernelState, public ::testing::WithParamInterface<int64_t> {};

TEST_P(LayerNormGeluTest, Fused_MatchesReferenceOnEveryPath) {
    const int64_t cols = GetParam(), rows = 7;
    const auto x = ref::random(static_cast<size_t>(rows * cols), 11, 2.0f, 0.5f);
    const auto gamma = ref::random(static_cast<size_t>(cols), 12, 0.5f, 1.0f);
    const auto beta = ref::random(static_cast<size_t>(cols), 13, 0.3f);
    const auto want = ref::layernorm(x, gamma, beta, rows, cols, kEps, true);
    for (int32_t path : ref::kernel_paths()) {
        SCOPED_TRACE(path);
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> y(x.size());
        ASSERT_EQ(DSM_OK, dsm_layernorm_gelu_f32(x.data(), gamma.data(), beta.data(), y.data(), rows, cols, kEps))
            << dsm_last_error();
        ref::expect_close(y.data(), want, kAbs, kRel);
    }
}

TEST_P(LayerNormGeluTest, UnfusedLayerNormThenGelu_MatchesReference) {
    const int64_t cols = GetParam(), rows = 5;
    const auto x = ref::random(static_cast<size_t>(rows * cols), 21, 1.5f, -0.25f);
    const auto gamma = ref::random(static_cast<size_t>(cols), 22, 0.5f, 1.0f);
    const auto beta = ref::random(static_cast<size_t>(cols), 23, 0.3f);
    const auto want_ln = ref::layernorm(x, gamma, beta, rows, cols, kEps, false);
    const auto want = ref::layernorm(x, gamma, beta, rows, cols, kEps, true);
    for (int32_t path : ref::kernel_paths()) {
        SCOPED_TRACE(path);
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> y(x.size());
        ASSERT_EQ(DSM_OK, dsm_layernorm_f32(x.data(), gamma.data(), beta.data(), y.data(), rows, cols, kEps));
        ref::expect_close(y.data(), want_ln, kAbs, kRel);
        ASSERT_EQ(DSM_OK, dsm_gelu_f32(y.data(), y.data(), rows * cols));
        ref::expect_close(y.data(), want, kAbs, kRel);
    }
}

TEST_P(LayerNormGeluTest, InPlace_EqualsOutOfPlace) {
    const int64_t cols = GetParam(), rows = 3;
    auto x = ref::random(static_cast<size_t>(rows * cols), 31);
    const auto gamma = ref::random(static_cast<size_t>(cols), 32, 0.5f, 1.0f);
    const auto beta = ref::random(static_cast<size_t>(cols), 33, 0.3f);
    std::vector<float> y(x.size());
    ASSERT_EQ(DSM_OK, dsm_layernorm_gelu_f32(x.data(), gamma.data(), beta.data(), y.data(), rows, cols, kEps));
    ASSERT_EQ(DSM_OK, dsm_layernorm_gelu_f32(x.data(), gamma.data(), beta.data(), x.data(), rows, cols, kEps));
    EXPECT_TRUE(ref::bitwise_equal(x, y));
}

INSTANTIATE_TEST_SUITE_P(Columns, LayerNormGeluTest, ::testing::Values(1, 3, 17, 255, 1000, 4096));

using LayerNormGeluCases = ref::KernelState;

TEST_F(LayerNormGeluCases, LargeOffset_VarianceKeepsPrecision) {
    // Mean 1000, standard deviation 1: a sum-of-squares variance without a shift would lose it.
    const int64_t rows = 4, cols = 1024;
    const auto x = ref::random(static_cast<size_t>(rows * cols), 41, 1.0f, 1000.0f);
    const std::vector<float> gamma(cols, 1.0f), beta(cols, 0.0f);
    const auto want = ref::layernorm(x, gamma, beta, rows, cols, kEps, true);
    for (int32_t path : ref::kernel_paths()) {
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> y(x.size());
        ASSERT_EQ(DSM_OK, dsm_layernorm_gelu_f32(x.data(), gamma.data(), beta.data(), y.data(), rows, cols, kEps));
        // The input itself is rounded to 6e-5 at 1000: allow that through the normalisation.
        ref::expect_close(y.data(), want, 2e-4, 1e-4);
    }
}

TEST_F(LayerNormGeluCases, ZeroRows_OkAndWritesNothing) {
    float y = 42.0f;
    const float x = 1.0f, g = 1.0f, b = 0.0f;
    EXPECT_EQ(DSM_OK, dsm_layernorm_gelu_f32(&x, &g, &b, &y, 0, 1, kEps));
    EXPECT_EQ(DSM_OK, dsm_layernorm_f32(&x, &g, &b, &y, 0, 1, kEps));
    EXPECT_EQ(42.0f, y);
}

TEST_F(LayerNormGeluCases, NanInOneRow_PropagatesToThatRowOnly) {
    const int64_t rows = 3, cols = 37;
    auto x = ref::random(static_cast<size_t>(rows * cols), 51);
    x[cols + 5] = std::nanf("");
    const std::vector<float> gamma(cols, 1.0f), beta(cols, 0.0f);
    for (int32_t path : ref::kernel_paths()) {
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> y(x.size());
        ASSERT_EQ(DSM_OK, dsm_layernorm_gelu_f32(x.data(), gamma.data(), beta.data(), y.data(), rows, cols, kEps));
        for (int64_t c = 0; c < cols; ++c) {
            EXPECT_TRUE(std::isfinite(y[c])) << path;
            EXPECT_TRUE(std::isnan(y[cols + c])) << path;
            EXPECT_TRUE(std::isfinite(y[2 * cols + c])) << path;
        }
    }
}

// Outputs of 8 MiB and more are written with non-temporal stores from each row's first 64-byte boundary
// on. Rows of 1001 floats start at every alignment; the output is placed 1 and 3 floats past a boundary.
// The result must equal, bit for bit, the same rows normalized one call per row (small: ordinary stores).
TEST_F(LayerNormGeluCases, LargeOutputAtAnyAlignment_EqualsRowByRow) {
    const int64_t rows = 2100, cols = 1001;  // 8.4 MB
    const auto x = ref::random(static_cast<size_t>(rows * cols), 71);
    const auto gamma = ref::random(static_cast<size_t>(cols), 72, 0.5f, 1.0f);
    const auto beta = ref::random(static_cast<size_t>(cols), 73, 0.3f);
    for (const int32_t path : ref::kernel_paths()) for (const bool gelu : {true, false}) {
        SCOPED_TRACE(path);
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        const auto kernel = gelu ? dsm_layernorm_gelu_f32 : dsm_layernorm_f32;
        std::vector<float> want(x.size());
        for (int64_t r = 0; r < rows; ++r)
            ASSERT_EQ(DSM_OK, kernel(x.data() + r * cols, gamma.data(), beta.data(), want.data() + r * cols, 1, cols,
                                     kEps));
        for (const size_t offset : {size_t{1}, size_t{3}}) {
            SCOPED_TRACE(offset);
            std::vector<float> buffer(x.size() + 32);
            auto* base = buffer.data();
            while ((reinterpret_cast<uintptr_t>(base) & 63u) != 0) ++base;
            float* y = base + offset;
            ASSERT_EQ(DSM_OK, kernel(x.data(), gamma.data(), beta.data(), y, rows, cols, kEps)) << dsm_last_error();
            EXPECT_TRUE(ref::bitwise_equal(std::vector<float>(y, y + x.size()), want)) << "gelu " << gelu;
        }
    }
}

TEST_F(LayerNormGeluCases, OneAndTwoThreads_BitIdentical) {
    const int64_t rows = 300, cols = 1000;
    const auto x = ref::random(static_cast<size_t>(rows * cols), 61);
    const auto gamma = ref::random(static_cast<size_t>(cols), 62, 0.5f, 1.0f);
    const auto beta = ref::random(static_cast<size_t>(cols), 63, 0.3f);
    std::vector<float> one(x.size()), two(x.size());
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(1));
    ASSERT_EQ(DSM_OK, dsm_layernorm_gelu_f32(x.data(), gamma.data(), beta.data(), one.data(), rows, cols, kEps));
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(2));
    ASSERT_EQ(DSM_OK, dsm_layernorm_gelu_f32(x.data(), gamma.data(), beta.data(), two.data(), rows, cols, kEps));
    EXPECT_TRUE(ref::bitwise_equal(one, two));
}

}  // namespace
