"""Draws requests/s per scenario and database from a bench/run result file."""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {"sqlite": "#4c72b0", "postgres": "#dd8452"}


def main(src, dst):
    with open(src) as f:
        result = json.load(f)
    rows = [r for r in result["rows"]
            if not r["scenario"].startswith(("soak", "mixed-soak", "overload"))]
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    databases = list(dict.fromkeys(r["database"] for r in rows))
    width = 0.8 / len(databases)
    fig, ax = plt.subplots(figsize=(11, 5.5))
    for i, db in enumerate(databases):
        xs, ys = [], []
        for j, s in enumerate(scenarios):
            r = next((r for r in rows if r["scenario"] == s and r["database"] == db), None)
            if r:
                xs.append(j + (i - (len(databases) - 1) / 2) * width)
                ys.append(r["rps"])
        bars = ax.bar(xs, ys, width, label=db, color=COLOURS.get(db))
        ax.bar_label(bars, fmt="%.0f", fontsize=8, padding=2)
    ax.set_xticks(range(len(scenarios)), scenarios, rotation=20, ha="right")
    ax.set_ylabel("requests per second")
    ax.set_title(f"Clientele, 100,000 clients, 32 connections — {result['date'][:10]}\n"
                 f"{result['machine']}", fontsize=10)
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(dst, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
