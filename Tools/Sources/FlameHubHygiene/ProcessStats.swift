#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the leak check and the soak measure about their own process (Linux: from /proc).
public enum ProcessStats {
    /// Resident memory in MiB (`/proc/self/statm`), -1 where it cannot be read.
    public static func residentMiB() -> Double {
        // statm: "size resident shared …" in pages.
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return -1 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return -1 }
        let fields = buffer[0..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return -1 }
        return Double(pages * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
    }

    /// Open file descriptors (`/proc/self/fd`, without the one that lists them).
    public static var fileDescriptors: Int { entries("/proc/self/fd") - 1 }

    /// Threads (`/proc/self/task`).
    public static var threads: Int { entries("/proc/self/task") }

    static func entries(_ directory: String) -> Int {
        guard let handle = opendir(directory) else { return -1 }
        defer { closedir(handle) }
        var count = 0
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { count += 1 }
        }
        return count
    }
}
