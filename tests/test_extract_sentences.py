"""Sentence and clause spans never rewrite the text; abbreviations do not end sentences."""

from pipelines.extract.sentences import split_clauses, split_sentences


def _texts(text):
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_sentences_split_at_terminal_punctuation_and_newlines():
    text = "Komune Pa U kini mempunyai 26 sel parti. Jawatankuasa Parti komune telah bersetuju.\nBaris baharu"
    assert _texts(text) == [
        "Komune Pa U kini mempunyai 26 sel parti.",
        "Jawatankuasa Parti komune telah bersetuju.",
        "Baris baharu",
    ]


def test_abbreviations_do_not_end_a_sentence():
    text = "W 2023 r. Stały Komitet uczestniczył. Mr. Do Manh Hien attended. Kelompok Hunian No. 7 hadir."
    assert _texts(text) == [
        "W 2023 r. Stały Komitet uczestniczył.",
        "Mr. Do Manh Hien attended.",
        "Kelompok Hunian No. 7 hadir.",
    ]


def test_paragraph_index_and_clauses():
    text = "A có 5 chi bộ; B có 7 chi bộ.\n\nC có 9 chi bộ."
    sents = split_sentences(text)
    assert [s.paragraph for s in sents] == [0, 1]
    clauses = split_clauses(text, sents[0])
    assert [text[c.start : c.end] for c in clauses] == ["A có 5 chi bộ", "B có 7 chi bộ."]
