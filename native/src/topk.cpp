#include "topk.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "thread_pool.h"

namespace dsm {

namespace {

constexpr int64_t kRowsPerTask = 256;

// a ranks before b: larger first, NaN largest, ties to the lower index.
inline bool before(float va, int32_t a, float vb, int32_t b) {
    const bool na = std::isnan(va), nb = std::isnan(vb);
    if (na || nb) return na && (!nb || a < b);
    if (va != vb) return va > vb;
    return a < b;
}

void route_row(const float* logits, int64_t experts, int32_t k, double inv_t, int32_t* idx, float* weight,
               int32_t* scratch, double* ws) {
    // Insertion into a sorted list of k: O(experts * k), and k is small for a router.
    int32_t n = 0;
    for (int32_t e = 0; e < static_cast<int32_t>(experts); ++e) {
        const float v = logits[e];
        if (n == k && !before(v, e, logits[scratch[k - 1]], scratch[k - 1])) continue;
        int32_t p = n < k ? n++ : k - 1;
        while (p > 0 && before(v, e, logits[scratch[p - 1]], scratch[p - 1])) {
            scratch[p] = scratch[p - 1];
            --p;
        }
        scratch[p] = e;
    }
    const double top = logits[scratch[0]];
    double sum = 0.0;
    for (int32_t i = 0; i < k; ++i) {
        ws[i] = std::exp((logits[scratch[i]] - top) * inv_t);
        sum += ws[i];
    }
    for (int32_t i = 0; i < k; ++i) {
        idx[i] = scratch[i];
        weight[i] = static_cast<float>(ws[i] / sum);
    }
}

}  // namespace

void topk_gate(const float* logits, int64_t rows, int64_t experts, int32_t k, float temperature, int32_t* out_idx,
               float* out_weight) {
    const double inv_t = 1.0 / static_cast<double>(temperature);
    const int64_t tasks = (rows + kRowsPerTask - 1) / kRowsPerTask;
    auto task = [&](int64_t i) {
        std::vector<int32_t> scratch(static_cast<size_t>(k));
        std::vector<double> ws(static_cast<size_t>(k));
        const int64_t r1 = std::min(rows, (i + 1) * kRowsPerTask);
        for (int64_t r = i * kRowsPerTask; r < r1; ++r)
            route_row(logits + r * experts, experts, k, inv_t, out_idx + r * k, out_weight + r * k, scratch.data(),
                      ws.data());
    };
    if (rows * experts >= (1 << 16))
        ThreadPool::instance().parallel_for(tasks, task);
    else
        for (int64_t i = 0; i < tasks; ++i) task(i);
}

}  // namespace dsm
