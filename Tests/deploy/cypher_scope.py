"""A focused static check of the dashboards' Cypher: the errors Neo4j raises that name checks cannot see.

There is no Neo4j here, and no Cypher parser from PyPI handles what the dashboards use while checking scope
(docs/deployment.md, "The dashboards' Cypher"). So this module tokenises Cypher, splits it into clauses at
nesting depth 0, and follows variable scope through the clauses, the way Neo4j's semantic analysis does for
the subset the dashboards use. Three rules:

  aggregation-scope   After an aggregating or DISTINCT `WITH`/`RETURN`, its `ORDER BY` (and a `WITH`'s `WHERE`)
                      may only use the names it projects, or repeat a projected expression. Neo4j: "In a
                      WITH/RETURN with DISTINCT or an aggregation, it is not possible to access variables declared
                      before the WITH/RETURN".
  undefined-variable  A variable used where it is not in scope: after a `WITH`, only what it projects is left
                      (plus what later clauses bind). Comprehension, quantifier and reduce() variables are local.
  node-graph-edges    A query whose result feeds a Node Graph panel returns at least one relationship as a
                      column of its own: the Neo4j datasource (1.3.2, pkg/plugin/plugin.go, the node graph frames)
                      draws a node for each top-level node value and an edge for each top-level relationship value
                      whose two nodes are in the result. A path, or a list (collect(r), relationships(p),
                      nodes(p)), is neither, so it draws nothing.

Not a full Cypher grammar: subqueries (`CALL {}`, `EXISTS {}`, `COUNT {}`) and pattern comprehensions are not
entered (their inner variables are not checked), and a syntax error is not reported as such. Grafana macros
(`${__from}`, `$repository`) are values to this check, as Grafana replaces them before the query is sent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<macro>\$\{[^}]*\}|\$\w+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
  | (?P<ident>`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><>|<=|>=|=~|->|<-|\.\.|\+=|[-+*/%^=<>.,:;|()\[\]{}!])
""", re.S | re.X)

OPENING, CLOSING = "([{", ")]}"
CLAUSES = {"MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "ORDER", "SKIP", "LIMIT", "UNWIND", "UNION", "CALL",
           "YIELD", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "LOAD", "USE", "OFFSET"}
PATTERN_CLAUSES = {"MATCH", "CREATE", "MERGE"}
KEYWORDS = {"AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "CASE", "WHEN", "THEN", "ELSE", "END",
            "STARTS", "ENDS", "WITH", "CONTAINS", "DISTINCT", "AS", "ASC", "DESC", "ASCENDING", "DESCENDING", "BY",
            "NAN", "INF", "INFINITY", "WHERE"}  # WHERE: inside all(x IN l WHERE ...) and (n WHERE ...)
AGGREGATES = {"count", "sum", "avg", "min", "max", "collect", "percentilecont", "percentiledisc", "stdev", "stdevp"}
SCOPING_FUNCTIONS = {"all", "any", "none", "single", "reduce"}  # their first argument binds local variables
SORT_DIRECTIONS = {"ASC", "DESC", "ASCENDING", "DESCENDING"}

NODE, RELATIONSHIP, PATH, LIST, VALUE = "node", "relationship", "path", "list", "value"


@dataclass(frozen=True)
class Token:
    kind: str   # string, macro, number, ident, op
    text: str

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "ident" else self.text

    @property
    def name(self) -> str:
        return self.text.strip("`")


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass
class Clause:
    keyword: str            # MATCH, OPTIONAL MATCH, WHERE, WITH, RETURN, ORDER BY, SKIP, LIMIT, UNWIND, ...
    tokens: list[Token] = field(default_factory=list)


def tokenize(query: str) -> list[Token]:
    tokens, position = [], 0
    while position < len(query):
        match = TOKEN.match(query, position)
        if not match:
            raise ValueError(f"cannot read Cypher at {query[position:position + 20]!r}")
        position = match.end()
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup, match.group()))
    return tokens


def split_top(tokens: list[Token], separator) -> list[list[Token]]:
    """Splits at depth-0 tokens for which separator(token) is true."""
    parts, current, depth = [], [], 0
    for token in tokens:
        if token.kind == "op" and token.text in OPENING:
            depth += 1
        elif token.kind == "op" and token.text in CLOSING:
            depth -= 1
        if depth == 0 and separator(token):
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return parts


def clauses(tokens: list[Token]) -> list[Clause]:
    """Depth-0 clauses; ORDER BY, SKIP, LIMIT and a WITH's WHERE are clauses of their own here."""
    result: list[Clause] = []
    depth, i = 0, 0
    while i < len(tokens):
        token = tokens[i]
        previous = tokens[i - 1] if i else None
        is_keyword = (depth == 0 and token.kind == "ident" and token.upper in CLAUSES
                      and not (previous is not None and previous.kind == "op" and previous.text in ".:"))
        if is_keyword and token.upper in ("OPTIONAL", "ORDER", "DETACH") and i + 1 < len(tokens):
            result.append(Clause(f"{token.upper} {tokens[i + 1].upper}"))
            i += 2
            continue
        if is_keyword and not (token.upper == "WITH" and previous is not None and previous.upper in ("STARTS", "ENDS")):
            result.append(Clause(token.upper))
        else:
            if not result:
                raise ValueError(f"Cypher must start with a clause, not {token.text!r}")
            result[-1].tokens.append(token)
        if token.kind == "op" and token.text in OPENING:
            depth += 1
        elif token.kind == "op" and token.text in CLOSING:
            depth -= 1
        i += 1
    return result


def normalized(tokens: list[Token]) -> str:
    return " ".join(t.upper if t.kind == "ident" and t.upper in KEYWORDS else t.text for t in tokens)


def local_names(tokens: list[Token]) -> set[str]:
    """Variables bound inside an expression: [x IN ...], all/any/none/single(x IN ...), reduce(acc = ..., x IN ...)."""
    names = set()
    for i, token in enumerate(tokens[:-2]):
        if token.kind == "op" and token.text in "[(" and tokens[i + 1].kind == "ident" and tokens[i + 2].upper == "IN":
            names.add(tokens[i + 1].name)
        if (token.kind == "ident" and token.text.lower() == "reduce" and tokens[i + 1].text == "("
                and i + 3 < len(tokens) and tokens[i + 2].kind == "ident" and tokens[i + 3].text == "="):
            names.add(tokens[i + 2].name)
        if token.kind == "op" and token.text == "," and tokens[i + 1].kind == "ident" and tokens[i + 2].upper == "IN":
            names.add(tokens[i + 1].name)  # reduce(acc = init, x IN list | ...)
    return names


def free_variables(tokens: list[Token], pattern: bool = False) -> list[str]:
    """Variables an expression (or a pattern's maps and predicates) reads, in order, without locals."""
    local = local_names(tokens)
    brackets: list[str] = []
    found = []
    for i, token in enumerate(tokens):
        if token.kind == "op" and token.text in OPENING:
            brackets.append(token.text)
        elif token.kind == "op" and token.text in CLOSING:
            if brackets:
                brackets.pop()
        if token.kind != "ident" or token.upper in KEYWORDS or token.name in local:
            continue
        previous = tokens[i - 1] if i else None
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if previous is not None and previous.kind == "op" and previous.text in (".", ":", "|") and \
                (previous.text != "|" or pattern):
            continue  # property, label, relationship type (or `A|B` in a pattern)
        if following is not None and following.text == "(":
            continue  # function
        if following is not None and following.text == ":" and brackets and brackets[-1] == "{":
            continue  # map key
        if following is not None and following.text == "." and _namespace_call(tokens, i):
            continue  # date.truncate(...), duration.inSeconds(...)
        if pattern and previous is not None and previous.text in ("(", "[") and \
                (following is None or following.text in (":", ")", "]", "{") or following.upper == "WHERE"):
            continue  # the pattern binds it
        if pattern and following is not None and following.text == "=" and not brackets:
            continue  # path variable
        found.append(token.name)
    return found


def _namespace_call(tokens: list[Token], i: int) -> bool:
    j = i
    while j + 2 < len(tokens) and tokens[j + 1].text == "." and tokens[j + 2].kind == "ident":
        j += 2
    return j > i and j + 1 < len(tokens) and tokens[j + 1].text == "("


def pattern_bindings(tokens: list[Token]) -> dict[str, str]:
    """Variables a pattern binds, with their kind."""
    bound: dict[str, str] = {}
    depth = 0
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.kind == "op" and token.text in "([" and following is not None and following.kind == "ident":
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            if after is None or after.text in (":", ")", "]", "{", "*") or after.upper == "WHERE":
                bound[following.name] = NODE if token.text == "(" else RELATIONSHIP
        if depth == 0 and token.kind == "ident" and following is not None and following.text == "=":
            bound[token.name] = PATH
        if token.kind == "op" and token.text in OPENING:
            depth += 1
        elif token.kind == "op" and token.text in CLOSING:
            depth -= 1
    return bound


@dataclass
class Projection:
    names: dict[str, str]            # projected name -> kind
    expressions: set[str]            # normalised projected expressions
    aggregating: bool
    distinct: bool
    star: bool


def projection(tokens: list[Token], scope: dict[str, str]) -> Projection:
    distinct = bool(tokens) and tokens[0].upper == "DISTINCT"
    body = tokens[1:] if distinct else tokens
    names: dict[str, str] = {}
    expressions: set[str] = set()
    aggregating = star = False
    for item in split_top(body, lambda t: t.text == ","):
        if not item:
            continue
        if len(item) == 1 and item[0].text == "*":
            star = True
            names.update(scope)
            continue
        parts = split_top(item, lambda t: t.upper == "AS")
        expression = parts[0]
        alias = parts[1][0].name if len(parts) > 1 and parts[1] else None
        if any(t.kind == "ident" and t.text.lower() in AGGREGATES and k + 1 < len(expression)
               and expression[k + 1].text == "(" and not (k and expression[k - 1].text == ".")
               for k, t in enumerate(expression)):
            aggregating = True
        expressions.add(normalized(expression))
        kind = expression_kind(expression, scope)
        if alias:
            names[alias] = kind
        elif len(expression) == 1 and expression[0].kind == "ident":
            names[expression[0].name] = kind
    return Projection(names, expressions, aggregating, distinct, star)


def expression_kind(expression: list[Token], scope: dict[str, str]) -> str:
    """node/relationship/path for a variable; list for collect(variable), relationships(p) or nodes(p); else
    value."""
    texts = [t.text for t in expression]
    if len(expression) == 1 and expression[0].kind == "ident":
        return scope.get(expression[0].name, VALUE)
    if len(texts) == 4 and texts[1] == "(" and texts[3] == ")" and expression[2].kind == "ident":
        function, argument = texts[0].lower(), scope.get(expression[2].name, VALUE)
        if function == "collect" and argument in (NODE, RELATIONSHIP, PATH):
            return LIST
        if function in ("relationships", "nodes") and argument == PATH:
            return LIST
    if len(texts) == 5 and texts[:2] == ["collect", "("] and texts[2].upper() == "DISTINCT" and texts[4] == ")":
        return LIST if scope.get(expression[3].name, VALUE) in (NODE, RELATIONSHIP, PATH) else VALUE
    return VALUE


def check(query: str, node_graph: bool = False) -> list[Finding]:
    """Findings for one query; node_graph: its result feeds a Node Graph panel."""
    findings: list[Finding] = []
    tokens = tokenize(query)
    parts = split_top(tokens, lambda t: t.upper == "UNION")
    for number, part in enumerate(parts, start=1):
        if part and part[0].upper == "ALL":
            part = part[1:]
        where = f" (UNION part {number})" if len(parts) > 1 else ""
        returned = _check_part(clauses(part), findings, where)
        if node_graph and not any(kind == RELATIONSHIP for kind in returned.values()):
            findings.append(Finding("node-graph-edges", (
                f"the node graph query{where} returns {sorted(returned) or 'nothing'}, none of them a relationship "
                "of its own: the datasource draws edges only from top-level relationship values (not paths, not "
                "lists)")))
    return findings


def _check_part(sequence: list[Clause], findings: list[Finding], where: str) -> dict[str, str]:
    scope: dict[str, str] = {}
    last: Projection | None = None
    before_projection: dict[str, str] = {}   # the scope a projection's ORDER BY/WHERE may still see

    def require(tokens: list[Token], visible: dict[str, str], context: str, rule: str = "undefined-variable",
                pattern: bool = False):
        for name in free_variables(tokens, pattern=pattern):
            if name not in visible:
                findings.append(Finding(rule, f"{context}{where}: `{name}` is not in scope "
                                              f"(in scope: {', '.join(sorted(visible)) or 'nothing'})"))

    for clause in sequence:
        keyword = clause.keyword
        if keyword in ("WITH", "RETURN"):
            body = clause.tokens[1:] if clause.tokens and clause.tokens[0].upper == "DISTINCT" else clause.tokens
            for item in split_top(body, lambda t: t.text == ","):
                require(split_top(item, lambda t: t.upper == "AS")[0], scope, keyword)
            before_projection = dict(scope)
            last = projection(clause.tokens, scope)
            scope = dict(last.names)
        elif keyword in ("ORDER BY", "WHERE") and last is not None and (keyword == "ORDER BY" or _after_with(sequence, clause)):
            restricted = last.aggregating or last.distinct
            visible = scope if restricted else {**before_projection, **scope}
            items = split_top(clause.tokens, lambda t: t.text == ",") if keyword == "ORDER BY" else [clause.tokens]
            for item in items:
                if item and item[-1].upper in SORT_DIRECTIONS:
                    item = item[:-1]
                if restricted and normalized(item) in last.expressions:
                    continue  # repeating a projected expression is allowed
                what = "an aggregating" if last.aggregating else "a DISTINCT"
                require(item, visible, f"{keyword} after {what} projection" if restricted else keyword,
                        rule="aggregation-scope" if restricted else "undefined-variable")
        elif keyword in ("MATCH", "OPTIONAL MATCH", "MERGE", "CREATE"):
            bound = pattern_bindings(clause.tokens)
            require(clause.tokens, {**scope, **bound}, keyword, pattern=True)
            for name, kind in bound.items():
                scope.setdefault(name, kind)
            last = None
        elif keyword == "UNWIND":
            expression, *alias = split_top(clause.tokens, lambda t: t.upper == "AS")
            require(expression, scope, keyword)
            if alias and alias[0]:
                scope[alias[0][0].name] = VALUE
            last = None
        elif keyword in ("WHERE", "SKIP", "LIMIT", "SET", "DELETE", "DETACH DELETE", "REMOVE"):
            require(clause.tokens, scope, keyword)
        # CALL, YIELD, FOREACH, LOAD, USE: not used by the dashboards; not checked.
    return scope if sequence and sequence[-1].keyword in ("RETURN", "ORDER BY", "SKIP", "LIMIT") else {}


def _after_with(sequence: list[Clause], clause: Clause) -> bool:
    index = next(i for i, c in enumerate(sequence) if c is clause)
    return index > 0 and sequence[index - 1].keyword == "WITH"
