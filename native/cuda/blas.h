// Row-major SGEMM on cuBLAS (which is column-major): C = A B is computed as C^T = B^T A^T.
#ifndef DSM_CUDA_BLAS_H
#define DSM_CUDA_BLAS_H

#include <cublas_v2.h>

#include <cstdint>

namespace dsm::cuda {

// C[m, n] = A[m, k] B[k, n] + beta C, device pointers, row strides lda/ldb/ldc; beta is 0 or 1.
void sgemm(cublasHandle_t handle, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
           int64_t ldb, float* c, int64_t ldc, float beta);

}  // namespace dsm::cuda

#endif
