// SVG: a grouped bar chart of the scenario's chart metric, one group per path (and era), one bar
// per arch (and core), sized for a 16:9 slide. Unsupported combinations get an "n/s" mark, not a
// zero bar. Example: tracesim run scenarios/entry-probes.toml --format svg -o entry.svg
#include "sim/report/render.h"
#include "sim/report/report_table.h"

#include <algorithm>
#include <cmath>

namespace tracesim {

namespace {

constexpr int width = 960, height = 540;
constexpr int left = 90, right = 30, top = 80, bottom = 110;
constexpr const char* palette[] = {"#4e79a7", "#f28e2b", "#59a14f",
                                   "#e15759", "#76b7b2", "#edc948"};

std::string xml(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// A round tick step giving about five ticks up to `max`.
double tick_step(double max) {
    if (max <= 0) return 1;
    double raw = max / 5, magnitude = std::pow(10, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * magnitude) return m * magnitude;
    return 10 * magnitude;
}

} // namespace

std::string render_report_svg(const ReportTable& t) {
    const std::string& metric = t.spec.chart_metric;
    size_t index =
        std::find(t.spec.metrics.begin(), t.spec.metrics.end(), metric) - t.spec.metrics.begin();

    std::vector<std::string> groups, series;
    auto series_of = [&](const ReportRow& r) {
        std::string s(name_of(r.arch));
        if (t.show_core && !r.core.empty()) s += " " + r.core;
        if (t.show_handler) s += " " + r.handler;
        return s;
    };
    // One group per path; per path and era only where an arch shows several eras of a path.
    bool eras_differ = false;
    for (const ReportRow& a : t.rows)
        for (const ReportRow& b : t.rows)
            if (&a != &b && a.arch == b.arch && a.path == b.path && a.core == b.core &&
                a.handler == b.handler && a.kernel != b.kernel)
                eras_differ = true;
    auto group_of = [&](const ReportRow& r) {
        return eras_differ ? r.path + "@" + r.kernel : r.path;
    };
    int64_t max_value = 0;
    for (const ReportRow& r : t.rows) {
        if (std::find(groups.begin(), groups.end(), group_of(r)) == groups.end())
            groups.push_back(group_of(r));
        if (std::find(series.begin(), series.end(), series_of(r)) == series.end())
            series.push_back(series_of(r));
        if (r.supported && index < r.values.size())
            max_value = std::max(max_value, r.values[index].value);
    }
    const double step = tick_step(static_cast<double>(max_value));
    const double axis_max = std::max(step, std::ceil(static_cast<double>(max_value) / step) * step);
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    const double group_w = plot_w / std::max<size_t>(1, groups.size());
    const double bar_w = group_w * 0.8 / std::max<size_t>(1, series.size());
    auto y_of = [&](double v) { return top + plot_h - v / axis_max * plot_h; };

    std::string out = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
                                  "height=\"{}\" viewBox=\"0 0 {} {}\" "
                                  "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
                                  "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
                                  width, height, width, height);
    out += fmt::format("<text x=\"{}\" y=\"32\" font-size=\"20\" font-weight=\"bold\">{}</text>\n",
                       left, xml(t.spec.title));
    out += fmt::format(
        "<text x=\"{}\" y=\"56\" font-size=\"13\" fill=\"#555\">{} per traced call, traced minus "
        "untraced [{}]</text>\n",
        left, xml(label_of(metric)), xml(unit_of(metric)));
    for (double v = 0; v <= axis_max + step / 2; v += step) {
        double y = y_of(v);
        out +=
            fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n",
                        left, y, width - right, y);
        out += fmt::format(
            "<text x=\"{}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"end\">{}</text>\n",
            left - 8, y + 4, static_cast<int64_t>(v));
    }
    out += fmt::format("<text transform=\"translate(22,{:.0f}) rotate(-90)\" font-size=\"13\" "
                       "text-anchor=\"middle\">{} [{}]</text>\n",
                       top + plot_h / 2, xml(label_of(metric)), xml(unit_of(metric)));
    for (size_t g = 0; g < groups.size(); ++g) {
        double x0 = left + g * group_w + group_w * 0.1;
        std::string name = groups[g].substr(0, groups[g].find('@'));
        std::vector<std::string> kernels;
        for (const ReportRow& r : t.rows)
            if (group_of(r) == groups[g] && r.kernel != "any" &&
                std::find(kernels.begin(), kernels.end(), r.kernel) == kernels.end())
                kernels.push_back(r.kernel);
        std::string kernel =
            kernels.empty() ? "" : fmt::format("Linux {}", fmt::join(kernels, ", "));
        double cx = left + (g + 0.5) * group_w;
        out += fmt::format(
            "<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text>\n", cx,
            top + plot_h + 18, xml(name));
        out += fmt::format(
            "<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" fill=\"#555\" text-anchor=\"middle\">"
            "{}</text>\n",
            cx, top + plot_h + 33, xml(kernel));
        for (size_t s = 0; s < series.size(); ++s) {
            double x = x0 + s * bar_w;
            for (const ReportRow& r : t.rows) {
                if (group_of(r) != groups[g] || series_of(r) != series[s]) continue;
                if (!r.supported) {
                    out += fmt::format(
                        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" fill=\"#999\" "
                        "text-anchor=\"middle\">n/s</text>\n",
                        x + bar_w / 2, top + plot_h - 4);
                    continue;
                }
                int64_t v = r.values[index].value;
                double y = y_of(static_cast<double>(v));
                out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
                                   "height=\"{:.1f}\" fill=\"{}\"/>\n",
                                   x, y, bar_w * 0.92, top + plot_h - y,
                                   palette[s % std::size(palette)]);
                out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" "
                                   "text-anchor=\"middle\">{}</text>\n",
                                   x + bar_w * 0.46, y - 3, v);
            }
        }
    }
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n", left,
                       top + plot_h, width - right, top + plot_h);
    for (size_t s = 0; s < series.size(); ++s) {
        double x = width - right - 160, y = 20 + s * 18.0;
        out += fmt::format(
            "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", x, y,
            palette[s % std::size(palette)]);
        out += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" font-size=\"12\">{}</text>\n", x + 18,
                           y + 11, xml(series[s]));
    }
    out += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#777\">n/s: not supported on that "
        "arch. tracesim, emulated counts.</text>\n",
        left, height - 12);
    out += "</svg>\n";
    return out;
}

} // namespace tracesim
