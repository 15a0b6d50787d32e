import CSVStream
import EKSModel
import FileAccess
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

/// Plain GETs with FoundationNetworking's URLSession (libcurl underneath, which honours
/// `https_proxy`, `HTTPS_PROXY`, `http_proxy` and `NO_PROXY` itself). Bodies are either kept in
/// memory (the small JSON indexes) or streamed to a file as they arrive, and their length is
/// checked against Content-Length: a body cut short is an error, never a short file.
final class PriceListHTTP: @unchecked Sendable {
    /// Seconds without a byte before a request is given up.
    let idleTimeout: TimeInterval

    init(idleTimeout: TimeInterval = 20) { self.idleTimeout = idleTimeout }

    /// The body of a small file (an index), at most `limit` bytes.
    func data(_ url: URL, limit: Int = 64 << 20) throws -> Data {
        var body = Data()
        try get(url) { chunk in
            body.append(chunk)
            if body.count > limit { throw FetchError(url: url.absoluteString, reason: "the file is larger than \(limit >> 20) MB; is this the price list endpoint?") }
        }
        return body
    }

    /// Streams the body to `path` (created, truncated); `progress` gets bytes so far and the
    /// expected total (0 when unknown). Returns the bytes written. `growing`, if given, hears
    /// the announced length and every batch written, so the file can be read as it arrives;
    /// it is always finished, and when its reader abandons it the download stops (throwing
    /// `FetchError.abandoned`).
    @discardableResult
    func download(_ url: URL, to path: String, growing: GrowingFile? = nil, progress: ((Int, Int) -> Void)? = nil) throws -> Int {
        defer { growing?.finish() }
        let file: OutputFile
        do {
            file = try AtomicFiles.create(path)
        } catch {
            throw FetchError(url: url.absoluteString, reason: "cannot create the spool file: \(error)")
        }
        defer { file.close() }
        var written = 0
        var batch = Data()
        batch.reserveCapacity(1 << 20)
        func flush() throws {
            try batch.withUnsafeBytes { try file.write($0) }
            written += batch.count
            batch.removeAll(keepingCapacity: true)
            growing?.grew(to: written)
        }
        // Written a megabyte at a time; a file read as it arrives also every 50 ms, so that its
        // reader never waits long for bytes that came slowly.
        var flushed = DispatchTime.now().uptimeNanoseconds
        try get(url) { chunk in
            if growing?.isAbandoned == true { throw FetchError.abandoned(url) }
            batch.append(chunk)
            let now = growing == nil ? 0 : DispatchTime.now().uptimeNanoseconds
            if batch.count >= 1 << 20 || (growing != nil && now - flushed >= 50_000_000) {
                try flush()
                flushed = now
            }
        } onLength: { total in
            if total > 0 { growing?.expect(size: total) }
            progress?(0, total)
        } onProgress: { progress?($0, $1) }
        if !batch.isEmpty { try flush() }
        return written
    }

    /// Runs one GET to the end, handing each piece of the body to `sink` on the calling thread's
    /// behalf (serially). Returns the Content-Length (0 if none).
    @discardableResult
    private func get(_ url: URL, sink: @escaping (Data) throws -> Void, onLength: ((Int) -> Void)? = nil,
                     onProgress: ((Int, Int) -> Void)? = nil) throws -> Int {
        let transfer = Transfer(url: url, sink: sink, onLength: onLength, onProgress: onProgress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.timeoutIntervalForResource = 24 * 3600
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: transfer, delegateQueue: queue)
        var request = URLRequest(url: url)
        request.setValue("ekscost", forHTTPHeaderField: "User-Agent")
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        session.dataTask(with: request).resume()
        transfer.done.wait()
        session.finishTasksAndInvalidate()
        if let failure = transfer.failure { throw failure }
        return transfer.expected
    }

    /// The largest body ekscost takes: AWS's largest offer file (AmazonEC2, all regions) is a
    /// few GB; one region's, several hundred MB.
    static let maximumLength = 1 << 40

    /// The announced length of a body (0 when not announced), read as every number from input
    /// is: a whole number from 0 to `maximumLength`, never wrapped.
    static func contentLength(_ headers: [AnyHashable: Any]) -> Result<Int, RangeProblem> {
        guard let entry = headers.first(where: { ($0.key as? String)?.lowercased() == "content-length" }) else { return .success(0) }
        return CheckedNumber.integer("\(entry.value)", in: 0...maximumLength)
    }

    /// The delegate of one transfer: checks the status, counts bytes, keeps the first failure.
    private final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let url: URL
        let sink: (Data) throws -> Void
        let onLength: ((Int) -> Void)?
        let onProgress: ((Int, Int) -> Void)?
        let done = DispatchSemaphore(value: 0)
        var failure: FetchError?
        var expected = 0
        var received = 0
        var lastProgress = Date.distantPast

        init(url: URL, sink: @escaping (Data) throws -> Void, onLength: ((Int) -> Void)?, onProgress: ((Int, Int) -> Void)?) {
            self.url = url
            self.sink = sink
            self.onLength = onLength
            self.onProgress = onProgress
        }

        func fail(_ reason: String) {
            if failure == nil { failure = FetchError(url: url.absoluteString, reason: reason) }
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            guard let http = response as? HTTPURLResponse else {
                fail("the answer is not HTTP")
                return completionHandler(.cancel)
            }
            guard http.statusCode == 200 else {
                let what = http.statusCode == 404 ? "404 Not Found (AWS does not publish this file: check the region code)" : "HTTP status \(http.statusCode)"
                fail(what)
                failure?.status = http.statusCode
                return completionHandler(.cancel)
            }
            switch PriceListHTTP.contentLength(http.allHeaderFields) {
            case .success(let length): expected = length
            case .failure(let problem):
                fail("its Content-Length \(problem)")
                return completionHandler(.cancel)
            }
            onLength?(expected)
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            guard failure == nil else { return }
            do {
                try sink(data)
            } catch let error as FetchError {
                failure = error
                dataTask.cancel()
                return
            } catch {
                fail("\(error)")
                dataTask.cancel()
                return
            }
            received += data.count
            if let onProgress, Date().timeIntervalSince(lastProgress) >= 0.1 {
                lastProgress = Date()
                onProgress(received, expected)
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            if let error, failure == nil {
                let nsError = error as NSError
                switch nsError.code {
                case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed:
                    fail("the host name does not resolve (offline, or no DNS)")
                case NSURLErrorCannotConnectToHost, NSURLErrorNotConnectedToInternet, NSURLErrorNetworkConnectionLost where received == 0:
                    fail("cannot connect (offline, or a firewall or proxy in the way): \(nsError.localizedDescription)")
                case NSURLErrorTimedOut:
                    fail("no answer for \(Int(task.originalRequest?.timeoutInterval ?? 0)) seconds")
                default:
                    fail(received > 0 ? "the download stopped after \(received) bytes: \(nsError.localizedDescription)" : nsError.localizedDescription)
                }
            } else if failure == nil, expected > 0, received != expected {
                fail("the body is \(received) bytes but the server announced \(expected)")
            }
            if failure == nil { onProgress?(received, max(expected, received)) }
            done.signal()
        }
    }
}
