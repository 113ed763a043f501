print("crash worker: coming")
