// The C library, for the few places that call it directly (inotify, read(2), posix_spawn, rusage): one import here
// instead of a `#if canImport(Glibc)` in every file that needs it, as swift-argument-parser's Platform does.
#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Musl)
    @_exported import Musl
#elseif canImport(Darwin)
    @_exported import Darwin
#endif
