// Per-thread scratch buffers that grow and are reused across calls (no allocation per row or per call once
// warm), and an owning aligned buffer for weights.
#ifndef DSM_SCRATCH_H
#define DSM_SCRATCH_H

#include <cstddef>
#include <cstdint>
#include <memory>

namespace dsm {

// One slot per nesting level, so a caller's buffer is never handed to its callee.
enum class Slot : int { PackA, PackB, Hidden, Gather, LayerPlan, LayerOut, Count };

// 64-byte aligned, at least `bytes` long, owned by the calling thread; contents are not preserved on growth.
void* scratch(Slot slot, size_t bytes);

template <class T>
T* scratch_of(Slot slot, int64_t count) {
    return static_cast<T*>(scratch(slot, static_cast<size_t>(count) * sizeof(T)));
}

struct FreeDeleter {
    void operator()(void* p) const noexcept;
};

// A 64-byte aligned float array.
class AlignedFloats {
public:
    AlignedFloats() = default;
    explicit AlignedFloats(int64_t count);  // zero-filled
    float* data() { return data_.get(); }
    const float* data() const { return data_.get(); }
    int64_t size() const { return size_; }

private:
    std::unique_ptr<float, FreeDeleter> data_;
    int64_t size_ = 0;
};

}  // namespace dsm

#endif
