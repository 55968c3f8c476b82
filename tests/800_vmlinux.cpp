// Layer 8: real kernel images (sim/vmlinux). A "vmlinux" is linked from our own kernels/x86_64/*.S
// at kernel addresses (0xffffffff81000000) with the host's llvm-mc and ld.lld, imported, and run:
// its counts must equal the modeled run of the same path. Skipped (with a message) when the tools
// are missing. TRACESIM_VMLINUX=/path/to/vmlinux also runs a real kernel's ftrace_caller.
#include <doctest/doctest.h>

#include "command.h"
#include "helpers.h"
#include "isa/isa.h"
#include "sim/runner.h"
#include "sim/vmlinux/vmlinux.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace tracesim;

namespace {

std::string find_tool(std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (std::system(fmt::format("command -v {} >/dev/null 2>&1", name).c_str()) == 0) return name;
    return "";
}

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// What a kernel supplies around the trampolines: ftrace_stub (what ftrace_call calls before it is
// patched; our sources name the site's target ftrace_ops_func), function_trace_op, the banner.
constexpr const char* glue = R"(
    .text
    .globl ftrace_stub, ftrace_ops_func, _start
_start:
ftrace_stub:
    ret
    .set ftrace_ops_func, ftrace_stub
    .data
    .globl function_trace_op, linux_banner, fgraph_ret_stack_top, fgraph_gops
    .balign 64
function_trace_op:
    .quad 0
fgraph_ret_stack_top:               // what return_to_handler_*.S's own C model refers to
fgraph_gops:
    .quad 0, 0
linux_banner:
    .asciz "Linux version 6.14.0-tracesim-test (tests/800_vmlinux.cpp) #1"
)";

// Links kernels/x86_64/<sources> + the glue at 0xffffffff81000000; "" when the tools are missing.
std::filesystem::path link_vmlinux(const std::vector<std::string>& sources, const std::string& name) {
    std::string mc = find_tool({"llvm-mc-19", "llvm-mc"});
    std::string ld = find_tool({"ld.lld-19", "ld.lld", "ld"});
    if (mc.empty() || ld.empty()) return {};
    const std::filesystem::path src = std::filesystem::path(TRACESIM_SOURCE_DIR) / "kernels" / "x86_64";
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / fmt::format("tracesim-vmlinux-{}-{}", getpid(), name);
    std::filesystem::create_directories(dir);
    const std::string offsets = isa_for(Arch::x86_64).asm_offsets();
    std::vector<std::string> files = sources;
    files.push_back("glue.S");
    std::string objects;
    for (const std::string& f : files) {
        std::ofstream(dir / f) << offsets << (f == "glue.S" ? std::string(glue) : read_text(src / f)) << "\n";
        std::string object = (dir / (f + ".o")).string();
        std::string cmd = fmt::format("{} -triple=x86_64-linux-gnu -filetype=obj -I {} -o {} {} 2>&1", mc, src.string(),
                                      object, (dir / f).string());
        REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
        objects += " " + object;
    }
    std::filesystem::path out = dir / "vmlinux";
    std::string cmd = fmt::format("{} -static -nostdlib -e _start -Ttext=0xffffffff81000000 -o {}{} 2>&1", ld,
                                  out.string(), objects);
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
    return out;
}

Record run(const std::string& path, const Vmlinux* kernel) {
    const std::string era = kernel ? vmlinux_era(*kernel, test::catalogue(), path) : "";
    RunRequest request{Arch::x86_64, path, era};
    const PathSpec* spec = *test::catalogue().find_path(path, Arch::x86_64, era);
    if (kernel) request.prepare_image = [=](Image& image) { return attach_vmlinux(*kernel, *spec, image); };
    auto record = run_path(test::catalogue(), request);
    REQUIRE_MESSAGE(record, (record ? "" : record.error().message));
    return *record;
}

void check_same(const Record& model, const Record& real) {
    CHECK(real.checks.ok());
    CHECK(real.per_call.instructions == model.per_call.instructions);
    CHECK(real.per_call.loads == model.per_call.loads);
    CHECK(real.per_call.stores == model.per_call.stores);
    CHECK(real.per_call.bytes_stored == model.per_call.bytes_stored);
    CHECK(real.traced.max_stack_depth == model.traced.max_stack_depth);
    REQUIRE(real.cycles_per_call);
    REQUIRE(model.cycles_per_call);
    CHECK(real.cycles_per_call->cycles_warm == model.cycles_per_call->cycles_warm);
    REQUIRE(real.phases.size() == model.phases.size());
    for (size_t i = 0; i < real.phases.size(); ++i) {
        CAPTURE(name_of(model.phases[i].phase));
        CHECK(real.phases[i].phase == model.phases[i].phase);
        CHECK(real.phases[i].metrics.instructions == model.phases[i].metrics.instructions);
        CHECK(real.phases[i].metrics.stores == model.phases[i].metrics.stores);
    }
}

} // namespace

TEST_CASE("a vmlinux linked from our own trampolines runs them with the modeled counts") {
    auto file = link_vmlinux({"ftrace_caller.S", "ftrace_regs_caller.S", "return_to_handler_6_14.S"}, "both");
    if (file.empty()) {
        MESSAGE("skipped: llvm-mc / ld.lld not installed");
        return;
    }
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    CHECK(kernel->arch == Arch::x86_64);
    CHECK(kernel->release == "6.14.0-tracesim-test");
    CHECK(vmlinux_era(*kernel, test::catalogue(), "fgraph") == "6.14");
    CHECK(*kernel->address_of("ftrace_caller") >= 0xffffffff81000000ull);
    for (const char* path : {"ftrace", "ftrace-regs", "fgraph"}) {
        CAPTURE(path);
        Record model = run(path, nullptr);
        Record real = run(path, &*kernel);
        CHECK(model.per_call.instructions > 0);
        check_same(model, real);
    }
    // The kernel's bytes are what runs: a ud2 over its ftrace_caller (or, for fgraph, its
    // return_to_handler) makes the traced call fault there.
    for (auto [path, symbol] : {std::pair{"ftrace", "ftrace_caller"}, {"fgraph", "return_to_handler"}}) {
        CAPTURE(path);
        Vmlinux broken = *kernel;
        const uint64_t at = *broken.address_of(symbol);
        for (ForeignRegion& r : broken.regions)
            if (r.contains(at)) r.bytes[at - r.base] = 0x0f, r.bytes[at - r.base + 1] = 0x0b;
        RunRequest request{Arch::x86_64, path};
        request.timing = false;
        const PathSpec* spec = *test::catalogue().find_path(path, Arch::x86_64, "");
        request.prepare_image = [&](Image& image) { return attach_vmlinux(broken, *spec, image); };
        auto faulted = run_path(test::catalogue(), request);
        REQUIRE(!faulted);
        CHECK(faulted.error().message.find(symbol) != std::string::npos);
    }
    // A path the importer does not run yet is unsupported, with its reason.
    const PathSpec* optprobe = *test::catalogue().find_path("optprobe", Arch::x86_64, "");
    CHECK(vmlinux_unsupported_reason(*kernel, *optprobe).find("stubs") != std::string::npos);

    // The command: side by side, and JSON records marked as the vmlinux's.
    auto text = test::run_tracesim("kernel --vmlinux " + file.string() + " --path ftrace --path kretprobe");
    CHECK(text.exit_code == 0);
    CHECK(text.output.find("release 6.14.0-tracesim-test") != std::string::npos);
    CHECK(text.output.find("not run on the vmlinux") != std::string::npos);
    auto json = test::run_tracesim("kernel --vmlinux " + file.string() + " --path ftrace --format json");
    CHECK(json.exit_code == 0);
    CHECK(json.output.find(R"("source": "vmlinux")") != std::string::npos);
    auto missing = test::run_tracesim("kernel --vmlinux " + (file.parent_path() / "nothing").string());
    CHECK(missing.exit_code == 1);
    CHECK(missing.output.find("cannot read") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("a kernel without ftrace_regs_caller reports ftrace-regs unsupported, naming the symbol") {
    auto file = link_vmlinux({"ftrace_caller.S"}, "args-only");
    if (file.empty()) {
        MESSAGE("skipped: llvm-mc / ld.lld not installed");
        return;
    }
    auto kernel = load_vmlinux(file);
    REQUIRE(kernel);
    const PathSpec* regs = *test::catalogue().find_path("ftrace-regs", Arch::x86_64, "");
    CHECK(vmlinux_unsupported_reason(*kernel, *regs).find("ftrace_regs_caller") != std::string::npos);
    Image image;
    auto attached = attach_vmlinux(*kernel, *regs, image);
    REQUIRE(!attached);
    CHECK(attached.error().message.find("ftrace_regs_caller") != std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("a real vmlinux (TRACESIM_VMLINUX) runs its ftrace_caller") {
    const char* file = std::getenv("TRACESIM_VMLINUX");
    if (!file || !*file) {
        MESSAGE("skipped: set TRACESIM_VMLINUX to a vmlinux to run its trampolines");
        return;
    }
    auto kernel = load_vmlinux(file);
    REQUIRE_MESSAGE(kernel, (kernel ? "" : kernel.error().message));
    MESSAGE("release ", kernel->release);
    if (kernel->arch != Arch::x86_64) return;
    for (const char* path : {"ftrace", "ftrace-regs", "fgraph"}) {
        CAPTURE(path);
        const PathSpec* spec = *test::catalogue().find_path(path, Arch::x86_64, "");
        if (!vmlinux_unsupported_reason(*kernel, *spec).empty()) continue;
        Record real = run(path, &*kernel);
        CHECK(real.checks.ok());
        CHECK(real.per_call.instructions > 0);
        MESSAGE(std::string(path), ": ", real.per_call.instructions, " instructions per call");
    }
}
