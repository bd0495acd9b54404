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
# # 2. Before and after the mergers
#
# On 1 July 2025 about 10,600 communes and wards became 3,321. Most new communes merged two to
# four old ones; about a thousand old communes were split; some were only renamed or left alone.
# This notebook asks what the articles say about that reform:
#
# 1. Which of the communes they mention were merged, and from how many predecessors?
# 2. Does the size of the Party organisation grow with the number of predecessors?
# 3. When an article names the former units of a merger, does it agree with the official lineage?
# 4. Which facts describe the situation before the reform and which after?
#
# Sources: the marts `out_merger_profile`, `out_merger_claims` and `out_timeline`, read
# **read-only**. The sample is small; each section prints its n and a caveat when it is too small
# to conclude. Counts and groupings run in DuckDB; long tables and per-commune charts show the top
# rows only and say so ("Showing the top 25 of ..."), so the notebook costs about the same for a
# hundred articles as for a hundred thousand.

# %%
from functools import partial

import matplotlib.pyplot as plt
import polars as pl
from IPython.display import display

from pipelines.reports.notebook_kit import TOP_N, caveat, open_warehouse, shown
from pipelines.reports.notebook_kit import scalar as kit_scalar

con, WAREHOUSE = open_warehouse()  # read-only: the notebook never writes
pl.Config.set_fmt_str_lengths(60)
scalar = partial(kit_scalar, con)


print(f"warehouse: {WAREHOUSE}")

# %% [markdown]
# ## Merged and unmerged communes
#
# `out_merger_profile` has one row per 2025 commune the articles mention, with its official
# predecessors (`unit_lineage`), the relation of each (`merged`, `split`, `renamed`,
# `unchanged`) and the largest Party figures the articles state for it.

# %%
profile = con.sql("""
    SELECT short_name AS commune, province, n_predecessors, predecessors,
           predecessor_relations, is_merged, has_split_part, area_km2, party_members,
           party_cells, round(members_per_cell, 1) AS members_per_cell,
           round(members_per_predecessor, 1) AS members_per_predecessor, n_articles, n_facts
    FROM out_merger_profile
    ORDER BY is_merged DESC, n_predecessors DESC, commune
""").pl()
caveat(profile.height, "2025 communes mentioned")
display(profile)

# %%
summary = (
    profile.group_by("is_merged")
    .agg(
        pl.len().alias("communes"),
        pl.col("party_members").is_not_null().sum().alias("with_members"),
        pl.col("party_members").mean().round(1).alias("mean_members"),
        pl.col("party_cells").mean().round(1).alias("mean_cells"),
        pl.col("area_km2").mean().round(1).alias("mean_area_km2"),
        pl.col("n_predecessors").mean().round(2).alias("mean_predecessors"),
    )
    .sort("is_merged", descending=True)
)
display(summary)

# %%
for row in summary.iter_rows(named=True):
    label = "merged" if row["is_merged"] else "unmerged"
    caveat(int(row["with_members"]), f"{label} communes with a membership figure")

# %% [markdown]
# ## Predecessors against Party size
#
# If merging pools the Party organisations of the former communes, a commune formed from more
# predecessors should have more members, and about the same number per predecessor. The chart
# puts each mentioned commune at its number of official predecessors and its largest stated
# membership; only the largest are named, and the right-hand bars show the top communes by members
# per predecessor (one label per commune is unreadable, and took most of this notebook's time, once
# thousands of communes are mentioned).

# %%
sized = profile.filter(pl.col("party_members").is_not_null())
caveat(sized.height, "communes with both a lineage and a membership figure")
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
if sized.height:
    colors = ["#c0392b" if m else "#7f8c8d" for m in sized["is_merged"].to_list()]
    axes[0].scatter(sized["n_predecessors"].to_list(), sized["party_members"].to_list(),
                    c=colors, s=60 if sized.height <= 200 else 12, edgecolors="black",
                    linewidths=0.5 if sized.height <= 200 else 0, alpha=0.8)
    named = sized.sort("party_members", descending=True, nulls_last=True).head(12)
    for r in named.iter_rows(named=True):
        axes[0].annotate(r["commune"], (r["n_predecessors"], r["party_members"]), fontsize=8,
                         xytext=(4, 3), textcoords="offset points")
    axes[0].set_xlabel("official predecessors (unit_lineage)")
    axes[0].set_ylabel("Party members (largest stated)")
    axes[0].set_title(f"Size against predecessors (red: merged; n = {sized.height:,})")
    per_all = sized.filter(pl.col("members_per_predecessor").is_not_null())
    per = per_all.sort("members_per_predecessor", descending=True).head(TOP_N)
    axes[1].barh(per["commune"].to_list(), per["members_per_predecessor"].to_list(),
                 color="#2980b9")
    axes[1].set_xlabel("Party members per predecessor")
    axes[1].invert_yaxis()
    axes[1].set_title("Members per predecessor" + (
        f" (top {per.height} of {per_all.height:,})" if per.height < per_all.height else ""))
    shown(named.height, sized.height, "communes named on the scatter", "largest membership")
    shown(per.height, per_all.height, "communes in the members-per-predecessor bars",
          "most members per predecessor")
else:
    for ax in axes:
        ax.text(0.5, 0.5, "no commune with a membership figure", ha="center", va="center")
fig.tight_layout()
plt.show()

# %%
if sized.height >= 3:
    r = sized.select(pl.corr("n_predecessors", "party_members")).item()
    print(f"Pearson r(predecessors, members) = {r:.2f} over {sized.height} communes")
    caveat(sized.height, "points behind this correlation")
else:
    print(f"Caveat: {sized.height} communes is too few for even a correlation coefficient.")

# %% [markdown]
# ## What the articles claim against the official lineage
#
# When an article names the former units of a merger ("Dong Thai was formed from Yen Dong, Yen
# Thanh and Yen Thai"), the pipeline checks the list against the official mapping. `missing` are
# official predecessors the article leaves out (often a commune that was split, only partly
# merged); `extra` are names that are not official predecessors.

# %%
n_claims = scalar("SELECT count(*) FROM out_merger_claims")
# disagreements first: they are the claims to check by hand
claims = con.sql(f"""
    SELECT new_unit_name, new_unit_province, claimed, official, missing, extra, verdict,
           file_name
    FROM out_merger_claims
    ORDER BY CASE verdict WHEN 'disagrees' THEN 0 WHEN 'partly agrees' THEN 1
                          WHEN 'unresolved' THEN 2 ELSE 3 END, verdict, new_unit_name, file_name
    LIMIT {TOP_N}
""").pl()
verdicts = con.sql("""
    SELECT v.verdict, count(c.merger_id) AS n
    FROM (VALUES ('agrees'), ('partly agrees'), ('disagrees'), ('unresolved')) v(verdict)
    LEFT JOIN out_merger_claims c USING (verdict)
    GROUP BY v.verdict ORDER BY v.verdict
""").pl()
caveat(n_claims, "merger claims in the articles")
display(verdicts)

# %%
fig, ax = plt.subplots(figsize=(6, 2.8))
palette = {"agrees": "#27ae60", "partly agrees": "#f1c40f", "disagrees": "#c0392b",
           "unresolved": "#95a5a6"}
ax.barh(verdicts["verdict"].to_list(), verdicts["n"].to_list(),
        color=[palette[v] for v in verdicts["verdict"].to_list()])
ax.set_xlabel("merger claims")
ax.set_title("Article claims against the official lineage")
ax.invert_yaxis()
fig.tight_layout()
plt.show()
shown(claims.height, n_claims, "merger claims", "disagreements first")
display(claims)

# %% [markdown]
# ## Before or after 1 July 2025: the timeline
#
# `out_timeline` places every fact before or after the reform: by its wording ("after the
# merger", "sau sáp nhập", "selepas penggabungan"...), else by its stated period, else by the
# article's publication date. Facts with none of these stay `unknown`.

# %%
by_basis = con.sql("""
    SELECT placed, basis, count(*) AS facts
    FROM out_timeline GROUP BY ALL ORDER BY placed, basis
""").pl()
caveat(int(by_basis.filter(pl.col("placed") != "unknown")["facts"].sum()), "facts placed in time")
display(by_basis)

# %%
order = ["before", "after", "unknown"]
bases = ["wording", "period", "published", "none"]
fig, ax = plt.subplots(figsize=(7, 3))
left = [0] * len(order)
for basis, color in zip(bases, ["#8e44ad", "#16a085", "#2c3e50", "#bdc3c7"], strict=True):
    vals = [by_basis.filter((pl.col("placed") == p) & (pl.col("basis") == basis))["facts"].sum()
            for p in order]
    ax.barh(order, vals, left=left, color=color, label=basis)
    left = [a + b for a, b in zip(left, vals, strict=True)]
ax.set_xlabel("facts")
ax.set_title("Facts placed before / after the reform, by basis")
ax.legend(fontsize=8, ncols=4, loc="lower right")
ax.invert_yaxis()
fig.tight_layout()
plt.show()

# %% [markdown]
# Party membership figures on each side of the reform. A commune's membership after a merger
# should be about the sum of its predecessors' before it; with few figures this is a list of
# cases, not a trend.

# %%
sides = dict(con.execute("""
    SELECT placed, count(*) FROM out_timeline WHERE metric = 'party_members' GROUP BY 1
""").fetchall())
for side in ("before", "after"):
    caveat(sides.get(side, 0), f"membership figures {side} the reform")
members = con.sql(f"""
    SELECT t.subject, t.subject_level, t.value, t.placed, t.basis, t.date_used, d.file_name
    FROM out_timeline t JOIN documents d USING (doc_id)
    WHERE t.metric = 'party_members'
    ORDER BY t.placed, t.subject, t.value DESC, d.file_name
    LIMIT {TOP_N}
""").pl()
shown(members.height, sum(sides.values()), "membership figures", "by side, then subject")
display(members)

# %% [markdown]
# ## What this sample can and cannot say
#
# The articles mention a handful of the 3,321 communes, chosen by the outlets. Merged and
# unmerged communes can be compared here only as cases; the claims check is the most robust
# result, because each claim is verified against the official list one by one.

# %%
caveat(profile.height, "communes in the merger profile (out of 3,321)")
con.close()
