// Not a normal header: included once by each kernels_<isa>.cpp after its simd_<isa>.h (no include guard).
// Row kernels written once against the vector type V of the including translation unit (simd_*.h):
// LayerNorm statistics, fused LayerNorm+GeLU, the unfused steps, SiLU*up and small BLAS-1 helpers.
// Everything here has internal linkage, so each instruction set gets its own copy.

#include <algorithm>
#include <cstdint>

namespace {

// The vector helpers must melt into their loops: an out-of-line call passes the packs through memory.
#define DSM_INLINE inline __attribute__((always_inline))

// A few vectors processed in lockstep: the GeLU is one long dependency chain per vector, so independent
// vectors interleaved instruction by instruction keep the FP pipes busy. Same operations per lane as V, so
// results do not depend on whether an element went through a pack or a single vector.
template <int N>
struct VP {
    V v[N];
};

#define DSM_VP_MAP(name, params, args)                          \
    template <int N>                                            \
    DSM_INLINE VP<N> name params {                              \
        VP<N> r;                                                \
        _Pragma("GCC unroll 8") for (int i = 0; i < N; ++i) {   \
            r.v[i] = name args;                                 \
        }                                                       \
        return r;                                               \
    }
#define DSM_VP_1(name) DSM_VP_MAP(name, (VP<N> a), (a.v[i]))
#define DSM_VP_2(name) DSM_VP_MAP(name, (VP<N> a, VP<N> b), (a.v[i], b.v[i]))
#define DSM_VP_3(name) DSM_VP_MAP(name, (VP<N> a, VP<N> b, VP<N> c), (a.v[i], b.v[i], c.v[i]))
#define DSM_VP_CLAMP(name) DSM_VP_MAP(name, (float bound, VP<N> a), (bound, a.v[i]))
DSM_VP_1(vrcp)
DSM_VP_1(vexponent_bits)
DSM_VP_2(vsub)
DSM_VP_2(vmul)
DSM_VP_2(vdiv)
DSM_VP_3(vfma)
DSM_VP_3(vfnma)
DSM_VP_CLAMP(vmin_keepnan)
DSM_VP_CLAMP(vmax_keepnan)
#undef DSM_VP_1
#undef DSM_VP_2
#undef DSM_VP_3
#undef DSM_VP_CLAMP
#undef DSM_VP_MAP

template <class T>
struct Splat;
template <>
struct Splat<V> {
    DSM_INLINE static V of(float c) { return vset(c); }
};
template <int N>
struct Splat<VP<N>> {
    DSM_INLINE static VP<N> of(float c) {
        VP<N> r;
        for (int i = 0; i < N; ++i) r.v[i] = vset(c);
        return r;
    }
};

template <int N>
DSM_INLINE VP<N> vload_pack(const float* p) {
    VP<N> r;
    for (int i = 0; i < N; ++i) r.v[i] = vload(p + i * kW);
    return r;
}

// e^x to ~2 ulp, x clamped to [-87, 88] so 2^n stays a normal float; NaN stays NaN. n is rounded by adding
// 1.5 * 2^23 + 127, which also leaves n + 127 in the low mantissa bits, ready to become the exponent of 2^n.
template <class T>
DSM_INLINE T vexp(T x) {
    const auto c = [](float v) __attribute__((always_inline)) { return Splat<T>::of(v); };
    x = vmin_keepnan(88.0f, vmax_keepnan(-87.0f, x));
    const T shifted = vfma(x, c(1.44269504088896341f), c(12583039.0f));
    const T n = vsub(shifted, c(12583039.0f));
    T r = vfnma(n, c(0.693359375f), x);  // Cody-Waite: ln2 in a short head and a tail
    r = vfnma(n, c(-2.12194440e-4f), r);
    // Degree-5 Chebyshev fit of e^r on [-ln2/2, ln2/2] (error 8e-8, below float resolution).
    T y = c(8.36914849e-3f);
    y = vfma(y, r, c(4.19175072e-2f));
    y = vfma(y, r, c(1.66665053e-1f));
    y = vfma(y, r, c(4.99988694e-1f));
    y = vfma(y, r, c(1.00000001f));
    y = vfma(y, r, c(1.00000008f));
    return vmul(y, vexponent_bits(shifted));
}

// GeLU_erf(x) = x/2 (1 + erf(x/sqrt2)), erf by the rational minimax fit Eigen and XLA use for float:
// z P(z^2) / Q(z^2) on [-4, 4] (|erf| rounds to 1 beyond), absolute error 6.5e-8, i.e. GeLU within ~1e-7 |x|.
// An erfc-and-exp form keeps relative accuracy deep in the negative tail but costs twice the arithmetic,
// and this kernel is compute-bound.
template <class T>
DSM_INLINE T vgelu(T x) {
    const auto c = [](float v) __attribute__((always_inline)) { return Splat<T>::of(v); };
    const T z = vmin_keepnan(4.0f, vmax_keepnan(-4.0f, vmul(x, c(0.70710678118654752f))));
    const T z2 = vmul(z, z);
    T p = c(-2.72614225801306e-10f);
    p = vfma(p, z2, c(2.77068142495902e-08f));
    p = vfma(p, z2, c(-2.10102402082508e-06f));
    p = vfma(p, z2, c(-5.69250639462346e-05f));
    p = vfma(p, z2, c(-7.34990630326855e-04f));
    p = vfma(p, z2, c(-2.95459980854025e-03f));
    p = vfma(p, z2, c(-1.60960333262415e-02f));
    T q = c(-1.45660718464996e-05f);
    q = vfma(q, z2, c(-2.13374055278905e-04f));
    q = vfma(q, z2, c(-1.68282697438203e-03f));
    q = vfma(q, z2, c(-7.37332916720468e-03f));
    q = vfma(q, z2, c(-1.42647390514189e-02f));
    const T erf = vdiv(vmul(z, p), q);
    const T half_x = vmul(x, c(0.5f));
    return vfma(half_x, erf, half_x);
}

// Mean and 1/sqrt(var + eps) of one row in one pass: sums of (x - x0) and (x - x0)^2, shifted by the
// first element so a large common offset does not cancel the variance away. The sums can be fed a pair of
// vectors at a time from inside another loop (see layernorm_rows_impl); `finish` adds what is left in the
// same order, so a row's statistics do not depend on where they were summed.
struct RowStats {
    float first;
    V pivot, s0, s1, q0, q1;

    explicit RowStats(float x0) : first(x0), pivot(vset(x0)), s0(vzero()), s1(vzero()), q0(vzero()), q1(vzero()) {}

    DSM_INLINE void add_pair(const float* x) {
        const V d0 = vsub(vload(x), pivot);
        const V d1 = vsub(vload(x + kW), pivot);
        s0 = vadd(s0, d0);
        q0 = vfma(d0, d0, q0);
        s1 = vadd(s1, d1);
        q1 = vfma(d1, d1, q1);
    }

    // Adds x[from, n) (from a multiple of 2 kW) and writes the statistics of all n elements.
    void finish(const float* x, int64_t from, int64_t n, float eps, float& mean, float& rstd) {
        int64_t i = from;
        for (; i + 2 * kW <= n; i += 2 * kW) add_pair(x + i);
        for (; i < n; i += kW) {
            const V d = vsub(vload_n(x + i, n - i, first), pivot);
            s0 = vadd(s0, d);
            q0 = vfma(d, d, q0);
        }
        const double md = (hsum(s0) + hsum(s1)) / static_cast<double>(n);
        double var = (hsum(q0) + hsum(q1)) / static_cast<double>(n) - md * md;
        if (var < 0.0) var = 0.0;
        mean = static_cast<float>(first + md);
        rstd = static_cast<float>(1.0 / __builtin_sqrt(var + static_cast<double>(eps)));
    }
};

inline void row_stats(const float* x, int64_t n, float eps, float& mean, float& rstd) {
    if constexpr (kW == 1) {
        // One lane has no partial sums to spread the rounding over: accumulate in double.
        const float pivot = x[0];
        double s = 0.0, q = 0.0;
        for (int64_t i = 0; i < n; ++i) {
            const double d = static_cast<double>(x[i]) - pivot;
            s += d;
            q += d * d;
        }
        const double md = s / static_cast<double>(n);
        double var = q / static_cast<double>(n) - md * md;
        if (var < 0.0) var = 0.0;
        mean = static_cast<float>(pivot + md);
        rstd = static_cast<float>(1.0 / __builtin_sqrt(var + static_cast<double>(eps)));
    } else {
        RowStats(x[0]).finish(x, 0, n, eps, mean, rstd);
    }
}

template <bool Gelu, class T>
DSM_INLINE T normalize(T x, T mean, T rstd, T gamma, T beta) {
    T v = vfma(vmul(vsub(x, mean), rstd), gamma, beta);
    if (Gelu) v = vgelu(v);
    return v;
}

// Rows one after another, software-pipelined so that memory and arithmetic overlap: while row r is
// normalized (from L1, arithmetic-bound once the GeLU is in), the loop also sums row r+1's statistics,
// which a prefetch issued during row r-1 has brought close, and prefetches row r+2. A plain statistics
// pass would wait on memory with the arithmetic units idle, then compute with memory idle.
// With `stream`, each output row is written with non-temporal stores from its first 64-byte boundary on
// (the elements before it with ordinary stores), so callers' buffers need no particular alignment.
template <bool Gelu>
void layernorm_rows_impl(const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
                         int64_t cols, float eps, bool stream) {
    if (cols <= 0 || rows <= 0) return;
    constexpr int64_t kChunk = int64_t{kPack} * kW;
    constexpr bool kPipelined = kW > 1 && kPack % 2 == 0;
    float mean, rstd;
    row_stats(x, cols, eps, mean, rstd);
    for (int64_t r = 0; r < rows; ++r) {
        const float* xr = x + r * cols;
        float* yr = y + r * cols;
        const float* next = r + 1 < rows ? xr + cols : nullptr;
        const float* after_next = r + 2 < rows ? xr + 2 * cols : nullptr;
        const V vm = vset(mean), vr = vset(rstd);
        int64_t i = 0;
        const auto misalign = reinterpret_cast<uintptr_t>(yr) & 63u;
        const bool st = stream && misalign % sizeof(float) == 0;
        // m <= kW elements from `at` with an ordinary (masked) store: the head before the output's first 64-byte
        // boundary, and the tail.
        const auto partial = [&](int64_t at, int64_t m) {
            vstore_n(yr + at,
                     normalize<Gelu>(vload_n(xr + at, m, 0.0f), vm, vr, vload_n(gamma + at, m, 0.0f),
                                     vload_n(beta + at, m, 0.0f)),
                     m);
        };
        if (st && misalign != 0) {
            const int64_t head = std::min<int64_t>(cols, static_cast<int64_t>((64u - misalign) / sizeof(float)));
            for (; i < head; i += kW) partial(i, std::min<int64_t>(kW, head - i));
            i = head;
        }
        // The next row's statistics, summed a chunk at a time inside this row's loop (up to `summed`).
        RowStats ahead(next != nullptr ? next[0] : 0.0f);
        int64_t summed = 0;
        {
            const auto pm = Splat<VP<kPack>>::of(mean), pr = Splat<VP<kPack>>::of(rstd);
            for (int64_t k = 0; i + kChunk <= cols; i += kChunk, k += kChunk) {
                if (after_next != nullptr)
                    for (int64_t j = 0; j < kChunk; j += 16) __builtin_prefetch(after_next + k + j, 0, 3);
                if constexpr (kPipelined) {
                    if (next != nullptr) {
                        for (int64_t j = 0; j < kChunk; j += 2 * kW) ahead.add_pair(next + k + j);
                        summed = k + kChunk;
                    }
                }
                const VP<kPack> v = normalize<Gelu>(vload_pack<kPack>(xr + i), pm, pr, vload_pack<kPack>(gamma + i),
                                                    vload_pack<kPack>(beta + i));
                for (int j = 0; j < kPack; ++j) {
                    if (st)
                        vstream(yr + i + j * kW, v.v[j]);
                    else
                        vstore(yr + i + j * kW, v.v[j]);
                }
            }
        }
        for (; i + kW <= cols; i += kW) {
            const V v = normalize<Gelu>(vload(xr + i), vm, vr, vload(gamma + i), vload(beta + i));
            if (st)
                vstream(yr + i, v);
            else
                vstore(yr + i, v);
        }
        if (i < cols) partial(i, cols - i);
        if (next != nullptr) {
            if constexpr (kPipelined)
                ahead.finish(next, summed, cols, eps, mean, rstd);
            else
                row_stats(next, cols, eps, mean, rstd);
        }
    }
    if (stream) stream_fence();
}

void layernorm_gelu_rows(const float* x, const float* gamma, const float* beta, float* y, int64_t rows,
                         int64_t cols, float eps, bool stream) {
    layernorm_rows_impl<true>(x, gamma, beta, y, rows, cols, eps, stream);
}

void layernorm_rows(const float* x, const float* gamma, const float* beta, float* y, int64_t rows, int64_t cols,
                    float eps, bool stream) {
    layernorm_rows_impl<false>(x, gamma, beta, y, rows, cols, eps, stream);
}

void gelu_span(const float* x, float* y, int64_t count, bool stream) {
    const bool st = stream && stream_aligned(y);
    int64_t i = 0;
    for (; i + kPack * kW <= count; i += kPack * kW) {
        const VP<kPack> v = vgelu(vload_pack<kPack>(x + i));
        for (int j = 0; j < kPack; ++j) {
            if (st)
                vstream(y + i + j * kW, v.v[j]);
            else
                vstore(y + i + j * kW, v.v[j]);
        }
    }
    for (; i + kW <= count; i += kW) {
        const V v = vgelu(vload(x + i));
        if (st)
            vstream(y + i, v);
        else
            vstore(y + i, v);
    }
    if (i < count) vstore_n(y + i, vgelu(vload_n(x + i, count - i, 0.0f)), count - i);
    if (stream) stream_fence();
}

inline V vsilu_mul(V g, V u) { return vmul(vmul(g, vrcp(vadd(vset(1.0f), vexp(vsub(vzero(), g))))), u); }

void silu_mul_span(const float* gate, const float* up, float* out, int64_t count) {
    int64_t i = 0;
    for (; i + kW <= count; i += kW) vstore(out + i, vsilu_mul(vload(gate + i), vload(up + i)));
    if (i < count) {
        const int64_t m = count - i;
        vstore_n(out + i, vsilu_mul(vload_n(gate + i, m, 0.0f), vload_n(up + i, m, 0.0f)), m);
    }
}

float dot_span(const float* a, const float* b, int64_t count) {
    V s0 = vzero(), s1 = vzero();
    int64_t i = 0;
    for (; i + 2 * kW <= count; i += 2 * kW) {
        s0 = vfma(vload(a + i), vload(b + i), s0);
        s1 = vfma(vload(a + i + kW), vload(b + i + kW), s1);
    }
    for (; i < count; i += kW) s0 = vfma(vload_n(a + i, count - i, 0.0f), vload_n(b + i, count - i, 0.0f), s0);
    return static_cast<float>(hsum(s0) + hsum(s1));
}

void scale_span(float* y, float s, const float* x, int64_t count) {
    const V vs = vset(s);
    int64_t i = 0;
    for (; i + kW <= count; i += kW) vstore(y + i, vmul(vs, vload(x + i)));
    if (i < count) vstore_n(y + i, vmul(vs, vload_n(x + i, count - i, 0.0f)), count - i);
}

void axpy_span(float* y, float s, const float* x, int64_t count) {
    const V vs = vset(s);
    int64_t i = 0;
    for (; i + kW <= count; i += kW) vstore(y + i, vfma(vs, vload(x + i), vload(y + i)));
    if (i < count) {
        const int64_t m = count - i;
        vstore_n(y + i, vfma(vs, vload_n(x + i, m, 0.0f), vload_n(y + i, m, 0.0f)), m);
    }
}

void add_span(float* y, const float* x, int64_t count) {
    int64_t i = 0;
    for (; i + kW <= count; i += kW) vstore(y + i, vadd(vload(y + i), vload(x + i)));
    if (i < count) {
        const int64_t m = count - i;
        vstore_n(y + i, vadd(vload_n(y + i, m, 0.0f), vload_n(x + i, m, 0.0f)), m);
    }
}

#undef DSM_INLINE

}  // namespace
