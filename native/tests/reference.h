// Plain double-precision references and test data for the kernels of deepseek_moe.h.
#ifndef DSM_TESTS_REFERENCE_H
#define DSM_TESTS_REFERENCE_H

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "deepseek_moe.h"

namespace ref {

inline std::vector<float> random(size_t n, uint32_t seed, float scale = 1.0f, float offset = 0.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = offset + scale * d(rng);
    return v;
}

inline double gelu(double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }

inline std::vector<double> layernorm(const std::vector<float>& x, const std::vector<float>& gamma,
                                     const std::vector<float>& beta, int64_t rows, int64_t cols, double eps,
                                     bool with_gelu) {
    std::vector<double> y(x.size());
    for (int64_t r = 0; r < rows; ++r) {
        double mean = 0.0, var = 0.0;
        for (int64_t c = 0; c < cols; ++c) mean += x[r * cols + c];
        mean /= cols;
        for (int64_t c = 0; c < cols; ++c) var += (x[r * cols + c] - mean) * (x[r * cols + c] - mean);
        var /= cols;
        const double inv = 1.0 / std::sqrt(var + eps);
        for (int64_t c = 0; c < cols; ++c) {
            const double v = (x[r * cols + c] - mean) * inv * gamma[c] + beta[c];
            y[r * cols + c] = with_gelu ? gelu(v) : v;
        }
    }
    return y;
}

// C = A B in double, and the magnitude sum |a||b| of each element's K terms (the scale of its rounding error).
inline void gemm(const float* a, const float* b, int64_t m, int64_t n, int64_t k, std::vector<double>& c,
                 std::vector<double>& magnitude) {
    c.assign(static_cast<size_t>(m * n), 0.0);
    magnitude.assign(static_cast<size_t>(m * n), 0.0);
    for (int64_t i = 0; i < m; ++i)
        for (int64_t p = 0; p < k; ++p) {
            const double av = a[i * k + p];
            for (int64_t j = 0; j < n; ++j) {
                c[i * n + j] += av * b[p * n + j];
                magnitude[i * n + j] += std::fabs(av * b[p * n + j]);
            }
        }
}

inline std::vector<double> matmul(const std::vector<double>& x, const std::vector<float>& w, int64_t rows,
                                  int64_t in, int64_t out) {
    std::vector<double> y(static_cast<size_t>(rows * out), 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t p = 0; p < in; ++p)
            for (int64_t j = 0; j < out; ++j) y[r * out + j] += x[r * in + p] * w[p * out + j];
    return y;
}

struct LngWeights {
    int64_t d_model, d_hidden, d_out;
    std::vector<float> w1, b1, gamma, beta, w2, b2;
    float eps = 1e-5f;

    LngWeights(int64_t dm, int64_t dh, int64_t dout, uint32_t seed)
        : d_model(dm),
          d_hidden(dh),
          d_out(dout),
          w1(random(dm * dh, seed, 1.0f / std::sqrt(float(dm)))),
          b1(random(dh, seed + 1, 0.1f)),
          gamma(random(dh, seed + 2, 0.2f, 1.0f)),
          beta(random(dh, seed + 3, 0.1f)),
          w2(random(dh * dout, seed + 4, 1.0f / std::sqrt(float(dh)))),
          b2(random(dout, seed + 5, 0.1f)) {}

    dsm_expert* create() const {
        dsm_expert* e = nullptr;
        EXPECT_EQ(DSM_OK, dsm_expert_create_linear_layernorm_gelu(d_model, d_hidden, d_out, w1.data(), b1.data(),
                                                                   gamma.data(), beta.data(), eps, w2.data(),
                                                                   b2.data(), &e))
            << dsm_last_error();
        return e;
    }

    std::vector<double> forward(const std::vector<float>& x, int64_t rows) const {
        std::vector<double> xd(x.begin(), x.begin() + rows * d_model);
        auto h = matmul(xd, w1, rows, d_model, d_hidden);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t j = 0; j < d_hidden; ++j) h[r * d_hidden + j] += b1[j];
        for (int64_t r = 0; r < rows; ++r) {
            double mean = 0, var = 0;
            for (int64_t j = 0; j < d_hidden; ++j) mean += h[r * d_hidden + j];
            mean /= d_hidden;
            for (int64_t j = 0; j < d_hidden; ++j) var += std::pow(h[r * d_hidden + j] - mean, 2);
            var /= d_hidden;
            for (int64_t j = 0; j < d_hidden; ++j) {
                double& v = h[r * d_hidden + j];
                v = gelu((v - mean) / std::sqrt(var + eps) * gamma[j] + beta[j]);
            }
        }
        auto y = matmul(h, w2, rows, d_hidden, d_out);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t j = 0; j < d_out; ++j) y[r * d_out + j] += b2[j];
        return y;
    }
};

struct SwiGluWeights {
    int64_t d_model, d_hidden, d_out;
    std::vector<float> w_gate, w_up, w_down, shared_gate;

    SwiGluWeights(int64_t dm, int64_t dh, int64_t dout, uint32_t seed, bool with_shared_gate)
        : d_model(dm),
          d_hidden(dh),
          d_out(dout),
          w_gate(random(dm * dh, seed, 1.0f / std::sqrt(float(dm)))),
          w_up(random(dm * dh, seed + 1, 1.0f / std::sqrt(float(dm)))),
          w_down(random(dh * dout, seed + 2, 1.0f / std::sqrt(float(dh)))) {
        if (with_shared_gate) shared_gate = random(dm, seed + 3, 0.3f);
    }

    dsm_expert* create() const {
        dsm_expert* e = nullptr;
        EXPECT_EQ(DSM_OK, dsm_expert_create_swiglu(d_model, d_hidden, d_out, w_gate.data(), w_up.data(),
                                                   w_down.data(), shared_gate.empty() ? nullptr : shared_gate.data(),
                                                   &e))
            << dsm_last_error();
        return e;
    }

    std::vector<double> forward(const std::vector<float>& x, int64_t rows) const {
        std::vector<double> xd(x.begin(), x.begin() + rows * d_model);
        auto g = matmul(xd, w_gate, rows, d_model, d_hidden);
        auto u = matmul(xd, w_up, rows, d_model, d_hidden);
        for (size_t i = 0; i < g.size(); ++i) g[i] = g[i] / (1.0 + std::exp(-g[i])) * u[i];
        auto y = matmul(g, w_down, rows, d_hidden, d_out);
        if (!shared_gate.empty())
            for (int64_t r = 0; r < rows; ++r) {
                double z = 0;
                for (int64_t i = 0; i < d_model; ++i) z += xd[r * d_model + i] * shared_gate[i];
                const double s = 1.0 / (1.0 + std::exp(-z));
                for (int64_t j = 0; j < d_out; ++j) y[r * d_out + j] *= s;
            }
        return y;
    }
};

// |got - want| <= abs + rel |want| for every element; reports the first few failures.
inline void expect_close(const float* got, const std::vector<double>& want, double abs, double rel) {
    int failures = 0;
    for (size_t i = 0; i < want.size() && failures < 5; ++i) {
        const double tol = abs + rel * std::fabs(want[i]);
        if (!(std::fabs(got[i] - want[i]) <= tol)) {
            ADD_FAILURE() << "element " << i << ": got " << got[i] << ", want " << want[i] << " (tolerance " << tol << ")";
            ++failures;
        }
    }
}

inline bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The CPU kernel paths to compare (the CUDA library has one path).
inline std::vector<int32_t> kernel_paths() {
#ifdef DSM_TEST_CUDA
    return {0};
#else
    std::vector<int32_t> paths{1};
    const int32_t f = dsm_cpu_features();
    if ((f & DSM_CPU_AVX2) && (f & DSM_CPU_FMA)) paths.push_back(2);
    paths.push_back(0);  // detect: AVX-512 where present
    return paths;
#endif
}

// Restores the default kernel path and thread count after a test changes them.
class KernelState : public ::testing::Test {
protected:
    void TearDown() override {
        dsm_set_kernel_path(0);
        dsm_set_num_threads(0);
    }
};

}  // namespace ref

#endif
