// The portable kernel table: runs on any x86-64 CPU, and is what the SIMD tables are checked against.
#include "kernel_table.h"
#include "simd_scalar.h"

namespace {
// Micro-tile 4 x 8: the compiler keeps what it can in SSE registers.
constexpr int kMr = 4;   // rows
constexpr int kNv = 8;   // vectors across
// Vectors the row kernels (GeLU) process in lockstep to hide their dependency chain.
constexpr int kPack = 1;
}  // namespace

#include "gemm_micro_impl.h"
#include "rowops_impl.h"

namespace dsm {

extern const KernelTable kScalarKernels = {
    "scalar",  // name
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
