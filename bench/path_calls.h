// Bench helper: runs one (path, handler) as the runner does - the site patched, the machine
// reset to the same call state before every call, traps delivered - with whatever listeners a
// measurement attaches (none, the counters, the trace recorder).
#pragma once

#include "sim/catalogue.h"
#include "sim/harness.h"
#include "sim/machine.h"
#include "sim/trap.h"

#include <memory>
#include <optional>

namespace tracesim::bench {

class PathCalls {
  public:
    static Expected<std::unique_ptr<PathCalls>>
    create(const Catalogue& catalogue, const PathSpec& path, const HandlerSpec& handler);
    Machine& machine() { return *machine_; }
    const Image& image() const { return image_; }
    // Runs `calls` calls; returns the instructions they executed.
    Expected<uint64_t> run(int calls, uint64_t budget = 100'000);

  private:
    PathCalls() = default;
    Image image_;
    std::unique_ptr<Machine> machine_;
    TrapDelivery traps_;
    std::optional<Harness> harness_;
};

} // namespace tracesim::bench
