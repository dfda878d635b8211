import Hummingbird
import NIOCore

/// Request context that keeps the connection's channel, so a fault can close it without an answer.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    var maxUploadSize: Int { 1024 * 1024 }
}
