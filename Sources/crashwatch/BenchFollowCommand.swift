import ArgumentParser
import CrashwatchKit
import Foundation
import LogWatch
import SystemPackage

struct BenchFollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract:
            "Append lines at a rate to a file that is being followed; print write-to-buffer latency, lost lines, CPU.",
        discussion:
            "The follower runs on its own thread, polling like the dashboard does; `wc -l` counts the file as a reference."
    )

    @Option(help: "Lines per second to append.")
    var rate = 50_000

    @Option(help: "Seconds to run.")
    var seconds = 10

    @Option(help: "Follower poll interval in milliseconds.")
    var poll = 2

    func run() async throws {
        let scratch = TemporaryDirectory("crashwatch-bench-follow")
        // Kept until the end of the scope: the folder is removed when the value is released.
        defer { withExtendedLifetime(scratch) {} }
        let folder = scratch.path
        let path = "\(folder)/Server.log"
        FileManager.default.createFile(atPath: path, contents: nil)

        let reader = FollowReader(path: path, pollMicroseconds: UInt32(poll * 1000))
        let readerThread = Thread { reader.run() }
        readerThread.start()
        let written = try Self.write(path: path, rate: rate, seconds: seconds)
        // Let the reader drain what is left.
        let drainDeadline = ContinuousClock.now + .seconds(2)
        while reader.received < written, ContinuousClock.now < drainDeadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        reader.stop()
        while !reader.finished { try await Task.sleep(for: .milliseconds(5)) }

        var latencies = reader.latencies
        latencies.sort()
        func ms(_ ns: Double) -> String { String(format: "%.2f ms", ns / 1_000_000) }
        let p = { (q: Double) in
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))]
        }
        let cpu = reader.cpuSeconds / Double(seconds) * 100
        let wc = try Self.countLines(path)
        print(
            "crashwatch bench follow: \(written) lines appended at \(rate)/s for \(seconds) s, polling every \(poll) ms"
        )
        print(
            "  write → buffer   median \(ms(p(0.5)))   p99 \(ms(p(0.99)))   max \(ms(latencies.last ?? 0))   (goal p99 ≤ 10 ms)"
        )
        print(
            "  lines            received \(reader.received), lost \(written - reader.received), duplicated \(reader.duplicates)   (wc -l on the file: \(wc))"
        )
        print("  follower CPU     \(String(format: "%.1f", cpu)) % of one core   (goal < 10 %)")
    }

    /// Appends `rate` lines per second in 1 ms batches, each stamped with its CLOCK_REALTIME write time.
    static func write(path: String, rate: Int, seconds: Int) throws -> Int {
        let fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.append])
        defer { try? fd.close() }
        let total = rate * seconds
        let start = ContinuousClock.now
        var sequence = 0
        var batch: [UInt8] = []
        while sequence < total {
            let due = min(total, Int((ContinuousClock.now - start).seconds * Double(rate)) + 1)
            if due > sequence {
                batch.removeAll(keepingCapacity: true)
                let now = realtimeNanoseconds()
                while sequence < due {
                    batch += Array(
                        "2025-10-31_11:14:33 INFO  [bench] seq=\(sequence) emit_ns=\(now) Map 571 grid [32,32] loaded\n"
                            .utf8)
                    sequence += 1
                }
                _ = try fd.writeAll(batch)
            }
            usleep(500)
        }
        return total
    }

    static func realtimeNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    static func countLines(_ path: String) throws -> String {
        return try ChildProcess.run(["wc", "-l", path]).outputText.split(separator: " ").first.map(String.init) ?? "?"
    }
}

/// The follower side of the benchmark, on its own thread so its CPU time can be measured alone.
final class FollowReader: @unchecked Sendable {
    // Shared with the benchmark's main task through the lock below; plain fields keep the hot loop cheap.
    private let lock = NSLock()
    private let path: String
    private let pollMicroseconds: UInt32
    private var _latencies: [Double] = []
    private var _received = 0
    private var _duplicates = 0
    private var _stop = false
    private var _finished = false
    private var _cpu: Double = 0

    init(path: String, pollMicroseconds: UInt32) {
        self.path = path
        self.pollMicroseconds = pollMicroseconds
    }

    var received: Int { lock.withLock { _received } }
    var duplicates: Int { lock.withLock { _duplicates } }
    var latencies: [Double] { lock.withLock { _latencies } }
    var finished: Bool { lock.withLock { _finished } }
    var cpuSeconds: Double { lock.withLock { _cpu } }
    func stop() { lock.withLock { _stop = true } }

    func run() {
        let follower = FileFollower(path: FilePath(path))
        var classifier = LineClassifier()
        var buffer = LogBuffer(capacity: 100_000)
        var lastSequence = -1
        let cpuStart = Self.threadCPU()
        while !lock.withLock({ _stop }) {
            let update = follower.poll()
            if !update.lines.isEmpty {
                let now = BenchFollowCommand.realtimeNanoseconds()
                var fresh: [Double] = []
                var duplicates = 0
                for raw in update.lines {
                    buffer.append(classifier.classify(raw))
                    guard let (sequence, emitted) = Self.stamps(raw.bytes) else { continue }
                    if sequence <= lastSequence { duplicates += 1 } else { lastSequence = sequence }
                    fresh.append(Double(now - emitted))
                }
                lock.withLock {
                    _latencies += fresh
                    _received += fresh.count - duplicates
                    _duplicates += duplicates
                }
            }
            if !update.hasMore { usleep(pollMicroseconds) }
        }
        let cpu = Self.threadCPU() - cpuStart
        lock.withLock {
            _cpu = cpu
            _finished = true
        }
    }

    /// `seq=N emit_ns=T` read straight from the bytes (the benchmark's own bookkeeping should cost next to nothing).
    static func stamps(_ bytes: [UInt8]) -> (Int, Int64)? {
        func number(after key: [UInt8]) -> Int64? {
            guard bytes.count > key.count else { return nil }
            var i = 0
            while i + key.count <= bytes.count {
                if bytes[i] == key[0], bytes[i..<(i + key.count)].elementsEqual(key) {
                    var j = i + key.count
                    var value: Int64 = 0
                    while j < bytes.count, bytes[j] &- 0x30 < 10 {
                        value = value * 10 + Int64(bytes[j] &- 0x30)
                        j += 1
                    }
                    return value
                }
                i += 1
            }
            return nil
        }
        guard let sequence = number(after: seqKey), let emitted = number(after: emitKey) else { return nil }
        return (Int(sequence), emitted)
    }

    private static let seqKey = Array("seq=".utf8)
    private static let emitKey = Array("emit_ns=".utf8)

    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
