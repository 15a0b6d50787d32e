"""The On-Demand Linux Shared query with Python's csv module. Prints rows=N sum=S; with
--list-prices, the list-price rows of PRICING-FACTS section 1 (region, type, price), one a line."""
import csv
import sys

with open(sys.argv[1], newline="", encoding="utf-8") as file:
    reader = csv.reader(file)
    for _ in range(5):
        next(reader)
    header = next(reader)
    column = {name: index for index, name in enumerate(header)}
    term, system, tenancy, price = (column[n] for n in ("TermType", "Operating System", "Tenancy", "PricePerUnit"))
    rows = 0
    total = 0.0
    list_prices = "--list-prices" in sys.argv
    for row in reader:
        if row[term] == "OnDemand" and row[system] == "Linux" and row[tenancy] == "Shared":
            rows += 1
            total += float(row[price])
            if list_prices and row[column["Pre Installed S/W"]] == "NA" and row[column["CapacityStatus"]] == "Used" \
                    and row[column["License Model"]] == "No License required" \
                    and row[column["Location Type"]] == "AWS Region" \
                    and row[column["Product Family"]] in ("Compute Instance", "Compute Instance (bare metal)"):
                print(row[column["Region Code"]], row[column["Instance Type"]], row[price])
    if not list_prices:
        print("rows=%d sum=%.4f" % (rows, total))
