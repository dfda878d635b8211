MATCH (a:WorkflowRun {repository: $repository})-[r:PREVIOUS_RUN]->() DELETE r
