print("inngest-benchmarks: coming")
