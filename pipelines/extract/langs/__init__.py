"""One pack per language: `<code>.py` defines `PACK`. See pipelines/extract/pack.py."""
