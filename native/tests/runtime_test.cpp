#include <gtest/gtest.h>
#include <sched.h>

#include <string>
#include <thread>

#include "cpu_count.h"
#include "reference.h"

namespace {

using RuntimeTest = ref::KernelState;

TEST_F(RuntimeTest, AbiVersion_MatchesHeader) { EXPECT_EQ(DSM_ABI_VERSION, dsm_abi_version()); }

#ifndef DSM_TEST_CUDA
TEST_F(RuntimeTest, SetKernelPath_Avx2_SucceedsExactlyWhenCpuHasAvx2AndFma) {
    const int32_t f = dsm_cpu_features();
    const bool avx2 = (f & DSM_CPU_AVX2) && (f & DSM_CPU_FMA);
    EXPECT_EQ(avx2 ? DSM_OK : DSM_UNSUPPORTED, dsm_set_kernel_path(2));
    EXPECT_EQ(DSM_OK, dsm_set_kernel_path(1));
    EXPECT_EQ(DSM_OK, dsm_set_kernel_path(0));
}
#endif

TEST_F(RuntimeTest, SetKernelPath_Unknown_InvalidArgumentNamingPath) {
    EXPECT_EQ(DSM_INVALID_ARGUMENT, dsm_set_kernel_path(7));
    EXPECT_NE(std::string::npos, std::string(dsm_last_error()).find("path"));
}

TEST_F(RuntimeTest, SetNumThreads_Negative_InvalidArgument) {
    EXPECT_EQ(DSM_INVALID_ARGUMENT, dsm_set_num_threads(-1));
    EXPECT_NE(std::string::npos, std::string(dsm_last_error()).find("threads"));
    EXPECT_EQ(DSM_OK, dsm_set_num_threads(1));
    EXPECT_EQ(DSM_OK, dsm_set_num_threads(3));
    EXPECT_EQ(DSM_OK, dsm_set_num_threads(0));
}

#ifndef DSM_TEST_CUDA
TEST_F(RuntimeTest, GetNumThreads_ReportsWhatWasSet) {
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(3));
    EXPECT_EQ(3, dsm_get_num_threads());
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(1));
    EXPECT_EQ(1, dsm_get_num_threads());
    ASSERT_EQ(DSM_INVALID_ARGUMENT, dsm_set_num_threads(-1));
    EXPECT_EQ(1, dsm_get_num_threads());  // a rejected count changes nothing
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(0));
}

// 0 means one thread per CPU the caller may run on, not per CPU of the machine: pinned to one CPU, one thread.
TEST_F(RuntimeTest, DefaultThreads_FollowTheAffinityMask) {
    cpu_set_t allowed;
    ASSERT_EQ(0, sched_getaffinity(0, sizeof(allowed), &allowed));
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(0));
    const int32_t all = dsm_get_num_threads();
    EXPECT_GE(all, 1);
    EXPECT_LE(all, CPU_COUNT(&allowed));

    int first = 0;
    while (!CPU_ISSET(first, &allowed)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
    const int32_t set = dsm_set_num_threads(0);
    const int32_t pinned = dsm_get_num_threads();
    ASSERT_EQ(0, sched_setaffinity(0, sizeof(allowed), &allowed));
    EXPECT_EQ(DSM_OK, set);
    EXPECT_EQ(1, pinned);

    ASSERT_EQ(DSM_OK, dsm_set_num_threads(0));
    EXPECT_EQ(all, dsm_get_num_threads());
}

// The cgroup files as the kernel writes them: v2 "cpu.max", v1 quota and period (-1: no quota).
TEST(CpuCount, CgroupQuotas_RoundUpToWholeCpus) {
    EXPECT_EQ(0, dsm::cpus_of_cpu_max("max 100000\n"));
    EXPECT_EQ(2, dsm::cpus_of_cpu_max("200000 100000\n"));
    EXPECT_EQ(2, dsm::cpus_of_cpu_max("150000 100000"));
    EXPECT_EQ(1, dsm::cpus_of_cpu_max("50000 100000\n"));
    EXPECT_EQ(0, dsm::cpus_of_cpu_max(""));
    EXPECT_EQ(0, dsm::cpus_of_cpu_max("200000"));
    EXPECT_EQ(0, dsm::cpus_of_quota(-1, 100000));
    EXPECT_EQ(4, dsm::cpus_of_quota(400000, 100000));
    EXPECT_EQ(0, dsm::cpus_of_quota(100000, 0));
}
#else
TEST_F(RuntimeTest, GetNumThreads_IsOneOnTheCudaLibrary) {
    ASSERT_EQ(DSM_OK, dsm_set_num_threads(4));
    EXPECT_EQ(1, dsm_get_num_threads());
}
#endif

TEST_F(RuntimeTest, LastError_KeptUntilNextFailureAndPerThread) {
    ASSERT_EQ(DSM_INVALID_ARGUMENT, dsm_gelu_f32(nullptr, nullptr, -1));
    const std::string first = dsm_last_error();
    EXPECT_NE(std::string::npos, first.find("dsm_gelu_f32")) << first;
    EXPECT_NE(std::string::npos, first.find("count")) << first;

    float v = 1.0f;
    ASSERT_EQ(DSM_OK, dsm_gelu_f32(&v, &v, 1));
    EXPECT_EQ(first, dsm_last_error());

    std::string other = "unset";
    std::thread([&] { other = dsm_last_error(); }).join();
    EXPECT_EQ("", other);

    ASSERT_EQ(DSM_INVALID_ARGUMENT, dsm_set_num_threads(-5));
    EXPECT_NE(first, dsm_last_error());
}

}  // namespace
