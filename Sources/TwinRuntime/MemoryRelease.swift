/// A cycle briefly holds a repository's whole history (the DORA read model, JSON pages); glibc keeps the
/// freed pages in its arenas. Handing them back after each cycle keeps the idle daemon's resident memory
/// near what it really uses.
enum MemoryRelease {
    static func returnFreedMemory() {
        #if os(Linux)
            _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
    /// glibc's `malloc_trim(3)` (declared in <malloc.h>, which the Glibc module does not export).
    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
