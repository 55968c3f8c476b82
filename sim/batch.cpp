#include "sim/batch.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

namespace tracesim {

Expected<Results> run_batch(const Catalogue& catalogue, const std::vector<RunRequest>& requests,
                            unsigned jobs, const Progress& progress) {
    std::vector<std::optional<Expected<Record>>> outcomes(requests.size());
    std::atomic<size_t> next{0}, done{0};
    std::mutex progress_lock;
    auto worker = [&] {
        for (size_t i = next++; i < requests.size(); i = next++) {
            outcomes[i].emplace(run_path(catalogue, requests[i]));
            size_t finished = ++done;
            if (progress) {
                std::lock_guard<std::mutex> lock(progress_lock);
                progress(finished, requests.size());
            }
        }
    };
    jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(requests.size())));
    std::vector<std::thread> threads;
    for (unsigned j = 1; j < jobs; ++j)
        threads.emplace_back(worker);
    worker();
    for (std::thread& t : threads)
        t.join();

    Results results;
    for (std::optional<Expected<Record>>& outcome : outcomes) {
        if (!*outcome) return outcome->take_error();
        results.records.push_back(std::move(**outcome));
    }
    return results;
}

} // namespace tracesim
