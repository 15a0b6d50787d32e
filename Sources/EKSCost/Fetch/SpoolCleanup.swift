import CSVStream
import EKSInput
import EKSModel
import Foundation

/// The spool file being written, removed if the process is interrupted (SIGINT, SIGTERM).
enum SpoolCleanup {
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var installed = false

    static var current: String? {
        get { path.map { String(cString: $0) } }
        set {
            let old = path
            path = newValue.map { strdup($0) }
            free(old)
            if !installed {
                installed = true
                signal(SIGINT, handler)
                signal(SIGTERM, handler)
                // A parent may have started us with these blocked; a fetch must stop when told.
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, SIGINT)
                sigaddset(&set, SIGTERM)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
            }
        }
    }

    private static let handler: @convention(c) (Int32) -> Void = { signal in
        if let path = SpoolCleanup.path { unlink(path) }
        _exit(128 + signal)
    }
}
