// Scenario files (scenarios/*.toml, docs/scenarios.md): which arches, paths, eras, cores and
// handlers to compare, what to show, against which reference path, and the regression
// tolerances. Parsing is strict and checks everything against the catalogue and the core
// profiles before anything runs: an error names file:line and the valid choices.
#pragma once

#include "sim/catalogue.h"
#include "sim/report_spec.h"
#include "sim/runner.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tracesim {

struct KnownCore {
    std::string name;
    Arch arch;
};

struct Tolerance {
    double relative = 0; // fraction of the baseline value, e.g. 0.05
    double absolute = 0; // in the metric's own unit
};

struct Scenario {
    std::filesystem::path file;
    std::string name; // the file stem: "entry-probes"
    std::string title;
    std::string description;
    std::vector<Arch> arches;
    std::vector<std::string> cores;    // empty: the default core of each arch
    std::vector<std::string> handlers; // default {"read-all"}
    int calls = 1;
    std::vector<std::string> metrics;          // columns, in order
    std::string reference;                     // path deltas are computed against ("" = none)
    std::string chart_metric;                  // the SVG's metric (default: the first metric)
    ChartStack chart_stack = ChartStack::none; // chart = { stack = "phase" }: bars split by phase
    double clock_ghz = 0;                      // > 0: the hits_per_s_warm metric at this clock
    std::vector<std::pair<std::string, std::string>> ratios; // numerator, denominator paths
    std::map<std::string, Tolerance> tolerances;             // metric -> tolerance (cycles only)
    std::vector<RunRequest> requests;                        // the expanded matrix, in output order
};

// Metrics a scenario may show (per_call values; cycles ones once the timing model runs).
const std::vector<std::string>& scenario_metrics();

// The shipped core profiles' names and arches (isa/cores/*.toml), as load_scenario wants them.
Expected<std::vector<KnownCore>> known_cores();

Expected<Scenario> load_scenario(const std::filesystem::path& file, const Catalogue& catalogue,
                                 const std::vector<KnownCore>& cores);

} // namespace tracesim
