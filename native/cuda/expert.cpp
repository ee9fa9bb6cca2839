#include "expert.h"

#include <cstring>
#include <vector>

#include "blas.h"
#include "kernels.h"

namespace dsm::cuda {

Expert::Expert(int64_t d_model, int64_t d_hidden, int64_t d_out, const float* w1, const float* b1, const float* gamma,
               const float* beta, float eps, const float* w2, const float* b2)
    : swiglu_(false),
      d_model_(d_model),
      d_hidden_(d_hidden),
      d_out_(d_out),
      w_in_(upload_new(w1, d_model * d_hidden)),
      w_out_(upload_new(w2, d_hidden * d_out)),
      b1_(upload_new(b1, d_hidden)),
      gamma_(upload_new(gamma, d_hidden)),
      beta_(upload_new(beta, d_hidden)),
      b2_(upload_new(b2, d_out)),
      eps_(eps) {}

Expert::Expert(int64_t d_model, int64_t d_hidden, int64_t d_out, const float* w_gate, const float* w_up,
               const float* w_down, const float* shared_gate)
    : swiglu_(true), d_model_(d_model), d_hidden_(d_hidden), d_out_(d_out), w_out_(upload_new(w_down, d_hidden * d_out)) {
    // One [d_model, 2 d_hidden] matrix: the gate and up projections in a single GEMM.
    std::vector<float> both(static_cast<size_t>(d_model * 2 * d_hidden));
    for (int64_t p = 0; p < d_model; ++p) {
        std::memcpy(&both[static_cast<size_t>(p * 2 * d_hidden)], w_gate + p * d_hidden,
                    static_cast<size_t>(d_hidden) * sizeof(float));
        std::memcpy(&both[static_cast<size_t>(p * 2 * d_hidden + d_hidden)], w_up + p * d_hidden,
                    static_cast<size_t>(d_hidden) * sizeof(float));
    }
    w_in_ = upload_new(both.data(), d_model * 2 * d_hidden);
    shared_gate_ = upload_new(shared_gate, d_model);
}

void Expert::forward(Context& ctx, const float* x, int64_t rows, float* y) const {
    if (rows == 0) return;
    const cudaStream_t s = ctx.stream();
    if (!swiglu_) {
        float* h = ctx.scratch_of<float>(DeviceSlot::Hidden, rows * d_hidden_);
        launch_fill_rows(h, b1_.as<float>(), rows, d_hidden_, s);
        sgemm(ctx.blas(), rows, d_hidden_, d_model_, x, d_model_, w_in_.as<float>(), d_hidden_, h, d_hidden_, 1.0f);
        launch_layernorm(h, gamma_.as<float>(), beta_.as<float>(), h, rows, d_hidden_, eps_, true, s);
        launch_fill_rows(y, b2_.as<float>(), rows, d_out_, s);
        sgemm(ctx.blas(), rows, d_out_, d_hidden_, h, d_hidden_, w_out_.as<float>(), d_out_, y, d_out_, 1.0f);
        return;
    }
    const int64_t width = 2 * d_hidden_;
    float* h = ctx.scratch_of<float>(DeviceSlot::Hidden, rows * width);
    sgemm(ctx.blas(), rows, width, d_model_, x, d_model_, w_in_.as<float>(), width, h, width, 0.0f);
    launch_silu_mul(h, rows, d_hidden_, s);
    sgemm(ctx.blas(), rows, d_out_, d_hidden_, h, width, w_out_.as<float>(), d_out_, y, d_out_, 0.0f);
    if (shared_gate_.size() > 0) launch_gate_scale(x, shared_gate_.as<float>(), y, rows, d_model_, d_out_, s);
}

}  // namespace dsm::cuda
