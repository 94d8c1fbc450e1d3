"""trackway's bundled plugins: ordinary plugins, registered through the ``trackway.plugins`` entry points."""
