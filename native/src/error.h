// Failures inside the library are C++ exceptions; guard() turns each into a dsm_status and the calling
// thread's last-error message at the C boundary, so nothing crosses it.
#ifndef DSM_ERROR_H
#define DSM_ERROR_H

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "deepseek_moe.h"

namespace dsm {

class Error : public std::runtime_error {
public:
    Error(dsm_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    dsm_status status() const noexcept { return status_; }

private:
    dsm_status status_;
};

[[noreturn]] void throw_invalid(const std::string& message);

void set_last_error(const char* function, const char* message) noexcept;
const char* last_error() noexcept;

// Runs body; maps every exception to a status and records "<function>: <message>" for dsm_last_error.
template <class Body>
int32_t guard(const char* function, Body&& body) noexcept {
    try {
        body();
        return DSM_OK;
    } catch (const Error& e) {
        set_last_error(function, e.what());
        return e.status();
    } catch (const std::bad_alloc&) {
        set_last_error(function, "out of memory");
        return DSM_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_last_error(function, e.what());
        return DSM_INTERNAL;
    } catch (...) {
        set_last_error(function, "unknown internal error");
        return DSM_INTERNAL;
    }
}

}  // namespace dsm

#endif
