// `tracesim kernel`'s run: each path modeled and run on a built kernel's own trampolines, at the
// same addresses and timing inputs, as one result the views render (report/vmlinux.h).
#pragma once

#include "sim/results.h"
#include "sim/vmlinux/vmlinux.h"

#include <string>
#include <vector>

namespace tracesim {

struct VmlinuxCompareRequest {
    Arch arch;
    std::vector<std::string> paths; // empty: every path of the arch (not `none`)
    std::string kernel;             // the modeled era; "" = the image's release, else newest
    std::string handler = "read-all";
    std::string core;
    std::string image_argument; // the image as the user named it (records' `models`)
};

struct VmlinuxPathComparison {
    Arch arch;
    std::string path;
    // Not run: no model at the era (`not_run`), or the image cannot run it (`unsupported`).
    std::string not_run, unsupported;
    bool compared = false; // model and real hold the two runs
    Record model;
    Record real;      // also when unsupported: the image's record, with the reason
    std::string note; // what differs between the kernel's ABI and the model's ("" = nothing)
};

struct VmlinuxComparison {
    std::string image_name, release; // the image's file name; "" = release unknown
    uint64_t displacement = 0;
    bool relocatable = false;
    size_t relocations_applied = 0, relocations_skipped = 0;
    std::vector<VmlinuxPathComparison> paths;

    // Every record, for the JSON view: per path compared, the model's then the image's; per
    // path the image cannot run, the image's with the reason.
    Results results() const;
};

// A named path's failure is an error; with every path, one path's failure is its record's reason.
Expected<VmlinuxComparison> compare_with_vmlinux(const Catalogue& catalogue, const Vmlinux& kernel,
                                                 const VmlinuxCompareRequest& request);

} // namespace tracesim
