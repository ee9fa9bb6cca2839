#include "blas.h"

#include <climits>

#include "device.h"
#include "error.h"

namespace dsm::cuda {

namespace {
int as_int(int64_t v, const char* what) {
    if (v > INT_MAX) throw Error(DSM_UNSUPPORTED, std::string(what) + " exceeds what cuBLAS (32-bit sizes) accepts");
    return static_cast<int>(v);
}
}  // namespace

void sgemm(cublasHandle_t handle, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
           int64_t ldb, float* c, int64_t ldc, float beta) {
    if (m == 0 || n == 0) return;
    const float alpha = 1.0f;
    // With k == 0 cuBLAS still scales C by beta, which is what C = (empty sum) + beta C asks for.
    check(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, as_int(n, "n"), as_int(m, "m"), as_int(k, "k"), &alpha, b,
                      as_int(ldb < 1 ? 1 : ldb, "ldb"), a, as_int(lda < 1 ? 1 : lda, "lda"), &beta, c,
                      as_int(ldc, "ldc")),
          "cublasSgemm");
}

}  // namespace dsm::cuda
