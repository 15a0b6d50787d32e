import CCurl
import CSVStream
import EKSModel
import FileAccess
import Foundation

/// Why a download failed: the URL, what happened, and what the user can do.
package struct FetchError: Error, CustomStringConvertible {
    package let url: String
    package let reason: String
    /// The HTTP status of an answer other than 200.
    package var status: Int? = nil

    package var description: String { "cannot fetch \(url): \(reason)" }

    static let abandonedReason = "stopped: the file being read as it arrived has an error"
    /// The reader of the file being downloaded gave it up; its error is the one to report.
    static func abandoned(_ url: URL) -> FetchError { FetchError(url: url.absoluteString, reason: abandonedReason) }
    package var isAbandoned: Bool { reason == Self.abandonedReason }
}

/// Plain GETs with libcurl's easy API (the only file that imports it). libcurl honours
/// `https_proxy`, `HTTPS_PROXY`, `http_proxy`, `ALL_PROXY` and `NO_PROXY` itself. Bodies are
/// either kept in memory (the small JSON indexes) or written to a file as they arrive, and their
/// length is checked against Content-Length: a body cut short is an error, never a short file.
/// A file read as it arrives goes, when its length is announced, to a ring in memory that the
/// importer scans (`StreamedBytes`) instead of a spool file.
///
/// Why libcurl directly rather than FoundationNetworking's URLSession, which runs on libcurl
/// too: URLSession hands the body to its delegate in libcurl's 16 KB pieces with one `Operation`
/// on the delegate queue for each, about 65,000 thread hand-offs per GiB. Measured on the same
/// 1 GiB over loopback: 3.2–3.8 s of CPU for URLSession, 0.6–0.8 s for curl, 0.37 s for
/// `pricing import` of the file on disk (BENCHMARKS.md, "Pricing fetch over loopback"). Here
/// libcurl calls back on the downloading thread itself, and the body goes to the ring (or to
/// the spool a megabyte per write(2)).
final class PriceListHTTP: @unchecked Sendable {
    /// Seconds without a byte before a request is given up.
    let idleTimeout: TimeInterval

    init(idleTimeout: TimeInterval = 20) { self.idleTimeout = idleTimeout }

    /// The body of a small file (an index), at most `limit` bytes.
    func data(_ url: URL, limit: Int = 64 << 20) throws -> Data {
        var body = Data()
        try get(url) { piece in
            body.append(contentsOf: piece)
            if body.count > limit {
                throw FetchError(
                    url: url.absoluteString,
                    reason: "the file is larger than \(limit >> 20) MB; is this the price list endpoint?")
            }
        }
        return body
    }

    /// Streams the body to `path` (created, truncated); `progress` gets bytes so far and the
    /// expected total (0 when unknown). Returns the bytes received. `streamed`, if given, is
    /// where a body of announced length goes instead of the file (which is then not created):
    /// it is always begun and finished, and when its readers abandon it the download stops
    /// (throwing `FetchError.abandoned`). A body of unknown length goes to the file.
    @discardableResult
    func download(_ url: URL, to path: String, streamed: StreamedBytes? = nil, progress: ((Int, Int) -> Void)? = nil)
        throws -> Int
    {
        defer { streamed?.finish() }
        var spool: Spool?
        defer { spool?.file.close() }
        var received = 0
        var sink: ((UnsafeRawBufferPointer) throws -> Void)?
        try get(url) { piece in
            try sink?(piece)
            received += piece.count
        } onLength: { total in
            if let streamed, total > 0 {
                streamed.begin(size: total)
                sink = { piece in if !streamed.append(piece) { throw FetchError.abandoned(url) } }
            } else {
                streamed?.begin(size: nil)
                let file: OutputFile
                do {
                    file = try AtomicFiles.create(path)
                } catch {
                    throw FetchError(url: url.absoluteString, reason: "cannot create the spool file: \(error)")
                }
                let opened = Spool(file: file, url: url)
                spool = opened
                sink = { piece in try opened.append(piece) }
            }
            progress?(0, total)
        } onProgress: {
            progress?($0, $1)
        }
        try spool?.flush()
        return received
    }

    /// The spool of a download of unknown length: the 16 KB pieces libcurl hands over are
    /// gathered and written a megabyte at a time.
    private final class Spool {
        let file: OutputFile
        let url: URL
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        var filled = 0

        init(file: OutputFile, url: URL) {
            self.file = file
            self.url = url
        }

        deinit { buffer.deallocate() }

        func append(_ piece: UnsafeRawBufferPointer) throws {
            var rest = piece[...]
            while !rest.isEmpty {
                let count = min(rest.count, buffer.count - filled)
                UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest.prefix(count)))
                filled += count
                rest = rest.dropFirst(count)
                if filled == buffer.count { try flush() }
            }
        }

        func flush() throws {
            do {
                try file.write(UnsafeRawBufferPointer(rebasing: buffer[..<filled]))
            } catch {
                throw FetchError(url: url.absoluteString, reason: "cannot write the spool file: \(error)")
            }
            filled = 0
        }
    }

    /// libcurl's global state, set up once for the process before the first handle.
    private static let libcurlStarted = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// libcurl's receive buffer: the default 16 KB means a read(2) per 16 KB; 512 KiB (at most
    /// CURL_MAX_READ_SIZE, 10 MB) takes a fast loopback or LAN in far fewer.
    static let receiveBuffer = 512 << 10

    /// Runs one GET to the end on the calling thread, handing each piece of a 200 answer's body
    /// to `sink` (serially, on this thread).
    private func get(
        _ url: URL, sink: @escaping (UnsafeRawBufferPointer) throws -> Void, onLength: ((Int) throws -> Void)? = nil,
        onProgress: ((Int, Int) -> Void)? = nil
    ) throws {
        func failure(_ reason: String) -> FetchError { FetchError(url: url.absoluteString, reason: reason) }
        guard Self.libcurlStarted, let curl = curl_easy_init() else {
            throw failure("libcurl cannot start (out of memory?)")
        }
        defer { curl_easy_cleanup(curl) }
        let transfer = Transfer(url: url, curl: curl, sink: sink, onLength: onLength, onProgress: onProgress)
        let headers = curl_slist_append(nil, "Accept-Encoding: identity")
        defer { curl_slist_free_all(headers) }
        var errors = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))
        let code = try errors.withUnsafeMutableBufferPointer { errorBuffer -> CURLcode in
            let context = Unmanaged.passUnretained(transfer).toOpaque()
            let seconds = max(1, Int(idleTimeout.rounded(.up)))
            let settings: [(CURLoption, CURLcode)] = [
                (CURLOPT_URL, ekscost_curl_set_string(curl, CURLOPT_URL, url.absoluteString)),
                (CURLOPT_PROTOCOLS_STR, ekscost_curl_set_string(curl, CURLOPT_PROTOCOLS_STR, "http,https")),
                (CURLOPT_REDIR_PROTOCOLS_STR, ekscost_curl_set_string(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")),
                (CURLOPT_FOLLOWLOCATION, ekscost_curl_set_long(curl, CURLOPT_FOLLOWLOCATION, 1)),
                (CURLOPT_MAXREDIRS, ekscost_curl_set_long(curl, CURLOPT_MAXREDIRS, 10)),
                (CURLOPT_USERAGENT, ekscost_curl_set_string(curl, CURLOPT_USERAGENT, "ekscost")),
                (CURLOPT_HTTPHEADER, ekscost_curl_set_list(curl, CURLOPT_HTTPHEADER, headers)),
                // Called from a thread of a process with threads: no signals (DNS runs on
                // libcurl's own resolver thread).
                (CURLOPT_NOSIGNAL, ekscost_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)),
                // The idle timeout: connecting, then less than a byte a second for that long.
                (CURLOPT_CONNECTTIMEOUT, ekscost_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT, seconds)),
                (CURLOPT_LOW_SPEED_LIMIT, ekscost_curl_set_long(curl, CURLOPT_LOW_SPEED_LIMIT, 1)),
                (CURLOPT_LOW_SPEED_TIME, ekscost_curl_set_long(curl, CURLOPT_LOW_SPEED_TIME, seconds)),
                (CURLOPT_BUFFERSIZE, ekscost_curl_set_long(curl, CURLOPT_BUFFERSIZE, Self.receiveBuffer)),
                // A proxy's answer to CONNECT is not the server's answer.
                (CURLOPT_SUPPRESS_CONNECT_HEADERS, ekscost_curl_set_long(curl, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)),
                (CURLOPT_ERRORBUFFER, ekscost_curl_set_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress)),
                (
                    CURLOPT_HEADERFUNCTION,
                    ekscost_curl_set_callback(curl, CURLOPT_HEADERFUNCTION) { text, size, count, context in
                        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                        return transfer.header(UnsafeRawBufferPointer(start: text, count: size * count))
                            ? size * count : 0
                    }
                ),
                (CURLOPT_HEADERDATA, ekscost_curl_set_pointer(curl, CURLOPT_HEADERDATA, context)),
                (
                    CURLOPT_WRITEFUNCTION,
                    ekscost_curl_set_callback(curl, CURLOPT_WRITEFUNCTION) { bytes, size, count, context in
                        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                        // A short count makes libcurl stop with CURLE_WRITE_ERROR.
                        return transfer.body(UnsafeRawBufferPointer(start: bytes, count: size * count))
                            ? size * count : 0
                    }
                ),
                (CURLOPT_WRITEDATA, ekscost_curl_set_pointer(curl, CURLOPT_WRITEDATA, context)),
            ]
            if let (option, refused) = settings.first(where: { $0.1 != CURLE_OK }) {
                throw failure(
                    "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(refused)))")
            }
            return withExtendedLifetime(transfer) { curl_easy_perform(curl) }
        }
        if let failed = transfer.failure { throw failed }
        guard code == CURLE_OK else {
            let written = errors.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            let detail =
                written.isEmpty ? String(cString: curl_easy_strerror(code)) : String(decoding: written, as: UTF8.self)
            throw failure(transfer.reason(code, detail: detail, idleSeconds: Int(idleTimeout.rounded(.up))))
        }
        guard transfer.answered else { throw failure("the server sent no answer") }
        if transfer.expected > 0, transfer.received != transfer.expected {
            throw failure("the body is \(transfer.received) bytes but the server announced \(transfer.expected)")
        }
        onProgress?(transfer.received, max(transfer.expected, transfer.received))
    }

    /// The largest body ekscost takes: AWS's largest offer file (AmazonEC2, all regions) is a
    /// few GB; one region's, several hundred MB.
    static let maximumLength = 1 << 40

    /// The announced length of a body (0 when not announced), read as every number from input
    /// is: a whole number from 0 to `maximumLength`, never wrapped.
    static func contentLength(_ headers: [String: String]) -> Result<Int, RangeProblem> {
        guard let entry = headers.first(where: { $0.key.lowercased() == "content-length" }) else { return .success(0) }
        return CheckedNumber.integer(entry.value, in: 0...maximumLength)
    }

    /// One transfer as libcurl's callbacks see it: checks the status, counts bytes, keeps the
    /// first failure. Used by the thread running `curl_easy_perform` only.
    private final class Transfer {
        let url: URL
        let curl: UnsafeMutableRawPointer
        let sink: (UnsafeRawBufferPointer) throws -> Void
        let onLength: ((Int) throws -> Void)?
        let onProgress: ((Int, Int) -> Void)?
        var failure: FetchError?
        /// The headers of the answer being read (libcurl reports a redirect's too).
        var headers: [String: String] = [:]
        /// The final answer (a 200, after any redirects) has arrived: its body is the file.
        var answered = false
        var expected = 0
        var received = 0
        var lastProgress: UInt64 = 0

        init(
            url: URL, curl: UnsafeMutableRawPointer, sink: @escaping (UnsafeRawBufferPointer) throws -> Void,
            onLength: ((Int) throws -> Void)?, onProgress: ((Int, Int) -> Void)?
        ) {
            self.url = url
            self.curl = curl
            self.sink = sink
            self.onLength = onLength
            self.onProgress = onProgress
        }

        func fail(_ reason: String, status: Int? = nil) {
            if failure == nil { failure = FetchError(url: url.absoluteString, reason: reason, status: status) }
        }

        /// One header line; false stops the transfer.
        func header(_ line: UnsafeRawBufferPointer) -> Bool {
            // Trailers of a chunked body come after the answer: nothing to read there.
            guard !answered else { return true }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("HTTP/") {
                headers = [:]
                return true
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.isEmpty else {
                if let colon = trimmed.firstIndex(of: ":") {
                    headers[String(trimmed[..<colon])] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(
                        in: .whitespaces)
                }
                return true
            }
            // The end of one answer's headers.
            var status = 0
            _ = ekscost_curl_get_long(curl, CURLINFO_RESPONSE_CODE, &status)
            // 1xx is interim; a redirect that names where to go, libcurl follows.
            if status < 200 || ((300..<400).contains(status) && headers.keys.contains { $0.lowercased() == "location" })
            {
                return true
            }
            answered = true
            guard status == 200 else {
                fail(
                    status == 404
                        ? "404 Not Found (AWS does not publish this file: check the region code)"
                        : "HTTP status \(status)", status: status)
                return false
            }
            switch PriceListHTTP.contentLength(headers) {
            case .success(let length): expected = length
            case .failure(let problem):
                fail("its Content-Length \(problem)")
                return false
            }
            do {
                try onLength?(expected)
            } catch let error as FetchError {
                failure = error
                return false
            } catch {
                fail("\(error)")
                return false
            }
            return true
        }

        /// A piece of a body; false stops the transfer.
        func body(_ piece: UnsafeRawBufferPointer) -> Bool {
            guard failure == nil else { return false }
            // The body of an answer that is not the file (a redirect's) is not kept.
            guard answered else { return true }
            do {
                try sink(piece)
            } catch let error as FetchError {
                failure = error
                return false
            } catch {
                fail("\(error)")
                return false
            }
            received += piece.count
            if let onProgress {
                let now = DispatchTime.now().uptimeNanoseconds
                if now - lastProgress >= 100_000_000 {
                    lastProgress = now
                    onProgress(received, expected)
                }
            }
            return true
        }

        /// What the user reads when libcurl stops with `code`.
        func reason(_ code: CURLcode, detail: String, idleSeconds: Int) -> String {
            let stopped =
                "the download stopped after \(received) "
                + (expected > 0 ? "of the \(expected) bytes announced" : "bytes")
            switch code {
            case CURLE_COULDNT_RESOLVE_HOST: return "the host name does not resolve (offline, or no DNS)"
            case CURLE_COULDNT_RESOLVE_PROXY:
                return "the proxy's host name does not resolve (offline, or no DNS): \(detail)"
            case CURLE_COULDNT_CONNECT: return "cannot connect (offline, or a firewall or proxy in the way): \(detail)"
            case CURLE_OPERATION_TIMEDOUT:
                return received > 0
                    ? "\(stopped): nothing came for \(idleSeconds) seconds" : "no answer for \(idleSeconds) seconds"
            default: return received > 0 ? "\(stopped): \(detail)" : detail
            }
        }
    }
}
