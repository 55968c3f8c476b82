// What the fuzz targets share: the input written to a file (the parsers under test take files,
// as tracesim does), in a per-process folder in memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace tracesim::fuzz {

inline std::filesystem::path work_dir() {
    static const std::filesystem::path dir = [] {
        std::filesystem::path base =
            std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
        auto d = base / ("tracesim-fuzz-" + std::to_string(getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

inline std::filesystem::path as_file(const uint8_t* data, size_t size, const std::string& name) {
    std::filesystem::path file = work_dir() / name;
    std::ofstream(file, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return file;
}

// The targets (fuzz_<name>.cpp), one binary: TRACESIM_FUZZ_TARGET picks one (fuzz_main.cpp).
int scenario(const uint8_t* data, size_t size);
int catalogue(const uint8_t* data, size_t size);
int core_profile(const uint8_t* data, size_t size);
int baseline(const uint8_t* data, size_t size);
int system_map(const uint8_t* data, size_t size);
int image(const uint8_t* data, size_t size);
int assembler(const uint8_t* data, size_t size);

} // namespace tracesim::fuzz
