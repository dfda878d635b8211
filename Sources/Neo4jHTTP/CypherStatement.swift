/// One Cypher statement with its parameters. The text is fixed; every value travels as a parameter.
public struct CypherStatement: Sendable, Hashable {
    public var text: String
    public var parameters: [String: CypherValue]

    public init(_ text: String, parameters: [String: CypherValue] = [:]) {
        self.text = text
        self.parameters = parameters
    }
}
