// The view of `tracesim kernel`: where the image runs, then each path's phases modeled next to
// the image's own trampolines (text or Markdown); the JSON form is the results' own.
#pragma once

#include "sim/vmlinux/compare.h"

#include <string>

namespace tracesim {

std::string render_vmlinux_comparison(const VmlinuxComparison& comparison, bool markdown);

} // namespace tracesim
