import PipecDiagnostics
import Testing
@testable import PipecSyntax

private func parse(_ text: String, limits: ParseLimits = ParseLimits()) -> (Node?, [Diagnostic]) {
    YAMLParser.parse(SourceFile(path: "t.yaml", text: text), limits: limits)
}

@Suite struct YAMLParserTests {
    @Test func scalarsKeepTheirTextAndLocation() throws {
        let (root, problems) = parse("on: warehouse\ncountry: NO\nretries: 3\n")
        #expect(problems.isEmpty)
        let r = try #require(root)
        #expect(r["on"]?.text == "warehouse")
        #expect(r["country"]?.text == "NO")
        #expect(r["retries"]?.text == "3")
        #expect(r["country"]?.location == SourceLocation(file: "t.yaml", line: 2, column: 10, length: 2))
        #expect(r.entries?.first?.key.location.column == 1)
    }

    @Test func nullsAreOnlyPlain() throws {
        let (root, _) = parse("a:\nb: ~\nc: ''\nd: 'null'\n")
        let r = try #require(root)
        #expect(r["a"]?.isNull == true)
        #expect(r["b"]?.isNull == true)
        #expect(r["c"]?.isNull == false)
        #expect(r["c"]?.text == "")
        #expect(r["d"]?.text == "null")
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let yaml = """
        base: &base {retries: 2, pool: api}
        task:
          <<: *base
          retries: 5
        list: [*base, *base]
        multi:
          <<: [{a: 1}, {a: 2, b: 3}]
        """
        let (root, problems) = parse(yaml)
        #expect(problems.isEmpty)
        let r = try #require(root)
        #expect(r["task"]?["retries"]?.text == "5")
        #expect(r["task"]?["pool"]?.text == "api")
        #expect(r["task"]?["<<"] == nil)
        #expect(r["list"]?.items?.count == 2)
        #expect(r["multi"]?["a"]?.text == "1")
        #expect(r["multi"]?["b"]?.text == "3")
    }

    @Test func duplicateKeysAreErrorsWithTheFirstPlace() {
        let (_, problems) = parse("a: 1\nb: 2\na: 3\n")
        #expect(problems.count == 1)
        #expect(problems[0].code == "E003")
        #expect(problems[0].location?.line == 3)
        #expect(problems[0].notes.first?.location?.line == 1)
    }

    @Test func duplicateKeysAreFoundInLargeMappingsToo() {
        // Small mappings are searched key by key, larger ones through an index: both must find the first place.
        let keys = (0..<40).map { "k\($0): \($0)" }.joined(separator: "\n")
        let (_, problems) = parse(keys + "\nk3: again\nk39: again\n")
        #expect(problems.map(\.code) == ["E003", "E003"])
        #expect(problems.map { $0.notes.first?.location?.line } == [4, 40])
    }

    @Test func jsonGoesThroughTheSameParserWithLocations() throws {
        let json = "{\n  \"version\": 1,\n  \"pipeline\": \"x\",\n  \"tags\": [\"a\",\"b\"]\n}\n"
        let (root, problems) = parse(json)
        #expect(problems.isEmpty)
        let r = try #require(root)
        #expect(r["version"]?.text == "1")
        #expect(r["pipeline"]?.location.line == 3)
        #expect(r["tags"]?.items?.map(\.text) == ["a", "b"])
    }

    @Test func yamlAndJsonFormsAreTheSameTree() throws {
        let (a, _) = parse("version: 1\nresources:\n  db: {kind: sqlite, path: x.db}\n")
        let (b, _) = parse("{\"version\": 1, \"resources\": {\"db\": {\"kind\": \"sqlite\", \"path\": \"x.db\"}}}")
        #expect(try #require(a).sameContent(as: try #require(b)))
    }

    @Test func billionLaughsIsBounded() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(i): &a\(i) [\(refs)]\n"
        }
        let (root, problems) = parse(yaml)
        #expect(root == nil)
        #expect(problems.contains { $0.code == "E007" })
    }

    @Test func deepNestingIsBounded() {
        let yaml = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let (root, problems) = parse(yaml)
        #expect(root == nil)
        #expect(problems.first?.code == "E004")
    }

    @Test func syntaxErrorsPointAtTheProblem() {
        let (root, problems) = parse("a: [1, 2\nb: 3\n")
        #expect(root == nil)
        #expect(problems.first?.code == "E001")
        #expect(problems.first?.location != nil)
    }

    @Test func tabsGetAHint() {
        let (_, problems) = parse("a:\n\tb: 1\n")
        #expect(problems.first?.code == "E001")
        #expect(problems.first?.help?.contains("tabs") == true)
    }

    @Test func oneDocumentOnly() {
        let (_, problems) = parse("a: 1\n---\nb: 2\n")
        #expect(problems.first?.code == "E005")
    }

    @Test func unknownAnchor() {
        let (_, problems) = parse("a: *nope\n")
        #expect(problems.first?.code == "E001" || problems.first?.code == "E006")
    }

    @Test func blockScalarsRecordWhereTheirContentStarts() throws {
        let yaml = "sql: |\n    SELECT 1\n    FROM t\nother: 'quoted'\n"
        let (root, _) = parse(yaml)
        let r = try #require(root)
        let sql = try #require(r["sql"]?.scalar)
        #expect(sql.text == "SELECT 1\nFROM t\n")
        #expect(sql.contentLine == 2)
        #expect(sql.contentColumn == 5)
        #expect(sql.contentIndent == 4)
        let quoted = try #require(r["other"]?.scalar)
        #expect(quoted.contentLine == 4)
        #expect(quoted.contentColumn == 9)
    }

    @Test func aReaderThreadBuildsTheSameTreeAndDiagnostics() {
        // Large files are read by libyaml on a thread of its own; the result must not depend on which way was taken.
        var yaml = "base: &base {retries: 2, pool: api}\ntables:\n"
        for i in 0..<600 {
            yaml += "  t\(i):\n    <<: *base\n    on: warehouse  # \(i)\n    sql: |\n      SELECT \(i)\n      FROM x\n    checks: [{not_null: [id, \"é\(i)\"]}]\n"
        }
        let cases = [
            yaml,
            yaml + "  t7:\n    on: again\n",             // a duplicate key, late in the file
            yaml + "  bad: [1, 2\n",                     // a syntax error after thousands of events
            yaml + "  deep: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n",   // a fatal limit
        ]
        for text in cases {
            let source = SourceFile(path: "t.yaml", text: text)
            let results = [0, Int.max].map { threshold in
                Array(text.utf8).withUnsafeBufferPointer { YAMLParser.parse(source, bytes: $0, limits: ParseLimits(), readerThreadAbove: threshold) }
            }
            #expect(results[0].1 == results[1].1)
            #expect(results[0].0.map(Self.outline) == results[1].0.map(Self.outline))
        }
    }

    /// Every node's content and location, in document order.
    private static func outline(_ node: Node) -> [String] {
        var lines = ["\(node.location) \(node.kindDescription) \(node.scalar.map { "\($0.text)|\($0.contentLine):\($0.contentColumn)" } ?? "")"]
        for item in node.items ?? .empty { lines += outline(item) }
        for entry in node.entries ?? .empty { lines += outline(entry.key) + outline(entry.value) }
        return lines
    }

    @Test func emptyDocumentIsAnEmptyMapping() throws {
        let (root, problems) = parse("")
        #expect(problems.isEmpty)
        #expect(try #require(root).entries?.isEmpty == true)
    }
}
