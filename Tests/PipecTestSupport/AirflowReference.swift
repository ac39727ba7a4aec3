import Foundation

/// `Tests/PipecScheduleTests/Golden/airflow_context.json`: runs and rendered templates recorded from real Airflow
/// 2.10 and 3.x by `scripts/airflow_reference.py`. The schedule tests compare run times with it, the template tests
/// rendered strings.
public struct AirflowReference: Decodable, Sendable {
    public var generated_by: String
    public var cases: [Case]

    /// Named `name (semantics)` in test output.
    public struct Case: Decodable, Sendable, CustomStringConvertible {
        public var name: String
        public var schedule: String
        public var timezone: String
        public var start: String
        public var end: String
        public var semantics: String
        public var timetable: String
        public var runs: [Run]
        public var description: String { "\(name) (\(semantics))" }
    }

    public struct Run: Decodable, Sendable {
        public var logical_date: String
        public var run_after: String
        public var values: [String: String?]
        public var undefined: [String]
    }

    /// The recorded file, or nil when it is missing or does not decode (each suite has a test that says so).
    public static let recorded: AirflowReference? = {
        let url = PackagePaths.root.appendingPathComponent("Tests/PipecScheduleTests/Golden/airflow_context.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(AirflowReference.self, from: data)
    }()
}
