"""SampleVisits' hooks: its dimensions are whatever the columns package defines."""

from core import dimensions_in, hookimpl


@hookimpl
def register_dimensions():
    return dimensions_in("trackway_sample.columns")
