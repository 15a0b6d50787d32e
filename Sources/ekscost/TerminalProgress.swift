import Foundation

/// Draws `ProgressLine` on stderr, in place, when stderr is a terminal.
final class TerminalProgress {
    private var file = ""
    private var started = Date()

    func update(file: String, done: Int, total: Int) {
        if file != self.file {
            self.file = file
            started = Date()
        }
        if done >= total {
            printErrorRaw("\r\u{1B}[K")
            self.file = ""
            return
        }
        var size = winsize()
        let width = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) - 1 : 79
        let line = ProgressLine.render(
            file: file, done: done, total: total, seconds: Date().timeIntervalSince(started), width: width)
        printErrorRaw("\r" + line + "\u{1B}[K")
    }
}

func printErrorRaw(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// The progress line drawn on a terminal while a file is read: bar, bytes, speed, time left.
enum ProgressLine {
    /// `ec2.csv [#########.........]  412.3/1073.8 MB  742 MB/s  ETA 0:01`, at most `width` columns.
    static func render(file: String, done: Int, total: Int, seconds: Double, width: Int = 80) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let megabytes = Double(done) / 1e6
        let speed = seconds > 0 ? megabytes / seconds : 0
        var eta = "--:--"
        if speed > 0 {
            let left = Int(((Double(total - done) / 1e6) / speed).rounded(.up))
            eta = String(format: "%d:%02d", left / 60, left % 60)
        }
        let numbers = String(format: " %.1f/%.1f MB  %.0f MB/s", megabytes, Double(total) / 1e6, speed) + "  ETA \(eta)"
        let name = String((file as NSString).lastPathComponent.prefix(24))
        let barWidth = max(10, width - numbers.count - name.count - 3)
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        return "\(name) [\(bar)]\(numbers)"
    }
}
