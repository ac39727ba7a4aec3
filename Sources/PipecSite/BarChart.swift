/// A small bar chart as inline SVG, drawn by pipec: one bar per run (oldest left), its value on hover, the largest
/// value on the axis. A missing value (a run that recorded none) leaves a gap rather than a zero.
struct BarChart {
    struct Bar {
        var label: String
        var value: Double?
        /// `ok`, `bad` or `warn`: the bar's colour class.
        var tone: String = "ok"
    }

    var title: String
    var unit: String
    var bars: [Bar]

    func svg() -> String {
        let width = 560.0, height = 150.0, left = 56.0, bottom = 22.0, top = 10.0
        let plotHeight = height - bottom - top
        let maximum = bars.compactMap(\.value).max() ?? 0
        let slot = bars.isEmpty ? 0 : (width - left - 8) / Double(bars.count)
        var out = "<figure class=\"chart\"><figcaption>\(HTML.escape(title))</figcaption>"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
        out += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - 4)\" y2=\"\(top + plotHeight)\"/>"
        out += "<text class=\"tick\" x=\"\(left - 6)\" y=\"\(top + 8)\" text-anchor=\"end\">\(HTML.escape(Self.format(maximum) + unit))</text>"
        out += "<text class=\"tick\" x=\"\(left - 6)\" y=\"\(top + plotHeight)\" text-anchor=\"end\">0</text>"
        for (i, bar) in bars.enumerated() {
            let x = left + Double(i) * slot + slot * 0.15
            let w = max(1, slot * 0.7)
            if let value = bar.value {
                let h = maximum > 0 ? max(1, plotHeight * value / maximum) : 1
                out += "<rect class=\"bar \(bar.tone)\" x=\(Self.attr(x)) y=\(Self.attr(top + plotHeight - h)) width=\(Self.attr(w)) height=\(Self.attr(h))>"
                out += "<title>\(HTML.escape(bar.label + ": " + Self.format(value) + unit))</title></rect>"
            }
            if bars.count <= 12 || i == 0 || i == bars.count - 1 {
                out += "<text class=\"tick\" x=\(Self.attr(x + w / 2)) y=\"\(height - 6)\" text-anchor=\"middle\">\(HTML.escape(bar.label))</text>"
            }
        }
        return out + "</svg></figure>\n"
    }

    private static func attr(_ v: Double) -> String { "\"" + String(Int((v * 10).rounded()) / 10) + "\"" }

    /// 12, 1.5k, 2.3M; whole numbers below 10,000 as they are.
    static func format(_ v: Double) -> String {
        if v >= 1_000_000 { return trim(v / 1_000_000) + "M" }
        if v >= 10_000 { return trim(v / 1_000) + "k" }
        return v == v.rounded() ? String(Int(v)) : trim(v)
    }

    private static func trim(_ v: Double) -> String {
        let tenths = (v * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
