#include "thread_pool.h"

#include "cpu_count.h"

namespace dsm {

namespace {
thread_local bool t_in_task = false;
}  // namespace

ThreadPool& ThreadPool::instance() {
    static ThreadPool pool;
    return pool;
}

ThreadPool::ThreadPool() { start_workers(usable_cpus()); }

ThreadPool::~ThreadPool() { stop_workers(); }

void ThreadPool::set_threads(int32_t threads) {
    const int32_t n = threads == 0 ? usable_cpus() : threads;
    std::lock_guard<std::mutex> job(job_mutex_);
    if (n == threads_.load() && static_cast<int32_t>(workers_.size()) == n - 1) return;
    stop_workers();
    start_workers(n);
}

void ThreadPool::start_workers(int32_t threads) {
    uint64_t generation = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = false;
        generation = generation_;
    }
    workers_.reserve(static_cast<size_t>(threads - 1));
    // A worker starts from the generation of its creation, so a job posted before it first runs is not missed.
    for (int32_t i = 1; i < threads; ++i) workers_.emplace_back([this, generation] { worker_loop(generation); });
    threads_.store(threads);
}

void ThreadPool::stop_workers() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    threads_.store(1);
}

void ThreadPool::run(int64_t count, TaskFn fn, void* ctx) {
    if (count <= 0) return;
    std::unique_lock<std::mutex> job(job_mutex_, std::defer_lock);
    if (count == 1 || t_in_task || !job.try_lock() || workers_.empty()) {
        for (int64_t i = 0; i < count; ++i) fn(ctx, i);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        fn_ = fn;
        ctx_ = ctx;
        count_ = count;
        next_.store(0);
        error_ = nullptr;
        pending_ = static_cast<int32_t>(workers_.size());
        ++generation_;
    }
    wake_.notify_all();
    work();
    std::exception_ptr error;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return pending_ == 0; });
        error = error_;
        error_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
}

void ThreadPool::worker_loop(uint64_t seen) {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
        }
        work();
        std::lock_guard<std::mutex> lock(mutex_);
        if (--pending_ == 0) done_.notify_one();
    }
}

void ThreadPool::work() {
    t_in_task = true;
    for (;;) {
        const int64_t i = next_.fetch_add(1);
        if (i >= count_) break;
        try {
            fn_(ctx_, i);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = std::current_exception();
            next_.store(count_);  // the others stop taking tasks
        }
    }
    t_in_task = false;
}

}  // namespace dsm
