// One-lane "vector" for the portable fallback: the same algorithms as the SIMD paths, lane by lane.
// Included only by kernels_scalar.cpp.
#ifndef DSM_SIMD_SCALAR_H
#define DSM_SIMD_SCALAR_H

#include <cstdint>

namespace {

struct V {
    float v;
};
constexpr int kW = 1;

inline V vzero() { return {0.0f}; }
inline V vset(float x) { return {x}; }
inline V vload(const float* p) { return {*p}; }
inline V vload_n(const float* p, int64_t n, float fill) { return {n > 0 ? *p : fill}; }
inline void vstore(float* p, V a) { *p = a.v; }
inline void vstore_n(float* p, V a, int64_t n) {
    if (n > 0) *p = a.v;
}
inline bool stream_aligned(const float*) { return false; }
inline void vstream(float* p, V a) { *p = a.v; }
inline void stream_fence() {}

inline V vadd(V a, V b) { return {a.v + b.v}; }
inline V vsub(V a, V b) { return {a.v - b.v}; }
inline V vmul(V a, V b) { return {a.v * b.v}; }
inline V vdiv(V a, V b) { return {a.v / b.v}; }
inline V vfma(V a, V b, V c) { return {a.v * b.v + c.v}; }   // a b + c
inline V vfnma(V a, V b, V c) { return {c.v - a.v * b.v}; }  // c - a b
// Clamps that let NaN through, like the SIMD max/min with the bound as first operand.
inline V vmax_keepnan(float lo, V x) { return {x.v < lo ? lo : x.v}; }
inline V vmin_keepnan(float hi, V x) { return {x.v > hi ? hi : x.v}; }
inline V vrcp(V a) { return {1.0f / a.v}; }
// 2^(low 9 bits of the float's bit pattern - 127): turns n + 127 left in the mantissa by the rounding
// constant of vexp_sum into the power of two. NaN gives NaN.
inline V vexponent_bits(V shifted) {
    if (shifted.v != shifted.v) return shifted;
    uint32_t bits;
    __builtin_memcpy(&bits, &shifted.v, sizeof bits);
    bits <<= 23;
    float scale;
    __builtin_memcpy(&scale, &bits, sizeof scale);
    return {scale};
}
inline double hsum(V a) { return a.v; }

}  // namespace

#endif
