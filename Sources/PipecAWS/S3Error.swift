import Foundation
import PipecHTTP

/// A failed S3 request: S3's error code (`NoSuchKey`, `SignatureDoesNotMatch`, ...) and message from its XML
/// error document, or the HTTP status when there is none (HEAD replies have no body).
public struct S3Error: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String
    /// `METHOD s3://bucket/key`.
    public var operation: String

    public var description: String { "\(operation): \(code) (HTTP \(status)): \(message)" }

    public var isNotFound: Bool { status == 404 || code == "NoSuchKey" }
    /// Worth retrying: S3's throttling and server-side errors.
    public var isTransient: Bool { status >= 500 || status == 429 || code == "SlowDown" || code == "RequestTimeout" }

    static func from(_ response: HTTPResponse, operation: String) -> S3Error {
        let text = response.text
        let code = XMLText.value(of: "Code", in: text) ?? (response.status == 404 ? "NotFound" : "HTTP\(response.status)")
        var message = XMLText.value(of: "Message", in: text) ?? text.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.isEmpty { message = "no details in the response" }
        return S3Error(status: response.status, code: code, message: String(message.prefix(500)), operation: operation)
    }
}
