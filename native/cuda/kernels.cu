// CUDA kernels of libdeepseek_moe_cuda (built and tested on a GPU machine by native/scripts/gpu-check.sh).
#include <cuda_runtime.h>

#include <cstdint>

#include "device.h"
#include "kernels.h"

namespace dsm::cuda {

namespace {

constexpr int kBlock = 256;
constexpr int64_t kMaxBlocks = 65535;

unsigned grid_for(int64_t count) {
    const int64_t blocks = (count + kBlock - 1) / kBlock;
    return static_cast<unsigned>(blocks < kMaxBlocks ? (blocks > 0 ? blocks : 1) : kMaxBlocks);
}

__device__ __forceinline__ float gelu(float v) { return 0.5f * v * erfcf(-v * 0.70710678118654752f); }

// The block-wide sum of v (every thread gets it); `partial` holds one double per warp.
__device__ double block_sum(double v, double* partial) {
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    if (warp == 0) {
        const int warps = (blockDim.x + 31) >> 5;
        v = lane < warps ? partial[lane] : 0.0;
        for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
        if (lane == 0) partial[0] = v;
    }
    __syncthreads();
    const double total = partial[0];
    __syncthreads();  // partial is reused by the next call
    return total;
}

// One block per row: sums of (x - x0) and (x - x0)^2 (shifted by the first element against cancellation),
// then one pass that normalizes (and applies GeLU). x and y may alias: each element is read and written by
// the same thread, after the statistics.
template <bool Gelu>
__global__ void layernorm_kernel(const float* x, const float* __restrict__ gamma, const float* __restrict__ beta,
                                 float* y, int64_t cols, float eps) {
    __shared__ double partial[32];
    const int64_t row = blockIdx.x;
    const float* xr = x + row * cols;
    float* yr = y + row * cols;
    const float pivot = xr[0];
    float s = 0.0f, q = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) {
        const float d = xr[c] - pivot;
        s += d;
        q = fmaf(d, d, q);
    }
    const double sum = block_sum(s, partial);
    const double sq = block_sum(q, partial);
    const double md = sum / static_cast<double>(cols);
    double var = sq / static_cast<double>(cols) - md * md;
    if (var < 0.0) var = 0.0;
    const float mean = static_cast<float>(pivot + md);
    const float rstd = static_cast<float>(1.0 / sqrt(var + static_cast<double>(eps)));
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) {
        float v = fmaf((xr[c] - mean) * rstd, gamma[c], beta[c]);
        if (Gelu) v = gelu(v);
        yr[c] = v;
    }
}

// The sums of a and b over the block (every thread gets both), in one round of shuffles and barriers.
__device__ double2 block_sum2(double a, double b, double2* partial) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        a += __shfl_down_sync(0xffffffffu, a, offset);
        b += __shfl_down_sync(0xffffffffu, b, offset);
    }
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) partial[warp] = make_double2(a, b);
    __syncthreads();
    if (warp == 0) {
        const int warps = (blockDim.x + 31) >> 5;
        a = lane < warps ? partial[lane].x : 0.0;
        b = lane < warps ? partial[lane].y : 0.0;
        for (int offset = 16; offset > 0; offset >>= 1) {
            a += __shfl_down_sync(0xffffffffu, a, offset);
            b += __shfl_down_sync(0xffffffffu, b, offset);
        }
        if (lane == 0) partial[0] = make_double2(a, b);
    }
    __syncthreads();
    return partial[0];
}

// float4s per thread that the register kernel holds: rows of up to kBlock * 4 * kLnVec4 columns.
constexpr int kLnVec4 = 4;

// The same LayerNorm (+GeLU) for rows that fit in registers (cols a multiple of 4, at most kBlock * 16): each
// thread loads its float4s once, the block reduces both sums in one round, and the thread normalizes what it
// holds, so the row crosses device memory once each way. Same statistics and per-element arithmetic as
// layernorm_kernel. x and y may alias (each thread reads everything it writes first).
template <bool Gelu>
__global__ void __launch_bounds__(kBlock) layernorm_regs_kernel(const float* x, const float* __restrict__ gamma,
                                                                const float* __restrict__ beta, float* y,
                                                                int64_t cols, float eps) {
    __shared__ double2 partial[32];
    const int64_t row = blockIdx.x;
    const float4* xr = reinterpret_cast<const float4*>(x + row * cols);
    float4* yr = reinterpret_cast<float4*>(y + row * cols);
    const int64_t n4 = cols / 4;
    const float pivot = x[row * cols];
    float4 v[kLnVec4];
    float s = 0.0f, q = 0.0f;
#pragma unroll
    for (int i = 0; i < kLnVec4; ++i) {
        const int64_t c = threadIdx.x + static_cast<int64_t>(i) * kBlock;
        v[i] = c < n4 ? xr[c] : make_float4(pivot, pivot, pivot, pivot);
        const float d0 = v[i].x - pivot, d1 = v[i].y - pivot, d2 = v[i].z - pivot, d3 = v[i].w - pivot;
        s += (d0 + d1) + (d2 + d3);
        q = fmaf(d0, d0, fmaf(d1, d1, fmaf(d2, d2, fmaf(d3, d3, q))));
    }
    const double2 sums = block_sum2(s, q, partial);
    const double md = sums.x / static_cast<double>(cols);
    double var = sums.y / static_cast<double>(cols) - md * md;
    if (var < 0.0) var = 0.0;
    const float mean = static_cast<float>(pivot + md);
    const float rstd = static_cast<float>(1.0 / sqrt(var + static_cast<double>(eps)));
    const float4* g4 = reinterpret_cast<const float4*>(gamma);
    const float4* b4 = reinterpret_cast<const float4*>(beta);
#pragma unroll
    for (int i = 0; i < kLnVec4; ++i) {
        const int64_t c = threadIdx.x + static_cast<int64_t>(i) * kBlock;
        if (c >= n4) break;
        const float4 g = g4[c], b = b4[c];
        float4 o;
        o.x = fmaf((v[i].x - mean) * rstd, g.x, b.x);
        o.y = fmaf((v[i].y - mean) * rstd, g.y, b.y);
        o.z = fmaf((v[i].z - mean) * rstd, g.z, b.z);
        o.w = fmaf((v[i].w - mean) * rstd, g.w, b.w);
        if (Gelu) {
            o.x = gelu(o.x);
            o.y = gelu(o.y);
            o.z = gelu(o.z);
            o.w = gelu(o.w);
        }
        yr[c] = o;
    }
}

bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

__global__ void gelu_kernel(const float* x, float* y, int64_t count) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < count;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x)
        y[i] = gelu(x[i]);
}

// a ranks before b: larger first, NaN largest, ties to the lower index (as the CPU library).
__device__ __forceinline__ bool ranks_before(float va, int32_t a, float vb, int32_t b) {
    const bool na = isnan(va), nb = isnan(vb);
    if (na || nb) return na && (!nb || a < b);
    if (va != vb) return va > vb;
    return a < b;
}

// One thread per row; the row's output indices double as the insertion list.
__global__ void topk_kernel(const float* __restrict__ logits, int64_t rows, int64_t experts, int32_t k, double inv_t,
                            int32_t* __restrict__ idx, float* __restrict__ weight) {
    const int64_t r = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
    if (r >= rows) return;
    const float* l = logits + r * experts;
    int32_t* out = idx + r * k;
    float* w = weight + r * k;
    int32_t n = 0;
    for (int32_t e = 0; e < static_cast<int32_t>(experts); ++e) {
        const float v = l[e];
        if (n == k && !ranks_before(v, e, l[out[k - 1]], out[k - 1])) continue;
        int32_t p = n < k ? n++ : k - 1;
        while (p > 0 && ranks_before(v, e, l[out[p - 1]], out[p - 1])) {
            out[p] = out[p - 1];
            --p;
        }
        out[p] = e;
    }
    const double top = l[out[0]];
    double sum = 0.0;
    for (int32_t i = 0; i < k; ++i) sum += exp((static_cast<double>(l[out[i]]) - top) * inv_t);
    for (int32_t i = 0; i < k; ++i) w[i] = static_cast<float>(exp((static_cast<double>(l[out[i]]) - top) * inv_t) / sum);
}

__global__ void fill_rows_kernel(float* y, const float* __restrict__ bias, int64_t rows, int64_t n) {
    const int64_t count = rows * n;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < count;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x)
        y[i] = bias[i % n];
}

__global__ void silu_mul_kernel(float* h, int64_t rows, int64_t hidden) {
    const int64_t count = rows * hidden;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < count;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t r = i / hidden, j = i % hidden;
        float* row = h + r * 2 * hidden;
        const float g = row[j];
        row[j] = g / (1.0f + expf(-g)) * row[hidden + j];
    }
}

// One block per row.
__global__ void gate_scale_kernel(const float* __restrict__ x, const float* __restrict__ gate, float* y,
                                  int64_t d_model, int64_t d_out) {
    __shared__ double partial[32];
    const int64_t row = blockIdx.x;
    double z = 0.0;
    for (int64_t c = threadIdx.x; c < d_model; c += blockDim.x)
        z += static_cast<double>(x[row * d_model + c]) * gate[c];
    z = block_sum(z, partial);
    const float s = static_cast<float>(1.0 / (1.0 + exp(-z)));
    for (int64_t c = threadIdx.x; c < d_out; c += blockDim.x) y[row * d_out + c] *= s;
}

__global__ void gather_kernel(const float* __restrict__ x, const int32_t* __restrict__ order, float* __restrict__ out,
                              int64_t count, int64_t d_model) {
    const int64_t total = count * d_model;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < total;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t j = i / d_model, c = i % d_model;
        out[i] = x[static_cast<int64_t>(order[j]) * d_model + c];
    }
}

__global__ void combine_kernel(const float* __restrict__ routed_out, const int32_t* __restrict__ pos,
                               const float* __restrict__ weight, int32_t k, const float* __restrict__ shared_out,
                               int64_t shared, float* y, int64_t rows, int64_t d_out) {
    const int64_t total = rows * d_out;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < total;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t r = i / d_out, c = i % d_out;
        float acc = weight[r * k] * routed_out[static_cast<int64_t>(pos[r * k]) * d_out + c];
        for (int32_t s = 1; s < k; ++s)
            acc = fmaf(weight[r * k + s], routed_out[static_cast<int64_t>(pos[r * k + s]) * d_out + c], acc);
        for (int64_t s = 0; s < shared; ++s) acc += shared_out[(s * rows + r) * d_out + c];
        y[i] = acc;
    }
}

void launched(const char* what) { check(cudaGetLastError(), what); }

unsigned row_grid(int64_t rows) {
    if (rows > 0x7fffffff) check(cudaErrorInvalidValue, "more rows than one grid holds");
    return static_cast<unsigned>(rows);
}

}  // namespace

void launch_layernorm(const float* x, const float* gamma, const float* beta, float* y, int64_t rows, int64_t cols,
                      float eps, bool gelu, cudaStream_t stream) {
    if (rows == 0 || cols == 0) return;
    const bool regs = cols % 4 == 0 && cols <= int64_t{kBlock} * 4 * kLnVec4 && aligned16(x) && aligned16(y) &&
                      aligned16(gamma) && aligned16(beta);
    if (regs && gelu)
        layernorm_regs_kernel<true><<<row_grid(rows), kBlock, 0, stream>>>(x, gamma, beta, y, cols, eps);
    else if (regs)
        layernorm_regs_kernel<false><<<row_grid(rows), kBlock, 0, stream>>>(x, gamma, beta, y, cols, eps);
    else if (gelu)
        layernorm_kernel<true><<<row_grid(rows), kBlock, 0, stream>>>(x, gamma, beta, y, cols, eps);
    else
        layernorm_kernel<false><<<row_grid(rows), kBlock, 0, stream>>>(x, gamma, beta, y, cols, eps);
    launched("layernorm kernel");
}

void launch_gelu(const float* x, float* y, int64_t count, cudaStream_t stream) {
    if (count == 0) return;
    gelu_kernel<<<grid_for(count), kBlock, 0, stream>>>(x, y, count);
    launched("gelu kernel");
}

void launch_topk(const float* logits, int64_t rows, int64_t experts, int32_t k, float temperature, int32_t* idx,
                 float* weight, cudaStream_t stream) {
    if (rows == 0) return;
    const int64_t blocks = (rows + kBlock - 1) / kBlock;
    if (blocks > 0x7fffffff) check(cudaErrorInvalidValue, "more rows than one grid holds");
    topk_kernel<<<static_cast<unsigned>(blocks), kBlock, 0, stream>>>(logits, rows, experts, k,
                                                                     1.0 / static_cast<double>(temperature), idx, weight);
    launched("top-k kernel");
}

void launch_fill_rows(float* y, const float* bias, int64_t rows, int64_t n, cudaStream_t stream) {
    if (rows == 0 || n == 0) return;
    fill_rows_kernel<<<grid_for(rows * n), kBlock, 0, stream>>>(y, bias, rows, n);
    launched("bias kernel");
}

void launch_silu_mul(float* h, int64_t rows, int64_t hidden, cudaStream_t stream) {
    if (rows == 0) return;
    silu_mul_kernel<<<grid_for(rows * hidden), kBlock, 0, stream>>>(h, rows, hidden);
    launched("silu kernel");
}

void launch_gate_scale(const float* x, const float* gate, float* y, int64_t rows, int64_t d_model, int64_t d_out,
                       cudaStream_t stream) {
    if (rows == 0) return;
    gate_scale_kernel<<<row_grid(rows), kBlock, 0, stream>>>(x, gate, y, d_model, d_out);
    launched("shared gate kernel");
}

void launch_gather(const float* x, const int32_t* order, float* out, int64_t count, int64_t d_model,
                   cudaStream_t stream) {
    if (count == 0) return;
    gather_kernel<<<grid_for(count * d_model), kBlock, 0, stream>>>(x, order, out, count, d_model);
    launched("gather kernel");
}

void launch_combine(const float* routed_out, const int32_t* pos, const float* weight, int32_t k,
                    const float* shared_out, int64_t shared, float* y, int64_t rows, int64_t d_out,
                    cudaStream_t stream) {
    if (rows == 0) return;
    combine_kernel<<<grid_for(rows * d_out), kBlock, 0, stream>>>(routed_out, pos, weight, k, shared_out, shared, y,
                                                                  rows, d_out);
    launched("combine kernel");
}

}  // namespace dsm::cuda
