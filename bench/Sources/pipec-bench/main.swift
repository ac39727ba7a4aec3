print("pipec-bench")
