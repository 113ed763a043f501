print("inngest-demo: coming")
