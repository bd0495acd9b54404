-- out_merger_profile: one row per 2025 commune that the articles mention (a subject linked to a
-- 2025 unit of level commune, through a fact, a merger or a person), with its official
-- predecessors from unit_lineage and the Party size the articles state for it.
--
-- Columns
--   unit_code               2025 commune code (admin_units.code, era '2025')
--   unit_name               official name ("Xã Đồng Thái")
--   short_name              official name without the unit word ("Đồng Thái")
--   province_code           2025 province code
--   province                2025 province short name
--   lat, lon                gazetteer coordinates of the commune
--   area_km2                official area (admin_units.area_km2)
--   names_in_articles       the distinct names the articles use for it (VARCHAR[])
--   n_articles              distinct documents that mention it (facts, mergers or people)
--   n_facts                 facts about it
--   n_predecessors          legacy units that unit_lineage maps (wholly or in part) into it
--   predecessors            their official names, ordered by legacy code (VARCHAR[])
--   predecessor_relations   the relation of each, aligned with predecessors: 'unchanged',
--                           'renamed', 'merged' or 'split' (VARCHAR[])
--   legacy_provinces        distinct legacy provinces of the predecessors (VARCHAR[])
--   is_merged               more than one predecessor, or any relation 'merged'
--   has_split_part          some predecessor was split between several 2025 communes
--   party_members           largest party_members figure stated for it (any article)
--   party_cells             largest party_cells figure stated for it
--   members_per_cell        party_members / party_cells
--   members_per_predecessor party_members / n_predecessors
--   merged_units_stated     largest merged_units figure stated for it ("merged from 3 communes")
--   n_merger_claims         rows of the mergers table whose new unit is this commune
WITH
c25 AS (
    SELECT code, name, short_name, province_code, lat, lon, area_km2
    FROM admin_units WHERE era = '2025' AND level = 'commune'
),
p25 AS (
    SELECT code, coalesce(short_name, name) AS pname
    FROM admin_units WHERE era = '2025' AND level = 'province'
),
subj AS (
    SELECT subject_id, name, unit_code
    FROM subjects
    WHERE era = '2025' AND level = 'commune' AND unit_code IS NOT NULL
),
mentions AS (
    SELECT s.unit_code, f.doc_id, 'fact' AS kind FROM facts f JOIN subj s USING (subject_id)
    UNION ALL
    SELECT s.unit_code, m.doc_id, 'merger' FROM mergers m JOIN subj s ON s.subject_id = m.new_unit_id
    UNION ALL
    SELECT s.unit_code, p.doc_id, 'person' FROM people p JOIN subj s ON s.subject_id = p.org_subject_id
),
mention_agg AS (
    SELECT unit_code,
        count(DISTINCT doc_id) AS n_articles,
        count(*) FILTER (WHERE kind = 'fact') AS n_facts,
        count(*) FILTER (WHERE kind = 'merger') AS n_merger_claims
    FROM mentions GROUP BY 1
),
names AS (
    SELECT unit_code, list_sort(list(DISTINCT name)) AS names_in_articles FROM subj GROUP BY 1
),
sizes AS (
    SELECT s.unit_code,
        max(f.value) FILTER (WHERE f.metric = 'party_members') AS party_members,
        max(f.value) FILTER (WHERE f.metric = 'party_cells') AS party_cells,
        max(f.value) FILTER (WHERE f.metric = 'merged_units') AS merged_units_stated
    FROM facts f JOIN subj s USING (subject_id)
    GROUP BY 1
),
lineage AS (
    SELECT new_code,
        count(*) AS n_predecessors,
        list(legacy_name ORDER BY legacy_code) AS predecessors,
        list(relation ORDER BY legacy_code) AS predecessor_relations,
        list_sort(list(DISTINCT legacy_province)) AS legacy_provinces,
        bool_or(relation = 'merged') AS any_merged,
        bool_or(relation = 'split') AS any_split
    FROM unit_lineage GROUP BY 1
)
SELECT
    c.code AS unit_code,
    c.name AS unit_name,
    c.short_name,
    c.province_code,
    p.pname AS province,
    c.lat,
    c.lon,
    c.area_km2,
    n.names_in_articles,
    coalesce(ma.n_articles, 0) AS n_articles,
    coalesce(ma.n_facts, 0) AS n_facts,
    coalesce(l.n_predecessors, 0) AS n_predecessors,
    coalesce(l.predecessors, []::VARCHAR[]) AS predecessors,
    coalesce(l.predecessor_relations, []::VARCHAR[]) AS predecessor_relations,
    coalesce(l.legacy_provinces, []::VARCHAR[]) AS legacy_provinces,
    coalesce(l.n_predecessors > 1 OR l.any_merged, false) AS is_merged,
    coalesce(l.any_split, false) AS has_split_part,
    sz.party_members,
    sz.party_cells,
    sz.party_members / nullif(sz.party_cells, 0) AS members_per_cell,
    sz.party_members / nullif(l.n_predecessors, 0) AS members_per_predecessor,
    sz.merged_units_stated,
    coalesce(ma.n_merger_claims, 0) AS n_merger_claims
FROM names n
JOIN c25 c ON c.code = n.unit_code
LEFT JOIN p25 p ON p.code = c.province_code
LEFT JOIN mention_agg ma ON ma.unit_code = c.code
LEFT JOIN sizes sz ON sz.unit_code = c.code
LEFT JOIN lineage l ON l.new_code = c.code
ORDER BY c.province_code, c.code
