// A MoE layer over borrowed device experts (libdeepseek_moe_cuda).
#ifndef DSM_CUDA_LAYER_H
#define DSM_CUDA_LAYER_H

#include <cstdint>
#include <vector>

#include "expert.h"

namespace dsm::cuda {

class Layer {
public:
    Layer(std::vector<const Expert*> routed, std::vector<const Expert*> shared);

    int64_t d_model() const { return d_model_; }
    int64_t d_out() const { return d_out_; }
    int64_t routed_count() const { return static_cast<int64_t>(routed_.size()); }

    // Host in, host out; idx already checked. Dispatch is a counting sort on the host (rows ascending per
    // expert), each activated expert runs once on its gathered rows, the combine kernel sums in slot order.
    void forward(const float* x, int64_t rows, const int32_t* idx, const float* weight, int32_t k, float* y) const;

private:
    std::vector<const Expert*> routed_;
    std::vector<const Expert*> shared_;
    int64_t d_model_ = 0, d_out_ = 0;
};

}  // namespace dsm::cuda

struct dsm_layer : dsm::cuda::Layer {
    using dsm::cuda::Layer::Layer;
};

#endif
