// Device-resident timings of the CUDA kernels, without the host copies that every exported call makes:
// fused LayerNorm+GeLU against the unfused pair (LayerNorm, then GeLU in place) on 1024 x 4096 fp32, beside a
// device-to-device copy of the same bytes (the memory ceiling). Linked against the CUDA library's objects, so
// it launches the same kernels the exports launch. Times with CUDA events; the median of many repetitions,
// rotating over input sets that together exceed the L2 cache. Prints one table; exits non-zero when a CUDA
// call fails or the fused and unfused outputs disagree.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <random>
#include <vector>

#include "kernels.h"

namespace {

constexpr int64_t kRows = 1024, kCols = 4096, kCount = kRows * kCols;
constexpr int kSets = 8;  // 8 x 16 MiB in, 8 x 16 MiB out: well over the L2
constexpr int kWarmup = 10, kReps = 200;

bool ok(cudaError_t status, const char* what) {
    if (status == cudaSuccess) return true;
    std::fprintf(stderr, "cuda_device_bench: %s: %s\n", what, cudaGetErrorString(status));
    return false;
}

template <class F>
double median_ms(F&& body, cudaStream_t stream) {
    cudaEvent_t start, stop;
    cudaEventCreate(&start);
    cudaEventCreate(&stop);
    for (int i = 0; i < kWarmup; ++i) body(i % kSets);
    std::vector<float> times;
    for (int i = 0; i < kReps; ++i) {
        cudaEventRecord(start, stream);
        body(i % kSets);
        cudaEventRecord(stop, stream);
        cudaEventSynchronize(stop);
        float ms = 0.0f;
        cudaEventElapsedTime(&ms, start, stop);
        times.push_back(ms);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    std::nth_element(times.begin(), times.begin() + kReps / 2, times.end());
    return times[kReps / 2];
}

}  // namespace

int main() {
    std::vector<float> host(kCount * kSets), params(2 * kCols);
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.5f, 2.0f);
    for (float& v : host) v = normal(rng);
    for (float& v : params) v = normal(rng) * 0.5f;

    float *x = nullptr, *y = nullptr, *p = nullptr;
    const size_t set_bytes = kCount * sizeof(float);
    if (!ok(cudaMalloc(&x, set_bytes * kSets), "cudaMalloc x") || !ok(cudaMalloc(&y, set_bytes * kSets), "cudaMalloc y") ||
        !ok(cudaMalloc(&p, params.size() * sizeof(float)), "cudaMalloc params") ||
        !ok(cudaMemcpy(x, host.data(), set_bytes * kSets, cudaMemcpyHostToDevice), "upload x") ||
        !ok(cudaMemcpy(p, params.data(), params.size() * sizeof(float), cudaMemcpyHostToDevice), "upload params"))
        return 1;
    cudaStream_t stream;
    if (!ok(cudaStreamCreate(&stream), "cudaStreamCreate")) return 1;
    const float* gamma = p;
    const float* beta = p + kCols;

    try {
        const double fused = median_ms(
            [&](int s) {
                dsm::cuda::launch_layernorm(x + s * kCount, gamma, beta, y + s * kCount, kRows, kCols, 1e-5f, true,
                                            stream);
            },
            stream);
        const double unfused = median_ms(
            [&](int s) {
                dsm::cuda::launch_layernorm(x + s * kCount, gamma, beta, y + s * kCount, kRows, kCols, 1e-5f, false,
                                            stream);
                dsm::cuda::launch_gelu(y + s * kCount, y + s * kCount, kCount, stream);
            },
            stream);
        const double copy = median_ms(
            [&](int s) { cudaMemcpyAsync(y + s * kCount, x + s * kCount, set_bytes, cudaMemcpyDeviceToDevice, stream); },
            stream);
        if (!ok(cudaStreamSynchronize(stream), "benchmark runs")) return 1;

        // The two paths compute the same function: compare set 0 of each.
        std::vector<float> a(kCount), b(kCount);
        dsm::cuda::launch_layernorm(x, gamma, beta, y, kRows, kCols, 1e-5f, true, stream);
        if (!ok(cudaMemcpyAsync(a.data(), y, set_bytes, cudaMemcpyDeviceToHost, stream), "download fused")) return 1;
        dsm::cuda::launch_layernorm(x, gamma, beta, y, kRows, kCols, 1e-5f, false, stream);
        dsm::cuda::launch_gelu(y, y, kCount, stream);
        if (!ok(cudaMemcpyAsync(b.data(), y, set_bytes, cudaMemcpyDeviceToHost, stream), "download unfused") ||
            !ok(cudaStreamSynchronize(stream), "comparison runs"))
            return 1;
        double max_diff = 0.0;
        for (int64_t i = 0; i < kCount; ++i) max_diff = std::max(max_diff, std::fabs(double(a[i]) - double(b[i])));

        const double gib = 2.0 * set_bytes / (1024.0 * 1024.0 * 1024.0);  // one read + one write of the matrix
        std::printf("%-34s %10s %12s\n", "device-resident, 1024 x 4096 fp32", "median ms", "GiB/s (r+w)");
        std::printf("%-34s %10.4f %12.1f\n", "fused LayerNorm+GeLU", fused, gib / (fused / 1e3));
        std::printf("%-34s %10.4f %12.1f\n", "LayerNorm, then GeLU in place", unfused, 2.0 * gib / (unfused / 1e3));
        std::printf("%-34s %10.4f %12.1f\n", "device-to-device copy", copy, gib / (copy / 1e3));
        std::printf("fused speed-up over unfused: %.2fx; max |fused - unfused| = %.3g\n", unfused / fused, max_diff);
        if (!(max_diff <= 1e-5)) {
            std::fprintf(stderr, "cuda_device_bench: fused and unfused outputs differ by %.3g (> 1e-5)\n", max_diff);
            return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cuda_device_bench: %s\n", e.what());
        return 1;
    }
    cudaStreamDestroy(stream);
    cudaFree(x);
    cudaFree(y);
    cudaFree(p);
    return 0;
}
