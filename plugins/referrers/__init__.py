"""Referrers: Where the visitor came from: direct, website, search engine, social network or campaign."""
