internal import CCurl
internal import CCurlShim
import Foundation

/// One libcurl easy handle, owned here and cleaned up in `deinit`: a small request (a webhook POST, an SMTP
/// message) with the body held in memory. Large streamed transfers are the object store's business.
final class CurlRequest {
    private let handle: UnsafeMutableRawPointer
    private var headers: UnsafeMutablePointer<curl_slist>?
    private var recipients: UnsafeMutablePointer<curl_slist>?
    /// The upload body and how far curl has read it; curl points into it while the transfer runs.
    fileprivate var uploadBody: [UInt8] = []
    fileprivate var uploaded = 0
    fileprivate var response: [UInt8] = []

    static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    init() throws {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { throw EngineError("libcurl could not create a handle") }
        handle = h
    }

    deinit {
        curl_slist_free_all(headers)
        curl_slist_free_all(recipients)
        curl_easy_cleanup(handle)
    }

    private func set(_ option: CURLoption, _ value: Int) { _ = pipec_curl_setopt_long(handle, option, value) }
    private func set(_ option: CURLoption, _ value: String) { _ = pipec_curl_setopt_string(handle, option, value) }

    func url(_ url: String) { set(CURLOPT_URL, url) }
    /// An HTTP POST of the whole body (its size announced, so no chunked encoding).
    func post(size: Int) {
        set(CURLOPT_POST, 1)
        _ = pipec_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(size))
    }
    /// An upload (SMTP sends the message this way).
    func upload() { set(CURLOPT_UPLOAD, 1) }
    func mailFrom(_ address: String) { set(CURLOPT_MAIL_FROM, address) }
    func credentials(user: String?, password: String?) {
        if let user { set(CURLOPT_USERNAME, user) }
        if let password { set(CURLOPT_PASSWORD, password) }
    }

    func addHeader(_ line: String) { headers = curl_slist_append(headers, line) }
    func addRecipient(_ address: String) { recipients = curl_slist_append(recipients, address) }

    /// Runs the transfer with `body` as the upload; returns the response status (HTTP) or the last SMTP code.
    func perform(body: [UInt8], timeoutMilliseconds: Int) throws -> (status: Int, body: String) {
        uploadBody = body
        uploaded = 0
        response = []
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        set(CURLOPT_CONNECTTIMEOUT_MS, min(timeoutMilliseconds, 10_000))
        if let headers { _ = pipec_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers) }
        if let recipients { _ = pipec_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients) }
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = pipec_curl_setopt_pointer(handle, CURLOPT_READDATA, me)
        _ = pipec_curl_setopt_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
            let request = Unmanaged<CurlRequest>.fromOpaque(context!).takeUnretainedValue()
            let n = min(size * count, request.uploadBody.count - request.uploaded)
            if n > 0, let buffer {
                request.uploadBody.withUnsafeBytes { src in
                    UnsafeMutableRawPointer(buffer).copyMemory(from: src.baseAddress! + request.uploaded, byteCount: n)
                }
                request.uploaded += n
            }
            return n
        }
        _ = pipec_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = pipec_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let request = Unmanaged<CurlRequest>.fromOpaque(context!).takeUnretainedValue()
            if let data { request.response += UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count) }
            return size * count
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            let message = String(cString: curl_easy_strerror(code))
            let unreachable = [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT].contains(code)
            throw EngineError(message, code: "curl \(code.rawValue)", unreachable: unreachable)
        }
        var status = 0
        _ = pipec_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, String(decoding: response, as: UTF8.self))
    }
}
