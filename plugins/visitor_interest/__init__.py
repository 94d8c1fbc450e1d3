"""VisitorInterest: How long since the visitor's previous visit."""
