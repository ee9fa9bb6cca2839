#include "layer.h"

#include <algorithm>

#include "kernels.h"

namespace dsm::cuda {

Layer::Layer(std::vector<const Expert*> routed, std::vector<const Expert*> shared)
    : routed_(std::move(routed)), shared_(std::move(shared)) {
    d_model_ = routed_.front()->d_model();
    d_out_ = routed_.front()->d_out();
}

void Layer::forward(const float* x, int64_t rows, const int32_t* idx, const float* weight, int32_t k,
                    float* y) const {
    if (rows == 0) return;
    const int64_t experts = routed_count(), slots = rows * k, shared = static_cast<int64_t>(shared_.size());

    std::vector<int32_t> start(static_cast<size_t>(experts + 1), 0), order(static_cast<size_t>(slots)),
        pos(static_cast<size_t>(slots));
    for (int64_t j = 0; j < slots; ++j) ++start[static_cast<size_t>(idx[j] + 1)];
    for (int64_t e = 0; e < experts; ++e) start[static_cast<size_t>(e + 1)] += start[static_cast<size_t>(e)];
    std::vector<int32_t> cursor(start.begin(), start.end() - 1);
    for (int64_t j = 0; j < slots; ++j) {
        const int32_t p = cursor[static_cast<size_t>(idx[j])]++;
        order[static_cast<size_t>(p)] = static_cast<int32_t>(j / k);
        pos[static_cast<size_t>(j)] = p;
    }
    int64_t largest = 0;
    for (int64_t e = 0; e < experts; ++e)
        largest = std::max<int64_t>(largest, start[static_cast<size_t>(e + 1)] - start[static_cast<size_t>(e)]);

    Context& ctx = Context::current();
    const cudaStream_t s = ctx.stream();
    float* x_dev = ctx.scratch_of<float>(DeviceSlot::In, rows * d_model_);
    float* y_dev = ctx.scratch_of<float>(DeviceSlot::Out, rows * d_out_);
    float* w_dev = ctx.scratch_of<float>(DeviceSlot::Weight, slots);
    int32_t* order_dev = ctx.scratch_of<int32_t>(DeviceSlot::Order, slots);
    int32_t* pos_dev = ctx.scratch_of<int32_t>(DeviceSlot::Pos, slots);
    float* gathered = ctx.scratch_of<float>(DeviceSlot::Gather, largest * d_model_);
    float* routed_out = ctx.scratch_of<float>(DeviceSlot::RoutedOut, slots * d_out_);
    float* shared_out = ctx.scratch_of<float>(DeviceSlot::SharedOut, std::max<int64_t>(1, shared * rows * d_out_));

    ctx.upload(x_dev, x, static_cast<size_t>(rows * d_model_) * sizeof(float));
    ctx.upload(w_dev, weight, static_cast<size_t>(slots) * sizeof(float));
    ctx.upload(order_dev, order.data(), static_cast<size_t>(slots) * sizeof(int32_t));
    ctx.upload(pos_dev, pos.data(), static_cast<size_t>(slots) * sizeof(int32_t));

    for (int64_t e = 0; e < experts; ++e) {
        const int64_t first = start[static_cast<size_t>(e)], n = start[static_cast<size_t>(e + 1)] - first;
        if (n == 0) continue;
        launch_gather(x_dev, order_dev + first, gathered, n, d_model_, s);
        routed_[static_cast<size_t>(e)]->forward(ctx, gathered, n, routed_out + first * d_out_);
    }
    for (int64_t i = 0; i < shared; ++i) shared_[static_cast<size_t>(i)]->forward(ctx, x_dev, rows, shared_out + i * rows * d_out_);
    launch_combine(routed_out, pos_dev, w_dev, k, shared_out, shared, y_dev, rows, d_out_, s);
    ctx.download(y, y_dev, static_cast<size_t>(rows * d_out_) * sizeof(float));
    ctx.synchronize();
}

}  // namespace dsm::cuda
