print("start")
1/0
