#include "cpu.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "cpu_count.h"

#include "deepseek_moe.h"
#include "error.h"

namespace dsm {

namespace {

std::atomic<int32_t> g_path{static_cast<int32_t>(KernelPath::Detect)};

int32_t detect() {
    __builtin_cpu_init();
    int32_t bits = 0;
    // __builtin_cpu_supports also checks that the OS saves the YMM/ZMM state (XGETBV).
    if (__builtin_cpu_supports("avx2")) bits |= DSM_CPU_AVX2;
    if (__builtin_cpu_supports("fma")) bits |= DSM_CPU_FMA;
    if (__builtin_cpu_supports("avx512f")) bits |= DSM_CPU_AVX512F;
    return bits;
}

bool has(int32_t bits) { return (cpu_features() & bits) == bits; }

// The tighter of two CPU limits, 0 meaning none.
int32_t tighter(int32_t a, int32_t b) { return a <= 0 ? b : b <= 0 ? a : std::min(a, b); }

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return in ? text.str() : std::string();
}

// The smallest quota set on the cgroup `path` or an ancestor of it (a limit anywhere above applies too), read
// through `quota_of` under `mount`; 0 when none is set.
template <class QuotaOf>
int32_t smallest_quota(const std::string& mount, std::string path, QuotaOf quota_of) {
    int32_t best = 0;
    while (true) {
        best = tighter(best, quota_of(mount + (path == "/" ? "" : path)));
        if (path.empty() || path == "/") return best;
        const size_t slash = path.find_last_of('/');
        path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
    }
}

// The CPU quota of this process's cgroup, v2 or v1's cpu controller (a hybrid system lists both); 0 when none.
// Inside a container its own cgroup is the mount's root, where the walk up ends.
int32_t cgroup_cpus() {
    std::istringstream lines(read_file("/proc/self/cgroup"));
    std::string line;
    int32_t best = 0;
    while (std::getline(lines, line)) {
        // "hierarchy-id:controllers:path"; v2 is "0::path", v1 names its controllers ("4:cpu,cpuacct:/path").
        const size_t a = line.find(':'), b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        const std::string controllers = "," + line.substr(a + 1, b - a - 1) + ",";
        const std::string path = line.substr(b + 1);
        int32_t cpus = 0;
        if (controllers == ",,") {
            cpus = smallest_quota("/sys/fs/cgroup", path,
                                  [](const std::string& dir) { return cpus_of_cpu_max(read_file(dir + "/cpu.max")); });
        } else if (controllers.find(",cpu,") != std::string::npos) {
            cpus = smallest_quota("/sys/fs/cgroup/cpu", path, [](const std::string& dir) {
                const std::string quota = read_file(dir + "/cpu.cfs_quota_us");
                const std::string period = read_file(dir + "/cpu.cfs_period_us");
                if (quota.empty() || period.empty()) return 0;
                return cpus_of_quota(std::atoll(quota.c_str()), std::atoll(period.c_str()));
            });
        }
        best = tighter(best, cpus);
    }
    return best;
}

}  // namespace

int32_t cpu_features() {
    static const int32_t bits = detect();
    return bits;
}

int32_t usable_cpus() {
    cpu_set_t mask;
    int32_t cpus = sched_getaffinity(0, sizeof(mask), &mask) == 0 ? CPU_COUNT(&mask) : 0;
    if (cpus <= 0) cpus = static_cast<int32_t>(std::thread::hardware_concurrency());
    return std::max(tighter(cpus, cgroup_cpus()), 1);
}

void set_kernel_path(int32_t path) {
    switch (static_cast<KernelPath>(path)) {
        case KernelPath::Detect:
        case KernelPath::Scalar:
            break;
        case KernelPath::Avx2:
            if (!has(DSM_CPU_AVX2 | DSM_CPU_FMA)) throw Error(DSM_UNSUPPORTED, "this CPU lacks AVX2/FMA");
            break;
        default:
            throw_invalid("path must be 0 (detect), 1 (scalar) or 2 (AVX2/FMA) (got " + std::to_string(path) + ")");
    }
    g_path.store(path, std::memory_order_relaxed);
}

const KernelTable& kernels() {
    switch (static_cast<KernelPath>(g_path.load(std::memory_order_relaxed))) {
        case KernelPath::Scalar:
            return kScalarKernels;
        case KernelPath::Avx2:
            return kAvx2Kernels;
        default:
            if (has(DSM_CPU_AVX512F | DSM_CPU_AVX2 | DSM_CPU_FMA)) return kAvx512Kernels;
            if (has(DSM_CPU_AVX2 | DSM_CPU_FMA)) return kAvx2Kernels;
            return kScalarKernels;
    }
}

}  // namespace dsm
