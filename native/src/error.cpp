#include "error.h"

#include <cstring>

namespace dsm {

namespace {
thread_local std::string t_last_error;
// Used when the message itself cannot be allocated.
thread_local const char* t_fallback = nullptr;
}  // namespace

void throw_invalid(const std::string& message) { throw Error(DSM_INVALID_ARGUMENT, message); }

void set_last_error(const char* function, const char* message) noexcept {
    try {
        t_last_error.assign(function);
        t_last_error.append(": ");
        t_last_error.append(message);
        t_fallback = nullptr;
    } catch (...) {
        t_fallback = "out of memory while recording an error";
    }
}

const char* last_error() noexcept { return t_fallback != nullptr ? t_fallback : t_last_error.c_str(); }

}  // namespace dsm
