"""Settings that change how the running server answers, each on a server of its own."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, running_server


def test_record_statistics_off_answers_503_and_stores_nothing(trackway_env, server, db, site, tmp_path):
    env = {**trackway_env, "TRACKWAY_TRACKER__RECORD_STATISTICS": "false"}
    with running_server(env, tmp_path) as paused:
        with_image = paused.page_view(site)
        without_image = paused.page_view(site, send_image=0)

    assert with_image.status_code == 503 and with_image.content.startswith(b"GIF89a")
    assert without_image.status_code == 204
    assert db.visits(site) == []


def test_client_ip_from_a_configured_proxy_header(trackway_env, server, db, site, tmp_path):
    env = {**trackway_env, "TRACKWAY_GENERAL__PROXY_CLIENT_HEADERS": "X-Forwarded-For",
           "TRACKWAY_PRIVACYMANAGER__IP_ADDRESS_MASK_LENGTH": "1"}
    with running_server(env, tmp_path) as behind_proxy:
        behind_proxy.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/"},
                           headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})

    (visit,) = db.visits(site)
    assert bytes(visit["location_ip"]) == bytes([203, 0, 113, 0])


def test_forwarded_header_is_ignored_unless_configured(server, db, site):
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/"}, headers={"X-Forwarded-For": "203.0.113.9"})

    (visit,) = db.visits(site)
    assert bytes(visit["location_ip"]) == bytes([127, 0, 0, 0])


def test_serve_refuses_to_start_with_an_unknown_setting(trackway_env, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[Tracker]\nvisit_standard_lenght = 600\n")
    completed = subprocess.run([sys.executable, str(ROOT / "console.py"), "serve", "--port", "1"],
                               env={**trackway_env, "TRACKWAY_CONFIG": str(config)}, capture_output=True, text=True,
                               timeout=60)

    assert completed.returncode != 0
    assert "visit_standard_lenght" in completed.stderr and "visit_standard_length" in completed.stderr


def test_anonymized_ip_for_enrichment_makes_neighbouring_addresses_one_visitor(trackway_env, server, db, site, tmp_path):
    env = {**trackway_env, "TRACKWAY_GENERAL__PROXY_CLIENT_HEADERS": "X-Forwarded-For",
           "TRACKWAY_PRIVACYMANAGER__USE_ANONYMIZED_IP_FOR_VISIT_ENRICHMENT": "true"}
    with running_server(env, tmp_path) as masked:
        for address in ("198.51.100.1", "198.51.100.200"):  # equal once the last 2 bytes are masked
            masked.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/"},
                         headers={"X-Forwarded-For": address})

    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 2


def test_full_ips_make_neighbouring_addresses_two_visitors(trackway_env, server, db, site, tmp_path):
    env = {**trackway_env, "TRACKWAY_GENERAL__PROXY_CLIENT_HEADERS": "X-Forwarded-For"}
    with running_server(env, tmp_path) as unmasked:
        for address in ("198.51.100.1", "198.51.100.200"):
            unmasked.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/"},
                           headers={"X-Forwarded-For": address})

    assert len(db.visits(site)) == 2
