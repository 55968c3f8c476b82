#include "path_calls.h"

#include "sim/runner.h"

namespace tracesim::bench {

Expected<std::unique_ptr<PathCalls>>
PathCalls::create(const Catalogue& catalogue, const PathSpec& path, const HandlerSpec& handler) {
    auto image = build_image(catalogue, path, handler);
    if (!image) return image.take_error();
    std::unique_ptr<PathCalls> p(new PathCalls());
    p->image_ = std::move(*image);
    if (!path.site.empty()) {
        auto site = p->image_.phase_range(path.site_at);
        if (!site) return make_error("path {}: no site label {}", path.name, path.site_at);
        auto patched =
            p->image_.patch(site->first, site->second - site->first, path.site, "bench site patch");
        if (!patched) return patched.take_error();
    }
    auto machine = Machine::create(p->image_);
    if (!machine) return machine.take_error();
    p->machine_ = std::move(*machine);
    p->machine_->set_trap_handler(&p->traps_);
    auto harness = Harness::of(p->image_, p->machine_->isa(), false);
    if (!harness) return harness.take_error();
    p->harness_ = std::move(*harness);
    return p;
}

Expected<uint64_t> PathCalls::run(int calls, uint64_t budget) {
    Machine& m = *machine_;
    uint64_t executed = 0;
    for (int call = 0; call < calls; ++call) {
        if (auto ok = harness_->call(m, budget); !ok) return ok.take_error();
        executed += m.instructions_executed(); // counted per run
    }
    return executed;
}

} // namespace tracesim::bench
