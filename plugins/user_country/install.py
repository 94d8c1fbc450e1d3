"""``usercountry:install-database PATH``: check a user's .mmdb file, copy it into trackway's
GeoIP folder and print the configuration that switches UserCountry to it.

The configuration file belongs to the user, so the command never edits it: it prints the lines
to add (and the equivalent environment variables). The file lands in ``geoip/`` next to the
configuration file in use (``TRACKWAY_CONFIG``, else ``./config.toml``), or in ``--dest-dir``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from core import CommandContext, CommandError, ConsoleCommand, LocationProviderError

from plugins.user_country.providers import SECTION, open_mmdb

GEOIP_FOLDER = "geoip"


def default_folder(environ: dict[str, str]) -> Path:
    """``geoip/`` beside the configuration file trackway reads (or would read: ./config.toml)."""
    named = environ.get("TRACKWAY_CONFIG", "")
    config = Path(named) if named else Path("config.toml")
    return config.resolve().parent / GEOIP_FOLDER


def install_database(args: argparse.Namespace, context: CommandContext) -> None:
    source = Path(args.path).expanduser()
    try:
        reader, kind = open_mmdb(source)
    except LocationProviderError as exc:
        raise CommandError(f"nothing installed: {exc}") from None
    metadata = reader.metadata()
    reader.close()

    folder = Path(args.dest_dir).expanduser() if args.dest_dir else default_folder(dict(context.configuration.environ))
    target = (folder / source.name).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if target != source.resolve():
            _copy_atomically(source, target)
    except OSError as exc:
        raise CommandError(f"cannot copy {str(source)!r} to {str(folder)!r}: {exc.strerror or exc}") from exc

    built = datetime.fromtimestamp(metadata.build_epoch, tz=timezone.utc).date().isoformat()
    print(f"Installed {metadata.database_type} ({kind} database, IPv{metadata.ip_version}, built {built}) as {target}.")
    settings = context.settings
    if (settings.get(SECTION, "location_provider") == "geoip2"
            and _same_file(settings.get(SECTION, "geoip2_database"), target)):
        print("The configuration already uses this file: restart trackway to load it.")
    else:
        print("To use it, add these lines to your configuration file (or set the environment variables "
              "below), then restart trackway:\n")
        print(f"[{SECTION}]\nlocation_provider = \"geoip2\"\ngeoip2_database = {_toml_string(str(target))}\n")
        print(f"TRACKWAY_USERCOUNTRY__LOCATION_PROVIDER=geoip2 TRACKWAY_USERCOUNTRY__GEOIP2_DATABASE={target}")
    print(target)


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy next to the target, then rename: a running tracker keeps reading the old file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".installing-", suffix=".mmdb")
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _same_file(configured: str, target: Path) -> bool:
    return bool(configured) and Path(configured).expanduser().resolve() == target


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a MaxMind-format City or Country database (.mmdb): DB-IP Lite, GeoLite2, GeoIP2")
    parser.add_argument("--dest-dir", default="",
                        help="folder to copy it to (default: geoip/ next to the configuration file)")


COMMAND = ConsoleCommand("usercountry:install-database",
                         "check a GeoIP2 .mmdb file, copy it into trackway's geoip/ folder and print the "
                         "configuration that uses it", install_database, configure=_configure)
