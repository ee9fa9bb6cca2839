// A small fork-join pool: the caller takes part, workers sleep on a condition variable between jobs (no
// spinning: the same process runs ONNX Runtime and the .NET thread pool on few cores).
#ifndef DSM_THREAD_POOL_H
#define DSM_THREAD_POOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace dsm {

class ThreadPool {
public:
    static ThreadPool& instance();

    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;
    ~ThreadPool();

    // Total threads including the caller; 0 = one per CPU this process may use (usable_cpus).
    void set_threads(int32_t threads);
    int32_t threads() const { return threads_.load(std::memory_order_relaxed); }

    // Calls body(i) for every i in [0, count), tasks handed out in order. Runs on the calling thread alone
    // when nested inside a task or when another thread's job holds the pool. Rethrows the first exception.
    template <class Body>
    void parallel_for(int64_t count, Body&& body) {
        using Fn = std::remove_reference_t<Body>;
        run(count, [](void* ctx, int64_t i) { (*static_cast<Fn*>(ctx))(i); },
            const_cast<void*>(static_cast<const void*>(&body)));
    }

private:
    using TaskFn = void (*)(void*, int64_t);

    ThreadPool();
    void run(int64_t count, TaskFn fn, void* ctx);
    void start_workers(int32_t threads);
    void stop_workers();
    void worker_loop(uint64_t seen);
    void work();

    std::atomic<int32_t> threads_{1};
    std::vector<std::thread> workers_;
    std::mutex job_mutex_;  // one job at a time
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    uint64_t generation_ = 0;
    bool stop_ = false;
    int32_t pending_ = 0;  // workers not yet finished with the current job
    TaskFn fn_ = nullptr;
    void* ctx_ = nullptr;
    int64_t count_ = 0;
    std::atomic<int64_t> next_{0};
    std::exception_ptr error_;
};

}  // namespace dsm

#endif
