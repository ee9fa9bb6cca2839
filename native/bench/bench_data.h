// Shared data for the benchmarks: random matrices and the demo MoE layer.
#ifndef DSM_BENCH_DATA_H
#define DSM_BENCH_DATA_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "deepseek_moe.h"

namespace bench {

std::vector<float> random(std::size_t n, uint32_t seed, float scale = 1.0f, float offset = 0.0f);

// Sets the thread count for a benchmark run and aborts the run with the library's message on failure.
bool use_threads(int32_t threads, const char** error);

// The demo layer of DemoBundleOptions: 16 linear-layernorm-gelu experts, 256 -> 1024 -> 256, top-2, routed
// from random gate logits by dsm_topk_gate_f32 at temperature 0.1.
class DemoLayer {
public:
    static constexpr int64_t kExperts = 16, kDModel = 256, kDHidden = 1024, kTopK = 2;

    explicit DemoLayer(int64_t rows);
    ~DemoLayer();
    DemoLayer(const DemoLayer&) = delete;
    DemoLayer& operator=(const DemoLayer&) = delete;

    int32_t forward();
    // Multiply-adds x 2 of the routed experts' GEMMs for one forward.
    double flops() const;

private:
    int64_t rows_;
    std::vector<dsm_expert*> experts_;
    dsm_layer* layer_ = nullptr;
    std::vector<float> x_, y_, weight_;
    std::vector<int32_t> idx_;
};

}  // namespace bench

#endif
