/// A short unified-style line diff, for messages about stale generated files.
enum LineDiff {
    /// Lines of context around each change.
    static let context = 2
    /// At most this many lines are shown; the rest is summarized.
    static let limit = 80

    /// `before` against `after`: `@@ -line +line @@` headers, ` ` context, `-` removed, `+` added.
    static func render(_ before: String, _ after: String) -> String {
        let old = lines(before)
        let new = lines(after)
        let edits = script(old, new)
        var output: [String] = []
        var position = 0
        while position < edits.count {
            guard let first = edits[position...].firstIndex(where: { $0.mark != " " }) else { break }
            // A hunk: from `context` lines before the first change to `context` lines after the
            // last change that is at most 2 × `context` lines from the next.
            var last = first
            var probe = first
            while probe < edits.count {
                if edits[probe].mark != " " { last = probe }
                if probe - last > 2 * context { break }
                probe += 1
            }
            let start = max(first - context, position)
            let end = min(last + context, edits.count - 1)
            output.append("@@ -\(edits[start].oldLine + 1) +\(edits[start].newLine + 1) @@")
            output += edits[start...end].map { "\($0.mark)\($0.text)" }
            position = end + 1
        }
        if output.count > limit {
            let hidden = output.count - limit
            output = Array(output.prefix(limit)) + ["… \(hidden) more diff lines"]
        }
        return output.joined(separator: "\n")
    }

    /// The lines of `text`; a final newline ends the last line rather than starting an empty one.
    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    private struct Edit {
        var mark: Character
        var text: String
        /// The line numbers (0-based) in both files where this edit stands.
        var oldLine: Int
        var newLine: Int
    }

    /// The edit script of a longest common subsequence of lines.
    private static func script(_ old: [String], _ new: [String]) -> [Edit] {
        // lengths[i][j]: the LCS length of old[i...] and new[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if i < old.count && j < new.count && old[i] == new[j] {
                edits.append(Edit(mark: " ", text: old[i], oldLine: i, newLine: j))
                (i, j) = (i + 1, j + 1)
            } else if i < old.count && (j == new.count || lengths[i + 1][j] >= lengths[i][j + 1]) {
                edits.append(Edit(mark: "-", text: old[i], oldLine: i, newLine: j))
                i += 1
            } else {
                edits.append(Edit(mark: "+", text: new[j], oldLine: i, newLine: j))
                j += 1
            }
        }
        return edits
    }
}
