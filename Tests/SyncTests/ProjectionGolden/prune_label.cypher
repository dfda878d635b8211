MATCH (n:Label {repository: $repository}) WHERE NOT (n)--() DELETE n
