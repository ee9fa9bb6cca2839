// Not a normal header: included once by each kernels_<isa>.cpp after its simd_<isa>.h (no include guard).
// The SGEMM micro-kernel and macro-kernel, written once against the including translation unit's vector
// type V (kW lanes). It defines an MR x (kNv * kW) register tile: kMr and kNv come from the includer.
// A is packed in panels of kMr rows (k-major), B in the library's 32-column panels (kernel_table.h).
// Every element of C sees the same sequence of FMAs whatever its position in the tile, block or thread,
// so results do not depend on how rows and columns are split.

#include <xmmintrin.h>

namespace {

constexpr int kTileN = kNv * kW;
static_assert(dsm::kPanel % kTileN == 0, "the tile width must divide the panel width");

template <int MR>
void tile(int64_t kc, const float* __restrict a, const float* __restrict b, float* __restrict c, int64_t ldc,
          int64_t nr, const float* bias, bool first, bool accumulate) {
    V acc[MR][kNv];
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
        for (int v = 0; v < kNv; ++v) acc[i][v] = vzero();

    for (int64_t p = 0; p < kc; ++p) {
        V bv[kNv];
#pragma GCC unroll 4
        for (int v = 0; v < kNv; ++v) bv[v] = vload(b + v * kW);
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i) {
            const V ai = vset(a[i]);
#pragma GCC unroll 4
            for (int v = 0; v < kNv; ++v) acc[i][v] = vfma(ai, bv[v], acc[i][v]);
        }
        a += kMr;
        b += dsm::kPanel;
    }

    const bool add_bias = first && bias != nullptr;
    const bool add_c = !first || accumulate;
    if (nr == kTileN) {
#pragma GCC unroll 4
        for (int v = 0; v < kNv; ++v) {
            const V bb = add_bias ? vload(bias + v * kW) : vzero();
#pragma GCC unroll 32
            for (int i = 0; i < MR; ++i) {
                V r = acc[i][v];
                if (add_bias) r = vadd(r, bb);
                if (add_c) r = vadd(r, vload(c + i * ldc + v * kW));
                vstore(c + i * ldc + v * kW, r);
            }
        }
        return;
    }
    for (int v = 0; v < kNv; ++v) {
        int64_t m = nr - v * kW;
        if (m <= 0) break;
        if (m > kW) m = kW;
        const V bb = add_bias ? vload_n(bias + v * kW, m, 0.0f) : vzero();
        for (int i = 0; i < MR; ++i) {
            V r = acc[i][v];
            if (add_bias) r = vadd(r, bb);
            if (add_c) r = vadd(r, vload_n(c + i * ldc + v * kW, m, 0.0f));
            vstore_n(c + i * ldc + v * kW, r, m);
        }
    }
}

template <int MR>
inline void dispatch_tile(int64_t mr, int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                          int64_t nr, const float* bias, bool first, bool accumulate) {
    if (mr == MR) {
        tile<MR>(kc, a, b, c, ldc, nr, bias, first, accumulate);
    } else if constexpr (MR > 1) {
        dispatch_tile<MR - 1>(mr, kc, a, b, c, ldc, nr, bias, first, accumulate);
    }
}

// A block (mc x kc at a, row stride lda) into panels of kMr rows, k-major, short panels zero-padded.
// Groups of four rows go through 4x4 SSE transposes (SSE is baseline x86-64, so every table can use it).
void pack_a(const float* a, int64_t lda, int64_t mc, int64_t kc, float* dst) {
    for (int64_t row = 0; row < mc; row += kMr) {
        const int64_t mr = mc - row < kMr ? mc - row : kMr;
        const float* src = a + row * lda;
        int64_t i = 0;
        for (; i + 4 <= mr; i += 4) {
            const float* s0 = src + i * lda;
            const float* s1 = s0 + lda;
            const float* s2 = s1 + lda;
            const float* s3 = s2 + lda;
            int64_t p = 0;
            for (; p + 4 <= kc; p += 4) {
                __m128 r0 = _mm_loadu_ps(s0 + p), r1 = _mm_loadu_ps(s1 + p), r2 = _mm_loadu_ps(s2 + p),
                       r3 = _mm_loadu_ps(s3 + p);
                _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
                _mm_storeu_ps(dst + (p + 0) * kMr + i, r0);
                _mm_storeu_ps(dst + (p + 1) * kMr + i, r1);
                _mm_storeu_ps(dst + (p + 2) * kMr + i, r2);
                _mm_storeu_ps(dst + (p + 3) * kMr + i, r3);
            }
            for (; p < kc; ++p) {
                dst[p * kMr + i + 0] = s0[p];
                dst[p * kMr + i + 1] = s1[p];
                dst[p * kMr + i + 2] = s2[p];
                dst[p * kMr + i + 3] = s3[p];
            }
        }
        for (; i < kMr; ++i) {
            const float* si = src + i * lda;
            for (int64_t p = 0; p < kc; ++p) dst[p * kMr + i] = i < mr ? si[p] : 0.0f;
        }
        dst += kc * kMr;
    }
}

// C block (mc x n) = packed A block x the B panels of the block: tiles column by column, so one B micro-panel
// (kc x kTileN) stays in L1 while the A panels stream from L2.
void gemm_block(const dsm::GemmBlock& g) {
    for (int64_t col = 0; col < g.n; col += kTileN) {
        const int64_t nr = g.n - col < kTileN ? g.n - col : kTileN;
        const float* bp = g.b + (col / dsm::kPanel) * g.b_panel_stride + (col % dsm::kPanel);
        const float* bias = g.bias != nullptr ? g.bias + col : nullptr;
        for (int64_t row = 0; row < g.mc; row += kMr) {
            const int64_t mr = g.mc - row < kMr ? g.mc - row : kMr;
            dispatch_tile<kMr>(mr, g.kc, g.a + row * g.kc, bp, g.c + row * g.ldc + col, g.ldc, nr, bias, g.first,
                               g.accumulate);
        }
    }
}

}  // namespace
