print("devops-twin")
