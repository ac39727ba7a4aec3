internal import CCurl
internal import CCurlShim

/// One libcurl easy handle, the only place pipec touches libcurl's C API. Reusing a handle across requests keeps
/// its connection cache, so consecutive requests to one server share a keep-alive connection.
final class CurlHandle {
    let raw: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    init() throws(HTTPError) {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { throw HTTPError.transport("libcurl could not create a handle", code: nil, kind: .other) }
        raw = h
    }

    deinit {
        freeLists()
        curl_easy_cleanup(raw)
    }

    /// Forgets the options of the previous request; connections (and the DNS cache) stay.
    func reset() {
        curl_easy_reset(raw)
        freeLists()
    }

    private func freeLists() {
        for list in lists { curl_slist_free_all(list) }
        lists = []
    }

    func set(_ option: CURLoption, _ value: Int) { _ = pipec_curl_setopt_long(raw, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = pipec_curl_setopt_string(raw, option, value) }
    func set(_ option: CURLoption, offset value: Int64) { _ = pipec_curl_setopt_off_t(raw, option, curl_off_t(value)) }
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) { _ = pipec_curl_setopt_pointer(raw, option, value) }
    func set(_ option: CURLoption, callback: pipec_curl_data_cb) { _ = pipec_curl_setopt_callback(raw, option, callback) }
    func setProgress(_ callback: pipec_curl_xferinfo_cb) { _ = pipec_curl_setopt_xferinfo(raw, callback) }

    /// A string list option (headers, mail recipients); the list lives until the next `reset()`.
    func set(_ option: CURLoption, lines: [String]) {
        guard !lines.isEmpty else { return }
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        if let list {
            lists.append(list)
            _ = pipec_curl_setopt_slist(raw, option, list)
        }
    }

    func info(_ key: CURLINFO) -> Int {
        var value = 0
        _ = pipec_curl_getinfo_long(raw, key, &value)
        return value
    }

    /// Runs the transfer; a libcurl failure becomes an `HTTPError` saying whether the server was unreachable.
    func perform() throws(HTTPError) {
        let code = curl_easy_perform(raw)
        guard code != CURLE_OK else { return }
        let message = String(cString: curl_easy_strerror(code))
        let kind: HTTPError.TransportKind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .unreachable
        case CURLE_OPERATION_TIMEDOUT: kind = .timedOut
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR, CURLE_READ_ERROR: kind = .aborted
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE: kind = .connectionLost
        default: kind = .other
        }
        throw HTTPError.transport(message, code: Int(code.rawValue), kind: kind)
    }
}
