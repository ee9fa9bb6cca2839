// How many CPUs this process may use, counted as .NET's Environment.ProcessorCount counts them: the CPUs of its
// affinity mask, capped by a cgroup CPU quota (a container's CPU limit). std::thread::hardware_concurrency counts
// every online CPU of the host, so a container limited to 2 CPUs on a 64-core host would start 64 threads.
// The parsers are inline so the tests can hold them to the cgroup file formats.
#ifndef DSM_CPU_COUNT_H
#define DSM_CPU_COUNT_H

#include <cstdint>
#include <cstdlib>
#include <string>

namespace dsm {

// CPUs granted by a quota of `quota` microseconds per `period`, rounded up; 0 when there is no quota (quota <= 0,
// as cgroup v1's -1) or the period is not positive.
inline int32_t cpus_of_quota(int64_t quota, int64_t period) {
    if (quota <= 0 || period <= 0) return 0;
    const int64_t cpus = (quota + period - 1) / period;
    return cpus > INT32_MAX ? INT32_MAX : static_cast<int32_t>(cpus);
}

// The CPUs of a cgroup v2 `cpu.max` file ("max 100000" or "<quota> <period>"); 0 when unlimited or unreadable.
inline int32_t cpus_of_cpu_max(const std::string& text) {
    const char* s = text.c_str();
    char* end = nullptr;
    const long long quota = std::strtoll(s, &end, 10);
    if (end == s) return 0;  // "max", or nothing
    const char* rest = end;
    const long long period = std::strtoll(rest, &end, 10);
    if (end == rest) return 0;
    return cpus_of_quota(quota, period);
}

// The CPUs this process may use now (at least 1).
int32_t usable_cpus();

}  // namespace dsm

#endif
