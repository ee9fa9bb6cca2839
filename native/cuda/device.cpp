#include "device.h"

#include <string>
#include <utility>

#include "error.h"

namespace dsm::cuda {

void check(cudaError_t status, const char* what) {
    if (status == cudaSuccess) return;
    cudaGetLastError();  // clear a non-sticky error so the next call starts clean
    const dsm_status code = status == cudaErrorMemoryAllocation ? DSM_OUT_OF_MEMORY : DSM_DEVICE_ERROR;
    throw Error(code, std::string(what) + ": " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")");
}

void check(cublasStatus_t status, const char* what) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    const dsm_status code = status == CUBLAS_STATUS_ALLOC_FAILED ? DSM_OUT_OF_MEMORY : DSM_DEVICE_ERROR;
    throw Error(code, std::string(what) + ": cuBLAS status " + std::to_string(static_cast<int>(status)));
}

DeviceBuffer::DeviceBuffer(size_t bytes) : size_(bytes) {
    if (bytes > 0) check(cudaMalloc(&ptr_, bytes), "cudaMalloc");
}

DeviceBuffer::~DeviceBuffer() {
    if (ptr_ != nullptr) cudaFree(ptr_);  // errors here cannot be reported; the memory is gone either way
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& other) noexcept
    : ptr_(std::exchange(other.ptr_, nullptr)), size_(std::exchange(other.size_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
        if (ptr_ != nullptr) cudaFree(ptr_);
        ptr_ = std::exchange(other.ptr_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

DeviceBuffer upload_new(const float* src, int64_t count) {
    if (src == nullptr || count == 0) return DeviceBuffer();
    DeviceBuffer buffer(static_cast<size_t>(count) * sizeof(float));
    check(cudaMemcpy(buffer.as<float>(), src, buffer.size(), cudaMemcpyHostToDevice), "cudaMemcpy (weights)");
    return buffer;
}

Context& Context::current() {
    thread_local Context context;
    return context;
}

Context::Context() {
    check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
    check(cublasCreate(&blas_), "cublasCreate");
    check(cublasSetStream(blas_, stream_), "cublasSetStream");
    // Plain fp32 (no TF32), so results match the CPU library within fp32 rounding.
    check(cublasSetMathMode(blas_, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
}

Context::~Context() {
    for (auto& s : scratch_) s = DeviceBuffer();
    if (blas_ != nullptr) cublasDestroy(blas_);
    if (stream_ != nullptr) cudaStreamDestroy(stream_);
}

void* Context::scratch(DeviceSlot slot, size_t bytes) {
    DeviceBuffer& b = scratch_[static_cast<int>(slot)];
    if (b.size() < bytes) {
        // Work already queued may still read the old buffer.
        synchronize();
        b = DeviceBuffer();
        b = DeviceBuffer(bytes + bytes / 2);
    }
    return b.as<void>();
}

void Context::upload(void* device, const void* host, size_t bytes) {
    if (bytes > 0) check(cudaMemcpyAsync(device, host, bytes, cudaMemcpyHostToDevice, stream_), "cudaMemcpyAsync (upload)");
}

void Context::download(void* host, const void* device, size_t bytes) {
    if (bytes > 0)
        check(cudaMemcpyAsync(host, device, bytes, cudaMemcpyDeviceToHost, stream_), "cudaMemcpyAsync (download)");
}

void Context::synchronize() {
    check(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
    check(cudaGetLastError(), "kernel");
}

}  // namespace dsm::cuda
