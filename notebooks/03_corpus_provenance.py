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
# # 3. Corpus and provenance
#
# Before trusting any number from notebooks 1 and 2, look at where it comes from: which articles,
# in which languages, from which outlets; how many facts each yields; how many subjects could not
# be tied to an official unit; whether every evidence span really is in the text; and how well
# the extractor scores against the hand-made gold files.
#
# The warehouse is opened **read-only**; the scores run the extractor in memory over the gold
# folders (nothing is written). Counts run in DuckDB; per-article lists show the top rows only
# and say so, so the notebook costs about the same at a hundred thousand articles as at five.

# %%
import os
from functools import partial
from pathlib import Path

import matplotlib.pyplot as plt
import polars as pl
from IPython.display import display

from pipelines.reports.notebook_kit import TOP_N, caveat, open_warehouse, project_root, shown
from pipelines.reports.notebook_kit import scalar as kit_scalar

con, WAREHOUSE = open_warehouse()  # read-only: the notebook never writes
ROOT = project_root()
pl.Config.set_fmt_str_lengths(70)
scalar = partial(kit_scalar, con)


print(f"warehouse: {WAREHOUSE}")

# %% [markdown]
# ## The input files
#
# Every file in the input folder becomes a row of `documents`: `ok`, `rejected` (unreadable,
# with a reason) or `duplicate` (the same text as another file). Nothing is silently dropped.
# The list shows the files that were not read first, then the rest by name.

# %%
status = con.sql("SELECT status, count(*) AS files FROM documents GROUP BY 1 ORDER BY 1").pl()
n_docs = int(status["files"].sum())
n_ok = int(status.filter(pl.col("status") == "ok")["files"].sum())
caveat(n_ok, "readable articles")
display(status)

# %%
docs = con.sql(f"""
    SELECT file_name, status, reason, language, round(language_confidence, 2) AS lang_conf,
           outlet, published, n_chars, n_facts, n_mergers, n_people
    FROM documents ORDER BY status = 'ok', file_name
    LIMIT {TOP_N}
""").pl()
shown(docs.height, n_docs, "input files", "files not read first, then by name")
display(docs)

# %% [markdown]
# ## Languages and outlets
#
# Most coverage reaches the corpus as machine translations; the language decides the number
# conventions ("110.300" is 110,300 in Indonesian, 110.3 in English) and the language pack used.

# %%
langs = con.sql("""
    SELECT language, count(*) AS articles, sum(n_facts) AS facts
    FROM documents WHERE status = 'ok' GROUP BY 1 ORDER BY articles DESC, language
""").pl()
n_outlets = scalar("SELECT count(DISTINCT coalesce(outlet, '')) FROM documents WHERE status = 'ok'")
outlets = con.sql(f"""
    SELECT outlet, count(*) AS articles
    FROM documents WHERE status = 'ok' GROUP BY 1 ORDER BY articles DESC, outlet LIMIT {TOP_N}
""").pl()
fig, axes = plt.subplots(1, 2, figsize=(11, 3.4 if outlets.height <= 10 else 0.8 + 0.3 * outlets.height))
axes[0].bar([str(x) for x in langs["language"].to_list()], langs["articles"].to_list(),
            color="#2980b9")
axes[0].set_title("Articles per language")
axes[1].barh([str(x) for x in outlets["outlet"].to_list()], outlets["articles"].to_list(),
             color="#8e44ad")
axes[1].set_title("Articles per outlet" + (f" (top {outlets.height} of {n_outlets:,})"
                                             if outlets.height < n_outlets else ""))
axes[1].invert_yaxis()
fig.tight_layout()
plt.show()
shown(outlets.height, n_outlets, "outlets", "most articles first")
display(langs)

# %%
n_dated, first, last = con.execute("""
    SELECT count(published), min(published), max(published) FROM documents WHERE status = 'ok'
""").fetchall()[0]
print(f"{n_dated} of {n_ok} articles state a publication date"
      + (f" (from {first} to {last})" if n_dated else ""))
caveat(n_dated, "dated articles (the timeline of notebook 2 leans on them)")

# %% [markdown]
# ## Facts per article and per metric

# %%
PER_DOC = """
    SELECT d.file_name, count(f.fact_id) AS facts
    FROM documents d LEFT JOIN facts f USING (doc_id)
    WHERE d.status = 'ok'
    GROUP BY d.doc_id, d.file_name
"""
per_doc = con.sql(f"{PER_DOC} ORDER BY facts DESC, file_name LIMIT {TOP_N}").pl()
# the distribution is computed in DuckDB: one row per number of facts, not one per article
hist = con.sql(f"SELECT facts, count(*) AS articles FROM ({PER_DOC}) GROUP BY 1 ORDER BY 1").pl()
n_articles = int(hist["articles"].sum()) if hist.height else 0
per_metric = con.sql("""
    SELECT metric, count(*) AS facts, count(DISTINCT doc_id) AS articles
    FROM facts GROUP BY 1 ORDER BY facts DESC, metric
""").pl()
# one bar per article while the corpus is small; a histogram once it is not (10,000 bars would
# make a figure taller than any screen)
fig, axes = plt.subplots(1, 2, figsize=(11, 0.8 + 0.32 * max(min(n_articles, TOP_N), per_metric.height, 4)))
if n_articles <= TOP_N:
    axes[0].barh(per_doc["file_name"].to_list(), per_doc["facts"].to_list(), color="#16a085")
    axes[0].set_title("Facts per article")
    axes[0].invert_yaxis()
else:
    axes[0].bar(hist["facts"].to_list(), hist["articles"].to_list(), width=1.0, align="edge",
                color="#16a085")
    axes[0].set_title(f"Facts per article ({n_articles:,} articles)")
    axes[0].set_xlabel("facts in the article")
    axes[0].set_ylabel("articles")
axes[1].barh(per_metric["metric"].to_list(), per_metric["facts"].to_list(), color="#d35400")
axes[1].set_title("Facts per metric")
axes[1].invert_yaxis()
fig.tight_layout()
plt.show()
if n_articles:
    median, no_facts = con.execute(
        f"SELECT median(facts), count(*) FILTER (WHERE facts = 0) FROM ({PER_DOC})").fetchall()[0]
    print(f"median facts per article: {median}, articles without facts: {no_facts}")
display(per_metric)
shown(per_doc.height, n_articles, "articles", "most facts first")
display(per_doc)

# %% [markdown]
# ## Coverage of the territory

# %%
coverage = con.sql("""
    SELECT
      (SELECT count(DISTINCT province_code_2025) FROM subjects WHERE province_code_2025 IS NOT NULL)
        AS provinces_2025_covered,
      (SELECT count(*) FROM admin_units WHERE era = '2025' AND level = 'province')
        AS provinces_2025,
      (SELECT count(DISTINCT unit_code) FROM subjects WHERE era = '2025' AND level = 'commune')
        AS communes_2025_covered,
      (SELECT count(*) FROM admin_units WHERE era = '2025' AND level = 'commune') AS communes_2025,
      (SELECT count(DISTINCT unit_code) FROM subjects WHERE era = 'legacy' AND level = 'commune')
        AS legacy_communes_covered
""").pl()
display(coverage)

# %% [markdown]
# ## Unresolved subjects
#
# A subject is *resolved* when the gazetteer ties it to one official unit. Unresolved subjects
# (villages, agencies, names not in the gazetteer, ambiguous names without a province) keep their
# facts but drop out of the province and merger analyses' unit-level figures.

# %%
subj = con.sql("""
    SELECT s.level, s.link_status, (s.unit_code IS NOT NULL) AS resolved,
           count(DISTINCT s.subject_id) AS subjects, count(f.fact_id) AS facts
    FROM subjects s LEFT JOIN facts f USING (subject_id)
    GROUP BY ALL ORDER BY s.level, resolved DESC, s.link_status
""").pl()
n_subj = scalar("SELECT count(*) FROM subjects")
n_unres = scalar("SELECT count(*) FROM subjects WHERE unit_code IS NULL")
print(f"{n_unres} of {n_subj} subjects are unresolved")
caveat(n_subj, "subjects")
display(subj)

# %%
unresolved = con.sql(f"""
    SELECT name, level, province, link_status, link_reason
    FROM subjects WHERE unit_code IS NULL ORDER BY level, name
    LIMIT {TOP_N}
""").pl()
shown(unresolved.height, n_unres, "unresolved subjects", "by level, then name")
display(unresolved)

# %% [markdown]
# ## Evidence spans
#
# Each fact carries character offsets into the article text; the review site highlights them.
# Here every span is checked: does `text[span_start:span_end]` equal the stored evidence?

# %%
# the check runs in DuckDB: only the counts and the first mismatches come back, not every span
SPANS = """
    SELECT f.fact_id, d.file_name, f.metric,
           coalesce(substr(d.text, f.span_start + 1, f.span_end - f.span_start) = f.evidence,
                    false) AS span_ok
    FROM facts f JOIN documents d USING (doc_id)
"""
n_spans, n_bad = con.execute(
    f"SELECT count(*), count(*) FILTER (WHERE NOT span_ok) FROM ({SPANS})").fetchall()[0]
bad = con.sql(f"""
    SELECT fact_id, file_name, metric, span_ok FROM ({SPANS}) WHERE NOT span_ok
    ORDER BY file_name, fact_id LIMIT {TOP_N}
""").pl()
print(f"{n_spans - n_bad} of {n_spans} evidence spans match the text exactly")
shown(bad.height, n_bad, "mismatched spans", "by file name")
display(bad)

# %% [markdown]
# ## Extraction scores against the gold files
#
# `pipelines.evaluate.evaluate_dir` extracts every article that has a `*.gold.json` beside it and
# scores metric facts as `spec/facts.md` says (same metric, value within 0.5 %, same subject).
# The folders scored are `seeds/` and, when present, the shared dev set; set `GOLD_DIRS`
# (separated by `:`) to choose others.

# %%
gold_dirs = [Path(p) for p in os.environ.get("GOLD_DIRS", "").split(":") if p] or [
    d for d in (ROOT / "seeds", ROOT.parent / "shared" / "devset") if d.is_dir()
]
try:
    from pipelines.evaluate import evaluate_dir
except ImportError as exc:
    evaluate_dir = None
    print(f"Extraction scores are not available: pipelines.evaluate.evaluate_dir cannot be "
          f"imported ({exc}). Run `python -m pipelines evaluate seeds` once it exists.")


SCORE_FIELDS = ("tp", "fp", "fn", "precision", "recall", "f1")


def as_score(x):
    """A Score (object with precision/recall/f1) or an equivalent dict -> plain dict, else None."""
    if isinstance(x, dict):
        return {k: x.get(k) for k in SCORE_FIELDS} if "f1" in x else None
    if all(hasattr(x, a) for a in ("precision", "recall", "f1")):
        return {k: getattr(x, k, None) for k in SCORE_FIELDS}
    return None


reports = {}
if evaluate_dir is not None:
    for d in gold_dirs:
        try:
            reports[d.name] = evaluate_dir(d)
        except Exception as exc:  # a broken extractor must not hide the rest of the notebook
            print(f"evaluate_dir({d}) failed: {type(exc).__name__}: {exc}")

rows = []
for gold, rep in reports.items():
    for kind, sc in (rep.get("by_kind") or {}).items():
        if (sd := as_score(sc)) is not None:
            rows.append({"gold": gold, "language": "all", "kind": kind, **sd})
    for lang, kinds in (rep.get("by_language") or {}).items():
        for kind, sc in (kinds or {}).items():
            if (sd := as_score(sc)) is not None:
                rows.append({"gold": gold, "language": str(lang), "kind": kind, **sd})
scores = pl.DataFrame(
    rows,
    schema={"gold": pl.String, "language": pl.String, "kind": pl.String, "tp": pl.Int64,
            "fp": pl.Int64, "fn": pl.Int64, "precision": pl.Float64, "recall": pl.Float64,
            "f1": pl.Float64},
).with_columns(pl.col("precision", "recall", "f1").round(3))
n_gold = {g: len(rep.get("documents") or []) for g, rep in reports.items()}
print("gold articles scored:", n_gold or "none")
display(scores.filter(pl.col("language") == "all"))

# %%
if scores.height:
    overall = scores.filter(pl.col("language") == "all")
    by_lang = scores.filter((pl.col("language") != "all") & (pl.col("kind") == "metrics"))
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
    labels = [f"{g}: {k}" for g, k in zip(overall["gold"], overall["kind"], strict=True)]
    axes[0].barh(labels, overall["f1"].to_list(), color="#27ae60")
    axes[0].set_xlim(0, 1.05)
    axes[0].set_title("F1 by fact kind")
    axes[0].invert_yaxis()
    labels = [f"{g}: {lang}" for g, lang in zip(by_lang["gold"], by_lang["language"], strict=True)]
    axes[1].barh(labels, by_lang["f1"].to_list(), color="#2980b9")
    axes[1].set_xlim(0, 1.05)
    axes[1].set_title("Metric-fact F1 by language")
    axes[1].invert_yaxis()
    fig.tight_layout()
    plt.show()
    caveat(sum(n_gold.values()), "gold articles behind these scores", small=30)
    display(by_lang)
elif evaluate_dir is not None:
    print("The evaluation report has no scores to chart; the raw report:")
    print(reports)

# %% [markdown]
# ## What this sample can and cannot say
#
# Every later figure rests on the articles listed above. With a handful of articles, a few
# outlets and machine translations, the corpus shows what the pipeline can trace, not how the
# Party organisation looks across Vietnam.

# %%
caveat(n_ok, "readable articles in the corpus", small=30)
con.close()
