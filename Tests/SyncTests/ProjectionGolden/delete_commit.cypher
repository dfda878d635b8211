UNWIND $rows AS row MATCH (n:Commit {repository: row.repository, sha: row.sha}) DETACH DELETE n
