import FlameHub
import Synchronization

/// A one-line progress display on stderr — bytes, rate and, when the size is known, percentage
/// and ETA — drawn only when stderr is a terminal, so that logs and pipes stay clean.
final class ProgressBar: Sendable {
    private struct State {
        var bytes: Int64 = 0
        var total: Int64?
        var lastDrawn: ContinuousClock.Instant?
    }

    private let label: String
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    /// Whether anything is drawn at all.
    let isEnabled: Bool

    init(label: String, enabled: Bool = OutputStream.standardError.isTerminal) {
        self.label = label
        isEnabled = enabled
    }

    /// The SDK's progress callback, or nil when nothing would be drawn.
    var handler: ProgressHandler? {
        guard isEnabled else { return nil }
        return { [self] progress in update(progress) }
    }

    /// Records `progress`; redraws at most ten times a second.
    func update(_ progress: TransferProgress) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        let line = state.withLock { state -> String? in
            state.bytes = progress.bytes
            state.total = progress.total
            if let last = state.lastDrawn, now - last < .milliseconds(100) { return nil }
            state.lastDrawn = now
            return render(bytes: state.bytes, total: state.total, elapsed: now - started)
        }
        if let line { OutputStream.standardError.write("\r" + line + "\u{1B}[K") }
    }

    /// Draws the final state and ends the line.
    func finish() {
        guard isEnabled else { return }
        let line = state.withLock { state in
            render(bytes: state.bytes, total: state.total ?? state.bytes, elapsed: ContinuousClock.now - started)
        }
        OutputStream.standardError.write("\r" + line + "\u{1B}[K\n")
    }

    private func render(bytes: Int64, total: Int64?, elapsed: Duration) -> String {
        let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 0.001)
        let rate = Double(bytes) / seconds
        var line = label + " "
        if let total, total > 0 {
            let fraction = min(1, Double(bytes) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += pad(String(Int(fraction * 100)), 3) + "%  "
            line += "\(Self.size(bytes)) / \(Self.size(total))  \(Self.size(Int64(rate)))/s"
            if bytes < total, rate > 0 {
                line += "  ETA \(Self.clock(Double(total - bytes) / rate))"
            }
        } else {
            line += "\(Self.size(bytes))  \(Self.size(Int64(rate)))/s"
        }
        return line
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `12.3 MiB`.
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// `1:05` or `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }
}
