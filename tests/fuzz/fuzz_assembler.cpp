// Fuzz target: the assembler front end with include handling (a user's variant .S): the input
// is the source; it may .include the shipped macros (kernels/x86_64/) or itself.
#include "isa/assembler.h"
#include "sim/catalogue.h"
#include "tests/fuzz/fuzz_input.h"

#include <string_view>

using namespace tracesim;

int fuzz::assembler(const uint8_t* data, size_t size) {
    static const std::string macros = (tracesim_home() / "kernels" / "x86_64" / "macros").string();
    std::filesystem::path file = fuzz::as_file(data, size, "variant.S");
    std::string_view source(reinterpret_cast<const char*>(data), size);
    (void)assemble(Arch::x86_64, source, file.string(), {macros});
    return 0;
}
