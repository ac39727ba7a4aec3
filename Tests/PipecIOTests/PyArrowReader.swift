import Foundation
import PipecTestSupport

/// Reads Parquet files with pyarrow, an independent implementation, from the tools venv that
/// `scripts/python-tools.sh` creates (once per machine, keyed by scripts/requirements-tools.txt).
enum PyArrowReader {
    /// What pyarrow saw in a file: metadata, the Arrow schema, every value as text, and per-chunk statistics.
    struct Report: Decodable {
        struct RowGroup: Decodable {
            let numRows: Int
            let columns: [Chunk]
        }

        struct Chunk: Decodable {
            let compression: String
            let physicalType: String
            let numValues: Int
            let nullCount: Int?
            let min: String?
            let max: String?
        }

        let numRows: Int
        let numRowGroups: Int
        let createdBy: String
        /// [name, Arrow type] per column.
        let schema: [[String]]
        let nullCounts: [Int]
        let rows: [[String?]]
        let rowGroups: [RowGroup]
    }

    /// The venv's python, or why there is none. Created once per test process; python-tools.sh also locks.
    static let python: Result<String, PyArrowError> = {
        let script = PackagePaths.root.appendingPathComponent("scripts/python-tools.sh").path
        do {
            let output = try ProcessRunner.run("bash", [script])
            let venv = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard output.status == 0, !venv.isEmpty else {
                return .failure(PyArrowError(message: "no pyarrow to check Parquet files with: creating the tools venv (scripts/python-tools.sh) failed with exit status \(output.status): \(output.stderr)"))
            }
            return .success(venv + "/bin/python")
        } catch {
            return .failure(PyArrowError(message: "\(error)"))
        }
    }()

    /// Values become text the way the Swift side writes its expectations: booleans `true`/`false`, floats as
    /// Python's repr, dates ISO, timestamps in UTC as `YYYY-MM-DDTHH:MM:SS.ffffff`, decimals in full.
    static let script = #"""
        import datetime, decimal, json, sys
        import pyarrow.parquet as pq

        def text(v):
            if v is None: return None
            if isinstance(v, bool): return "true" if v else "false"
            if isinstance(v, datetime.datetime):
                if v.tzinfo is not None: v = v.astimezone(datetime.timezone.utc)
                return v.strftime("%Y-%m-%dT%H:%M:%S.%f")
            if isinstance(v, datetime.date): return v.isoformat()
            if isinstance(v, decimal.Decimal): return format(v, "f")
            if isinstance(v, float): return repr(v)
            if isinstance(v, bytes): return v.decode()
            return str(v)

        f = pq.ParquetFile(sys.argv[1])
        md = f.metadata
        table = f.read()
        table.validate(full=True)
        groups = []
        for g in range(md.num_row_groups):
            rg = md.row_group(g)
            chunks = []
            for c in range(rg.num_columns):
                cc = rg.column(c)
                s = cc.statistics
                minmax = s is not None and s.has_min_max
                chunks.append({"compression": cc.compression, "physical_type": cc.physical_type,
                               "num_values": cc.num_values,
                               "null_count": s.null_count if s is not None and s.has_null_count else None,
                               "min": text(s.min) if minmax else None, "max": text(s.max) if minmax else None})
            groups.append({"num_rows": rg.num_rows, "columns": chunks})
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        print(json.dumps({
            "num_rows": md.num_rows, "num_row_groups": md.num_row_groups, "created_by": md.created_by,
            "schema": [[field.name, str(field.type)] for field in table.schema],
            "null_counts": [table.column(i).null_count for i in range(table.num_columns)],
            "rows": [[text(v) for v in row] for row in zip(*columns)],
            "row_groups": groups}))
        """#

    /// Reads the file at `path`; throws with pyarrow's own message when it rejects the file.
    static func read(_ path: String) throws -> Report {
        let python = try Self.python.get()
        let scriptPath = path + ".read.py"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let output = try ProcessRunner.run(python, [scriptPath, path])
        guard output.status == 0 else { throw PyArrowError(message: "pyarrow could not read \(path):\n\(output.stderr)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Report.self, from: Data(output.stdout.utf8))
    }
}

struct PyArrowError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
