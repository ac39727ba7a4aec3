// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pipec",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pipec", targets: ["pipec"]),
        .library(name: "PipecCore", targets: ["PipecModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C libraries, each behind one system-library target. Only the wrapper modules import them.
        .systemLibrary(name: "CYaml", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        /** Typed wrappers for libcurl's variadic setopt/getinfo, which Swift cannot call. */
        .target(name: "CCurlShim", dependencies: ["CCurl"]),

        /** Source files, locations and diagnostics as values; text and JSON renderers. */
        .target(name: "PipecDiagnostics"),
        /** YAML/JSON text -> located syntax tree (the only importer of libyaml). */
        .target(name: "PipecSyntax", dependencies: ["PipecDiagnostics", "CYaml"]),
        /** Cron expressions, time zones, Airflow data intervals. */
        .target(name: "PipecSchedule", dependencies: ["PipecDiagnostics"]),
        /** The Jinja template engine with Airflow's context and macros. */
        .target(name: "PipecTemplate", dependencies: ["PipecDiagnostics", "PipecSchedule"]),
        /** The spec language: schema, typed model, loading and semantic checks. */
        .target(name: "PipecModel", dependencies: ["PipecDiagnostics", "PipecSyntax", "PipecSchedule", "PipecTemplate"]),
        /** Byte streams, CSV, gzip, Parquet, checksums (SHA-256 and HMAC from swift-crypto), and object stores: how data moves in constant memory. */
        .target(name: "PipecIO", dependencies: ["CZlib", .product(name: "Crypto", package: "swift-crypto")]),
        /** HTTP (and SMTP) through libcurl: streamed request and response bodies, SigV4 signing, cancellation. */
        .target(name: "PipecHTTP", dependencies: ["PipecIO", "CCurl", "CCurlShim"]),
        /** ClickHouse over its HTTP interface: statements, streamed SELECTs and INSERTs, `Code: N` errors, KILL QUERY. */
        .target(name: "PipecClickHouse", dependencies: ["PipecHTTP"]),
        /** S3 (object store, multipart uploads) and Athena, signed with SigV4. */
        .target(name: "PipecAWS", dependencies: ["PipecHTTP", "PipecIO"]),
        /** SQLite behind small safe types (the embedded engine and the default state store). */
        .target(name: "PipecSQLite", dependencies: ["CSQLite"]),
        /** PostgreSQL through libpq: parameters, streamed results, COPY in/out, cancel, SQLSTATE errors. */
        .target(name: "PipecPostgres", dependencies: ["CLibPQ"]),
        /** Checked model + runs -> the typed, deterministic execution plan; its printers and JSON form. */
        .target(name: "PipecPlan", dependencies: ["PipecDiagnostics", "PipecModel", "PipecSchedule", "PipecTemplate", "PipecIO"]),
        /** Carries plans out: the DAG runner, engines, state store. */
        .target(name: "PipecExec", dependencies: ["PipecDiagnostics", "PipecModel", "PipecPlan", "PipecSchedule", "PipecTemplate", "PipecIO", "PipecSQLite", "PipecPostgres", "PipecHTTP", "PipecClickHouse", "PipecAWS"]),
        /** `pipec docs`: the static site (pages, lineage SVG through Graphviz, run history charts); the only importer of libgvc. */
        .target(name: "PipecSite", dependencies: ["PipecDiagnostics", "PipecModel", "PipecSchedule", "PipecExec", "CGraphviz"]),
        /** Commands, flag groups, terminal output and exit codes. */
        .target(name: "PipecCLI", dependencies: [
            "PipecModel",
            "PipecPlan",
            "PipecExec",
            "PipecSite",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "pipec", dependencies: ["PipecCLI"]),
        /** `swift run -c release pipec-bench`: the benchmarks, each printed as a ratio against a baseline run alongside. */
        .executableTarget(name: "pipec-bench", dependencies: ["PipecModel", "PipecPlan", "PipecExec", "PipecSite", "PipecTemplate", "PipecSchedule", "PipecSyntax", "PipecPostgres"], path: "bench/Sources/pipec-bench"),

        .testTarget(name: "PipecSyntaxTests", dependencies: ["PipecSyntax"]),
        .testTarget(name: "PipecScheduleTests", dependencies: ["PipecSchedule", "PipecTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "PipecTemplateTests", dependencies: ["PipecTemplate", "PipecTestSupport"]),
        .testTarget(name: "PipecModelTests", dependencies: ["PipecModel", "PipecSyntax", "PipecTemplate"]),
        .testTarget(name: "PipecPlanTests", dependencies: ["PipecPlan"]),
        .testTarget(name: "PipecIOTests", dependencies: ["PipecIO", "PipecTestSupport"]),
        .testTarget(name: "PipecHTTPTests", dependencies: ["PipecHTTP", "PipecIO", "PipecTestSupport"]),
        .testTarget(name: "PipecClickHouseTests", dependencies: ["PipecClickHouse", "PipecIO", "PipecTestSupport"]),
        .testTarget(name: "PipecAWSTests", dependencies: ["PipecAWS", "PipecTestSupport"]),
        .testTarget(name: "PipecExecTests", dependencies: ["PipecExec", "PipecTestSupport"]),
        /** Helpers shared by test targets (running external programs). */
        .target(name: "PipecTestSupport", path: "Tests/PipecTestSupport"),
        .testTarget(name: "PipecSQLiteTests", dependencies: ["PipecSQLite", "PipecTestSupport"]),
        .testTarget(name: "PipecPostgresTests", dependencies: ["PipecPostgres", "PipecTestSupport"]),
        /** The invariants of ARCHITECTURE.md that code can check, over the source tree. */
        .testTarget(name: "ArchitectureTests", dependencies: ["PipecTestSupport"]),
        .testTarget(name: "PipecCLITests", dependencies: ["PipecCLI", "PipecIO", "PipecTestSupport"]),
    ]
)
