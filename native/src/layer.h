// A MoE layer over borrowed experts: dispatch rows per expert, run each activated expert once, combine.
#ifndef DSM_LAYER_H
#define DSM_LAYER_H

#include <cstdint>
#include <vector>

#include "expert.h"
#include "kernel_table.h"

namespace dsm {

class Layer {
public:
    Layer(std::vector<const Expert*> routed, std::vector<const Expert*> shared);

    int64_t d_model() const { return d_model_; }
    int64_t d_out() const { return d_out_; }
    int64_t routed_count() const { return static_cast<int64_t>(routed_.size()); }

    // y = sum_i weight[r, i] routed[idx[r, i]](x[r]) + sum_s shared[s](x[r]); deterministic for any thread
    // count. y may be x when d_out == d_model. idx must hold valid expert indices (checked by the caller).
    void forward(const KernelTable& kernels, const float* x, int64_t rows, const int32_t* idx, const float* weight,
                 int32_t k, float* y) const;

private:
    std::vector<const Expert*> routed_;
    std::vector<const Expert*> shared_;
    int64_t d_model_ = 0, d_out_ = 0;
};

}  // namespace dsm

struct dsm_layer : dsm::Layer {
    using dsm::Layer::Layer;
};

#endif
