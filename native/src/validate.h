// Argument checks shared by the exported functions; each failure names the argument.
#ifndef DSM_VALIDATE_H
#define DSM_VALIDATE_H

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "error.h"

namespace dsm {

inline void require_not_null(const void* p, const char* name) {
    if (p == nullptr) throw_invalid(std::string(name) + " must not be null");
}

// Null is fine for an empty buffer (a managed empty span may have no address).
inline void require_buffer(const void* p, int64_t count, const char* name) {
    if (count > 0 && p == nullptr) throw_invalid(std::string(name) + " must not be null");
}

inline void require_non_negative(int64_t v, const char* name) {
    if (v < 0) throw_invalid(std::string(name) + " must be >= 0 (got " + std::to_string(v) + ")");
}

inline void require_positive(int64_t v, const char* name) {
    if (v < 1) throw_invalid(std::string(name) + " must be >= 1 (got " + std::to_string(v) + ")");
}

inline void require_range(int64_t v, int64_t lo, int64_t hi, const char* name) {
    if (v < lo || v > hi)
        throw_invalid(std::string(name) + " must be in " + std::to_string(lo) + ".." + std::to_string(hi) +
                      " (got " + std::to_string(v) + ")");
}

inline void require_eps(float eps, const char* name) {
    if (!std::isfinite(eps) || eps < 0.0f)
        throw_invalid(std::string(name) + " must be finite and >= 0 (got " + std::to_string(eps) + ")");
}

// a * b for sizes already known to be >= 0; rejects products that do not fit in memory.
inline int64_t checked_count(int64_t a, int64_t b, const char* what) {
    constexpr int64_t limit = std::numeric_limits<int64_t>::max() / 16;
    if (a != 0 && b > limit / a) throw_invalid(std::string(what) + " is too large");
    return a * b;
}

}  // namespace dsm

#endif
