#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Flushes standard output, so a piped or logged demo shows its URLs and report at once.
enum LineBufferedOutput {
    static func flush() {
        fflush(nil)
    }
}
