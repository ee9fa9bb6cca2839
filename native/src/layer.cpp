#include "layer.h"

#include <algorithm>
#include <cstring>

#include "scratch.h"
#include "thread_pool.h"

namespace dsm {

namespace {

// One piece of expert work: `count` rows starting at `first` of the dispatch order (or of x itself when
// order is null), written to `out`.
struct Task {
    const Expert* expert;
    const int32_t* order;
    int64_t first, count;
    float* out;
};

constexpr int64_t kCombineRowsPerTask = 64;

}  // namespace

Layer::Layer(std::vector<const Expert*> routed, std::vector<const Expert*> shared)
    : routed_(std::move(routed)), shared_(std::move(shared)) {
    const Expert* first = routed_.empty() ? shared_.front() : routed_.front();
    d_model_ = first->d_model();
    d_out_ = first->d_out();
}

void Layer::forward(const KernelTable& t, const float* x, int64_t rows, const int32_t* idx, const float* weight,
                    int32_t k, float* y) const {
    const int64_t experts = routed_count();
    const int64_t slots = rows * k;
    if (rows == 0) return;

    // Counting sort of the (row, slot) pairs by expert, rows ascending within an expert.
    int32_t* plan = scratch_of<int32_t>(Slot::LayerPlan, (experts + 1) + 2 * slots);
    int32_t* start = plan;              // [experts + 1]
    int32_t* order = start + experts + 1;  // [slots] row of each dispatch position
    int32_t* pos = order + slots;       // [slots] dispatch position of (row, slot)
    std::fill(start, start + experts + 1, 0);
    for (int64_t j = 0; j < slots; ++j) ++start[idx[j] + 1];
    for (int64_t e = 0; e < experts; ++e) start[e + 1] += start[e];
    {
        int32_t* cursor = scratch_of<int32_t>(Slot::Gather, experts);
        std::copy(start, start + experts, cursor);
        for (int64_t j = 0; j < slots; ++j) {
            const int32_t p = cursor[idx[j]]++;
            order[p] = static_cast<int32_t>(j / k);
            pos[j] = p;
        }
    }

    const int64_t shared = static_cast<int64_t>(shared_.size());
    float* routed_out = scratch_of<float>(Slot::LayerOut, (slots + shared * rows) * d_out_);
    float* shared_out = routed_out + slots * d_out_;

    std::vector<Task> tasks;
    tasks.reserve(static_cast<size_t>(experts + shared));
    for (int64_t e = 0; e < experts; ++e) {
        const int64_t n = start[e + 1] - start[e];
        if (n > 0) tasks.push_back({routed_[static_cast<size_t>(e)], order, start[e], n, routed_out + start[e] * d_out_});
    }
    for (int64_t s = 0; s < shared; ++s)
        tasks.push_back({shared_[static_cast<size_t>(s)], nullptr, 0, rows, shared_out + s * rows * d_out_});

    ThreadPool& pool = ThreadPool::instance();
    const int32_t threads = pool.threads();
    if (threads > 1) {
        // Largest first, and nothing larger than a thread's fair share, so the dynamic hand-out balances.
        int64_t total = 0;
        for (const Task& task : tasks) total += task.count;
        const int64_t limit = std::max<int64_t>(32, (total + threads - 1) / threads);
        std::vector<Task> split;
        for (const Task& task : tasks) {
            const int64_t pieces = (task.count + limit - 1) / limit;
            const int64_t size = (task.count + pieces - 1) / pieces;
            for (int64_t p = 0; p < task.count; p += size) {
                const int64_t n = std::min(size, task.count - p);
                split.push_back({task.expert, task.order, task.first + p, n, task.out + p * d_out_});
            }
        }
        std::stable_sort(split.begin(), split.end(), [](const Task& a, const Task& b) {
            return a.count * a.expert->d_hidden() > b.count * b.expert->d_hidden();
        });
        tasks.swap(split);
    }

    auto run = [&](int64_t i) {
        const Task& task = tasks[static_cast<size_t>(i)];
        const float* in = x + task.first * d_model_;
        if (task.order != nullptr) {
            float* gathered = scratch_of<float>(Slot::Gather, task.count * d_model_);
            for (int64_t j = 0; j < task.count; ++j)
                std::memcpy(gathered + j * d_model_, x + static_cast<int64_t>(task.order[task.first + j]) * d_model_,
                            static_cast<size_t>(d_model_) * sizeof(float));
            in = gathered;
        }
        task.expert->forward_serial(t, in, task.count, task.out);
    };
    pool.parallel_for(static_cast<int64_t>(tasks.size()), run);

    // Combine per row in slot order, then the shared experts: the same sums whatever the thread count.
    auto combine = [&](int64_t chunk) {
        const int64_t r1 = std::min(rows, (chunk + 1) * kCombineRowsPerTask);
        for (int64_t r = chunk * kCombineRowsPerTask; r < r1; ++r) {
            float* yr = y + r * d_out_;
            const int32_t* pr = pos + r * k;
            const float* wr = weight + r * k;
            t.scale(yr, wr[0], routed_out + static_cast<int64_t>(pr[0]) * d_out_, d_out_);
            for (int32_t i = 1; i < k; ++i) t.axpy(yr, wr[i], routed_out + static_cast<int64_t>(pr[i]) * d_out_, d_out_);
            for (int64_t s = 0; s < shared; ++s) t.add(yr, shared_out + (s * rows + r) * d_out_, d_out_);
        }
    };
    pool.parallel_for((rows + kCombineRowsPerTask - 1) / kCombineRowsPerTask, combine);
}

}  // namespace dsm
