"""SampleVisits' dimensions."""
