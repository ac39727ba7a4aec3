import Foundation

/// Where commands write. One place, so output stays ordered and tests can rely on it.
enum Terminal {
    static func out(_ text: String) {
        write(text, to: FileHandle.standardOutput)
    }

    static func err(_ text: String) {
        write(text, to: FileHandle.standardError)
    }

    /// Text as it is, no newline (a progress bar redrawing itself with `\r`).
    static func raw(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func write(_ text: String, to handle: FileHandle) {
        var t = text
        if !t.hasSuffix("\n") { t += "\n" }
        handle.write(Data(t.utf8))
    }

    static var stderrIsTTY: Bool { isatty(2) == 1 }
    static var stdoutIsTTY: Bool { isatty(1) == 1 }
}
