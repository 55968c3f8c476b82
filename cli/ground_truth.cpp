#include "cli/ground_truth.h"

#include "base/input_file.h"
#include "sim/batch.h"

#include <algorithm>

namespace tracesim {

std::vector<std::filesystem::path> ground_truth_files() {
    std::vector<std::filesystem::path> files;
    std::error_code error; // no results/ folder: no ground truth (the caller says if it needs one)
    for (const auto& e : std::filesystem::directory_iterator(tracesim_home() / "results", error)) {
        const std::string name = e.path().filename().string();
        if (e.path().extension() == ".json" &&
            (name.starts_with("boot-") || name.starts_with("bpf-bench-boot-")))
            files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

Expected<GroundTruthRun> run_ground_truth(const Catalogue& catalogue,
                                          const std::vector<std::filesystem::path>& files,
                                          unsigned jobs) {
    std::vector<BootedTruth> truths;
    for (const std::filesystem::path& file : files) {
        auto text = read_input_file(file);
        if (!text) return text.take_error();
        auto json = parse_json(*text, file.string());
        if (!json) return json.take_error();
        auto pairs = read_booted_truth(*json, file.stem().string());
        if (!pairs) return pairs.take_error();
        truths.insert(truths.end(), pairs->begin(), pairs->end());
    }
    // The models as recorded, rerun: counts only (the ground truth compares no cycles).
    std::vector<RunRequest> requests;
    for (const BootedTruth& t : truths) {
        // A model the catalogue no longer has is named with the boot it came from.
        if (auto spec = catalogue.find_path(t.model.path, t.model.arch, t.model.kernel); !spec)
            return make_error("{}: the booted {} {} was compared with {}: {}", t.file,
                              t.booted.arch, t.booted.path, t.model.path, spec.error().message);
        RunRequest r{t.model.arch, t.model.path, t.model.kernel, t.model.handler,
                     std::max(1, t.model.calls)};
        r.timing = false;
        requests.push_back(std::move(r));
    }
    auto models = run_batch(catalogue, requests, jobs);
    if (!models) return models.take_error();
    GroundTruthRun run;
    for (size_t i = 0; i < truths.size(); ++i) {
        run.recorded.push_back(compare_with_truth(truths[i], truths[i].model));
        run.now.push_back(compare_with_truth(truths[i], models->records[i]));
    }
    return run;
}

} // namespace tracesim
