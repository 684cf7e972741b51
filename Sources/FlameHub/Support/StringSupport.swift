// Small string helpers that FoundationEssentials does not provide.

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and line breaks (ASCII only).
    func trimmingSpaces() -> String {
        // "\r\n" is a single Character in Swift, equal to neither "\r" nor "\n".
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
