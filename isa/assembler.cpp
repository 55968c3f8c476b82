#include "assembler.h"

#include "isa.h"
#include "isa/include_scan.h"
#include "llvm_target.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/MC/MCAsmBackend.h"
#include "llvm/MC/MCCodeEmitter.h"
#include "llvm/MC/MCObjectFileInfo.h"
#include "llvm/MC/MCObjectWriter.h"
#include "llvm/MC/MCParser/MCAsmParser.h"
#include "llvm/MC/MCParser/MCTargetAsmParser.h"
#include "llvm/MC/MCStreamer.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace tracesim {

namespace {

struct Diagnostics {
    std::string file;
    int prelude_lines;
    std::string text;
    bool failed = false;
};

void report(const llvm::SMDiagnostic& d, void* context) {
    auto& diags = *static_cast<Diagnostics*>(context);
    const char* kind = "error";
    if (d.getKind() == llvm::SourceMgr::DK_Warning)
        kind = "warning";
    else if (d.getKind() == llvm::SourceMgr::DK_Note)
        kind = "note";
    else if (d.getKind() == llvm::SourceMgr::DK_Remark)
        kind = "remark";
    if (d.getKind() == llvm::SourceMgr::DK_Error) diags.failed = true;
    // Only the main buffer starts with the prelude; an .include'd file keeps its own lines.
    const bool main_file = d.getFilename() == diags.file;
    int line = d.getLineNo() - (main_file ? diags.prelude_lines : 0);
    std::string file = main_file ? diags.file : d.getFilename().str();
    std::string where = line > 0 ? fmt::format("{}:{}:{}", file, line, d.getColumnNo() + 1)
                                 : fmt::format("{}: <asm-offsets prelude>", file);
    if (!diags.text.empty()) diags.text += '\n';
    std::string message = d.getMessage().str();
    // MC suggests a command-line flag tracesim does not have: say what usually causes it.
    if (size_t flag = message.find(" Use -asm-macro-max-nesting-depth"); flag != std::string::npos)
        message = message.substr(0, flag) + " (does a macro expand itself?)";
    diags.text += fmt::format("{}: {}: {}", where, kind, message);
    if (line > 0 && !d.getLineContents().empty()) {
        diags.text += fmt::format("\n    {}\n    {}^", d.getLineContents().str(),
                                  std::string(std::max(d.getColumnNo(), 0), ' '));
    }
}

// Turns MC's in-memory ELF object into our ObjectFile: SHF_ALLOC sections, named symbols
// (mapping symbols $x/$d dropped) and relocations of those sections.
Expected<ObjectFile> read_elf(const llvm::SmallVectorImpl<char>& elf, std::string_view file_name) {
    using namespace llvm;
    auto parsed = object::ObjectFile::createObjectFile(
        MemoryBufferRef(StringRef(elf.data(), elf.size()), "object"));
    if (!parsed) return make_error("{}: {}", file_name, toString(parsed.takeError()));
    object::ObjectFile& obj = **parsed;

    ObjectFile out;
    out.file = std::string(file_name);
    std::map<uint64_t, int> index_of; // ELF section index -> ours
    for (const object::SectionRef& s : obj.sections()) {
        object::ELFSectionRef es(s);
        if (!(es.getFlags() & ELF::SHF_ALLOC)) continue;
        ObjectSection section;
        llvm::Expected<StringRef> name = s.getName();
        section.name = name ? name->str() : std::string("?");
        if (!name) consumeError(name.takeError());
        section.align = std::max<uint64_t>(1, s.getAlignment().value());
        section.code = s.isText();
        section.writable = es.getFlags() & ELF::SHF_WRITE;
        if (s.isBSS()) {
            section.bytes.assign(s.getSize(), 0);
        } else {
            llvm::Expected<StringRef> contents = s.getContents();
            if (!contents) return make_error("{}: {}", file_name, toString(contents.takeError()));
            section.bytes.assign(contents->begin(), contents->end());
        }
        index_of[s.getIndex()] = static_cast<int>(out.sections.size());
        out.sections.push_back(std::move(section));
    }

    for (const object::SymbolRef& sym : obj.symbols()) {
        llvm::Expected<StringRef> name = sym.getName();
        llvm::Expected<object::section_iterator> section = sym.getSection();
        llvm::Expected<uint64_t> value = sym.getValue();
        llvm::Expected<uint32_t> flags = sym.getFlags();
        if (!name || !section || !value || !flags) {
            consumeError(name.takeError());
            consumeError(section.takeError());
            consumeError(value.takeError());
            consumeError(flags.takeError());
            continue;
        }
        if (name->empty() || name->starts_with("$") || *section == obj.section_end()) continue;
        auto it = index_of.find((*section)->getIndex());
        if (it == index_of.end()) continue;
        bool global = *flags & object::SymbolRef::SF_Global;
        out.symbols.push_back({name->str(), it->second, *value, global});
    }

    for (const object::SectionRef& rs : obj.sections()) {
        llvm::Expected<object::section_iterator> patched = rs.getRelocatedSection();
        if (!patched) {
            consumeError(patched.takeError());
            continue;
        }
        if (*patched == obj.section_end()) continue;
        auto target = index_of.find((*patched)->getIndex());
        if (target == index_of.end()) continue;
        for (const object::RelocationRef& r : rs.relocations()) {
            ObjectRelocation rel{
                target->second, r.getOffset(), static_cast<uint32_t>(r.getType()), "", -1, 0, 0};
            llvm::Expected<int64_t> addend = object::ELFRelocationRef(r).getAddend();
            if (addend)
                rel.addend = *addend;
            else
                consumeError(addend.takeError());
            object::symbol_iterator si = r.getSymbol();
            if (si != obj.symbol_end()) {
                llvm::Expected<StringRef> name = si->getName();
                llvm::Expected<object::section_iterator> section = si->getSection();
                llvm::Expected<uint64_t> value = si->getValue();
                if (name)
                    rel.symbol = name->str();
                else
                    consumeError(name.takeError());
                if (section && *section != obj.section_end() &&
                    index_of.count((*section)->getIndex())) {
                    rel.symbol_section = index_of[(*section)->getIndex()];
                    rel.symbol_offset = value ? *value : 0;
                    if (rel.symbol.empty()) rel.symbol = out.sections[rel.symbol_section].name;
                } else if (!section) {
                    consumeError(section.takeError());
                }
                if (!value) consumeError(value.takeError());
            }
            out.relocations.push_back(std::move(rel));
        }
    }
    return out;
}

} // namespace

Expected<ObjectFile> assemble(Arch arch, std::string_view source, std::string_view file_name,
                              const std::vector<std::string>& include_dirs) {
    using namespace llvm;
    std::string error;
    std::unique_ptr<LlvmTarget> t = LlvmTarget::create(arch, "", error);
    if (!t) return make_error("{}: {}", file_name, error);

    const std::string prelude = isa_for(arch).asm_offsets();
    Diagnostics diags{std::string(file_name),
                      static_cast<int>(std::count(prelude.begin(), prelude.end(), '\n')), "",
                      false};
    SourceMgr sources;
    sources.AddNewSourceBuffer(
        MemoryBuffer::getMemBufferCopy(prelude + std::string(source), std::string(file_name)),
        SMLoc());
    sources.setDiagHandler(report, &diags);
    // `.include "file"` finds files next to the one being assembled, then in `include_dirs`
    // (kernels/<arch>/: a user's variant elsewhere can include our macros).
    std::string directory = std::filesystem::path(std::string(file_name)).parent_path().string();
    std::vector<std::string> dirs{directory.empty() ? std::string(".") : directory};
    dirs.insert(dirs.end(), include_dirs.begin(), include_dirs.end());
    if (auto ok = check_includes(source, std::string(file_name), dirs); !ok)
        return ok.take_error();
    sources.setIncludeDirs(dirs);

    // The parser, streamer and context must be destroyed in reverse order of creation before the
    // object is read: the parser's destructor still touches the streamer.
    SmallVector<char, 0> elf;
    {
        MCContext context(t->triple, t->asm_info.get(), t->register_info.get(), t->subtarget.get(),
                          &sources, &t->options);
        std::unique_ptr<MCObjectFileInfo> file_info(
            t->target->createMCObjectFileInfo(context, /*PIC=*/false));
        context.setObjectFileInfo(file_info.get());
        // Errors MC finds itself (a symbol defined twice, often inside a macro) come here, not
        // through the SourceMgr: route them to the same report.
        context.setDiagnosticHandler([&diags](const SMDiagnostic& d, bool, const SourceMgr&,
                                              std::vector<const MDNode*>&) { report(d, &diags); });

        raw_svector_ostream elf_stream(elf);
        std::unique_ptr<MCAsmBackend> backend(
            t->target->createMCAsmBackend(*t->subtarget, *t->register_info, t->options));
        std::unique_ptr<MCObjectWriter> writer = backend->createObjectWriter(elf_stream);
        std::unique_ptr<MCCodeEmitter> emitter(
            t->target->createMCCodeEmitter(*t->instr_info, context));
        std::unique_ptr<MCStreamer> streamer(t->target->createMCObjectStreamer(
            t->triple, context, std::move(backend), std::move(writer), std::move(emitter),
            *t->subtarget));
        std::unique_ptr<MCAsmParser> parser(
            createMCAsmParser(sources, context, *streamer, *t->asm_info));
        std::unique_ptr<MCTargetAsmParser> target_parser(
            t->target->createMCAsmParser(*t->subtarget, *parser, *t->instr_info, t->options));
        if (!target_parser) return make_error("{}: LLVM has no assembler parser", file_name);
        parser->setTargetParser(*target_parser);
        bool failed = parser->Run(/*NoInitialTextSection=*/false); // also finishes the object
        if (failed || diags.failed)
            return make_error("{}", diags.text.empty()
                                        ? std::string(file_name) + ": assembly failed"
                                        : diags.text);
    }
    auto object = read_elf(elf, file_name);
    if (object) object->warnings = diags.text; // no error: what is left is warnings and notes
    return object;
}

} // namespace tracesim
