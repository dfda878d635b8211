MATCH (n:Person {repository: $repository}) WHERE NOT (n)--() DELETE n
