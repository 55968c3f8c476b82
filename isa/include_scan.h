// Before LLVM MC sees a source, its `.include` / `.incbin` files are found and checked here, as MC
// would find them (the name as given, then each include directory): each must be a regular file
// of bounded size (MC would read /dev/zero forever), nesting is bounded and a file that
// includes itself is named (MC would recurse until memory runs out). A literal `.fill` / `.space`
// / `.skip` / `.zero` larger than an input may be is refused too (MC would allocate it).
#pragma once

#include "base/expected.h"

#include <string>
#include <string_view>
#include <vector>

namespace tracesim {

Expected<void> check_includes(std::string_view source, const std::string& file_name,
                              const std::vector<std::string>& include_dirs);

} // namespace tracesim
