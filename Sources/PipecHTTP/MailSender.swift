internal import CCurl
import Foundation

/// Sends one e-mail over SMTP (libcurl speaks it): `smtp://host:port` or `smtps://`, optional login.
public struct MailSender: Sendable {
    public var server: String
    public var user: String?
    public var password: String?
    public var timeoutMilliseconds = 30_000

    public init(server: String, user: String? = nil, password: String? = nil) {
        self.server = server
        self.user = user
        self.password = password
    }

    public func send(from: String, to: [String], subject: String, text: String) throws {
        let handle = try CurlHandle()
        handle.set(CURLOPT_URL, server)
        handle.set(CURLOPT_NOSIGNAL, 1)
        handle.set(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, min(timeoutMilliseconds, 10_000))
        handle.set(CURLOPT_MAIL_FROM, "<\(from)>")
        handle.set(CURLOPT_MAIL_RCPT, lines: to.map { "<\($0)>" })
        if let user { handle.set(CURLOPT_USERNAME, user) }
        if let password { handle.set(CURLOPT_PASSWORD, password) }
        handle.set(CURLOPT_UPLOAD, 1)
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = TimeZone(identifier: "UTC")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        // Lines starting with a dot are doubled by libcurl (SMTP's transparency rule); line ends must be CRLF.
        let message = "Date: \(date.string(from: Date()))\r\nFrom: <\(from)>\r\nTo: \(to.map { "<\($0)>" }.joined(separator: ", "))\r\n"
            + "Subject: \(Self.headerText(subject))\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n"
            + text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        let body = MailBody(Array(message.utf8))
        handle.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(body).toOpaque())
        handle.set(CURLOPT_READFUNCTION) { buffer, size, count, context in
            let body = Unmanaged<MailBody>.fromOpaque(context!).takeUnretainedValue()
            let n = min(size * count, body.bytes.count - body.offset)
            if n > 0, let buffer {
                body.bytes.withUnsafeBytes { UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress! + body.offset, byteCount: n) }
                body.offset += n
            }
            return n
        }
        try withExtendedLifetime(body) { try handle.perform() }
    }

    /// A subject as a header value: plain when ASCII, RFC 2047 encoded otherwise; never spanning lines.
    static func headerText(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if oneLine.utf8.allSatisfy({ $0 < 0x80 }) { return oneLine }
        return "=?UTF-8?B?" + Data(oneLine.utf8).base64EncodedString() + "?="
    }
}

private final class MailBody {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}
