"""The On-Demand Linux Shared query with pandas on the pyarrow CSV engine. Prints rows=N sum=S."""
import sys

import pandas as pd

frame = pd.read_csv(sys.argv[1], skiprows=5, engine="pyarrow", dtype=str,
                    usecols=["TermType", "Operating System", "Tenancy", "PricePerUnit"])
selected = frame[(frame["TermType"] == "OnDemand") & (frame["Operating System"] == "Linux") & (frame["Tenancy"] == "Shared")]
print("rows=%d sum=%.4f" % (len(selected), selected["PricePerUnit"].astype(float).sum()))
