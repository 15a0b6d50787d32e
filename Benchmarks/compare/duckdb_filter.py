"""The On-Demand Linux Shared query with DuckDB. Threads: DUCKDB_THREADS (default 2). Prints rows=N sum=S."""
import os
import sys

import duckdb

path = sys.argv[1].replace("'", "''")
connection = duckdb.connect()
connection.execute("SET threads TO %d" % int(os.environ.get("DUCKDB_THREADS", "2")))
rows, total = connection.execute(f"""
    SELECT count(*), sum(CAST(PricePerUnit AS DOUBLE))
    FROM read_csv('{path}', skip=5, header=true, all_varchar=true, delim=',', quote='"', escape='"')
    WHERE TermType = 'OnDemand' AND "Operating System" = 'Linux' AND Tenancy = 'Shared'
""").fetchone()
print("rows=%d sum=%.4f" % (rows, total or 0))
