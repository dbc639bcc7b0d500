#!/usr/bin/env python3
"""What pandas users run to profile a CSV: read_csv, describe(include='all'), nunique(). Prints the seconds each took.
  pandas_profile.py FILE"""
import sys
import time

import pandas as pd

start = time.perf_counter()
df = pd.read_csv(sys.argv[1])
read = time.perf_counter()
summary = df.describe(include='all')
described = time.perf_counter()
distinct = df.nunique()
done = time.perf_counter()
print(summary.to_string())
print(distinct.to_string())
print(f"pandas: read_csv {read - start:.2f} s, describe {described - read:.2f} s, nunique {done - described:.2f} s", file=sys.stderr)
