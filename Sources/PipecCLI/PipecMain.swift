import ArgumentParser
import Foundation

/// The process entry: parses arguments, runs the command, and maps every outcome to CLI.md's exit codes
/// (0 success, 1 spec or run failed, 2 usage error, 3 service unreachable).
public enum PipecMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Int32 {
        do {
            var command = try Pipec.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let code = Pipec.exitCode(for: error)
            if code == .success {
                Terminal.out(Pipec.fullMessage(for: error))
                return 0
            }
            Terminal.err(Pipec.fullMessage(for: error))
            return ExitStatus.usage.rawValue
        }
    }
}

/// CLI.md's exit codes.
public enum ExitStatus: Int32 {
    case success = 0
    case failed = 1
    case usage = 2
    case unreachable = 3

    var exitCode: ExitCode { ExitCode(rawValue) }
}
