"""Summarise the output of benchmarks/ab_partition_engine.sh as a Markdown table."""
import collections
import json
import statistics
import sys

COLUMNS = ("network", "bounds", "regions", "previous engine wall s (3 runs)", "this engine wall s (3 runs)",
           "previous regions/s (median)", "this regions/s (median)", "ratio", "this: regions/CPU-s",
           "this: peak RSS MB", "same digests")


def same_digests(old: list, new: list, regions: int) -> bool:
    ref = old[0]
    return all(x["patterns_sha1"] == ref["patterns_sha1"] and x["regions"] == regions
               and abs(x["area_sum"] - ref["area_sum"]) < 1e-9 * abs(ref["area_sum"]) for x in old + new)


def main(path: str) -> None:
    d = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            parts = line.split(" ", 3)
            if len(parts) < 4 or not parts[3].startswith("{"):
                continue
            d[(parts[0], parts[1], parts[2])].append(json.loads(parts[3]))
    keys = []
    for k in d:
        if (k[0], k[1]) not in keys:
            keys.append((k[0], k[1]))
    print("| " + " | ".join(COLUMNS) + " |")
    print("|---|---|---:|---|---|---:|---:|---:|---:|---:|---|")
    for ws, r in keys:
        o, n = d[(ws, r, "old")], d[(ws, r, "new")]
        if not o or not n:
            continue
        R = n[0]["regions"]
        mo, mn = statistics.median(x["wall_s"] for x in o), statistics.median(x["wall_s"] for x in n)
        cpu = statistics.median(x["cpu_s"] for x in n)
        name = "-".join(map(str, json.loads(ws)))
        so = ", ".join(f"{x['wall_s']:.2f}" for x in o)
        sn = ", ".join(f"{x['wall_s']:.2f}" for x in n)
        pk = statistics.median(x["peak_rss_mb"] for x in n)
        ss = "same" if same_digests(o, n, R) else "**DIFFERENT**"
        print(f"| {name} | ±{float(r):g} | {R:,} | {so} | {sn} | {R / mo:,.0f} | {R / mn:,.0f} | {mo / mn:.2f}x "
              f"| {R / cpu:,.0f} | {pk:,.0f} | {ss} |")


if __name__ == "__main__":
    main(sys.argv[1])
