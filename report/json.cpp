// JSON: the stable contract (docs/json-schema.md). Example, one record:
//
//   {"schema": "tracesim-results/1", "results": [{"arch": "x86_64", "path": "ftrace",
//     "kernel": "6.14", "core": null, "handler": "read-args", "regs_struct": "ftrace_regs",
//     "supported": true, "calls": 1, "cycles": "not modeled",
//     "per_call": {"instructions": 37, ...}, "traced": {...}, "phases": {"save": {...}, ...},
//     "traps": 0, "checks": {...}}]}
#include "base/json.h"
#include "report/render.h"

namespace tracesim {

namespace {

// for_each_record_metric's set, as one object.
void write_metrics(JsonWriter& json, const Metrics& m, const CycleMetrics* cycles) {
    json.begin_object();
    for_each_record_metric(m, cycles,
                           [&](std::string_view name, auto value) { json.field(name, value); });
    json.end_object();
}

// Where a booted record ran and what its steady state was taken from (docs/json-schema.md).
void write_boot(JsonWriter& json, const BootInfo& b) {
    json.key("boot").begin_object();
    json.field("release", b.release).field("image", b.image);
    json.field("qemu_version", b.qemu_version).field("cmdline", b.cmdline);
    json.field("function", b.function).field("clock", b.clock);
    json.field("calls_found", static_cast<int64_t>(b.calls_found));
    json.field("calls_kept", static_cast<int64_t>(b.calls_kept));
    json.field("calls_interrupted", static_cast<int64_t>(b.calls_interrupted));
    json.field("interrupts_cut", static_cast<int64_t>(b.interrupts_cut));
    json.field("cold_instructions", b.cold_instructions);
    json.key("hits");
    if (b.hits)
        json.value(*b.hits);
    else
        json.null();
    json.key("run_time_regions").begin_array();
    for (const std::string& region : b.run_time_regions)
        json.value(region);
    json.end_array();
    json.key("unmapped").begin_object();
    for (const auto& [symbol, count] : b.unmapped)
        json.field(symbol, count);
    json.end_object();
    json.key("functions").begin_array();
    for (const BootInfo::Function& f : b.functions)
        json.begin_object()
            .field("symbol", f.symbol)
            .field("phase", name_of(f.phase))
            .field("instructions", f.instructions)
            .end_object();
    json.end_array();
    json.end_object();
}

void write_record(JsonWriter& json, const Record& r) {
    json.begin_object();
    json.field("arch", name_of(r.arch)).field("path", r.path).field("kernel", r.kernel);
    json.key("core");
    if (r.core.empty())
        json.null();
    else
        json.value(r.core);
    json.field("handler", r.handler).field("regs_struct", r.regs_struct);
    json.field("entry", r.entry).field("exit", r.exit).field("models", r.models);
    if (!r.source.empty()) json.field("source", r.source);
    if (r.boot) write_boot(json, *r.boot);
    json.field("supported", r.supported);
    if (!r.supported) {
        json.field("reason", r.reason);
        json.end_object();
        return;
    }
    json.field("calls", static_cast<int64_t>(r.calls));
    if (!r.cycles_per_call) json.field("cycles", "not modeled");
    json.key("per_call");
    write_metrics(json, r.per_call, r.cycles_per_call ? &*r.cycles_per_call : nullptr);
    json.key("traced");
    write_metrics(json, r.traced, r.cycles_traced ? &*r.cycles_traced : nullptr);
    json.key("phases").begin_object();
    for (const PhaseMetrics& p : r.phases) {
        json.key(name_of(p.phase));
        write_metrics(json, p.metrics, cycles_of(r, p.phase));
    }
    json.end_object();
    if (r.cycles_per_call) {
        json.key("unpriced_instructions").begin_array();
        for (const UnpricedInstruction& u : r.unpriced)
            json.begin_object()
                .field("pc", fmt::format("{:#x}", u.pc))
                .field("instruction", u.text)
                .field("reason", name_of(u.reason))
                .field("count", u.count)
                .end_object();
        json.end_array();
    }
    json.field("traps", r.traps);
    json.key("checks").begin_object();
    json.field("return_value", r.checks.return_value);
    json.field("callee_saved", r.checks.callee_saved);
    json.field("stack_balanced", r.checks.stack_balanced);
    json.key("handler_args");
    if (r.checks.handler_args)
        json.value(*r.checks.handler_args);
    else
        json.null();
    json.key("handler_ret");
    if (r.checks.handler_ret)
        json.value(*r.checks.handler_ret);
    else
        json.null();
    json.key("problems").begin_array();
    for (const std::string& p : r.checks.problems)
        json.value(p);
    json.end_array();
    json.end_object();
    json.key("regs_check").begin_array();
    for (const FieldCheck& c : r.regs_check) {
        json.begin_object()
            .field("struct", c.regs_struct)
            .field("at", c.at)
            .field("field", c.field);
        json.field("status", name_of(c.status));
        json.key("expected");
        if (c.expected)
            json.value(fmt::format("{:#x}", *c.expected));
        else
            json.null();
        json.key("seen");
        if (c.seen)
            json.value(fmt::format("{:#x}", *c.seen));
        else
            json.null();
        if (!c.lost_bits.empty()) {
            json.key("lost_bits").begin_array();
            for (const std::string& b : c.lost_bits)
                json.value(b);
            json.end_array();
        }
        if (c.write_back) json.field("write_back", *c.write_back);
        json.end_object();
    }
    json.end_array();
    json.end_object();
}

} // namespace

std::string render_json(const Results& results) {
    JsonWriter json;
    json.begin_object().field("schema", results_schema);
    json.key("results").begin_array();
    for (const Record& r : results.records)
        write_record(json, r);
    json.end_array().end_object();
    return json.str();
}

std::string render_paths_json(const Catalogue& catalogue) {
    JsonWriter json;
    json.begin_object().field("schema", "tracesim-paths/1");
    json.key("paths").begin_array();
    for (const PathSpec& p : catalogue.paths) {
        json.begin_object();
        json.field("name", p.name).field("arch", name_of(p.arch)).field("kernel", p.kernel);
        json.field("supported", p.supported);
        if (!p.supported) json.field("reason", p.reason);
        json.field("entry", p.entry).field("exit", p.exit).field("regs_struct", p.regs_struct);
        json.field("exit_regs_struct", p.exit_regs_struct);
        json.field("models", p.models).field("summary", p.summary);
        json.end_object();
    }
    json.end_array();
    json.key("handlers").begin_array();
    for (const HandlerSpec& h : catalogue.handlers)
        json.begin_object().field("name", h.name).field("summary", h.summary).end_object();
    json.end_array().end_object();
    return json.str();
}

} // namespace tracesim
