// SVG: a bar chart of the scenario's chart metric, one group per path (and era), one bar per arch
// (and core, handler). `chart = { stack = "phase" }` splits each bar by phase, in the phase colours
// every chart shares (report/phase_colours.h); otherwise the bars of a group are coloured by
// series. Unsupported combinations get an "n/s" mark where the bar would be, never a zero bar.
//
// The layout never lets two texts collide (tests/charts/ checks that in Chromium): the title and
// subtitle wrap (the title shrinks past two lines), the legend sits in its own band between the
// titles and the plot, labels that do not fit their slot turn vertical, and the canvas grows
// downwards when the labels need room (16:9, 960x540, when they do not).
// Example: tracesim run scenarios/entry-probes.toml --format svg -o entry.svg
#include "report/chart.h"
#include "report/phase_colours.h"
#include "report/render.h"
#include "report/text_metrics.h"

#include <algorithm>
#include <cmath>

namespace tracesim {

namespace {

constexpr double min_width = 960, min_height = 540, margin = 24;
constexpr double min_slot = 15; // px per bar: a vertical 11 px label fits
constexpr double min_plot_height = 240;
constexpr const char* font_family = "DejaVu Sans, Helvetica, Arial, sans-serif";

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

struct TextStyle {
    double size = 12;
    bool bold = false;
    std::string_view fill = "#000";
    std::string_view anchor = "start"; // start | middle | end
};

// A text element; `vertical` rotates it by -90 degrees about (x, y), so it reads upwards and
// `anchor` end puts its end at (x, y): a label hanging down from there.
std::string text_at(double x, double y, std::string_view content, const TextStyle& s,
                    bool vertical = false) {
    std::string attributes = fmt::format("font-size=\"{}\"", s.size);
    if (s.bold) attributes += " font-weight=\"bold\"";
    if (s.fill != "#000") attributes += fmt::format(" fill=\"{}\"", s.fill);
    if (s.anchor != "start") attributes += fmt::format(" text-anchor=\"{}\"", s.anchor);
    if (vertical)
        return fmt::format(
            "<text transform=\"translate({:.1f},{:.1f}) rotate(-90)\" {}>{}</text>\n", x, y,
            attributes, xml(content));
    return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" {}>{}</text>\n", x, y, attributes,
                       xml(content));
}

// Ascent of DejaVu Sans (0.93 em, rounded up) and the line pitch used between wrapped lines.
double ascent(double size) {
    return std::ceil(size * 0.93);
}
double line_pitch(double size) {
    return std::ceil(size * 1.3);
}

// A round tick step giving about `ticks` ticks over `span`.
double tick_step(double span, int ticks) {
    if (span <= 0) return 1;
    double raw = span / ticks, magnitude = std::pow(10, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * magnitude) return m * magnitude;
    return 10 * magnitude;
}

// A label under the plot: horizontal lines when every line fits `slot`, else one vertical line.
struct Label {
    std::vector<std::string> lines;
    bool vertical = false;
    double extent = 0; // height it takes below its top
};

Label fit_label(const std::string& text, const std::string& vertical_text, double size, double slot,
                size_t max_lines) {
    Label l;
    l.lines = wrap_text(text, size, slot, false, "-@/_");
    bool fits = l.lines.size() <= max_lines;
    for (const std::string& line : l.lines)
        fits = fits && text_width(line, size) <= slot;
    if (fits) {
        l.extent = l.lines.size() * line_pitch(size);
        return l;
    }
    l.vertical = true;
    l.lines = {vertical_text};
    l.extent = text_width(vertical_text, size) + 4;
    return l;
}

// The value axis: ticks over [min, max] of the bars (0 always included).
struct ValueAxis {
    double min = 0, max = 0;
    std::vector<double> ticks;
    double tick_width = 0; // of the widest tick label
};

ValueAxis value_axis(const ChartData& chart) {
    ValueAxis a;
    const double span = static_cast<double>(chart.max_value - chart.min_value);
    const double step = tick_step(span, 5);
    a.min = std::floor(static_cast<double>(chart.min_value) / step) * step;
    a.max = std::max(a.min + step, std::ceil(static_cast<double>(chart.max_value) / step) * step);
    for (double v = a.min; v <= a.max + step / 2; v += step)
        a.ticks.push_back(v);
    for (double v : a.ticks)
        a.tick_width =
            std::max(a.tick_width, text_width(fmt::format("{}", static_cast<int64_t>(v)), 12));
    return a;
}

// The horizontal geometry: the canvas widens when the bars would be narrower than a label's
// line height.
struct Columns {
    double width, axis_title_x, plot_left, plot_right, group_w, slot_w;
};

Columns columns(const ChartData& chart, const ValueAxis& axis) {
    Columns c;
    c.axis_title_x = margin + ascent(13);
    c.plot_left = c.axis_title_x + 10 + axis.tick_width + 8;
    const size_t groups = std::max<size_t>(1, chart.groups.size());
    const size_t series = std::max<size_t>(1, chart.series.size());
    c.width =
        std::ceil(std::max(min_width, c.plot_left + margin + groups * series * min_slot / 0.84));
    c.plot_right = c.width - margin;
    c.group_w = (c.plot_right - c.plot_left) / static_cast<double>(groups);
    c.slot_w = c.group_w * 0.84 / static_cast<double>(series);
    return c;
}

// The titles (the title shrinks until it takes at most two lines, three at the smallest size),
// then the description and the metric line; returns the y below them.
double draw_titles(const ReportTable& t, const ChartData& chart, double width, std::string& body) {
    const bool stacked = t.spec.chart_stack == ChartStack::phase;
    const double text_w = width - 2 * margin;
    double title_size = 20;
    std::vector<std::string> title = wrap_text(t.spec.title, title_size, text_w, true);
    while (title.size() > 2 && title_size > 15)
        title = wrap_text(t.spec.title, --title_size, text_w, true);
    std::string metric_line =
        fmt::format("{} per traced call, traced minus untraced [{}]{}", label_of(chart.metric),
                    unit_of(chart.metric), stacked ? ", split by phase" : "");
    std::vector<std::string> subtitle;
    for (const std::string& part : {t.spec.description, metric_line})
        for (std::string& line : wrap_text(part, 13, text_w))
            subtitle.push_back(std::move(line));
    double y = margin;
    for (const std::string& line : title) {
        body += text_at(margin, y + ascent(title_size), line, {title_size, true});
        y += line_pitch(title_size);
    }
    for (const std::string& line : subtitle) {
        body += text_at(margin, y + ascent(13), line, {13, false, "#555"});
        y += line_pitch(13);
    }
    return y;
}

// The legend: its own band under the titles, entries in rows that wrap; returns the y below it.
double draw_legend(const ChartData& chart, double width, double y, std::string& body) {
    y += 8;
    double x = margin;
    const double legend_size = 12, swatch = 12;
    for (const ChartData::LegendEntry& e : chart.legend) {
        double w = swatch + 6 + text_width(e.label, legend_size);
        if (x > margin && x + w > width - margin) {
            x = margin;
            y += line_pitch(legend_size) + 4;
        }
        body += fmt::format(
            "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", x, y + 1,
            swatch, swatch, e.colour);
        body += text_at(x + swatch + 6, y + ascent(legend_size), e.label, {legend_size});
        x += w + 18;
    }
    if (!chart.legend.empty()) y += line_pitch(legend_size);
    return y;
}

// What goes under the plot: series labels under each bar (when a group has several), then the
// group labels, then the footnote; each set of labels all one way, as they sit side by side.
struct UnderPlot {
    std::vector<Label> series, groups;
    double series_extent = 0, group_extent = 0;
    std::vector<std::string> footnote;
    double height() const {
        return 8 + series_extent + (series_extent > 0 ? 6 : 0) + group_extent + 10 +
               footnote.size() * line_pitch(10) + margin / 2;
    }
};

UnderPlot under_plot(const ChartData& chart, const Columns& c) {
    UnderPlot u;
    bool series_vertical = false;
    if (chart.series.size() > 1)
        for (const std::string& s : chart.series) {
            u.series.push_back(fit_label(s, s, 11, c.slot_w * 0.95, 1));
            series_vertical = series_vertical || u.series.back().vertical;
        }
    for (size_t s = 0; s < u.series.size(); ++s) {
        if (series_vertical)
            u.series[s] = {{chart.series[s]}, true, text_width(chart.series[s], 11) + 4};
        u.series_extent = std::max(u.series_extent, u.series[s].extent);
    }
    bool groups_vertical = false;
    for (const ChartData::Group& g : chart.groups)
        groups_vertical = groups_vertical ||
                          fit_label(g.name, g.name, 12, c.group_w * 0.95, 3).vertical ||
                          (!g.kernel.empty() && text_width(g.kernel, 11) > c.group_w * 0.95);
    for (const ChartData::Group& g : chart.groups) {
        Label l;
        if (groups_vertical) {
            l.vertical = true;
            l.lines = {g.kernel.empty() ? g.name : g.name + " (" + g.kernel + ")"};
            l.extent = text_width(l.lines[0], 12) + 4;
        } else {
            l = fit_label(g.name, g.name, 12, c.group_w * 0.95, 3);
            if (!g.kernel.empty()) {
                l.lines.push_back(g.kernel);
                l.extent += line_pitch(11);
            }
        }
        u.group_extent = std::max(u.group_extent, l.extent);
        u.groups.push_back(std::move(l));
    }
    u.footnote = wrap_text(chart.footnote, 10, c.width - 2 * margin);
    return u;
}

// The plot's vertical geometry and the value of a y.
struct Rows {
    double top, plot_h, bottom; // of the plot
    double height;              // of the canvas
    ValueAxis axis;
    double y_of(double v) const { return bottom - (v - axis.min) / (axis.max - axis.min) * plot_h; }
};

void draw_grid(const Columns& c, const Rows& r, const ChartData& chart, std::string& body) {
    for (double v : r.axis.ticks) {
        double ty = r.y_of(v);
        body += fmt::format(
            "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>\n",
            c.plot_left, ty, c.plot_right, ty, v == 0 ? "#333" : "#ddd");
        body += text_at(c.plot_left - 8, ty + 4, fmt::format("{}", static_cast<int64_t>(v)),
                        {12, false, "#000", "end"});
    }
    body += text_at(c.axis_title_x, (r.top + r.bottom) / 2,
                    fmt::format("{} [{}]", label_of(chart.metric), unit_of(chart.metric)),
                    {13, false, "#000", "middle"}, true);
}

// Bars, their values (vertical when one does not fit its slot), and the marks of unsupported
// combinations.
void draw_bars(const Columns& c, const Rows& r, const ChartData& chart, bool values_vertical,
               double value_size, std::string& body) {
    for (const ChartData::Bar& b : chart.bars) {
        const double slot_x =
            c.plot_left + b.group * c.group_w + c.group_w * 0.08 + b.series * c.slot_w;
        const double cx = slot_x + c.slot_w / 2, bar_w = c.slot_w * 0.9;
        if (!b.supported) {
            if (text_width("n/s", 11) <= c.slot_w * 0.95)
                body += text_at(cx, r.y_of(0) - 4, "n/s", {11, false, "#999", "middle"});
            else
                body += text_at(cx + 4, r.y_of(0) - 4, "n/s", {11, false, "#999", "start"}, true);
            continue;
        }
        double up = 0, down = 0;
        for (const ChartData::Segment& s : b.segments) {
            double from = s.value >= 0 ? up : down;
            double to = from + static_cast<double>(s.value);
            (s.value >= 0 ? up : down) = to;
            double top = r.y_of(std::max(from, to)), bottom = r.y_of(std::min(from, to));
            body += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
                                "height=\"{:.1f}\" fill=\"{}\"><title>{}</title></rect>\n",
                                cx - bar_w / 2, top, bar_w, bottom - top, s.colour, xml(s.tooltip));
        }
        double label_y = r.y_of(std::max(0.0, up)) - 3;
        if (values_vertical)
            body += text_at(cx + 3.5, label_y, b.label, {value_size}, true);
        else
            body += text_at(cx, label_y, b.label, {value_size, false, "#000", "middle"});
    }
}

void draw_under_plot(const Columns& c, const Rows& r, const ChartData& chart, const UnderPlot& u,
                     std::string& body) {
    double label_top = r.bottom + 8;
    if (!u.series.empty()) {
        for (const ChartData::Bar& b : chart.bars) {
            const Label& l = u.series[b.series];
            double cx =
                c.plot_left + b.group * c.group_w + c.group_w * 0.08 + (b.series + 0.5) * c.slot_w;
            if (l.vertical)
                body += text_at(cx + 4, label_top, l.lines[0], {11, false, "#555", "end"}, true);
            else
                body +=
                    text_at(cx, label_top + ascent(11), l.lines[0], {11, false, "#555", "middle"});
        }
        label_top += u.series_extent + 6;
    }
    for (size_t g = 0; g < chart.groups.size(); ++g) {
        const Label& l = u.groups[g];
        double cx = c.plot_left + (g + 0.5) * c.group_w;
        if (l.vertical) {
            body += text_at(cx + 4.5, label_top, l.lines[0], {12, false, "#000", "end"}, true);
            continue;
        }
        double ly = label_top;
        for (size_t i = 0; i < l.lines.size(); ++i) {
            bool kernel_line = !chart.groups[g].kernel.empty() && i + 1 == l.lines.size();
            double size = kernel_line ? 11 : 12;
            body += text_at(cx, ly + ascent(size), l.lines[i],
                            {size, false, kernel_line ? "#555" : "#000", "middle"});
            ly += line_pitch(size);
        }
    }
    double fy = r.height - margin / 2 - u.footnote.size() * line_pitch(10);
    for (const std::string& line : u.footnote) {
        body += text_at(margin, fy + ascent(10), line, {10, false, "#777"});
        fy += line_pitch(10);
    }
}

} // namespace

std::string render_report_svg(const ReportTable& t) {
    const ChartData chart = chart_data(t);
    const ValueAxis axis = value_axis(chart);
    const Columns c = columns(chart, axis);
    std::string body;
    double y = draw_titles(t, chart, c.width, body);
    y = draw_legend(chart, c.width, y, body);

    // Bar value labels: horizontal above the bar when they fit its slot, else vertical; the
    // plot starts below the room the tallest label needs.
    const double value_size = 10;
    bool values_vertical = false;
    double value_extent = ascent(value_size);
    for (const ChartData::Bar& b : chart.bars) {
        double w = text_width(b.label, value_size);
        if (w > c.slot_w * 0.95) values_vertical = true;
        value_extent = std::max(value_extent, w);
    }
    if (!values_vertical) value_extent = ascent(value_size);
    const UnderPlot under = under_plot(chart, c);
    Rows r;
    r.axis = axis;
    r.top = y + 10 + value_extent + 4;
    r.height = std::ceil(std::max(min_height, r.top + min_plot_height + under.height()));
    r.plot_h = r.height - r.top - under.height();
    r.bottom = r.top + r.plot_h;

    draw_grid(c, r, chart, body);
    draw_bars(c, r, chart, values_vertical, value_size, body);
    draw_under_plot(c, r, chart, under, body);
    return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                       "viewBox=\"0 0 {0} {1}\" font-family=\"{2}\">\n"
                       "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{3}</svg>\n",
                       c.width, r.height, font_family, body);
}

} // namespace tracesim
