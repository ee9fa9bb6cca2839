#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "reference.h"

namespace {

using GeluTest = ref::KernelState;

// Accuracy of the rational erf: |GeLU error| <= 3e-7 max(1, |x|) (measured 2.1e-7), i.e. ~1e-7 absolute for
// erf as with Abramowitz-Stegun 7.1.26, and ~5e-7 relative wherever x > -1.
void expect_gelu_close(const std::vector<float>& x, const std::vector<float>& y) {
    int failures = 0;
    for (size_t i = 0; i < x.size() && failures < 5; ++i) {
        const double want = ref::gelu(x[i]);
        const double tol = 3e-7 * std::max(1.0, std::fabs(double(x[i])));
        if (!(std::fabs(y[i] - want) <= tol)) {
            ADD_FAILURE() << "gelu(" << x[i] << "): got " << y[i] << ", want " << want;
            ++failures;
        }
    }
}

TEST_F(GeluTest, Gelu_DenseGrid_MatchesErfReference) {
    std::vector<float> x;
    for (double v = -40.0; v <= 40.0; v += 1.0 / 256) x.push_back(static_cast<float>(v));
    for (int32_t path : ref::kernel_paths()) {
        SCOPED_TRACE(path);
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> y(x.size());
        ASSERT_EQ(DSM_OK, dsm_gelu_f32(x.data(), y.data(), static_cast<int64_t>(x.size()))) << dsm_last_error();
        expect_gelu_close(x, y);
        EXPECT_EQ(0.0f, y.front());  // the negative tail is exactly 0, not a residue growing with |x|
        EXPECT_EQ(40.0f, y.back());
    }
}

TEST_F(GeluTest, Gelu_OddCountsInPlace_MatchesReference) {
    for (int64_t n : {1, 3, 17, 255, 1000}) {
        const auto x = ref::random(static_cast<size_t>(n), 7 + static_cast<uint32_t>(n), 3.0f);
        for (int32_t path : ref::kernel_paths()) {
            SCOPED_TRACE(testing::Message() << "n=" << n << " path=" << path);
            ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
            auto y = x;
            ASSERT_EQ(DSM_OK, dsm_gelu_f32(y.data(), y.data(), n));
            expect_gelu_close(x, y);
        }
    }
}

TEST_F(GeluTest, Gelu_NanAndInfinity_PropagateWithoutCrash) {
    std::vector<float> x{std::nanf(""), 1.0f, std::numeric_limits<float>::infinity(), -2.0f};
    for (int32_t path : ref::kernel_paths()) {
        ASSERT_EQ(DSM_OK, dsm_set_kernel_path(path));
        std::vector<float> y(x.size());
        ASSERT_EQ(DSM_OK, dsm_gelu_f32(x.data(), y.data(), 4));
        EXPECT_TRUE(std::isnan(y[0])) << path;
        EXPECT_NEAR(ref::gelu(1.0), y[1], 1e-6) << path;
        EXPECT_EQ(std::numeric_limits<float>::infinity(), y[2]) << path;
        EXPECT_NEAR(ref::gelu(-2.0), y[3], 1e-7) << path;
    }
}

}  // namespace
