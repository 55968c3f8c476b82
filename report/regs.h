// Register-truth renderers: one path in detail, or the fields x paths matrix (report/regs.cpp).
#pragma once

#include "report/render.h"

namespace tracesim {

std::string render_regs(const Results& results, Format format);
std::string render_regs_matrix(const Results& results, Format format);

} // namespace tracesim
