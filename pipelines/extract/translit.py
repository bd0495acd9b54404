"""Russian transcription of Vietnamese names back to the Latin form the spec writes.

Placeholder: returns the token unchanged until the Russian pack lands.
"""


def to_latin(token: str) -> str:
    return token
