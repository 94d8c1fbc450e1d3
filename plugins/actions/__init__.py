"""Actions: page views, the visit's entry and exit pages, and its action counters."""
