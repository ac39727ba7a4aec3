import Foundation

/// Parameter values as the `const char * const *` array `PQsendQueryParams` takes, NULL entries for SQL NULL.
///
/// The strings are copied into C memory owned by this value for the duration of ``withPointers(_:)``: libpq
/// copies them into its output buffer during the call, so nothing needs to outlive it.
struct CStringArray {
    private let values: [String?]

    init(_ values: [String?]) { self.values = values }

    func withPointers<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = values.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
