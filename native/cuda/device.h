// CUDA plumbing of libdeepseek_moe_cuda: every CUDA/cuBLAS status becomes a dsm::Error (so guard() turns
// it into DSM_DEVICE_ERROR or DSM_OUT_OF_MEMORY at the boundary), device buffers, and one stream + cuBLAS
// handle + scratch per host thread.
// Built and tested on a GPU machine by native/scripts/gpu-check.sh (the development machines have no GPU).
#ifndef DSM_CUDA_DEVICE_H
#define DSM_CUDA_DEVICE_H

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace dsm::cuda {

void check(cudaError_t status, const char* what);
void check(cublasStatus_t status, const char* what);

// An owning cudaMalloc allocation.
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(size_t bytes);
    ~DeviceBuffer();
    DeviceBuffer(DeviceBuffer&& other) noexcept;
    DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    template <class T>
    T* as() const {
        return static_cast<T*>(ptr_);
    }
    size_t size() const { return size_; }

private:
    void* ptr_ = nullptr;
    size_t size_ = 0;
};

// Copies host floats into a new device buffer (synchronously); null src gives an empty buffer.
DeviceBuffer upload_new(const float* src, int64_t count);

enum class DeviceSlot : int { In, Out, Idx, Weight, Order, Pos, Hidden, Gather, RoutedOut, SharedOut, Count };

class Context {
public:
    // The calling thread's context, created on first use.
    static Context& current();

    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    ~Context();

    cudaStream_t stream() const { return stream_; }
    cublasHandle_t blas() const { return blas_; }

    // A device buffer of at least `bytes` for this thread; contents are not kept when it grows.
    void* scratch(DeviceSlot slot, size_t bytes);
    template <class T>
    T* scratch_of(DeviceSlot slot, int64_t count) {
        return static_cast<T*>(scratch(slot, static_cast<size_t>(count) * sizeof(T)));
    }

    void upload(void* device, const void* host, size_t bytes);
    void download(void* host, const void* device, size_t bytes);
    // Waits for the stream and reports any error of the work queued on it.
    void synchronize();

private:
    Context();

    cudaStream_t stream_ = nullptr;
    cublasHandle_t blas_ = nullptr;
    DeviceBuffer scratch_[static_cast<int>(DeviceSlot::Count)];
};

}  // namespace dsm::cuda

#endif
