import AnnealText
print("bench-text: see docs/data.md")
