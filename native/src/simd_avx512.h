// 16-lane AVX-512F vectors. Included only by kernels_avx512.cpp (compiled with -mavx512f -mfma).
#ifndef DSM_SIMD_AVX512_H
#define DSM_SIMD_AVX512_H

#include <immintrin.h>

#include <cstdint>

namespace {

struct V {
    __m512 v;
};
constexpr int kW = 16;

inline __mmask16 tail_mask(int64_t n) {
    return n >= kW ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << n) - 1u);
}

inline V vzero() { return {_mm512_setzero_ps()}; }
inline V vset(float x) { return {_mm512_set1_ps(x)}; }
inline V vload(const float* p) { return {_mm512_loadu_ps(p)}; }
inline V vload_n(const float* p, int64_t n, float fill) {
    return {_mm512_mask_loadu_ps(_mm512_set1_ps(fill), tail_mask(n), p)};
}
inline void vstore(float* p, V a) { _mm512_storeu_ps(p, a.v); }
inline void vstore_n(float* p, V a, int64_t n) { _mm512_mask_storeu_ps(p, tail_mask(n), a.v); }
inline bool stream_aligned(const float* p) { return (reinterpret_cast<uintptr_t>(p) & 63u) == 0; }
inline void vstream(float* p, V a) { _mm512_stream_ps(p, a.v); }
inline void stream_fence() { _mm_sfence(); }

inline V vadd(V a, V b) { return {_mm512_add_ps(a.v, b.v)}; }
inline V vsub(V a, V b) { return {_mm512_sub_ps(a.v, b.v)}; }
inline V vmul(V a, V b) { return {_mm512_mul_ps(a.v, b.v)}; }
inline V vdiv(V a, V b) { return {_mm512_div_ps(a.v, b.v)}; }
inline V vfma(V a, V b, V c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
inline V vfnma(V a, V b, V c) { return {_mm512_fnmadd_ps(a.v, b.v, c.v)}; }
// max/min return the second operand when either is NaN: NaN in x passes through.
inline V vmax_keepnan(float lo, V x) { return {_mm512_max_ps(_mm512_set1_ps(lo), x.v)}; }
inline V vmin_keepnan(float hi, V x) { return {_mm512_min_ps(_mm512_set1_ps(hi), x.v)}; }
inline V vrcp(V a) {
    const __m512 r = _mm512_rcp14_ps(a.v);
    return {_mm512_mul_ps(r, _mm512_fnmadd_ps(a.v, r, _mm512_set1_ps(2.0f)))};
}
// 2^(low 9 bits of the float's bit pattern - 127): turns n + 127 left in the mantissa by the rounding
// constant of vexp_sum into the power of two.
inline V vexponent_bits(V shifted) { return {_mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(shifted.v), 23))}; }
inline double hsum(V a) {
    alignas(64) float t[kW];
    _mm512_store_ps(t, a.v);
    double s = 0.0;
    for (int i = 0; i < kW; ++i) s += t[i];
    return s;
}

}  // namespace

#endif
