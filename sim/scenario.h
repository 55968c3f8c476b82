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
    std::vector<Arch> arches;
    std::vector<std::string> cores;    // empty: the default core of each arch
    std::vector<std::string> handlers; // default {"read-all"}
    int calls = 1;
    // What its report shows: title, description, metrics (columns, in order), reference path,
    // chart = { metric, stack }, clock_ghz (hits_per_s_warm), ratios. Read from the file as is.
    ReportSpec report;
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
