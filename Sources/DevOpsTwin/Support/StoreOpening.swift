import Foundation
import Logging
import TwinConfig
import TwinStore

extension TwinConfiguration {
    /// Opens the store, turning its errors into a command failure that names the path and what to do.
    func openStore(logger: Logger) throws -> TwinStore {
        do {
            return try TwinStore(path: store.path, logger: logger)
        } catch let error as TwinStoreError {
            throw CommandFailure(error.description, exitCode: 3)
        }
    }
}
