#include <gtest/gtest.h>

#include <string>
#include <thread>

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
