-- out_province_metrics: Party organisation size and quality rates per province, twice over:
-- once per 2025 province (era '2025') and once per legacy, pre-reform province (era 'legacy').
-- Every fact lands in exactly one row of each era, so n_facts sums to the fact count per era.
--
-- Province of a fact: as placed by out_fact_provinces (see there); this mart aggregates it.
--
-- Columns
--   era                    '2025' or 'legacy'
--   province_code          official province code of that era (NULL when not in the gazetteer)
--   province               official short name ("Lai Châu"), the article's own name when not in
--                          the gazetteer, '(unknown)' or '(several legacy provinces)'
--   province_code_2025     the 2025 province this row rolls up to (legacy rows: through
--                          unit_lineage when unique; 2025 rows: province_code)
--   province_2025          its short name
--   n_articles             distinct documents with at least one fact in the province
--   n_facts                facts in the province (all metrics, all subject levels)
--   n_communes             distinct commune-level subjects with facts (a linked subject counts
--                          once per gazetteer unit, an unlinked one once per subject_id)
--   commune_party_members  sum over communes of the same era (or unlinked) of each commune's
--                          largest stated party_members figure. A sum over the communes the
--                          articles cover, not the province's total
--   commune_party_cells    the same for party_cells
--   members_per_cell       sum of members / sum of cells over the communes that state both
--   n_communes_sized       number of communes that state both (the n behind members_per_cell)
--   province_party_members largest party_members figure stated for the province itself
--                          (subject level 'province')
--   n_rate_facts           facts with a percent unit
--   mean_cell_meeting_attendance_rate, mean_cells_rated_good_rate, mean_cells_top_tier_rate,
--   mean_members_rated_good_rate, mean_members_top_tier_rate,
--   mean_cell_secretaries_trained_rate, mean_officials_attending_cell_meetings_rate,
--   mean_economic_growth_rate
--                          mean of the stated figures of that metric (any subject level) in the
--                          province, NULL when none is stated
WITH
placed AS (SELECT * FROM out_fact_provinces),
communes AS (  -- one row per era, province and commune: its largest stated size
    SELECT era, province_code, province, unit_key,
        max(value) FILTER (WHERE metric = 'party_members') AS members,
        max(value) FILTER (WHERE metric = 'party_cells') AS cells
    FROM placed
    WHERE level = 'commune' AND (subject_era IS NULL OR subject_era = era)
    GROUP BY ALL
),
sizes AS (
    SELECT era, province_code, province,
        sum(members) AS commune_party_members,
        sum(cells) AS commune_party_cells,
        sum(members) FILTER (WHERE members IS NOT NULL AND cells IS NOT NULL)
          / nullif(sum(cells) FILTER (WHERE members IS NOT NULL AND cells IS NOT NULL), 0)
          AS members_per_cell,
        count(*) FILTER (WHERE members IS NOT NULL AND cells IS NOT NULL) AS n_communes_sized
    FROM communes
    GROUP BY ALL
),
agg AS (
    SELECT era, province_code, province,
        any_value(province_code_2025) AS province_code_2025,
        any_value(province_2025) AS province_2025,
        count(DISTINCT doc_id) AS n_articles,
        count(*) AS n_facts,
        count(DISTINCT unit_key) FILTER (WHERE level = 'commune') AS n_communes,
        max(value) FILTER (WHERE metric = 'party_members' AND level = 'province')
          AS province_party_members,
        count(*) FILTER (WHERE unit = 'percent') AS n_rate_facts,
        avg(value) FILTER (WHERE metric = 'cell_meeting_attendance_rate')
          AS mean_cell_meeting_attendance_rate,
        avg(value) FILTER (WHERE metric = 'cells_rated_good_rate') AS mean_cells_rated_good_rate,
        avg(value) FILTER (WHERE metric = 'cells_top_tier_rate') AS mean_cells_top_tier_rate,
        avg(value) FILTER (WHERE metric = 'members_rated_good_rate')
          AS mean_members_rated_good_rate,
        avg(value) FILTER (WHERE metric = 'members_top_tier_rate') AS mean_members_top_tier_rate,
        avg(value) FILTER (WHERE metric = 'cell_secretaries_trained_rate')
          AS mean_cell_secretaries_trained_rate,
        avg(value) FILTER (WHERE metric = 'officials_attending_cell_meetings_rate')
          AS mean_officials_attending_cell_meetings_rate,
        avg(value) FILTER (WHERE metric = 'economic_growth_rate') AS mean_economic_growth_rate
    FROM placed
    GROUP BY ALL
)
SELECT
    a.era,
    a.province_code,
    a.province,
    a.province_code_2025,
    a.province_2025,
    a.n_articles,
    a.n_facts,
    a.n_communes,
    s.commune_party_members,
    s.commune_party_cells,
    s.members_per_cell,
    coalesce(s.n_communes_sized, 0) AS n_communes_sized,
    a.province_party_members,
    a.n_rate_facts,
    a.mean_cell_meeting_attendance_rate,
    a.mean_cells_rated_good_rate,
    a.mean_cells_top_tier_rate,
    a.mean_members_rated_good_rate,
    a.mean_members_top_tier_rate,
    a.mean_cell_secretaries_trained_rate,
    a.mean_officials_attending_cell_meetings_rate,
    a.mean_economic_growth_rate
FROM agg a
LEFT JOIN sizes s
    ON s.era = a.era AND s.province IS NOT DISTINCT FROM a.province
   AND s.province_code IS NOT DISTINCT FROM a.province_code
ORDER BY a.era, a.province_code NULLS LAST, a.province
