#include "cli/chart_file.h"

#include "sim/boot/process.h"

#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace tracesim {

Expected<std::string> render_output(const Results& results, Format format,
                                    const RenderOptions& options) {
    std::string text = render(results, format, options);
    if (format != Format::png && format != Format::pdf) return text;
    std::filesystem::path converter = find_program("rsvg-convert");
    if (converter.empty())
        return make_error("--format {}: rsvg-convert is not installed (Debian package "
                          "librsvg2-bin; make deps installs it)",
                          format == Format::png ? "png" : "pdf");
    std::string dir_template =
        (std::filesystem::temp_directory_path() / "tracesim-chart-XXXXXX").string();
    if (!mkdtemp(dir_template.data())) return make_error("cannot make a temporary directory");
    const std::filesystem::path dir = dir_template;
    struct Cleanup {
        std::filesystem::path dir;
        ~Cleanup() {
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        }
    } cleanup{dir};
    std::ofstream(dir / "chart.svg", std::ios::binary) << text;
    const char* type = format == Format::png ? "png" : "pdf";
    // SOURCE_DATE_EPOCH: cairo then dates the PDF 1970, so the same chart gives the same bytes.
    auto ran = run_process({"/usr/bin/env", "SOURCE_DATE_EPOCH=0", converter.string(), "-f", type,
                            "-o", (dir / "chart.out").string(), (dir / "chart.svg").string()},
                           dir / "stdout", dir / "stderr", 60);
    if (!ran) return ran.take_error();
    if (ran->exit_status != 0 || !std::filesystem::exists(dir / "chart.out"))
        return make_error("rsvg-convert failed{}: {}", ran->timed_out ? " (timed out)" : "",
                          read_text_file(dir / "stderr"));
    return read_text_file(dir / "chart.out");
}

} // namespace tracesim
