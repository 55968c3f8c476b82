// Shared test helpers: the catalogue of this source tree and small-program builders.
#pragma once

#include "isa/assembler.h"
#include "sim/catalogue.h"
#include "sim/image.h"

#include <doctest/doctest.h>
#include <string>

namespace tracesim::test {

inline const Catalogue& catalogue() {
    static const Catalogue c = [] {
        auto loaded = load_catalogue(tracesim_home() / "kernels");
        REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.error().message));
        return *loaded;
    }();
    return c;
}

// Assembles and links one source as a complete program (it defines its own driver symbols).
inline Expected<Image> build_program(Arch arch, const std::string& source) {
    auto object = assemble(arch, source, "test.S");
    if (!object) return object.take_error();
    std::vector<ObjectFile> objects{*object};
    return link(arch, objects, {});
}

} // namespace tracesim::test
