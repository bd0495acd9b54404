-- out_timeline: every fact placed before or after the reform of 1 July 2025.
-- per document: doc_id
--
-- Rules, first that applies wins:
--   1. wording  the evidence says "after the merger" (after/since the merger, post-merger,
--               sau (khi) sáp nhập / sắp xếp / hợp nhất, selepas penggabungan, setelah / sesudah /
--               pasca penggabungan, po połączeniu / po fuzji / po scaleniu / po reorganizacji,
--               après (la) fusion, после слияния / объединения) -> 'after'; or "before the merger"
--               (before / prior to the merger, pre-merger, trước (khi) sáp nhập, sebelum
--               penggabungan, przed połączeniem / fuzją, avant (la) fusion, до слияния) ->
--               'before'. Evidence that says both is not decided by wording.
--   2. period   the stated period (facts.period_end / period_start): ends in 2024 or earlier ->
--               'before' (date 31 Dec of period_end); starts in 2026 or later -> 'after'
--               (date 1 Jan of period_start). A period touching 2025 does not decide.
--   3. published the article's publication date (documents.published): before 2025-07-01 ->
--               'before', on or after it -> 'after'.
--   4. none     'unknown'.
--
-- Columns
--   fact_id, doc_id  keys into facts / documents
--   subject          facts.subject_name
--   subject_level    facts.subject_level
--   metric, value    the fact
--   placed           'before' | 'after' | 'unknown'
--   basis            'wording' | 'period' | 'published' | 'none'
--   date_used        the date the placement rests on (NULL for wording and none)
WITH
f AS (
    SELECT f.fact_id, f.doc_id, f.subject_name, f.subject_level, f.metric, f.value,
        f.period_start, f.period_end, d.published,
        regexp_matches(lower(coalesce(f.evidence, '')),
            '(after (the )?(merger|merging|consolidation|amalgamation|rearrangement|reorgani[sz]ation)'
            || '|post-merger|since the merger'
            || '|sau (khi )?(sáp nhập|sắp xếp|hợp nhất)'
            || '|(selepas|setelah|sesudah|pasca) ?-?(penggabungan|gabungan|bergabung|digabung)'
            || '|\bpo (połączeniu|fuzji|scaleniu|reorganizacji)'
            || '|après (la )?fusion'
            || '|после (слияния|объединения))') AS says_after,
        regexp_matches(lower(coalesce(f.evidence, '')),
            '(before (the )?(merger|merging|consolidation|amalgamation|rearrangement|reorgani[sz]ation)'
            || '|prior to the merger|pre-merger'
            || '|trước (khi )?(sáp nhập|sắp xếp|hợp nhất)'
            || '|sebelum ?-?(penggabungan|gabungan|bergabung|digabung)'
            || '|przed (połączeniem|fuzją|scaleniem|reorganizacją)'
            || '|avant (la )?fusion'
            || '|до (слияния|объединения))') AS says_before
    FROM facts f
    LEFT JOIN documents d ON d.doc_id = f.doc_id
),
p AS (
    SELECT f.*,
        CASE
            WHEN says_after AND NOT says_before THEN 'after'
            WHEN says_before AND NOT says_after THEN 'before'
            WHEN period_end IS NOT NULL AND period_end <= 2024 THEN 'before'
            WHEN coalesce(period_start, period_end) >= 2026 THEN 'after'
            WHEN published IS NOT NULL AND published < DATE '2025-07-01' THEN 'before'
            WHEN published IS NOT NULL THEN 'after'
            ELSE 'unknown'
        END AS placed,
        CASE
            WHEN says_after <> says_before THEN 'wording'
            WHEN period_end IS NOT NULL AND period_end <= 2024 THEN 'period'
            WHEN coalesce(period_start, period_end) >= 2026 THEN 'period'
            WHEN published IS NOT NULL THEN 'published'
            ELSE 'none'
        END AS basis
    FROM f
)
SELECT
    fact_id,
    doc_id,
    subject_name AS subject,
    subject_level,
    metric,
    value,
    placed,
    basis,
    CASE basis
        WHEN 'period' THEN CASE WHEN placed = 'before' THEN make_date(period_end, 12, 31)
                                ELSE make_date(coalesce(period_start, period_end), 1, 1) END
        WHEN 'published' THEN published
    END AS date_used
FROM p
ORDER BY doc_id, fact_id
