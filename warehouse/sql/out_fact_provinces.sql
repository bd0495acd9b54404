-- out_fact_provinces: every fact placed in a province twice over: once in its 2025 province
-- (era '2025') and once in its legacy, pre-reform province (era 'legacy'), so facts can be
-- aggregated by old or new province. out_province_metrics is this table aggregated.
-- per document: doc_id
--
-- Province of a fact
--   era '2025':   the linked subject's 2025 province (subjects.province_code_2025, else
--                 province_name_2025 matched by name); else the article's province
--                 (facts.subject_province) matched to a 2025 province, or to a legacy province
--                 and rolled up to its 2025 province through unit_lineage; else the article's
--                 province name as written (province_code NULL); else '(unknown)'.
--   era 'legacy': a subject linked to a legacy unit: its province; a subject linked to a 2025
--                 unit: the legacy province of its predecessors in unit_lineage when there is
--                 exactly one, '(several legacy provinces)' when there are several; an unlinked
--                 subject: the article's province matched to a legacy province, else as written,
--                 else '(unknown)'.
--   Names are matched on an ASCII key (diacritics, case, spaces and the words Tinh / Thanh pho /
--   province / city removed), so "Lai Chau", "Lai Châu" and "Tỉnh Lai Châu" are one province.
--
-- Columns
--   era                    '2025' or 'legacy'
--   fact_id, doc_id        keys into facts / documents
--   metric, unit, value    the fact
--   level                  the subject's level (the linked unit's, else the fact's)
--   subject_era            era of the gazetteer unit the subject is linked to (NULL: unlinked)
--   unit_key               the commune (or other unit) the fact is about: '<era>:<unit_code>'
--                          for a linked subject, 'subject:<subject_id>' otherwise
--   province_code          official province code of that era (NULL when not in the gazetteer)
--   province               official short name ("Lai Châu"), the article's own name when not in
--                          the gazetteer, '(unknown)' or '(several legacy provinces)'
--   province_code_2025     the 2025 province the row rolls up to (legacy rows: through
--                          unit_lineage when unique; 2025 rows: province_code)
--   province_2025          its short name
WITH
prov_names AS (
    SELECT era, code, coalesce(short_name, name) AS pname, nm
    FROM admin_units, (SELECT unnest([short_name, name]) AS nm)
    WHERE level = 'province' AND nm IS NOT NULL
),
prov AS (
    SELECT DISTINCT era, code, pname,
        regexp_replace(regexp_replace(regexp_replace(
            lower(strip_accents(replace(replace(nm, 'Đ', 'D'), 'đ', 'd'))),
            '[^a-z0-9]', '', 'g'), '^(tinh|thanhpho|tp)', ''), '(province|city)$', '') AS k
    FROM prov_names
),
prov_by_code AS (
    SELECT DISTINCT era, code, pname FROM prov
),
leg2new AS (   -- legacy province -> its 2025 province (when unique)
    SELECT legacy_province_code AS code, min(new_province_code) AS code_2025
    FROM unit_lineage
    GROUP BY 1
    HAVING count(DISTINCT new_province_code) = 1
),
lin_commune AS (   -- 2025 commune -> legacy provinces of its predecessors
    SELECT new_code, count(DISTINCT legacy_province_code) AS n, min(legacy_province_code) AS code
    FROM unit_lineage GROUP BY 1
),
lin_province AS (  -- 2025 province -> legacy provinces it was formed from
    SELECT new_province_code, count(DISTINCT legacy_province_code) AS n,
        min(legacy_province_code) AS code
    FROM unit_lineage GROUP BY 1
),
base AS (
    SELECT
        f.fact_id, f.doc_id, f.metric, f.unit, f.value,
        coalesce(s.level, f.subject_level) AS level,
        s.era AS subject_era,
        s.unit_code,
        s.province_code AS s_province_code,
        s.province_code_2025 AS s_province_code_2025,
        CASE WHEN s.unit_code IS NOT NULL THEN s.era || ':' || s.unit_code
             ELSE 'subject:' || f.subject_id END AS unit_key,
        nullif(trim(coalesce(f.subject_province, s.province)), '') AS raw_province,
        regexp_replace(regexp_replace(regexp_replace(
            lower(strip_accents(replace(replace(
                coalesce(f.subject_province, s.province), 'Đ', 'D'), 'đ', 'd'))),
            '[^a-z0-9]', '', 'g'), '^(tinh|thanhpho|tp)', ''), '(province|city)$', '') AS raw_key,
        regexp_replace(regexp_replace(regexp_replace(
            lower(strip_accents(replace(replace(s.province_name_2025, 'Đ', 'D'), 'đ', 'd'))),
            '[^a-z0-9]', '', 'g'), '^(tinh|thanhpho|tp)', ''), '(province|city)$', '') AS p25_key,
        regexp_replace(regexp_replace(regexp_replace(
            lower(strip_accents(replace(replace(s.province_name, 'Đ', 'D'), 'đ', 'd'))),
            '[^a-z0-9]', '', 'g'), '^(tinh|thanhpho|tp)', ''), '(province|city)$', '') AS pl_key
    FROM facts f
    LEFT JOIN subjects s ON s.subject_id = f.subject_id
),
resolved AS (
    SELECT b.*,
        coalesce(
            b.s_province_code_2025,
            (SELECT min(code) FROM prov p WHERE p.era = '2025' AND p.k = b.p25_key),
            (SELECT min(code) FROM prov p WHERE p.era = '2025' AND p.k = b.raw_key),
            (SELECT min(l.code_2025) FROM prov p JOIN leg2new l ON l.code = p.code
              WHERE p.era = 'legacy' AND p.k = b.raw_key)
        ) AS code_2025,
        CASE
            WHEN b.subject_era = 'legacy' THEN coalesce(
                b.s_province_code,
                (SELECT min(code) FROM prov p WHERE p.era = 'legacy' AND p.k = b.pl_key))
            WHEN b.subject_era = '2025' AND b.level = 'province' THEN
                (SELECT CASE WHEN n = 1 THEN code ELSE '*' END
                   FROM lin_province WHERE new_province_code = b.unit_code)
            WHEN b.subject_era = '2025' THEN
                (SELECT CASE WHEN n = 1 THEN code ELSE '*' END
                   FROM lin_commune WHERE new_code = b.unit_code)
        END AS linked_legacy_code
    FROM base b
),
placed AS (   -- one row per fact and era
    SELECT '2025' AS era, r.*, r.code_2025 AS province_code,
        coalesce(p.pname, r.raw_province, '(unknown)') AS province
    FROM resolved r
    LEFT JOIN prov_by_code p ON p.era = '2025' AND p.code = r.code_2025
    UNION ALL
    SELECT 'legacy' AS era, r.*, nullif(q.code, '*') AS province_code,
        CASE WHEN q.code = '*' THEN '(several legacy provinces)'
             ELSE coalesce(p.pname, r.raw_province, '(unknown)') END AS province
    FROM resolved r
    LEFT JOIN LATERAL (
        SELECT coalesce(
            r.linked_legacy_code,
            (SELECT min(code) FROM prov pp WHERE pp.era = 'legacy' AND pp.k = r.raw_key)
        ) AS code
    ) q ON true
    LEFT JOIN prov_by_code p ON p.era = 'legacy' AND p.code = q.code
)
SELECT
    p.era, p.fact_id, p.doc_id, p.metric, p.unit, p.value, p.level, p.subject_era, p.unit_key,
    p.province_code, p.province,
    CASE WHEN p.era = '2025' THEN p.province_code ELSE l.code_2025 END AS province_code_2025,
    p25.pname AS province_2025
FROM placed p
LEFT JOIN leg2new l ON p.era = 'legacy' AND l.code = p.province_code
LEFT JOIN prov_by_code p25
    ON p25.era = '2025'
   AND p25.code = CASE WHEN p.era = '2025' THEN p.province_code ELSE l.code_2025 END
ORDER BY p.doc_id, p.fact_id, p.era
