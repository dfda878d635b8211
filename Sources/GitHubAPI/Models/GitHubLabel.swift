/// An issue label; GitHub sends objects (`{"name": ...}`), the schema also allows bare strings.
public struct GitHubLabel: Decodable, Sendable, Hashable {
    /// Label name.
    public var name: String

    enum CodingKeys: String, CodingKey {
        case name
    }

    /// Creates a label.
    public init(name: String) {
        self.name = name
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            self.name = name
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
    }
}
