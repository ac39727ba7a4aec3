internal import CLibPQ

/// COPY: PostgreSQL's bulk path, streamed in both directions with constant memory.
extension PGConnection {
    /// Runs a `COPY ... FROM STDIN` statement and streams the data `nextChunk` returns until it returns nil;
    /// returns the number of rows the server loaded.
    ///
    /// Chunks are passed on as they are (`PQputCopyData`), so they need not end at row boundaries; their size
    /// is the caller's choice (1 MiB is a good one). The format is the statement's (`WITH (FORMAT csv, HEADER
    /// true)` etc.).
    ///
    /// - Throws: what `nextChunk` throws, after aborting the COPY (`PQputCopyEnd` with an error message), so the
    ///   server rolls the COPY back and no row of it stays; ``PGError`` when the server rejects the statement
    ///   or the data. The server reports bad data only when the stream ends (it discards the rest meanwhile);
    ///   the error's ``PGError/context`` names the line, e.g. `COPY t, line 3, column b: "x"`.
    @discardableResult
    public func copyIn(_ sql: String, from nextChunk: () throws -> [UInt8]?) throws -> Int {
        try startCopy(sql, expecting: PGRES_COPY_IN)
        isBusy = true
        defer { isBusy = false }
        var sendFailed = false
        do {
            while let chunk = try nextChunk() {
                if !send(chunk) {
                    sendFailed = true
                    break
                }
            }
        } catch {
            // The server then fails the COPY with SQLSTATE 57014 and rolls it back; that result is drained, and the
            // caller gets the source's own error, which says what actually went wrong.
            PQputCopyEnd(handle, "pipec: the COPY data source failed; COPY aborted")
            drainResults()
            throw error
        }
        if sendFailed {
            let error = PGError.connection(handle, statement: sql)
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            let error = PGError.connection(handle, statement: sql)
            drainResults()
            throw error
        }
        return try finishResults(statement: sql).rowsAffected ?? 0
    }

    /// Streams a file into a `COPY ... FROM STDIN` statement in chunks of `chunkSize` bytes (1 MiB by default),
    /// holding one chunk at a time; returns the number of rows loaded.
    @discardableResult
    public func copyIn(_ sql: String, fromFileAt path: String, chunkSize: Int = 1 << 20) throws -> Int {
        let reader = try FileChunkReader(path: path, chunkSize: chunkSize)
        return try copyIn(sql) { try reader.next() }
    }

    /// Runs a `COPY ... TO STDOUT` statement and hands its data to `sink` in chunks of about `chunkSize` bytes
    /// (whole rows; the last chunk may be smaller); returns the number of rows copied.
    ///
    /// - Throws: what `sink` throws, after cancelling the COPY and discarding the rest of its data;
    ///   ``PGError`` when the server fails the statement.
    @discardableResult
    public func copyOut(_ sql: String, chunkSize: Int = 1 << 20, to sink: ([UInt8]) throws -> Void) throws -> Int {
        try startCopy(sql, expecting: PGRES_COPY_OUT)
        isBusy = true
        defer { isBusy = false }
        let limit = max(1, chunkSize)
        var pending: [UInt8] = []
        pending.reserveCapacity(limit)
        do {
            var buffer: UnsafeMutablePointer<CChar>?
            while true {
                let count = PQgetCopyData(handle, &buffer, 0)
                if count > 0, let data = buffer {
                    data.withMemoryRebound(to: UInt8.self, capacity: Int(count)) {
                        pending.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(count)))
                    }
                }
                if let data = buffer {
                    PQfreemem(data)
                    buffer = nil
                }
                if count < 0 { break }  // -1: done (the final result follows); -2: failure (in the result)
                if pending.count >= limit {
                    try sink(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            if !pending.isEmpty { try sink(pending) }
        } catch {
            try? canceller.cancel()
            discardCopyOutData()
            drainResults()
            throw error
        }
        return try finishResults(statement: sql).rowsAffected ?? 0
    }

    /// Sends `sql` and checks that the server entered the expected COPY state; on anything else, reads the
    /// results to the end and throws the server's error or a client error naming the mismatch.
    private func startCopy(_ sql: String, expecting expected: ExecStatusType) throws {
        try checkIdle(sql)
        guard PQsendQuery(handle, sql) == 1 else { throw PGError.connection(handle, statement: sql) }
        guard let raw = PQgetResult(handle) else { throw PGError.connection(handle, statement: sql) }
        let status = PQresultStatus(raw)
        if status == expected {
            PQclear(raw)
            return
        }
        var error: PGError
        if status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || status == PGRES_NONFATAL_ERROR {
            error = PGError(result: raw, statement: sql)
        } else {
            let wanted = expected == PGRES_COPY_IN ? "COPY ... FROM STDIN" : "COPY ... TO STDOUT"
            error = PGError.client("the statement is not a \(wanted)", statement: sql)
        }
        PQclear(raw)
        if status == PGRES_COPY_IN { PQputCopyEnd(handle, "pipec: wrong COPY direction") }
        if status == PGRES_COPY_OUT { discardCopyOutData() }
        drainResults()
        throw error
    }

    /// `PQputCopyData` for one chunk; libpq takes an `Int32` length, so huge chunks go in 1 GiB pieces.
    private func send(_ chunk: [UInt8]) -> Bool {
        chunk.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let length = min(bytes.count - offset, 1 << 30)
                guard let base = bytes.baseAddress else { return true }
                let sent = PQputCopyData(handle, (base + offset).assumingMemoryBound(to: CChar.self), Int32(length))
                if sent != 1 { return false }
                offset += length
            }
            return true
        }
    }
}
