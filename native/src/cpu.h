// CPU feature detection and the choice of kernel table (dsm_set_kernel_path).
#ifndef DSM_CPU_H
#define DSM_CPU_H

#include <cstdint>

#include "kernel_table.h"

namespace dsm {

enum class KernelPath : int32_t { Detect = 0, Scalar = 1, Avx2 = 2 };

int32_t cpu_features();
// Throws Error: INVALID_ARGUMENT for an unknown path, UNSUPPORTED when the CPU lacks AVX2/FMA.
void set_kernel_path(int32_t path);
// The kernels to use now: Detect picks AVX-512F when present, else AVX2/FMA, else scalar.
const KernelTable& kernels();

}  // namespace dsm

#endif
