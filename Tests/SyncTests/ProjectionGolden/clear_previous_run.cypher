UNWIND $rows AS row MATCH (a:WorkflowRun {repository: row.repository})-[r:PREVIOUS_RUN]->() DELETE r
