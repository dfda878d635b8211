import Foundation

/// A statement's outcome in the fake.
public struct FakeStatementResult: Sendable, Equatable {
    public var fields: [String] = []
    public var rows: [[FakeJSON]] = []
    public var nodesCreated = 0
    public var nodesDeleted = 0
    public var relationshipsCreated = 0
    public var relationshipsDeleted = 0
    public var propertiesSet = 0
    public var constraintsAdded = 0
    public var indexesAdded = 0
}

/// A Neo4j error the fake answers with.
public struct FakeCypherFailure: Error, Sendable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    static func syntax(_ message: String) -> FakeCypherFailure {
        FakeCypherFailure(code: "Neo.ClientError.Statement.SyntaxError", message: message)
    }
}

/// Interprets the fixed statement shapes the projection sends (nothing else): `UNWIND $rows AS row` over node
/// MERGEs with SET, SET on MATCHed nodes, relationship MERGEs between MATCHed nodes, DETACH DELETE by key or in limited chunks,
/// relationship deletes, schema DDL with IF NOT EXISTS, `MATCH (n:L) RETURN n.p AS x`, and `RETURN $p AS x`.
/// Anything else is answered with `Neo.ClientError.Statement.SyntaxError`, so a statement the fake does not
/// know fails loudly.
enum FakeCypherInterpreter {
    private static let node = #"\((\w+):(\w+) \{([^{}]*)\}\)"#

    static func execute(
        _ rawText: String, parameters: [String: FakeJSON], graph: inout FakeGraph, constraints: inout Set<String>,
        compositeUniqueness: Bool = true
    ) throws(FakeCypherFailure) -> FakeStatementResult {
        var text = rawText.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        var rows: [[String: FakeJSON]] = [[:]]
        if let match = whole(#"UNWIND \$rows AS row (.+)"#, text) {
            text = match[1]
            guard case .list(let list) = parameters["rows"] ?? .null else {
                throw FakeCypherFailure(code: "Neo.ClientError.Statement.ParameterMissing", message: "Expected parameter(s): rows")
            }
            rows = try list.map { value throws(FakeCypherFailure) in
                guard case .map(let map) = value else {
                    throw FakeCypherFailure(code: "Neo.ClientError.Statement.TypeError", message: "row is not a map")
                }
                return map
            }
        }
        var result = FakeStatementResult()
        let context = Context(parameters: parameters)

        if let m = whole("MERGE \(node)(?: SET (.+))?", text) {
            let (variable, label, keyText, setText) = (m[1], m[2], m[3], m[4])
            let keyExpressions = try parseMap(keyText)
            let assignments = try setText.isEmpty ? [] : parseAssignments(setText, variable: variable)
            if graph.keyNames[label] == nil { graph.keyNames[label] = keyExpressions.map(\.0) }
            for row in rows {
                var key: [String: FakeJSON] = [:]
                for (name, expression) in keyExpressions {
                    let value = try context.value(expression, row: row)
                    guard value != .null else {
                        throw FakeCypherFailure(
                            code: "Neo.ClientError.Statement.SemanticError",
                            message: "Cannot merge the following node because of null property value for '\(name)'")
                    }
                    key[name] = value
                }
                let id = FakeGraph.NodeID(label: label, key: key)
                var properties = graph.nodes[id] ?? {
                    result.nodesCreated += 1
                    result.propertiesSet += key.count
                    return key
                }()
                for assignment in assignments {
                    let value = try context.evaluate(assignment, row: row)
                    properties[assignment.property] = value == .null ? nil : value
                    result.propertiesSet += 1
                }
                graph.nodes[id] = properties
            }
            return result
        }

        if let m = whole(#"MATCH \#(node) MATCH \#(node) MERGE \((\w+)\)-\[(\w+):(\w+)\]->\((\w+)\)(?: SET (.+))?"#, text) {
            let (fromVariable, fromLabel, fromMap, toVariable, toLabel, toMap) = (m[1], m[2], m[3], m[4], m[5], m[6])
            let (startVariable, relationshipVariable, type, endVariable, setText) = (m[7], m[8], m[9], m[10], m[11])
            guard startVariable == fromVariable, endVariable == toVariable else { throw .syntax("Variable not defined") }
            let fromExpressions = try parseMap(fromMap)
            let toExpressions = try parseMap(toMap)
            let assignments = try setText.isEmpty ? [] : parseAssignments(setText, variable: relationshipVariable)
            for row in rows {
                let froms = graph.match(label: fromLabel, properties: try context.map(fromExpressions, row: row))
                let tos = graph.match(label: toLabel, properties: try context.map(toExpressions, row: row))
                for from in froms {
                    for to in tos {
                        let id = FakeGraph.RelationshipID(type: type, from: from, to: to)
                        var properties = graph.relationships[id] ?? {
                            result.relationshipsCreated += 1
                            return [:]
                        }()
                        for assignment in assignments {
                            let value = try context.evaluate(assignment, row: row)
                            properties[assignment.property] = value == .null ? nil : value
                            result.propertiesSet += 1
                        }
                        graph.relationships[id] = properties
                    }
                }
            }
            return result
        }

        if let m = whole("MATCH \(node) SET (.+)", text) {
            let (variable, label, keyText, setText) = (m[1], m[2], m[3], m[4])
            let expressions = try parseMap(keyText)
            let assignments = try parseAssignments(setText, variable: variable)
            for row in rows {
                for id in graph.match(label: label, properties: try context.map(expressions, row: row)) {
                    var properties = graph.nodes[id] ?? [:]
                    for assignment in assignments {
                        let value = try context.evaluate(assignment, row: row)
                        properties[assignment.property] = value == .null ? nil : value
                        result.propertiesSet += 1
                    }
                    graph.nodes[id] = properties
                }
            }
            return result
        }

        if let m = whole("MATCH \(node) DETACH DELETE (\\w+)", text) {
            guard m[4] == m[1] else { throw .syntax("Variable `\(m[4])` not defined") }
            let expressions = try parseMap(m[3])
            var ids = Set<FakeGraph.NodeID>()
            for row in rows { ids.formUnion(graph.match(label: m[2], properties: try context.map(expressions, row: row))) }
            let deleted = graph.detachDelete(ids)
            result.nodesDeleted = deleted.nodes
            result.relationshipsDeleted = deleted.relationships
            return result
        }

        if let m = whole(#"MATCH \#(node) WHERE NOT \((\w+)\)--\(\) DELETE (\w+)"#, text) {
            guard m[4] == m[1], m[5] == m[1] else { throw .syntax("Variable not defined") }
            let expressions = try parseMap(m[3])
            var candidates = Set<FakeGraph.NodeID>()
            for row in rows { candidates.formUnion(graph.match(label: m[2], properties: try context.map(expressions, row: row))) }
            var connected = Set<FakeGraph.NodeID>()
            for id in graph.relationships.keys {
                connected.insert(id.from)
                connected.insert(id.to)
            }
            let orphans = candidates.subtracting(connected)
            result.nodesDeleted = graph.detachDelete(orphans).nodes
            return result
        }

        if let m = whole(#"MATCH \#(node) WITH (\w+) LIMIT \$(\w+) DETACH DELETE (\w+) RETURN count\(\*\) AS (\w+)"#, text) {
            guard m[4] == m[1], m[6] == m[1] else { throw .syntax("Variable not defined") }
            guard let limit = parameters[m[5]]?.intValue, limit > 0 else {
                throw FakeCypherFailure(code: "Neo.ClientError.Statement.ParameterMissing", message: "Expected parameter(s): \(m[5])")
            }
            let expressions = try parseMap(m[3])
            let ids = graph.match(label: m[2], properties: try context.map(expressions, row: rows[0])).sorted().prefix(Int(limit))
            let deleted = graph.detachDelete(Set(ids))
            result.nodesDeleted = deleted.nodes
            result.relationshipsDeleted = deleted.relationships
            result.fields = [m[7]]
            result.rows = [[.int(Int64(deleted.nodes))]]
            return result
        }

        if let m = whole(#"MATCH \#(node)-\[(\w+):(\w+)\]->\(\) DELETE (\w+)"#, text) {
            guard m[6] == m[4] else { throw .syntax("Variable `\(m[6])` not defined") }
            let expressions = try parseMap(m[3])
            var starts = Set<FakeGraph.NodeID>()
            for row in rows { starts.formUnion(graph.match(label: m[2], properties: try context.map(expressions, row: row))) }
            let type = m[5]
            let before = graph.relationships.count
            graph.relationships = graph.relationships.filter { !($0.key.type == type && starts.contains($0.key.from)) }
            result.relationshipsDeleted = before - graph.relationships.count
            return result
        }

        if let m = whole(#"MATCH \((\w+):(\w+)\) RETURN (\w+)\.(\w+) AS (\w+)"#, text) {
            guard m[3] == m[1] else { throw .syntax("Variable `\(m[3])` not defined") }
            result.fields = [m[5]]
            result.rows = graph.nodes.filter { $0.key.label == m[2] }.sorted { $0.key < $1.key }.map { [$0.value[m[4]] ?? .null] }
            return result
        }

        if let m = whole(#"CREATE (CONSTRAINT|INDEX) (\w+) IF NOT EXISTS FOR \((\w+):(\w+)\) (REQUIRE|ON) (\([\w., ]+\)|[\w.]+)( IS UNIQUE)?"#, text) {
            let isConstraint = m[1] == "CONSTRAINT"
            guard isConstraint == (m[5] == "REQUIRE"), isConstraint == (m[7] == " IS UNIQUE") else {
                throw .syntax("Invalid input: \(m[1]) \(m[5])")
            }
            if isConstraint, m[6].contains(","), !compositeUniqueness {
                throw FakeCypherFailure(
                    code: "Neo.DatabaseError.Schema.ConstraintCreationFailed",
                    message: "Only single property uniqueness constraints are supported (Neo4j 4.4)")
            }
            if constraints.insert(m[2]).inserted {
                if isConstraint { result.constraintsAdded = 1 } else { result.indexesAdded = 1 }
            }
            return result
        }

        if let m = whole("RETURN (.+)", text) {
            for item in m[1].components(separatedBy: ", ") {
                guard let parts = whole(#"(\$\w+|-?\d+) AS (\w+)"#, item) else { throw .syntax("Invalid input '\(item)'") }
                result.fields.append(parts[2])
            }
            result.rows = try rows.map { row throws(FakeCypherFailure) in
                try m[1].components(separatedBy: ", ").map { item throws(FakeCypherFailure) in
                    let expression = item.components(separatedBy: " AS ")[0]
                    if let number = Int64(expression) { return .int(number) }
                    return try context.value(expression, row: row)
                }
            }
            return result
        }

        throw .syntax("The fake does not understand this statement: \(text)")
    }

    // MARK: - Parsing

    struct Assignment {
        var property: String
        var expression: String
        var datetime: Bool
    }

    struct Context {
        var parameters: [String: FakeJSON]

        func value(_ expression: String, row: [String: FakeJSON]) throws(FakeCypherFailure) -> FakeJSON {
            if expression.hasPrefix("row.") { return row[String(expression.dropFirst(4))] ?? .null }
            if expression.hasPrefix("$") {
                guard let value = parameters[String(expression.dropFirst())] else {
                    throw FakeCypherFailure(code: "Neo.ClientError.Statement.ParameterMissing", message: "Expected parameter(s): \(expression.dropFirst())")
                }
                return value
            }
            throw .syntax("The fake only reads row.<field> and $<parameter>, not '\(expression)'")
        }

        func map(_ expressions: [(String, String)], row: [String: FakeJSON]) throws(FakeCypherFailure) -> [String: FakeJSON] {
            var result: [String: FakeJSON] = [:]
            for (name, expression) in expressions { result[name] = try value(expression, row: row) }
            return result
        }

        func evaluate(_ assignment: Assignment, row: [String: FakeJSON]) throws(FakeCypherFailure) -> FakeJSON {
            let raw = try value(assignment.expression, row: row)
            if assignment.datetime {
                switch raw {
                case .null: return .null
                case .string(let text):
                    guard FakeCypherInterpreter.isISODateTime(text) else {
                        throw FakeCypherFailure(code: "Neo.ClientError.Statement.ArgumentError", message: "Text cannot be parsed to a DateTime \"\(text)\"")
                    }
                    return .datetime(text)
                default:
                    throw FakeCypherFailure(code: "Neo.ClientError.Statement.TypeError", message: "Invalid input for function 'datetime()'")
                }
            }
            try FakeCypherInterpreter.checkStorable(raw)
            return raw
        }
    }

    static func checkStorable(_ value: FakeJSON) throws(FakeCypherFailure) {
        switch value {
        case .map:
            throw FakeCypherFailure(
                code: "Neo.ClientError.Statement.TypeError",
                message: "Property values can only be of primitive types or arrays thereof")
        case .list(let items):
            for item in items {
                switch item {
                case .map, .list, .null:
                    throw FakeCypherFailure(
                        code: "Neo.ClientError.Statement.TypeError",
                        message: "Collections containing null values or collections can not be stored in properties.")
                default: continue
                }
            }
        default: return
        }
    }

    static func isISODateTime(_ text: String) -> Bool {
        whole(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})"#, text) != nil
    }

    static func parseMap(_ text: String) throws(FakeCypherFailure) -> [(String, String)] {
        try text.components(separatedBy: ", ").map { pair throws(FakeCypherFailure) in
            guard let m = whole(#"(\w+): (row\.\w+|\$\w+)"#, pair) else { throw .syntax("Invalid input '\(pair)'") }
            return (m[1], m[2])
        }
    }

    static func parseAssignments(_ text: String, variable: String) throws(FakeCypherFailure) -> [Assignment] {
        try text.components(separatedBy: ", ").map { item throws(FakeCypherFailure) in
            if let m = whole(#"(\w+)\.(\w+) = datetime\((row\.\w+|\$\w+)\)"#, item), m[1] == variable {
                return Assignment(property: m[2], expression: m[3], datetime: true)
            }
            if let m = whole(#"(\w+)\.(\w+) = (row\.\w+|\$\w+)"#, item), m[1] == variable {
                return Assignment(property: m[2], expression: m[3], datetime: false)
            }
            throw .syntax("Invalid input '\(item)'")
        }
    }

    /// Whole-string match; captures as strings ("" for a group that did not participate).
    static func whole(_ pattern: String, _ text: String) -> [String]? {
        guard let regex = try? Regex(pattern), let match = try? regex.wholeMatch(in: text) else { return nil }
        return (0..<match.output.count).map { match.output[$0].substring.map(String.init) ?? "" }
    }
}
