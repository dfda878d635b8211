/// The fake's in-memory graph: nodes keyed by label + natural key, relationships keyed by type and end nodes.
/// Two graphs are equal when they hold the same nodes, relationships and properties ("graph content").
public struct FakeGraph: Sendable, Equatable {
    public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var label: String
        /// Canonical JSON of the key properties.
        public var key: String

        public init(label: String, key: [String: FakeJSON]) {
            self.label = label
            self.key = FakeJSON.map(key).json
        }

        public static func < (lhs: NodeID, rhs: NodeID) -> Bool { (lhs.label, lhs.key) < (rhs.label, rhs.key) }
        public var description: String { "(:\(label) \(key))" }
    }

    public struct RelationshipID: Hashable, Sendable, CustomStringConvertible {
        public var type: String
        public var from: NodeID
        public var to: NodeID
        public var description: String { "\(from)-[:\(type)]->\(to)" }
    }

    /// Node properties (key properties included).
    public internal(set) var nodes: [NodeID: [String: FakeJSON]] = [:]
    public internal(set) var relationships: [RelationshipID: [String: FakeJSON]] = [:]
    /// Key property names per label, as first merged.
    var keyNames: [String: [String]] = [:]

    public init() {}

    /// Nodes with this label.
    public func nodes(labelled label: String) -> [NodeID: [String: FakeJSON]] {
        nodes.filter { $0.key.label == label }
    }

    /// Relationships of this type.
    public func relationships(ofType type: String) -> [RelationshipID: [String: FakeJSON]] {
        relationships.filter { $0.key.type == type }
    }

    /// Node count per label.
    public var nodeCounts: [String: Int] {
        nodes.keys.reduce(into: [:]) { $0[$1.label, default: 0] += 1 }
    }

    /// Relationship count per type.
    public var relationshipCounts: [String: Int] {
        relationships.keys.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
    }

    /// The node with these key properties, if any.
    public func node(_ label: String, _ key: [String: FakeJSON]) -> [String: FakeJSON]? {
        nodes[NodeID(label: label, key: key)]
    }

    /// A short diff for test failure messages.
    public func differences(from other: FakeGraph, limit: Int = 10) -> [String] {
        var result: [String] = []
        for (id, properties) in nodes.sorted(by: { $0.key < $1.key }) where other.nodes[id] != properties {
            result.append("node \(id): \(properties) vs \(other.nodes[id].map { "\($0)" } ?? "missing")")
        }
        for id in other.nodes.keys.sorted() where nodes[id] == nil { result.append("node \(id) only in the other graph") }
        for (id, properties) in relationships where other.relationships[id] != properties {
            result.append("relationship \(id): \(properties) vs \(other.relationships[id].map { "\($0)" } ?? "missing")")
        }
        for id in other.relationships.keys where relationships[id] == nil { result.append("relationship \(id) only in the other graph") }
        return Array(result.prefix(limit))
    }

    /// Node ids matching a label and property subset (a direct lookup when the properties are the label's key).
    func match(label: String, properties: [String: FakeJSON]) -> [NodeID] {
        if let names = keyNames[label], Set(names) == Set(properties.keys) {
            let id = NodeID(label: label, key: properties)
            return nodes[id] == nil ? [] : [id]
        }
        return nodes.compactMap { id, nodeProperties in
            guard id.label == label else { return nil }
            for (name, value) in properties where nodeProperties[name] != value { return nil }
            return id
        }
    }

    mutating func detachDelete(_ ids: Set<NodeID>) -> (nodes: Int, relationships: Int) {
        guard !ids.isEmpty else { return (0, 0) }
        var deletedNodes = 0
        for id in ids where nodes.removeValue(forKey: id) != nil { deletedNodes += 1 }
        let before = relationships.count
        relationships = relationships.filter { !ids.contains($0.key.from) && !ids.contains($0.key.to) }
        return (deletedNodes, before - relationships.count)
    }
}
