#include "scratch.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace dsm {

namespace {

void* aligned_bytes(size_t bytes) {
    const size_t rounded = (bytes + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

struct Arena {
    void* data[static_cast<int>(Slot::Count)] = {};
    size_t size[static_cast<int>(Slot::Count)] = {};
    ~Arena() {
        for (void* p : data) std::free(p);
    }
};

thread_local Arena t_arena;

}  // namespace

void FreeDeleter::operator()(void* p) const noexcept { std::free(p); }

void* scratch(Slot slot, size_t bytes) {
    const int i = static_cast<int>(slot);
    if (t_arena.size[i] < bytes) {
        std::free(t_arena.data[i]);
        t_arena.data[i] = nullptr;
        t_arena.size[i] = 0;
        // Grow by half again so a slowly growing batch does not reallocate every call.
        const size_t want = bytes + bytes / 2;
        t_arena.data[i] = aligned_bytes(want);
        t_arena.size[i] = want;
    }
    return t_arena.data[i];
}

AlignedFloats::AlignedFloats(int64_t count) : size_(count) {
    const size_t bytes = static_cast<size_t>(count) * sizeof(float);
    data_.reset(static_cast<float*>(aligned_bytes(bytes)));
    std::memset(data_.get(), 0, bytes);
}

}  // namespace dsm
