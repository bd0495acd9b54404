# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. Provinces: Party organisation size and quality across provinces
#
# What do the articles tell us about the grassroots Party organisation province by province?
# This notebook reads the published warehouse **read-only** and answers three questions:
#
# 1. How large are the Party organisations the articles describe (members, cells, members per
#    cell), and which quality rates do they report, per 2025 province?
# 2. How do the 63 legacy provinces roll up into the 34 provinces of 1 July 2025, and where do our
#    facts sit on both sides of that map?
# 3. Which communes do the articles cover, on the map of all 3,321 communes of 2025?
#
# Everything comes from the mart `out_province_metrics` (one row per province and era) and the
# contract tables; each figure can be traced to its evidence sentence in the review site
# (`warehouse/review/index.html`). The sample is a handful of articles: the notebook prints a
# **caveat** wherever the number of observations is too small to conclude anything. Aggregates run
# in DuckDB, and fact-level lists show the top rows only (saying "Showing the top 25 of ..."), so
# the notebook stays quick and readable for a corpus of any size.

# %%
import os
from functools import partial

import matplotlib.pyplot as plt
import polars as pl
from IPython.display import display

from pipelines.reports.notebook_kit import TOP_N, caveat, open_warehouse, project_root, shown
from pipelines.reports.notebook_kit import scalar as kit_scalar

con, WAREHOUSE = open_warehouse()  # read-only: the notebook never writes
ROOT = project_root()
scalar = partial(kit_scalar, con)


print(f"warehouse: {WAREHOUSE}")
con.sql("""
    SELECT (SELECT count(*) FROM documents WHERE status = 'ok') AS articles,
           (SELECT count(*) FROM facts) AS facts,
           (SELECT count(DISTINCT subject_id) FROM facts) AS subjects
""").pl()

# %% [markdown]
# ## Organisation size per 2025 province
#
# `out_province_metrics` places every fact in one 2025 province (and, separately, in one legacy
# province). `commune_party_members` adds up, over the communes the articles cover, the largest
# membership figure stated for each commune: it is the size of the *covered* organisations, not a
# province total. `members_per_cell` uses only communes that state both figures.

# %%
prov = con.sql("""
    SELECT province, n_articles, n_facts, n_communes, commune_party_members,
           commune_party_cells, round(members_per_cell, 1) AS members_per_cell,
           n_communes_sized, province_party_members
    FROM out_province_metrics
    WHERE era = '2025'
    ORDER BY n_facts DESC, province
""").pl()
display(prov)

# %%
sized = prov.filter(pl.col("commune_party_members").is_not_null())
caveat(int(prov["n_communes"].sum()), "communes with facts across all provinces")
caveat(int(prov["n_communes_sized"].sum()), "communes stating both members and cells")

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
if sized.height:
    axes[0].barh(sized["province"].to_list(), sized["commune_party_members"].to_list(),
                 color="#c0392b")
    axes[0].set_xlabel("Party members in the covered communes (sum of largest stated figures)")
    axes[0].invert_yaxis()
else:
    axes[0].text(0.5, 0.5, "no commune membership figures", ha="center", va="center")
mpc = prov.filter(pl.col("members_per_cell").is_not_null())
if mpc.height:
    axes[1].barh(mpc["province"].to_list(), mpc["members_per_cell"].to_list(), color="#e67e22")
    for y, (v, n) in enumerate(zip(mpc["members_per_cell"], mpc["n_communes_sized"], strict=True)):
        axes[1].text(v, y, f"  n={n}", va="center", fontsize=8)
    axes[1].set_xlabel("members per Party cell (communes stating both)")
    axes[1].invert_yaxis()
else:
    axes[1].text(0.5, 0.5, "no commune states both members and cells", ha="center", va="center")
fig.suptitle("Organisation size by 2025 province")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Quality rates
#
# Articles report shares: cells rated "clean and strong", members completing tasks well, meeting
# attendance, trained cell secretaries. Each is a statement about one subject (commune, province,
# agency), so below the rate facts are listed with their subject and province before any average
# (the first rows per metric, highest rate first, when there are many).

# %%
n_rates = scalar("SELECT count(*) FROM facts WHERE unit = 'percent'")
caveat(n_rates, "rate facts")
rates = con.sql(f"""
    SELECT f.metric, f.value, f.subject_name, f.subject_level,
           coalesce(s.province_name_2025, f.subject_province, '(unknown)') AS province
    FROM facts f LEFT JOIN subjects s USING (subject_id)
    WHERE f.unit = 'percent'
    ORDER BY f.metric, f.value DESC, f.fact_id
    LIMIT {TOP_N}
""").pl()
shown(rates.height, n_rates, "rate facts", "by metric, highest rate first")
display(rates)

# %% [markdown]
# One dot per fact while there are few; past a couple of thousand, dots only pile up, so each
# metric is drawn as a box (quartiles computed in DuckDB, whiskers at the extremes) with its n.

# %%
DOTS = 2000
rate_stats = con.sql("""
    SELECT metric, count(*) AS n, min(value) AS lo, quantile_cont(value, 0.25) AS q1,
           median(value) AS med, quantile_cont(value, 0.75) AS q3, max(value) AS hi
    FROM facts WHERE unit = 'percent' AND value IS NOT NULL
    GROUP BY metric ORDER BY metric
""").pl()
if rate_stats.height:
    metrics = rate_stats["metric"].to_list()
    fig, ax = plt.subplots(figsize=(9, 0.5 + 0.45 * len(metrics)))
    if n_rates <= DOTS:
        dots = con.sql("SELECT metric, value FROM facts WHERE unit = 'percent'").pl()
        for i, m in enumerate(metrics):
            vals = dots.filter(pl.col("metric") == m)["value"].to_list()
            ax.scatter(vals, [i] * len(vals), s=45, alpha=0.75)
        ax.set_title("Every stated rate, one dot per fact")
    else:
        ax.bxp([{"label": m, "whislo": r["lo"], "q1": r["q1"], "med": r["med"], "q3": r["q3"],
                 "whishi": r["hi"], "fliers": []} for m, r in
                zip(metrics, rate_stats.iter_rows(named=True), strict=True)],
               positions=range(len(metrics)), orientation="horizontal", widths=0.6)
        for i, n in enumerate(rate_stats["n"].to_list()):
            ax.text(101, i, f"n={n:,}", va="center", fontsize=8)
        ax.set_title(f"Stated rates per metric ({n_rates:,} facts: boxes, not dots)")
    ax.set_yticks(range(len(metrics)), metrics)
    ax.set_xlabel("stated rate (%)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    plt.show()
else:
    print("No rate facts in this warehouse.")

# %%
mean_cols = [r[0] for r in con.execute("DESCRIBE out_province_metrics").fetchall()
             if r[0].startswith("mean_")]
means = (
    con.sql("SELECT * FROM out_province_metrics WHERE era = '2025'").pl()
    .select("province", *mean_cols)
    .unpivot(index="province", variable_name="metric", value_name="mean")
    .drop_nulls("mean")
    .with_columns(pl.col("metric").str.strip_prefix("mean_"))
    .sort("metric", "province")
)
caveat(means.height, "province-and-metric means (each averages one or a few facts)")
display(means)

# %% [markdown]
# ## From 63 legacy provinces to 34: the roll-up
#
# On 1 July 2025 whole provinces were merged. `unit_lineage` maps every legacy commune to its 2025
# commune; read at province level it gives the roll-up below. The second table places our facts on
# both sides: `era = 'legacy'` rows attribute a fact about a 2025 commune to the legacy province of
# its predecessors (when they lie in one).

# %%
rollup = con.sql("""
    SELECT new_province AS province_2025,
           list(DISTINCT legacy_province ORDER BY legacy_province) AS legacy_provinces,
           count(DISTINCT legacy_province) AS n_legacy,
           count(DISTINCT legacy_code) AS legacy_communes,
           count(DISTINCT new_code) AS communes_2025
    FROM unit_lineage
    GROUP BY 1
    ORDER BY n_legacy DESC, province_2025
""").pl()
print(f"{rollup.height} provinces of 2025 formed from "
      f"{scalar('SELECT count(DISTINCT legacy_province) FROM unit_lineage')} "
      "legacy provinces")
display(rollup)

# %%
legacy = con.sql("""
    SELECT l.province AS legacy_province, l.province_2025, l.n_facts AS facts_legacy_view,
           l.n_communes, l.commune_party_members AS legacy_commune_members
    FROM out_province_metrics l
    WHERE l.era = 'legacy'
    ORDER BY l.province_2025 NULLS LAST, l.province
""").pl()
display(legacy)

# %%
both = (
    legacy.filter(pl.col("province_2025").is_not_null())
    .group_by("province_2025")
    .agg(pl.col("legacy_province").alias("legacy_provinces_with_facts"),
         pl.col("facts_legacy_view").sum().alias("facts_via_legacy"))
    .join(prov.select(pl.col("province").alias("province_2025"), "n_facts"),
          on="province_2025", how="full", coalesce=True)
    .sort("province_2025")
)
display(both)

# %%
if both.height:
    b = both.fill_null(0)
    x = range(b.height)
    fig, ax = plt.subplots(figsize=(max(5, 1.2 * b.height), 3.6))
    ax.bar([i - 0.2 for i in x], b["n_facts"].to_list(), width=0.4, label="2025 province view")
    ax.bar([i + 0.2 for i in x], b["facts_via_legacy"].to_list(), width=0.4,
           label="sum over its legacy provinces")
    ax.set_xticks(list(x), b["province_2025"].to_list(), rotation=30, ha="right")
    ax.set_ylabel("facts")
    ax.set_title("Facts per 2025 province, directly and through its legacy provinces")
    ax.legend()
    fig.tight_layout()
    plt.show()
print("Where the two bars differ, some facts name a 2025 unit that spans several legacy provinces,"
      " or a province name the gazetteer could not place.")

# %% [markdown]
# ## Map: the communes the articles cover
#
# Grey dots are all communes and wards of 2025 from the gazetteer; coloured dots are the units our
# facts are linked to (red: 2025 units, orange: legacy units), sized by the number of facts.

# %%
background = con.sql("""
    SELECT lon, lat FROM admin_units
    WHERE era = '2025' AND level = 'commune' AND lon IS NOT NULL AND lat IS NOT NULL
""").pl()
covered = con.sql("""
    SELECT s.era, s.unit_name, s.lon, s.lat, count(*) AS n_facts
    FROM facts f JOIN subjects s USING (subject_id)
    WHERE s.level = 'commune' AND s.lon IS NOT NULL AND s.lat IS NOT NULL
    GROUP BY ALL ORDER BY n_facts DESC
""").pl()
caveat(covered.height, "communes placed on the map")

fig, ax = plt.subplots(figsize=(5.5, 8))
ax.scatter(background["lon"].to_list(), background["lat"].to_list(), s=2, c="#b8bec6",
           alpha=0.35, linewidths=0, label=f"all 2025 communes ({background.height})")
for era, color in (("2025", "#c0392b"), ("legacy", "#e67e22")):
    part = covered.filter(pl.col("era") == era)
    if part.height:
        ax.scatter(part["lon"].to_list(), part["lat"].to_list(),
                   s=[30 + 25 * n for n in part["n_facts"].to_list()], c=color, alpha=0.85,
                   edgecolors="black", linewidths=0.5, label=f"covered, {era} unit ({part.height})")
        for row in part.head(12).iter_rows(named=True):
            ax.annotate(row["unit_name"], (row["lon"], row["lat"]), fontsize=7,
                        xytext=(4, 3), textcoords="offset points")
ax.set_xlabel("longitude")
ax.set_ylabel("latitude")
ax.set_aspect("equal", adjustable="datalim")
ax.set_title("Communes covered by the articles")
ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()
if os.environ.get("SAVE_FIGURES"):  # opt-in: refreshes the chart of the README
    (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
    fig.savefig(ROOT / "docs" / "img" / "provinces_map.png", dpi=110)
plt.show()

# %% [markdown]
# ## What this sample can and cannot say
#
# The numbers above describe the organisations the articles chose to write about: mostly communes
# held up as examples, in the provinces the outlets cover. They are not a sample of the country.
# A province comparison means something only when each province rests on several communes from
# several articles; the cell below says how far we are from that.

# %%
n_prov = scalar("""SELECT count(*) FROM out_province_metrics
                   WHERE era = '2025' AND province_code IS NOT NULL""")
caveat(n_prov, "provinces of 2025 with facts (out of 34)", small=10)
caveat(int(prov["n_articles"].max() or 0), "articles for the best-covered province")
con.close()
