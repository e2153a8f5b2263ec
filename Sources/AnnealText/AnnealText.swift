/// AnnealText: text cleaning, quality filters, deduplication and byte-level BPE.
