// Fuzz target: the path catalogue loader, the input standing for kernels/x86_64/paths.toml
// (the shared kernels/paths.toml and arm64's are the shipped ones).
#include "sim/catalogue.h"
#include "tests/fuzz/fuzz_input.h"

using namespace tracesim;
namespace fs = std::filesystem;

int fuzz::catalogue(const uint8_t* data, size_t size) {
    static const fs::path kernels = [] {
        fs::path dir = fuzz::work_dir() / "kernels";
        fs::create_directories(dir / "x86_64");
        fs::create_directories(dir / "arm64");
        fs::path shipped = tracesim_home() / "kernels";
        fs::copy_file(shipped / "paths.toml", dir / "paths.toml", fs::copy_options::overwrite_existing);
        fs::copy_file(shipped / "arm64" / "paths.toml", dir / "arm64" / "paths.toml",
                      fs::copy_options::overwrite_existing);
        return dir;
    }();
    std::ofstream(kernels / "x86_64" / "paths.toml", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    (void)load_catalogue(kernels);
    return 0;
}
