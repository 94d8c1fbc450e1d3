"""``usercountry:install-database``: a user's .mmdb file is checked, copied next to the
configuration, and the printed configuration lines make a server use it."""

from __future__ import annotations

import pytest

from tests.conftest import running_server
from tests.fixtures.user_country.mmdb import write_database


@pytest.fixture
def setup(trackway_env, tmp_path):
    """A configuration file of its own (empty, in etc/) and a downloaded database (in downloads/)."""
    config = tmp_path / "etc" / "config.toml"
    config.parent.mkdir()
    config.write_text("")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    download = write_database(downloads / "dbip-city-lite-2026-03.mmdb", database_type="DBIP-City-Lite")
    env = {**trackway_env, "TRACKWAY_CONFIG": str(config)}
    return config, download, env


def printed_config(stdout: str) -> str:
    """The [UserCountry] lines the command printed."""
    lines = stdout.splitlines()
    start = lines.index("[UserCountry]")
    return "\n".join(lines[start:start + 3]) + "\n"


def test_install_copies_the_file_and_prints_the_configuration_that_uses_it(setup, console, server, db, site, tmp_path):
    config, download, env = setup
    result = console.run("usercountry:install-database", str(download), env=env)

    installed = config.parent / "geoip" / download.name
    assert installed.read_bytes() == download.read_bytes()
    assert result.last_line == str(installed)
    assert printed_config(result.stdout) == (f'[UserCountry]\nlocation_provider = "geoip2"\n'
                                             f'geoip2_database = "{installed}"\n')
    assert f"TRACKWAY_USERCOUNTRY__GEOIP2_DATABASE={installed}" in result.stdout
    assert "DBIP-City-Lite (city database, IPv6" in result.stdout

    download.unlink()  # the server reads the installed copy
    config.write_text(printed_config(result.stdout))
    with running_server({**env, "TRACKWAY_GENERAL__PROXY_CLIENT_HEADERS": "X-Forwarded-For"}, tmp_path) as geo:
        geo.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/"},
                  headers={"X-Forwarded-For": "89.160.20.129"})
    (visit,) = db.visits(site)
    assert (visit["location_country"], visit["location_region"], visit["location_city"]) == ("se", "E", "Linköping")

    again = console.run("usercountry:install-database", str(installed), env=env)  # in place: nothing to copy
    assert "The configuration already uses this file: restart trackway to load it." in again.stdout
    assert "[UserCountry]" not in again.stdout
    assert [path.name for path in installed.parent.iterdir()] == [download.name]


def test_install_into_a_chosen_folder(setup, console, tmp_path):
    _, download, env = setup
    result = console.run("usercountry:install-database", str(download), "--dest-dir", str(tmp_path / "data"), env=env)

    assert result.last_line == str(tmp_path / "data" / download.name)
    assert (tmp_path / "data" / download.name).is_file()


@pytest.mark.parametrize("make, message", [
    (lambda path: path.write_bytes(b"<html>404 Not Found</html>"), "is not a readable MaxMind DB (.mmdb) file"),
    (lambda path: write_database(path, database_type="GeoLite2-ASN"), "'GeoLite2-ASN' database, not a City or Country"),
    (lambda path: None, "does not exist"),
])
def test_install_refuses_a_file_trackway_cannot_use(setup, console, make, message):
    config, download, env = setup
    bad = download.with_name("GeoLite2-City.mmdb")
    make(bad)
    result = console.run("usercountry:install-database", str(bad), env=env, check=False)

    assert result.returncode == 1
    assert "nothing installed" in result.stderr and str(bad) in result.stderr and message in result.stderr
    assert not (config.parent / "geoip").exists()
