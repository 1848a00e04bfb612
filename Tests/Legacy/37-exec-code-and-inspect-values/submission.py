total = 11
