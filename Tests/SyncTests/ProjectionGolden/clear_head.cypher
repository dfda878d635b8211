MATCH (a:Branch {repository: $repository})-[r:HEAD]->() DELETE r
