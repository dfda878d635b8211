import Foundation
import Synchronization
import Sync
import TwinConfig
import TwinStore

/// The configuration in force: the loaded one with the repositories the latest discovery admitted. Discovery
/// replaces it at the start of each cycle; the snapshot, the projection and the status page read it.
public final class RepositoryCatalogue: Sendable {
    private let state: Mutex<TwinConfiguration>

    public init(_ configuration: TwinConfiguration) {
        state = Mutex(configuration)
    }

    /// The loaded configuration with the last recorded discovery (no request to GitHub): what a restart serves
    /// until its first discovery, and what `report`, `backfill` and `project` use.
    public convenience init(configuration: TwinConfiguration, store: TwinStore) {
        self.init(configuration.withLastDiscovery(store: store))
    }

    public var current: TwinConfiguration { state.withLock { $0 } }

    public func update(_ configuration: TwinConfiguration) {
        state.withLock { $0 = configuration }
    }
}

extension TwinConfiguration {
    /// This configuration with the repositories the last recorded discovery admitted.
    public func withLastDiscovery(store: TwinStore) -> TwinConfiguration {
        guard !organizations.isEmpty else { return self }
        return withDiscovered(RepositoryDiscovery.lastKnown(store: store, organizations: organizations))
    }
}
