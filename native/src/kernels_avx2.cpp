// The AVX2/FMA kernel table. Compiled with -mavx2 -mfma; used only when the CPU has both.
#include "kernel_table.h"
#include "simd_avx2.h"

namespace {
// Micro-tile 6 x 16: 12 ymm accumulators of the 16 registers.
constexpr int kMr = 6;   // rows
constexpr int kNv = 2;   // vectors across
// Vectors the row kernels (GeLU) process in lockstep to hide their dependency chain.
constexpr int kPack = 2;
}  // namespace

#include "gemm_micro_impl.h"
#include "rowops_impl.h"

namespace dsm {

extern const KernelTable kAvx2Kernels = {
    "avx2",  // name
    kMr,       // mr
    256,       // kc: depth blocks of GEMMs deeper than kWholeDepth (gemm.cpp); a 32 KiB B micro-panel stays in L1
    192,       // mc: the packed A block (mc x kc) stays in L2
    pack_a,
    gemm_block,
    layernorm_gelu_rows,
    layernorm_rows,
    gelu_span,
    silu_mul_span,
    dot_span,
    scale_span,
    axpy_span,
    add_span,
};

}  // namespace dsm
