"""The scorer follows spec/facts.md: value within 0.5 %, subject by level + folded name, province
only when both give one, one-to-one matching; mergers by new unit + predecessor set."""

from pipelines.evaluate import Score, merger_match, metric_match, person_match, score_kind

G = {"subject": {"name": "Ia Púch", "level": "commune", "province": "Gia Lai"}, "metric": "party_members", "value": 174}


def _p(**kw):
    d = {"subject": {"name": "IA PUCH", "level": "commune", "province": None}, "metric": "party_members", "value": 174}
    d.update(kw)
    return d


def test_metric_match_rules():
    assert metric_match(G, _p())
    assert metric_match(G, _p(value=174.8))  # within 0.5 %
    assert not metric_match(G, _p(value=176))
    assert not metric_match(G, _p(metric="party_cells"))
    assert not metric_match(G, _p(subject={"name": "Ia Puch", "level": "village", "province": None}))
    assert not metric_match(G, _p(subject={"name": "Ia Puch", "level": "commune", "province": "Kon Tum"}))


def test_one_to_one_matching_counts_duplicates_as_false_positives():
    s, misses, extras = score_kind([G], [_p(), _p()], metric_match)
    assert (s.tp, s.fp, s.fn) == (1, 1, 0) and not misses and len(extras) == 1


def test_merger_and_person_match():
    g = {"new_unit": {"name": "Ya Ma", "level": "commune", "province": "Gia Lai"}, "predecessors": ["Ya Ma", "Dak To Pang", "Kong Yang"]}
    p = {"new_unit": {"name": "Ya Ma", "level": "commune", "province": None}, "predecessors": ["Kong Yang", "Ya Ma", "Đắk Tô Pang"]}
    assert merger_match(g, p)
    assert not merger_match(g, {**p, "predecessors": ["Ya Ma", "Kong Yang"]})
    assert person_match({"name": "Nguyễn Xuân Đạt", "role": "secretary"}, {"name": "Nguyen Xuan Dat", "role": "secretary"})
    assert not person_match({"name": "Nguyen Xuan Dat", "role": "secretary"}, {"name": "Nguyen Xuan Dat", "role": "deputy secretary"})


def test_score_arithmetic():
    s = Score(tp=3, fp=1, fn=2)
    assert round(s.precision, 3) == 0.75 and round(s.recall, 3) == 0.6 and round(s.f1, 3) == 0.667
    assert Score().f1 == 1.0  # nothing to find, nothing found
