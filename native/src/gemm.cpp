#include "gemm.h"

#include <algorithm>
#include <cstring>

#include "thread_pool.h"

namespace dsm {

int64_t packed_size(int64_t k, int64_t n) { return (n + kPanel - 1) / kPanel * kPanel * k; }

namespace {

void pack_panel(const float* b, int64_t ldb, int64_t k, int64_t n, int64_t panel, float* dst) {
    const int64_t col = panel * kPanel, w = std::min(kPanel, n - col);
    dst += panel * k * kPanel;
    for (int64_t p = 0; p < k; ++p) {
        float* d = dst + p * kPanel;
        std::memcpy(d, b + p * ldb + col, static_cast<size_t>(w) * sizeof(float));
        if (w < kPanel) std::memset(d + w, 0, static_cast<size_t>(kPanel - w) * sizeof(float));
    }
}

}  // namespace

void pack_b(const float* b, int64_t ldb, int64_t k, int64_t n, float* dst, bool parallel) {
    const int64_t panels = (n + kPanel - 1) / kPanel;
    if (parallel && k * n >= (int64_t{1} << 16)) {
        ThreadPool::instance().parallel_for(panels, [&](int64_t p) { pack_panel(b, ldb, k, n, p, dst); });
    } else {
        for (int64_t p = 0; p < panels; ++p) pack_panel(b, ldb, k, n, p, dst);
    }
}

PackedMatrix::PackedMatrix(const float* b, int64_t k, int64_t n) : k_(k), n_(n), data_(packed_size(k, n)) {
    pack_b(b, n, k, n, data_.data(), false);
}

namespace {

// Depths up to this run as one block: a B micro-panel of the whole depth (at most 512 KiB) stays in L2. Measured
// on the expert shapes (1024 x 2048 and back), one block beat blocks of kc at every row count from 1 to 1024:
// each B panel streams once from start to end and each C tile is stored once (1 row: 0.77 vs 0.97-1.2 ms,
// 8 rows: 0.88 vs 1.22-1.43 ms, 1024 rows: 50 vs 58 ms per expert, one thread).
constexpr int64_t kWholeDepth = 4096;

// One task: rows [m0, m0 + mc) and columns [n0, n0 + nc) over the whole depth, block by block in depth
// order. The depth blocks depend on k alone, so every C element sums its depth blocks in the same order
// wherever it is computed, whatever the rows, columns or threads of the call.
void gemm_task(const KernelTable& t, const GemmArgs& g, int64_t m0, int64_t mc, int64_t n0, int64_t nc) {
    const int64_t depth = g.depth > 0 ? g.depth : g.k <= kWholeDepth ? std::max(g.k, t.kc) : t.kc;
    float* packed = scratch_of<float>(Slot::PackA, (mc + t.mr) * std::min(depth, g.k));
    const float* b = g.b + (n0 / kPanel) * g.k * kPanel;
    for (int64_t p0 = 0; p0 < g.k; p0 += depth) {
        const int64_t kc = std::min(depth, g.k - p0);
        t.pack_a(g.a + m0 * g.lda + p0, g.lda, mc, kc, packed);
        GemmBlock block;
        block.a = packed;
        block.b = b + p0 * kPanel;
        block.b_panel_stride = g.k * kPanel;
        block.mc = mc;
        block.kc = kc;
        block.n = nc;
        block.c = g.c + m0 * g.ldc + n0;
        block.ldc = g.ldc;
        block.bias = g.bias != nullptr ? g.bias + n0 : nullptr;
        block.first = p0 == 0;
        block.accumulate = g.accumulate;
        t.gemm_block(block);
    }
}

void zero_depth(const GemmArgs& g) {
    for (int64_t i = 0; i < g.m; ++i) {
        float* c = g.c + i * g.ldc;
        for (int64_t j = 0; j < g.n; ++j) c[j] = (g.accumulate ? c[j] : 0.0f) + (g.bias ? g.bias[j] : 0.0f);
    }
}

}  // namespace

void gemm(const KernelTable& t, const GemmArgs& g, bool parallel) {
    if (g.m == 0 || g.n == 0) return;
    if (g.k == 0) {
        zero_depth(g);
        return;
    }
    const int64_t row_blocks = (g.m + t.mc - 1) / t.mc;
    const int64_t panels = (g.n + kPanel - 1) / kPanel;
    const int32_t threads = parallel ? ThreadPool::instance().threads() : 1;
    // Enough column slices that every thread gets work, when row blocks alone are too few; small problems
    // are not worth waking a thread for.
    const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k);
    // With threads, cut columns too until there are ~4 tasks per thread: blocks differ in size (the last row
    // block is short), and the dynamic hand-out evens that out only with enough tasks.
    int64_t slices = 1;
    if (threads > 1 && flops >= 4.0e6 && row_blocks < 4 * threads)
        slices = std::min<int64_t>(panels, (4 * threads + row_blocks - 1) / row_blocks);
    const int64_t panels_per_slice = (panels + slices - 1) / slices;
    slices = (panels + panels_per_slice - 1) / panels_per_slice;
    const int64_t tasks = row_blocks * slices;

    auto task = [&](int64_t i) {
        const int64_t rb = i / slices, s = i % slices;
        const int64_t m0 = rb * t.mc, n0 = s * panels_per_slice * kPanel;
        gemm_task(t, g, m0, std::min(t.mc, g.m - m0), n0, std::min(panels_per_slice * kPanel, g.n - n0));
    };
    if (threads > 1 && tasks > 1 && flops >= 4.0e6) {
        ThreadPool::instance().parallel_for(tasks, task);
    } else {
        for (int64_t i = 0; i < tasks; ++i) task(i);
    }
}

}  // namespace dsm
