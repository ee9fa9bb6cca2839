// One table of kernels per instruction set (scalar, AVX2/FMA, AVX-512F). The ISA translation units
// define them; cpu.cpp chooses one at run time. This header is included by translation units compiled
// for different instruction sets, so it declares plain data and functions only (no inline code).
#ifndef DSM_KERNEL_TABLE_H
#define DSM_KERNEL_TABLE_H

#include <cstdint>

namespace dsm {

// Packed B: 32-column panels; panel p holds rows 0..k-1 of columns 32p..32p+31, 32 floats a row,
// zero-padded past n. Every kernel table reads this one layout, so weights are packed once.
constexpr int64_t kPanel = 32;

// One cache block of C = A B: A packed by pack_a (mc x kc), B panels starting at row pc.
struct GemmBlock {
    const float* a;          // packed A: ceil(mc / mr) panels of kc x mr
    const float* b;          // packed B, first panel of the block, at row pc
    int64_t b_panel_stride;  // floats from one panel to the next (k * kPanel)
    int64_t mc, kc, n;       // rows, depth, columns of the block
    float* c;                // C at the block's first row and column
    int64_t ldc;
    const float* bias;       // added to the first depth block (nullable), at the block's first column
    bool first;              // first depth block: C = acc (+ bias) (+ old C when accumulate)
    bool accumulate;
};

struct KernelTable {
    const char* name;
    int64_t mr;  // rows of the micro-tile: pack_a groups A in panels of mr rows
    int64_t kc;  // depth of a cache block
    int64_t mc;  // rows of a cache block (a multiple of mr)

    void (*pack_a)(const float* a, int64_t lda, int64_t mc, int64_t kc, float* dst);
    void (*gemm_block)(const GemmBlock& block);

    // Row kernels; stream = write with non-temporal stores (outputs too large to stay in cache).
    void (*layernorm_gelu)(const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
                           int64_t cols, float eps, bool stream);
    void (*layernorm)(const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
                      int64_t cols, float eps, bool stream);
    void (*gelu)(const float* x, float* y, int64_t count, bool stream);
    void (*silu_mul)(const float* gate, const float* up, float* out, int64_t count);  // out = silu(gate) * up
    float (*dot)(const float* a, const float* b, int64_t count);
    void (*scale)(float* y, float s, const float* x, int64_t count);  // y = s x
    void (*axpy)(float* y, float s, const float* x, int64_t count);   // y = s x + y
    void (*add)(float* y, const float* x, int64_t count);             // y = y + x
};

extern const KernelTable kScalarKernels;
extern const KernelTable kAvx2Kernels;
extern const KernelTable kAvx512Kernels;

}  // namespace dsm

#endif
