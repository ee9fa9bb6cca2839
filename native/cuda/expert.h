// An expert with its weights in device memory (libdeepseek_moe_cuda).
#ifndef DSM_CUDA_EXPERT_H
#define DSM_CUDA_EXPERT_H

#include <cstdint>

#include "device.h"

namespace dsm::cuda {

class Expert {
public:
    // Linear -> LayerNorm -> GeLU -> Linear.
    Expert(int64_t d_model, int64_t d_hidden, int64_t d_out, const float* w1, const float* b1, const float* gamma,
           const float* beta, float eps, const float* w2, const float* b2);
    // SwiGLU, optional sigmoid shared gate.
    Expert(int64_t d_model, int64_t d_hidden, int64_t d_out, const float* w_gate, const float* w_up,
           const float* w_down, const float* shared_gate);

    int64_t d_model() const { return d_model_; }
    int64_t d_out() const { return d_out_; }

    // y = expert(x) for device pointers, queued on the context's stream.
    void forward(Context& ctx, const float* x, int64_t rows, float* y) const;

private:
    bool swiglu_;
    int64_t d_model_, d_hidden_, d_out_;
    DeviceBuffer w_in_;  // w1 [d_model, d_hidden], or [w_gate | w_up] as [d_model, 2 d_hidden]
    DeviceBuffer w_out_;
    DeviceBuffer b1_, gamma_, beta_, b2_, shared_gate_;
    float eps_ = 0.0f;
};

}  // namespace dsm::cuda

struct dsm_expert : dsm::cuda::Expert {
    using dsm::cuda::Expert::Expert;
};

#endif
