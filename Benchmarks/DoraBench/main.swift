print("dora bench")
