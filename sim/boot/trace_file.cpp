#include "sim/boot/trace_file.h"

#include <cstring>
#include <fstream>
#include <unordered_map>

namespace tracesim {

namespace {

constexpr std::string_view magic = "TSTRACE1";

struct Definition {
    uint64_t pc;
    uint8_t size;
    std::array<uint8_t, 15> bytes;
};

class Reader {
  public:
    explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
    size_t offset() const { return offset_; }
    bool done() const { return offset_ >= bytes_.size(); }
    bool has(size_t n) const { return bytes_.size() - offset_ >= n; }
    template <class T> T take() {
        T value;
        std::memcpy(&value, bytes_.data() + offset_, sizeof(T)); // little-endian host and file
        offset_ += sizeof(T);
        return value;
    }
    void take_bytes(uint8_t* out, size_t n) {
        std::memcpy(out, bytes_.data() + offset_, n);
        offset_ += n;
    }

  private:
    std::span<const uint8_t> bytes_;
    size_t offset_ = 0;
};

} // namespace

Expected<std::vector<BootWindow>> parse_boot_trace(std::span<const uint8_t> bytes) {
    if (bytes.size() < magic.size() ||
        std::memcmp(bytes.data(), magic.data(), magic.size()) != 0)
        return make_error("not a tracesim plugin trace (no {} header)", magic);
    Reader in(bytes.subspan(magic.size()));
    std::unordered_map<uint32_t, Definition> defined;
    std::vector<BootWindow> windows;
    BootWindow* open = nullptr;
    auto truncated = [&](char tag) {
        return make_error("plugin trace truncated in a '{}' record at byte {}", tag,
                          in.offset() + magic.size());
    };
    while (!in.done()) {
        size_t at = in.offset() + magic.size();
        char tag = static_cast<char>(in.take<uint8_t>());
        switch (tag) {
        case 'I': {
            if (!in.has(4 + 8 + 1)) return truncated(tag);
            uint32_t id = in.take<uint32_t>();
            Definition d{};
            d.pc = in.take<uint64_t>();
            d.size = in.take<uint8_t>();
            if (d.size == 0 || d.size > d.bytes.size())
                return make_error("plugin trace: instruction of {} bytes at byte {}", d.size, at);
            if (!in.has(d.size)) return truncated(tag);
            in.take_bytes(d.bytes.data(), d.size);
            defined[id] = d;
            break;
        }
        case 'X': {
            if (!in.has(4)) return truncated(tag);
            uint32_t id = in.take<uint32_t>();
            if (!open) break; // a callback that arrived while the reset completed
            auto it = defined.find(id);
            if (it == defined.end())
                return make_error("plugin trace: instruction {} executed before its definition "
                                  "(byte {})",
                                  id, at);
            const Definition& d = it->second;
            open->stream.push_back({d.pc, d.size, d.bytes,
                                    static_cast<uint32_t>(open->accesses.size()), 0});
            break;
        }
        case 'L':
        case 'S': {
            if (!in.has(8 + 1)) return truncated(tag);
            uint64_t address = in.take<uint64_t>();
            uint8_t size = in.take<uint8_t>();
            if (!open || open->stream.empty()) break;
            open->accesses.push_back({address, size, tag == 'S'});
            ++open->stream.back().access_count;
            break;
        }
        case 'A':
        case 'D':
        case 'O': {
            if (!in.has(4)) return truncated(tag);
            uint32_t window = in.take<uint32_t>();
            if (tag == 'A') {
                windows.push_back({});
                windows.back().index = window;
                open = &windows.back();
            } else if (open && open->index == window) {
                if (tag == 'O') open->overflowed = true;
                if (tag == 'D') {
                    open->closed = true;
                    open = nullptr;
                }
            }
            break;
        }
        default:
            return make_error("plugin trace: unknown record '\\x{:02x}' at byte {}",
                              static_cast<uint8_t>(tag), at);
        }
    }
    return windows;
}

Expected<std::vector<BootWindow>> read_boot_trace(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error("cannot read the plugin trace {}", file.string());
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    auto windows = parse_boot_trace(bytes);
    if (!windows) return make_error("{}: {}", file.string(), windows.error().message);
    return windows;
}

} // namespace tracesim
