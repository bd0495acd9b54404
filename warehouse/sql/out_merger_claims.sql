-- out_merger_claims: each merger an article states (the mergers table: a new unit and the
-- former units it names) set against the official lineage, with a verdict.
-- per document: doc_id
--
-- Verdict: taken from mergers.lineage_status (the gazetteer's check at extraction time):
-- agree/match/ok -> 'agrees'; partial/subset/overlap -> 'partly agrees';
-- disagree/mismatch/conflict -> 'disagrees'; unresolved/unknown/not found, or no official list
-- -> 'unresolved'. A status not in these families is decided from the lists themselves
-- (nothing missing nor extra -> 'agrees', some overlap -> 'partly agrees', else 'disagrees').
-- Names are compared on an ASCII key without diacritics, case, spaces and unit words (Xã,
-- Phường, Thị trấn), so "Dak To Pang" matches "Xã Đắk Tơ Pang".
--
-- Columns
--   merger_id, doc_id       keys into mergers / documents
--   file_name, published    the article's file name and publication date
--   new_unit_name           the new unit as the article names it
--   new_unit_level          its level
--   new_unit_province       its province as the article gives it
--   new_unit_code           the linked gazetteer code (subjects.unit_code), NULL if unlinked
--   new_unit_official       the linked unit's official name (subjects.unit_name)
--   claimed                 the predecessors the article names (VARCHAR[])
--   official                the official predecessors (mergers.lineage_official; NULL when the
--                           new unit could not be resolved)
--   n_claimed, n_official   list lengths
--   n_matched               claimed names found in the official list (mergers.lineage_matched)
--   missing                 official predecessors the article does not name (NULL if unresolved)
--   extra                   claimed names that are not official predecessors (NULL if unresolved)
--   lineage_status          mergers.lineage_status as stored
--   verdict                 'agrees' | 'partly agrees' | 'disagrees' | 'unresolved'
--   evidence                the sentence that states the merger
WITH
m AS (
    SELECT m.*,
        lower(trim(coalesce(m.lineage_status, ''))) AS st,
        list_transform(coalesce(m.predecessors, []::VARCHAR[]), lambda x: regexp_replace(
            regexp_replace(lower(strip_accents(replace(replace(x, 'Đ', 'D'), 'đ', 'd'))),
            '[^a-z0-9]', '', 'g'), '^(xa|phuong|thitran|commune|ward)', '')) AS claimed_keys,
        list_transform(coalesce(m.lineage_official, []::VARCHAR[]), lambda x: regexp_replace(
            regexp_replace(lower(strip_accents(replace(replace(x, 'Đ', 'D'), 'đ', 'd'))),
            '[^a-z0-9]', '', 'g'), '^(xa|phuong|thitran|commune|ward)', '')) AS official_keys
    FROM mergers m
),
cmp AS (
    SELECT m.*,
        CASE WHEN lineage_official IS NULL THEN NULL ELSE list_filter(lineage_official,
            lambda x: NOT list_contains(claimed_keys, regexp_replace(
                regexp_replace(lower(strip_accents(replace(replace(x, 'Đ', 'D'), 'đ', 'd'))),
                '[^a-z0-9]', '', 'g'), '^(xa|phuong|thitran|commune|ward)', ''))) END AS missing,
        CASE WHEN lineage_official IS NULL THEN NULL ELSE list_filter(
            coalesce(predecessors, []::VARCHAR[]),
            lambda x: NOT list_contains(official_keys, regexp_replace(
                regexp_replace(lower(strip_accents(replace(replace(x, 'Đ', 'D'), 'đ', 'd'))),
                '[^a-z0-9]', '', 'g'), '^(xa|phuong|thitran|commune|ward)', ''))) END AS extra
    FROM m
)
SELECT
    c.merger_id,
    c.doc_id,
    d.file_name,
    d.published,
    c.new_unit_name,
    c.new_unit_level,
    c.new_unit_province,
    s.unit_code AS new_unit_code,
    s.unit_name AS new_unit_official,
    c.predecessors AS claimed,
    c.lineage_official AS official,
    len(coalesce(c.predecessors, []::VARCHAR[])) AS n_claimed,
    len(c.lineage_official) AS n_official,
    c.lineage_matched AS n_matched,
    c.missing,
    c.extra,
    c.lineage_status,
    CASE
        WHEN c.st LIKE '%unresolv%' OR c.st LIKE '%unknown%' OR c.st LIKE '%not%found%'
          OR c.st LIKE '%unlinked%' OR c.st LIKE '%ambiguous%' OR c.st LIKE '%no_lineage%'
          OR c.lineage_official IS NULL OR len(c.lineage_official) = 0 THEN 'unresolved'
        WHEN c.st LIKE '%disagree%' OR c.st LIKE '%mismatch%' OR c.st LIKE '%conflict%'
          OR c.st LIKE '%contradict%' OR c.st LIKE '%inconsistent%' OR c.st = 'no_match'
          THEN 'disagrees'
        WHEN c.st LIKE '%part%' OR c.st LIKE '%subset%' OR c.st LIKE '%superset%'
          OR c.st LIKE '%overlap%' THEN 'partly agrees'
        WHEN c.st LIKE '%agree%' OR c.st LIKE '%match%' OR c.st IN ('ok', 'confirmed', 'exact',
          'consistent', 'verified') THEN 'agrees'
        WHEN len(c.missing) = 0 AND len(c.extra) = 0 THEN 'agrees'
        WHEN len(c.extra) < len(coalesce(c.predecessors, []::VARCHAR[])) THEN 'partly agrees'
        ELSE 'disagrees'
    END AS verdict,
    c.evidence
FROM cmp c
LEFT JOIN subjects s ON s.subject_id = c.new_unit_id
LEFT JOIN documents d ON d.doc_id = c.doc_id
ORDER BY d.file_name, c.span_start, c.merger_id
