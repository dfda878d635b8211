import Exporter
import Foundation
import Logging
import Testing

@testable import TwinRuntime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct TwinDaemonTests {
    /// Ready means serving: the snapshot of what the store holds is published before any sync has run.
    @Test func aNewStoreIsServedBeforeTheFirstSync() async throws {
        try await RuntimeHarness.run { harness, _ in
            let daemon = TwinDaemon(
                configuration: harness.configuration, store: harness.store, build: BuildInfo(version: "t", revision: ""),
                logger: Logger(label: "test"))
            #expect(!daemon.holder.isReady)
            daemon.refresher.refresh()
            #expect(daemon.holder.isReady)
            #expect(daemon.holder.rendered?.snapshot.family("devops_twin_build_info") != nil)
        }
    }

    @Test func anAddressInUseIsReportedAsSuchAndNamesTheSetting() async throws {
        let occupied = try OccupiedPort()
        defer { occupied.close() }
        try await RuntimeHarness.run(listenAddress: "127.0.0.1:\(occupied.port)") { harness, httpClient in
            let daemon = TwinDaemon(
                configuration: harness.configuration, store: harness.store, build: BuildInfo(version: "t", revision: ""),
                logger: Logger(label: "test"))
            do {
                try await daemon.run(httpClient: httpClient)
                Issue.record("the daemon ran on an address in use")
            } catch let error as TwinRuntimeError {
                #expect(error.kind == .cannotListen)
                #expect(error.message.contains("127.0.0.1:\(occupied.port)"))
                #expect(error.message.contains("in use"))
                #expect(error.message.contains("exporter.listenAddress"))
            }
        }
    }
}

/// A loopback TCP port held open by a listening socket, so binding it again fails with EADDRINUSE.
struct OccupiedPort {
    let descriptor: Int32
    let port: Int

    init() throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 1) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}
