#!/usr/bin/env python3
"""The pandas baseline for bench/costs.sh: what an analyst would write to get weekly spend by service.

Usage: pandas_costs.py FOCUS.csv

read_csv of the whole export, the rows that count (ChargeCategory Usage or Purchase, as azengage counts
them), then BilledCost summed by ISO week (Monday start) and ServiceName. Prints the number of groups and the
total so the two tools' results can be compared.
"""

import sys

import pandas as pd


def main():
    df = pd.read_csv(sys.argv[1], encoding="utf-8-sig", low_memory=False)
    counted = df[df["ChargeCategory"].isin(["Usage", "Purchase"])]
    day = pd.to_datetime(counted["ChargePeriodStart"].str.slice(0, 10), format="%Y-%m-%d")
    week = day - pd.to_timedelta(day.dt.weekday, unit="D")
    by_week_service = counted.groupby([week, counted["ServiceName"]])["BilledCost"].sum()
    print(f"groups={len(by_week_service)} total={counted['BilledCost'].sum():.2f}")


if __name__ == "__main__":
    main()
