"""The On-Demand Linux Shared query with polars (streaming engine). Threads: POLARS_MAX_THREADS.
Prints rows=N sum=S; with --list-prices, the list-price filter of PRICING-FACTS section 1 instead,
and the m5.large us-east-1 price."""
import sys

import polars as pl

path = sys.argv[1]
frame = pl.scan_csv(path, skip_rows=5, infer_schema=False)
on_demand_linux_shared = (pl.col("TermType") == "OnDemand") & (pl.col("Operating System") == "Linux") & (
    pl.col("Tenancy") == "Shared")
if "--list-prices" in sys.argv:
    selected = frame.filter(
        on_demand_linux_shared & (pl.col("Pre Installed S/W") == "NA") & (pl.col("CapacityStatus") == "Used")
        & (pl.col("License Model") == "No License required") & (pl.col("Location Type") == "AWS Region")
        & pl.col("Product Family").is_in(["Compute Instance", "Compute Instance (bare metal)"])
    ).select("Region Code", "Instance Type", "PricePerUnit").collect(engine="streaming")
    unique = selected.unique()
    m5 = unique.filter((pl.col("Region Code") == "us-east-1") & (pl.col("Instance Type") == "m5.large"))
    print("rows=%d unique=%d sum=%.4f m5.large-us-east-1=%s" % (
        selected.height, unique.height, unique["PricePerUnit"].cast(pl.Float64).sum(),
        ",".join(m5["PricePerUnit"].to_list()) or "none"))
else:
    result = frame.filter(on_demand_linux_shared).select(
        pl.len().alias("rows"), pl.col("PricePerUnit").cast(pl.Float64).sum().alias("sum")).collect(engine="streaming")
    rows, total = result.row(0)
    print("rows=%d sum=%.4f" % (rows, total))
