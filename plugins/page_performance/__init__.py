"""PagePerformance: Page load timings sent with page views."""
