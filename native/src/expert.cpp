#include "expert.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "thread_pool.h"

namespace dsm {

namespace {

// Rows per pass through the expert: the hidden activations of a block stay in L2 between the two GEMMs.
constexpr int64_t kRowBlock = 128;
// Below this many rows a single call splits its GEMMs by columns instead of rows.
constexpr int64_t kFewRows = 32;

AlignedFloats copy_of(const float* src, int64_t count) {
    AlignedFloats out(count);
    std::memcpy(out.data(), src, static_cast<size_t>(count) * sizeof(float));
    return out;
}

PackedMatrix concat_columns(const float* left, const float* right, int64_t k, int64_t n) {
    std::vector<float> both(static_cast<size_t>(k * 2 * n));
    for (int64_t p = 0; p < k; ++p) {
        std::memcpy(&both[static_cast<size_t>(p * 2 * n)], left + p * n, static_cast<size_t>(n) * sizeof(float));
        std::memcpy(&both[static_cast<size_t>(p * 2 * n + n)], right + p * n, static_cast<size_t>(n) * sizeof(float));
    }
    return PackedMatrix(both.data(), k, 2 * n);
}

}  // namespace

Expert::Expert(const LinearLayerNormGeluWeights& w)
    : kind_(ExpertKind::LinearLayerNormGelu),
      d_model_(w.d_model),
      d_hidden_(w.d_hidden),
      d_out_(w.d_out),
      w_in_(w.w1, w.d_model, w.d_hidden),
      w_out_(w.w2, w.d_hidden, w.d_out),
      b1_(copy_of(w.b1, w.d_hidden)),
      gamma_(copy_of(w.gamma, w.d_hidden)),
      beta_(copy_of(w.beta, w.d_hidden)),
      b2_(copy_of(w.b2, w.d_out)),
      eps_(w.eps) {}

Expert::Expert(const SwiGluWeights& w)
    : kind_(ExpertKind::SwiGlu),
      d_model_(w.d_model),
      d_hidden_(w.d_hidden),
      d_out_(w.d_out),
      w_in_(concat_columns(w.w_gate, w.w_up, w.d_model, w.d_hidden)),
      w_out_(w.w_down, w.d_hidden, w.d_out) {
    if (w.shared_gate != nullptr) shared_gate_ = copy_of(w.shared_gate, w.d_model);
}

void Expert::block(const KernelTable& t, const float* x, int64_t rows, float* y, bool parallel_gemm) const {
    const int64_t width = w_in_.n();  // d_hidden, or 2 d_hidden for SwiGLU
    float* h = scratch_of<float>(Slot::Hidden, rows * width);

    GemmArgs in = GemmArgs::dense(rows, width, d_model_, x, w_in_.data(), h);
    in.bias = kind_ == ExpertKind::LinearLayerNormGelu ? b1_.data() : nullptr;
    gemm(t, in, parallel_gemm);

    if (kind_ == ExpertKind::LinearLayerNormGelu) {
        t.layernorm_gelu(h, gamma_.data(), beta_.data(), h, rows, d_hidden_, eps_, false);
    } else {
        for (int64_t r = 0; r < rows; ++r) t.silu_mul(h + r * width, h + r * width + d_hidden_, h + r * width, d_hidden_);
    }

    GemmArgs out = GemmArgs::dense(rows, d_out_, d_hidden_, h, w_out_.data(), y);
    out.lda = width;  // the SiLU product sits in the first d_hidden of each h row
    out.bias = kind_ == ExpertKind::LinearLayerNormGelu ? b2_.data() : nullptr;
    gemm(t, out, parallel_gemm);

    if (shared_gate_.size() > 0) {
        for (int64_t r = 0; r < rows; ++r) {
            const double z = t.dot(x + r * d_model_, shared_gate_.data(), d_model_);
            const float gate = static_cast<float>(1.0 / (1.0 + std::exp(-z)));
            t.scale(y + r * d_out_, gate, y + r * d_out_, d_out_);
        }
    }
}

void Expert::forward_serial(const KernelTable& t, const float* x, int64_t rows, float* y) const {
    for (int64_t r0 = 0; r0 < rows; r0 += kRowBlock)
        block(t, x + r0 * d_model_, std::min(kRowBlock, rows - r0), y + r0 * d_out_, false);
}

void Expert::forward(const KernelTable& t, const float* x, int64_t rows, float* y, bool parallel) const {
    const int32_t threads = parallel ? ThreadPool::instance().threads() : 1;
    if (threads <= 1) {
        forward_serial(t, x, rows, y);
        return;
    }
    if (rows <= kFewRows) {
        block(t, x, rows, y, true);
        return;
    }
    const int64_t chunk = std::min(kRowBlock, (rows + threads - 1) / threads);
    const int64_t chunks = (rows + chunk - 1) / chunk;
    ThreadPool::instance().parallel_for(chunks, [&](int64_t i) {
        const int64_t r0 = i * chunk;
        block(t, x + r0 * d_model_, std::min(chunk, rows - r0), y + r0 * d_out_, false);
    });
}

}  // namespace dsm
