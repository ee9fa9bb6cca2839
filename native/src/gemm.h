// SGEMM driver: cache blocking over the kernel table's micro-kernel, B in the packed panel layout.
#ifndef DSM_GEMM_H
#define DSM_GEMM_H

#include <cstdint>

#include "kernel_table.h"
#include "scratch.h"

namespace dsm {

// Floats needed to pack a k x n matrix.
int64_t packed_size(int64_t k, int64_t n);
// Packs B (k x n, row stride ldb) into dst (packed_size floats), zero-padding the last panel; panels are
// spread over the thread pool when parallel.
void pack_b(const float* b, int64_t ldb, int64_t k, int64_t n, float* dst, bool parallel);

// A weight matrix [k, n] packed once.
class PackedMatrix {
public:
    PackedMatrix() = default;
    PackedMatrix(const float* b, int64_t k, int64_t n);
    int64_t k() const { return k_; }
    int64_t n() const { return n_; }
    const float* data() const { return data_.data(); }

private:
    int64_t k_ = 0, n_ = 0;
    AlignedFloats data_;
};

struct GemmArgs {
    int64_t m = 0, n = 0, k = 0;
    const float* a = nullptr;  // [m, k], row stride lda
    int64_t lda = 0;
    const float* b = nullptr;  // packed [k, n]
    float* c = nullptr;        // [m, n], row stride ldc
    int64_t ldc = 0;
    const float* bias = nullptr;  // [n] added to every row, nullable
    bool accumulate = false;      // C += A B instead of C = A B
    int64_t depth = 0;            // depth per block; 0: the library's choice (gemm.cpp), set only to measure others

    // C [m, n] = A [m, k] B with dense row-major A and C; the rest as defaulted above.
    static GemmArgs dense(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c) {
        GemmArgs g;
        g.m = m;
        g.n = n;
        g.k = k;
        g.a = a;
        g.lda = k;
        g.b = b;
        g.c = c;
        g.ldc = n;
        return g;
    }
};

// C = A B (+ bias) (+ C). parallel: split into (row block, column range) tasks on the thread pool; the
// result is bit-identical either way.
void gemm(const KernelTable& kernels, const GemmArgs& args, bool parallel);

}  // namespace dsm

#endif
