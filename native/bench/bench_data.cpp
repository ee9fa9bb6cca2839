#include "bench_data.h"

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace bench {

std::vector<float> random(std::size_t n, uint32_t seed, float scale, float offset) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = offset + scale * d(rng);
    return v;
}

bool use_threads(int32_t threads, const char** error) {
    if (dsm_set_num_threads(threads) != DSM_OK) {
        *error = dsm_last_error();
        return false;
    }
    return true;
}

DemoLayer::DemoLayer(int64_t rows) : rows_(rows) {
    for (int64_t e = 0; e < kExperts; ++e) {
        const uint32_t s = 1000 + static_cast<uint32_t>(e) * 10;
        const auto w1 = random(kDModel * kDHidden, s, 1.0f / 16.0f), b1 = random(kDHidden, s + 1, 0.1f);
        const auto gamma = random(kDHidden, s + 2, 0.1f, 1.0f), beta = random(kDHidden, s + 3, 0.1f);
        const auto w2 = random(kDHidden * kDModel, s + 4, 1.0f / 32.0f), b2 = random(kDModel, s + 5, 0.1f);
        dsm_expert* expert = nullptr;
        if (dsm_expert_create_linear_layernorm_gelu(kDModel, kDHidden, kDModel, w1.data(), b1.data(), gamma.data(),
                                                    beta.data(), 1e-5f, w2.data(), b2.data(), &expert) != DSM_OK)
            throw std::runtime_error(dsm_last_error());
        experts_.push_back(expert);
    }
    if (dsm_layer_create(kExperts, experts_.data(), 0, nullptr, &layer_) != DSM_OK)
        throw std::runtime_error(dsm_last_error());
    x_ = random(static_cast<size_t>(rows * kDModel), 7);
    y_.resize(x_.size());
    const auto logits = random(static_cast<size_t>(rows * kExperts), 8);
    idx_.resize(static_cast<size_t>(rows * kTopK));
    weight_.resize(idx_.size());
    if (dsm_topk_gate_f32(logits.data(), rows, kExperts, kTopK, 0.1f, idx_.data(), weight_.data()) != DSM_OK)
        throw std::runtime_error(dsm_last_error());
}

DemoLayer::~DemoLayer() {
    dsm_layer_destroy(layer_);
    for (auto* e : experts_) dsm_expert_destroy(e);
}

int32_t DemoLayer::forward() {
    return dsm_layer_forward(layer_, x_.data(), rows_, idx_.data(), weight_.data(), kTopK, y_.data());
}

double DemoLayer::flops() const { return 2.0 * 2.0 * static_cast<double>(rows_ * kTopK) * kDModel * kDHidden; }

}  // namespace bench
