"""Pieces every pack shares: capitalised words that look like Vietnamese syllables but never
start a name in any of our languages, and the rating/attendance concepts' Vietnamese loanwords."""

# Roman numerals, codes and short function words that pass the syllable test
COMMON_STOPWORDS = {
    "No", "Nr", "TU", "XI", "XII", "XIII", "XIV", "XV", "II", "III", "IV", "VI", "VII", "VIII", "IX",
    "DA", "AS", "I", "Mr", "Mrs", "Ms", "Dr", "TW", "NQ", "QD", "HD", "CT",
    "UBND", "HDND", "MTTQ", "BTV", "TUV", "VND", "km", "Km", "Covid",
}
