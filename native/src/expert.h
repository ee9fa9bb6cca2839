// Experts with their weights packed once at creation.
#ifndef DSM_EXPERT_H
#define DSM_EXPERT_H

#include <cstdint>

#include "gemm.h"
#include "kernel_table.h"
#include "scratch.h"

namespace dsm {

enum class ExpertKind { LinearLayerNormGelu, SwiGlu };

struct LinearLayerNormGeluWeights {
    int64_t d_model, d_hidden, d_out;
    const float *w1, *b1, *gamma, *beta;
    float eps;
    const float *w2, *b2;
};

struct SwiGluWeights {
    int64_t d_model, d_hidden, d_out;
    const float *w_gate, *w_up, *w_down;
    const float* shared_gate;  // nullable
};

class Expert {
public:
    explicit Expert(const LinearLayerNormGeluWeights& w);
    explicit Expert(const SwiGluWeights& w);

    ExpertKind kind() const { return kind_; }
    int64_t d_model() const { return d_model_; }
    int64_t d_hidden() const { return d_hidden_; }
    int64_t d_out() const { return d_out_; }

    // y [rows, d_out] = expert(x [rows, d_model]) on the calling thread only.
    void forward_serial(const KernelTable& kernels, const float* x, int64_t rows, float* y) const;
    // The same, spread over the thread pool when parallel; bit-identical to forward_serial.
    void forward(const KernelTable& kernels, const float* x, int64_t rows, float* y, bool parallel) const;

private:
    void block(const KernelTable& kernels, const float* x, int64_t rows, float* y, bool parallel_gemm) const;

    ExpertKind kind_;
    int64_t d_model_, d_hidden_, d_out_;
    PackedMatrix w_in_;   // w1, or [w_gate | w_up] as one [d_model, 2 d_hidden] matrix
    PackedMatrix w_out_;  // w2 or w_down
    AlignedFloats b1_, gamma_, beta_, b2_, shared_gate_;
    float eps_ = 0.0f;
};

}  // namespace dsm

// The opaque handle of the C ABI.
struct dsm_expert : dsm::Expert {
    using dsm::Expert::Expert;
};

#endif
