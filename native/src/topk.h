// Top-k gate: per row the k largest logits (descending, ties to the lower index) and their softmax at a
// temperature. NaN ranks above every number (as torch.topk does), so a NaN logit is always chosen and turns
// that row's weights into NaN: it propagates instead of vanishing, and the choice stays deterministic.
#ifndef DSM_TOPK_H
#define DSM_TOPK_H

#include <cstdint>

namespace dsm {

void topk_gate(const float* logits, int64_t rows, int64_t experts, int32_t k, float temperature, int32_t* out_idx,
               float* out_weight);

}  // namespace dsm

#endif
