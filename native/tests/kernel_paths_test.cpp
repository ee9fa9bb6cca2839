// The scalar, AVX2/FMA and AVX-512 kernels (dsm_set_kernel_path) agree with each other, not only each with
// the double reference: the same algorithms, differing only in FMA contraction and summation order.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "reference.h"

namespace {

using KernelPathsTest = ref::KernelState;

// Runs body once per kernel path and returns the outputs, path by path.
template <class Body>
std::vector<std::vector<float>> per_path(Body body) {
    std::vector<std::vector<float>> out;
    for (int32_t path : ref::kernel_paths()) {
        EXPECT_EQ(DSM_OK, dsm_set_kernel_path(path));
        out.push_back(body());
    }
    return out;
}

void expect_agree(const std::vector<std::vector<float>>& outputs, double abs, double rel) {
    for (size_t p = 1; p < outputs.size(); ++p) {
        std::vector<double> first(outputs[0].begin(), outputs[0].end());
        SCOPED_TRACE(testing::Message() << "path #" << p << " against the scalar path");
        ref::expect_close(outputs[p].data(), first, abs, rel);
    }
}

TEST_F(KernelPathsTest, LayerNormGelu_PathsAgree) {
    const int64_t rows = 9, cols = 1000;
    const auto x = ref::random(static_cast<size_t>(rows * cols), 501, 2.0f);
    const auto gamma = ref::random(static_cast<size_t>(cols), 502, 0.5f, 1.0f);
    const auto beta = ref::random(static_cast<size_t>(cols), 503, 0.3f);
    expect_agree(per_path([&] {
                     std::vector<float> y(x.size());
                     EXPECT_EQ(DSM_OK, dsm_layernorm_gelu_f32(x.data(), gamma.data(), beta.data(), y.data(), rows,
                                                              cols, 1e-5f));
                     return y;
                 }),
                 2e-6, 2e-6);
}

TEST_F(KernelPathsTest, Sgemm_PathsAgree) {
    const int64_t m = 37, n = 100, k = 300;
    const auto a = ref::random(static_cast<size_t>(m * k), 511), b = ref::random(static_cast<size_t>(k * n), 512);
    // Sums of 300 terms of magnitude ~1: rounding differs by a few float ulps of ~sqrt(300).
    expect_agree(per_path([&] {
                     std::vector<float> c(static_cast<size_t>(m * n));
                     EXPECT_EQ(DSM_OK, dsm_sgemm_f32(m, n, k, a.data(), b.data(), c.data(), 0));
                     return c;
                 }),
                 5e-5, 1e-5);
}

TEST_F(KernelPathsTest, SwiGluExpert_PathsAgree) {
    const ref::SwiGluWeights w(48, 80, 24, 521, true);
    dsm_expert* e = w.create();
    const auto x = ref::random(40 * 48, 522);
    expect_agree(per_path([&] {
                     std::vector<float> y(40 * 24);
                     EXPECT_EQ(DSM_OK, dsm_expert_forward(e, x.data(), 40, y.data()));
                     return y;
                 }),
                 1e-5, 1e-5);
    dsm_expert_destroy(e);
}

}  // namespace
