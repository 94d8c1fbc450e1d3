"""SampleVisits: a third-party trackway plugin, installed with pip by the test suite."""
