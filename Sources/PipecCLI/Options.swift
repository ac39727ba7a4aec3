import ArgumentParser
import Foundation

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Flags every command that prints diagnostics takes.
struct DiagnosticOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Colour: auto (only on a terminal, and not when NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    @Flag(name: .long, help: "Treat warnings (such as literal secrets) as errors.")
    var strict = false

    /// Whether diagnostics written to stderr get ANSI colours.
    var useColor: Bool { color.enabled }
}

extension ColorChoice {
    /// `auto`: only on a terminal, and not when NO_COLOR is set (to anything).
    var enabled: Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return Terminal.stderrIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
    }
}
