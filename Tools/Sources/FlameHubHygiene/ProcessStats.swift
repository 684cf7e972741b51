#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the leak check and the soak measure about their own process (Linux: from /proc).
public enum ProcessStats {
    /// Resident memory in MiB (`/proc/self/statm`), -1 where it cannot be read.
    public static func residentMiB() -> Double {
        guard let file = fopen("/proc/self/statm", "r") else { return -1 }
        defer { fclose(file) }
        var size = 0
        var resident = 0
        guard fscanf(file, "%ld %ld", &size, &resident) == 2 else { return -1 }
        return Double(resident * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
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
