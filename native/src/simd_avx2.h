// 8-lane AVX2/FMA vectors. Included only by kernels_avx2.cpp (compiled with -mavx2 -mfma).
#ifndef DSM_SIMD_AVX2_H
#define DSM_SIMD_AVX2_H

#include <immintrin.h>

#include <cstdint>

namespace {

struct V {
    __m256 v;
};
constexpr int kW = 8;

inline __m256i tail_mask(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n < kW ? n : kW)),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

inline V vzero() { return {_mm256_setzero_ps()}; }
inline V vset(float x) { return {_mm256_set1_ps(x)}; }
inline V vload(const float* p) { return {_mm256_loadu_ps(p)}; }
inline V vload_n(const float* p, int64_t n, float fill) {
    const __m256i m = tail_mask(n);
    return {_mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m))};
}
inline void vstore(float* p, V a) { _mm256_storeu_ps(p, a.v); }
inline void vstore_n(float* p, V a, int64_t n) { _mm256_maskstore_ps(p, tail_mask(n), a.v); }
inline bool stream_aligned(const float* p) { return (reinterpret_cast<uintptr_t>(p) & 31u) == 0; }
inline void vstream(float* p, V a) { _mm256_stream_ps(p, a.v); }
inline void stream_fence() { _mm_sfence(); }

inline V vadd(V a, V b) { return {_mm256_add_ps(a.v, b.v)}; }
inline V vsub(V a, V b) { return {_mm256_sub_ps(a.v, b.v)}; }
inline V vmul(V a, V b) { return {_mm256_mul_ps(a.v, b.v)}; }
inline V vdiv(V a, V b) { return {_mm256_div_ps(a.v, b.v)}; }
inline V vfma(V a, V b, V c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
inline V vfnma(V a, V b, V c) { return {_mm256_fnmadd_ps(a.v, b.v, c.v)}; }
// max/min return the second operand when either is NaN: NaN in x passes through.
inline V vmax_keepnan(float lo, V x) { return {_mm256_max_ps(_mm256_set1_ps(lo), x.v)}; }
inline V vmin_keepnan(float hi, V x) { return {_mm256_min_ps(_mm256_set1_ps(hi), x.v)}; }
inline V vrcp(V a) {
    const __m256 r = _mm256_rcp_ps(a.v);
    return {_mm256_mul_ps(r, _mm256_fnmadd_ps(a.v, r, _mm256_set1_ps(2.0f)))};
}
// 2^(low 9 bits of the float's bit pattern - 127): turns n + 127 left in the mantissa by the rounding
// constant of vexp_sum into the power of two.
inline V vexponent_bits(V shifted) { return {_mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(shifted.v), 23))}; }
inline double hsum(V a) {
    alignas(32) float t[kW];
    _mm256_store_ps(t, a.v);
    double s = 0.0;
    for (int i = 0; i < kW; ++i) s += t[i];
    return s;
}

}  // namespace

#endif
