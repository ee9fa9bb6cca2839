#include <gtest/gtest.h>

#include <cmath>
#include <tuple>
#include <vector>

#include "reference.h"

namespace {

// |C - C_ref| <= 1e-5 * sum_k |a_ik b_kj|: float accumulation error scales with the K-term magnitude.
constexpr double kRelToMagnitude = 1e-5;

void expect_gemm_close(const std::vector<float>& c, const std::vector<double>& want, const std::vector<double>& mag,
                       const std::vector<float>* c0 = nullptr) {
    int failures = 0;
    for (size_t i = 0; i < want.size() && failures < 5; ++i) {
        const double w = want[i] + (c0 != nullptr ? (*c0)[i] : 0.0);
        const double tol = kRelToMagnitude * (mag[i] + (c0 != nullptr ? std::fabs((*c0)[i]) : 0.0)) + 1e-30;
        if (!(std::fabs(c[i] - w) <= tol)) {
            ADD_FAILURE() << "element " << i << ": got " << c[i] << ", want " << w;
            ++failures;
        }
    }
}

class SgemmTest : public ref::KernelState,
                  public ::testing::WithParamInterface<std::tuple<int64_t, int64_t, int64_t>> {};

TEST_P(SgemmTest, MatchesReferenceOnEveryPath) {
    const auto [m, n, k] = GetParam();
    const auto a = ref::random(static_cast<size_t>(m * k), 101);
    const auto b = ref::random(static_cast<size_t>(k * n), 102);
    std::vector<double> want, mag;
    ref::gemm(a.data(), b.data(), m, n, k, want, mag);
    for (int32_t path : ref::kernel_paths()) {
        SCOPED_TRACE(path);
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> c(static_cast<size_t>(m * n), 123.0f);
        ASSERT_EQ(DSM_OK, dsm_sgemm_f32(m, n, k, a.data(), b.data(), c.data(), 0)) << dsm_last_error();
        expect_gemm_close(c, want, mag);

        const auto c0 = ref::random(static_cast<size_t>(m * n), 103);
        auto acc = c0;
        ASSERT_EQ(DSM_OK, dsm_sgemm_f32(m, n, k, a.data(), b.data(), acc.data(), 1));
        expect_gemm_close(acc, want, mag, &c0);
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, SgemmTest,
                         ::testing::Values(std::make_tuple(1, 1, 1), std::make_tuple(3, 17, 5),
                                           std::make_tuple(13, 33, 7), std::make_tuple(17, 255, 300),
                                           std::make_tuple(255, 1000, 33), std::make_tuple(25, 64, 1000),
                                           std::make_tuple(130, 257, 513), std::make_tuple(200, 31, 260)));

using SgemmCases = ref::KernelState;

TEST_F(SgemmCases, ZeroDepth_WritesZerosOrKeepsC) {
    std::vector<float> c(6, 5.0f);
    ASSERT_EQ(DSM_OK, dsm_sgemm_f32(2, 3, 0, nullptr, nullptr, c.data(), 1));
    EXPECT_EQ(std::vector<float>(6, 5.0f), c);
    ASSERT_EQ(DSM_OK, dsm_sgemm_f32(2, 3, 0, nullptr, nullptr, c.data(), 0));
    EXPECT_EQ(std::vector<float>(6, 0.0f), c);
}

TEST_F(SgemmCases, ZeroRows_Ok) {
    const float b[4] = {1, 2, 3, 4};
    EXPECT_EQ(DSM_OK, dsm_sgemm_f32(0, 2, 2, nullptr, b, nullptr, 0));
}

TEST_F(SgemmCases, NanInA_PropagatesToItsRow) {
    const int64_t m = 4, n = 40, k = 9;
    auto a = ref::random(static_cast<size_t>(m * k), 111);
    const auto b = ref::random(static_cast<size_t>(k * n), 112);
    a[2 * k + 3] = std::nanf("");
    for (int32_t path : ref::kernel_paths()) {
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> c(static_cast<size_t>(m * n));
        ASSERT_EQ(DSM_OK, dsm_sgemm_f32(m, n, k, a.data(), b.data(), c.data(), 0));
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) EXPECT_EQ(i == 2, std::isnan(c[i * n + j])) << path;
    }
}

TEST_F(SgemmCases, OneAndTwoThreads_BitIdentical) {
    const int64_t m = 300, n = 520, k = 600;
    const auto a = ref::random(static_cast<size_t>(m * k), 121);
    const auto b = ref::random(static_cast<size_t>(k * n), 122);
    std::vector<float> one(static_cast<size_t>(m * n)), two(one.size());
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(1));
    ASSERT_EQ(DSM_OK, dsm_sgemm_f32(m, n, k, a.data(), b.data(), one.data(), 0));
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(2));
    ASSERT_EQ(DSM_OK, dsm_sgemm_f32(m, n, k, a.data(), b.data(), two.data(), 0));
    EXPECT_TRUE(ref::bitwise_equal(one, two));
}

}  // namespace
