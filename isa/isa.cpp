#include "isa.h"

#include "arch_behaviour.h"

#include <cctype>
#include <fmt/format.h>

namespace tracesim {

const Isa& x86_64_isa();
const Isa& arm64_isa();

const ArchBehaviour& x86_64_behaviour();
const ArchBehaviour& arm64_behaviour();

const Isa& isa_for(Arch arch) {
    return arch == Arch::x86_64 ? x86_64_isa() : arm64_isa();
}

const ArchBehaviour& behaviour_for(Arch arch) {
    return arch == Arch::x86_64 ? x86_64_behaviour() : arm64_behaviour();
}

Error exception_not_modeled(const CpuPort& cpu, const TrapEvent& trap) {
    return make_error("exception {} at {} is not modeled", trap.kind, cpu.describe_pc(trap.pc));
}

const StructField* StructLayout::field(std::string_view wanted) const {
    for (const StructField& f : fields)
        if (f.name == wanted) return &f;
    return nullptr;
}

const Register* Isa::reg(std::string_view wanted) const {
    for (const Register& r : gprs)
        if (r.name == wanted) return &r;
    for (const Register* r : {&sp, &pc, &flags})
        if (r->name == wanted) return r;
    return nullptr;
}

const StructLayout* Isa::layout(std::string_view wanted) const {
    for (const StructLayout& s : structs)
        if (s.name == wanted) return &s;
    return nullptr;
}

static std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string Isa::asm_offsets() const {
    std::string out;
    for (const StructLayout& s : structs) {
        for (const StructField& f : s.fields)
            out += fmt::format(".set {}{}, {}\n", s.asm_prefix, upper(f.name), f.offset);
        out += fmt::format(".set {}SIZE, {}\n", s.asm_prefix, s.size);
    }
    for (const AsmConstant& c : constants)
        out += fmt::format(".set {}, {:#x}\n", c.name, c.value);
    return out;
}

} // namespace tracesim
