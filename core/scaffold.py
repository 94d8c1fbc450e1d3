"""Scaffolding for plugin authors: a new plugin distribution, a new dimension with its migration and test.

The console's ``generate:plugin`` and ``generate:dimension`` commands call :func:`generate_plugin`
and :func:`generate_dimension`. Both render cookiecutter templates from ``templates/`` into a
temporary folder and move the files into place only once every check has passed.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import core
from core.commands import CommandError
from core.plugins import PluginInfo, module_origin

TEMPLATES_DIR = Path(core.__file__).resolve().parent.parent / "templates"
DIMENSION_TYPES = {"visit": ("VisitDimension", "log_visit"),
                   "action": ("ActionDimension", "log_link_visit_action"),
                   "conversion": ("ConversionDimension", "log_conversion")}
MAX_COLUMN_NAME = 64  # MySQL's limit on identifiers


class ScaffoldError(CommandError):
    """A user error; the message says what to do."""


# -- column types ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnType:
    sql: str
    """As typed, normalised: upper-case keywords, single spaces (``INT UNSIGNED NOT NULL DEFAULT 0``)."""
    code: str
    """A Python expression for the type, with ``core.columns`` or ``sqlalchemy as sa``."""
    kind: str
    """How the dimension reads the parameter: ``str``, ``int``, ``float``, ``datetime`` or ``bytes``."""
    nullable: bool
    server_default: str | None
    python_type: str = "str"
    """The Python type of the value: ``str int float datetime date time bytes``."""
    max_chars: int | None = None
    """VARCHAR/CHAR: longer strings are cut to this many characters."""
    max_bytes: int | None = None
    """TEXT, BINARY, VARBINARY: longer values are cut to this many bytes."""
    value_range: tuple[int | float, int | float] | None = None
    """Numbers: what the column holds on every supported database."""
    scale: int | None = None
    """DECIMAL: digits kept after the point."""
    default: Any = None
    """The Python value of the SQL DEFAULT (None without one)."""


ACCEPTED_TYPES = ("VARCHAR(n), CHAR(n), TEXT, TINYINT[(n)] [UNSIGNED], SMALLINT [UNSIGNED], MEDIUMINT [UNSIGNED], "
                  "INT [UNSIGNED], BIGINT [UNSIGNED], FLOAT, DOUBLE, DECIMAL(p,s), DATETIME, DATE, TIME, BINARY(n), "
                  "VARBINARY(n); each optionally followed by NULL or NOT NULL and DEFAULT <value>")

_TYPE_RE = re.compile(r"\s*([A-Za-z]+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*(UNSIGNED\b)?", re.I)
_LITERAL = r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[-+]?\d+(?:\.\d+)?|NULL\b"
_CLAUSE_RE = re.compile(rf"\s*(?:(NOT\s+NULL\b)|(NULL\b)|DEFAULT\s+({_LITERAL}))", re.I)

_INTEGERS = {  # SQL type: (signed code, unsigned code, signed range, unsigned range)
    "TINYINT": ("columns.TinyInt({width})", "columns.UnsignedTinyInt()", (-128, 127), (0, 255)),
    "SMALLINT": ("sa.SmallInteger()", "columns.UnsignedSmallInt()", (-32768, 32767), (0, 65535)),
    "MEDIUMINT": ('sa.Integer().with_variant(mysql.MEDIUMINT(), "mysql", "mariadb")', "columns.UnsignedMediumInt()",
                  (-8388608, 8388607), (0, 16777215)),
    # columns.UnsignedInt is a signed INTEGER outside MySQL: values above 2**31 - 1 do not fit everywhere.
    "INT": ("sa.Integer()", "columns.UnsignedInt()", (-2**31, 2**31 - 1), (0, 2**31 - 1)),
    "INTEGER": ("sa.Integer()", "columns.UnsignedInt()", (-2**31, 2**31 - 1), (0, 2**31 - 1)),
    "BIGINT": ("sa.BigInteger()", "columns.UnsignedBigInt()", (-2**63, 2**63 - 1), (0, 2**63 - 1)),
}
_SIZED = {  # SQL type: (code, kind, largest n)
    "VARCHAR": ("columns.VarChar({n})", "str", 4096),
    "CHAR": ("columns.Char({n})", "str", 255),
    "BINARY": ("columns.Binary({n})", "bytes", 255),
    "VARBINARY": ("columns.VarBinary({n})", "bytes", 4096),
}
_PLAIN = {  # SQL type: (code, kind, Python type)
    "TEXT": ("sa.Text()", "str", "str"),
    "FLOAT": ("sa.Float()", "float", "float"),
    "DOUBLE": ("columns.Double()", "float", "float"),
    "DATETIME": ("columns.DateTime()", "datetime", "datetime"),
    "DATE": ("sa.Date()", "datetime", "date"),
    "TIME": ("sa.Time()", "datetime", "time"),
}
_FLOAT_LIMIT = 3.4e38  # MySQL's single-precision FLOAT
_TEXT_BYTES = 65535


def parse_column_type(text: str) -> ColumnType:
    """Read a MySQL column definition such as ``VARCHAR(255)`` or ``INT UNSIGNED NOT NULL DEFAULT 0``."""
    match = _TYPE_RE.match(text)
    if not match:
        raise ScaffoldError(f"unknown column type {text.strip()!r}; accepted: {ACCEPTED_TYPES}")
    base, first, second, unsigned = match.group(1).upper(), match.group(2), match.group(3), bool(match.group(4))
    args = [int(a) for a in (first, second) if a is not None]
    fields = _base_type(text, base, args, unsigned)
    nullable, default_literal = _clauses(text, match.end())

    sql = base + (f"({','.join(map(str, args))})" if args else "") + (" UNSIGNED" if unsigned else "")
    if not nullable:
        sql += " NOT NULL"
    server_default, default = None, None
    if default_literal is not None and default_literal.upper() != "NULL":
        server_default, default = _default(fields, default_literal, base)
        sql += f" DEFAULT {default_literal}"
    if not nullable and server_default is None:
        raise ScaffoldError(f"{sql} needs a DEFAULT: a plugin adds its column to tables that may already hold rows, "
                            "so the column must be nullable or have a default (e.g. NOT NULL DEFAULT 0)")
    return ColumnType(sql=sql, nullable=nullable, server_default=server_default, default=default, **fields)


def _base_type(text: str, base: str, args: list[int], unsigned: bool) -> dict[str, Any]:
    def arguments(allowed: tuple[int, ...]) -> None:
        if len(args) not in allowed:
            shape = {(0,): base, (1,): f"{base}(n)", (0, 1): f"{base} or {base}(n)", (1, 2): f"{base}(p,s)"}[allowed]
            raise ScaffoldError(f"{text.strip()!r}: write {shape}; accepted: {ACCEPTED_TYPES}")

    if unsigned and base not in _INTEGERS:
        raise ScaffoldError(f"{text.strip()!r}: UNSIGNED applies to integer types only")
    if base in _INTEGERS:
        arguments((0, 1))
        signed_code, unsigned_code, signed_range, unsigned_range = _INTEGERS[base]
        width = str(args[0]) if args and base == "TINYINT" else ""
        if args and not 1 <= args[0] <= 255:
            raise ScaffoldError(f"{text.strip()!r}: the display width must be between 1 and 255")
        return {"code": unsigned_code if unsigned else signed_code.format(width=width), "kind": "int",
                "python_type": "int", "value_range": unsigned_range if unsigned else signed_range}
    if base in _SIZED:
        arguments((1,))
        code, kind, largest = _SIZED[base]
        n = args[0]
        if not 1 <= n <= largest:
            raise ScaffoldError(f"{text.strip()!r}: the length of {base} must be between 1 and {largest}")
        if kind == "str":
            return {"code": code.format(n=n), "kind": "str", "python_type": "str", "max_chars": n}
        return {"code": code.format(n=n), "kind": "bytes", "python_type": "bytes", "max_bytes": n}
    if base == "DECIMAL":
        arguments((1, 2))
        precision, scale = args[0], args[1] if len(args) == 2 else 0
        if not 1 <= precision <= 65 or not 0 <= scale <= min(30, precision):
            raise ScaffoldError(f"{text.strip()!r}: DECIMAL(p,s) needs 1 <= p <= 65 and 0 <= s <= min(30, p)")
        largest = 10 ** (precision - scale) - 10 ** -scale if scale else 10 ** precision - 1
        return {"code": f"sa.Numeric({precision}, {scale})", "kind": "float", "python_type": "float",
                "value_range": (-largest, largest), "scale": scale}
    if base in _PLAIN:
        arguments((0,))
        code, kind, python_type = _PLAIN[base]
        fields: dict[str, Any] = {"code": code, "kind": kind, "python_type": python_type}
        if base == "TEXT":
            fields["max_bytes"] = _TEXT_BYTES
        if base == "FLOAT":
            fields["value_range"] = (-_FLOAT_LIMIT, _FLOAT_LIMIT)
        return fields
    raise ScaffoldError(f"unknown column type {text.strip()!r}; accepted: {ACCEPTED_TYPES}")


def _clauses(text: str, position: int) -> tuple[bool, str | None]:
    """(nullable, DEFAULT literal as typed) from what follows the type."""
    nullable: bool | None = None
    default: str | None = None
    while text[position:].strip():
        match = _CLAUSE_RE.match(text, position)
        if not match:
            raise ScaffoldError(f"{text.strip()!r}: cannot read {text[position:].strip()!r}; after the type, write "
                                "NULL, NOT NULL and/or DEFAULT <value> (a number or a 'quoted string')")
        not_null, null, literal = match.groups()
        if literal is not None:
            if default is not None:
                raise ScaffoldError(f"{text.strip()!r}: DEFAULT is given twice")
            default = literal if literal[0] in "'\"" else literal.upper()
        elif nullable is not None:
            raise ScaffoldError(f"{text.strip()!r}: write NULL or NOT NULL once")
        else:
            nullable = null is not None
        position = match.end()
    if nullable is False and default == "NULL":
        raise ScaffoldError(f"{text.strip()!r}: a NOT NULL column cannot default to NULL")
    return nullable is not False, default


def _default(fields: dict[str, Any], literal: str, base: str) -> tuple[str, Any]:
    """(server default text, Python value) of a DEFAULT literal, checked against the type."""
    quoted = literal[0] in "'\""
    raw = literal[1:-1].replace(literal[0] * 2, literal[0]) if quoted else literal
    if any(marker in raw for marker in ("{{", "{%", "{#")):
        raise ScaffoldError(f"DEFAULT {literal}: the value cannot contain '{{{{', '{{%' or '{{#'")
    kind, python_type = fields["kind"], fields["python_type"]
    problem = f"DEFAULT {literal} is not a valid {base} value"
    if base == "TEXT":
        raise ScaffoldError("TEXT columns cannot have a DEFAULT on MySQL; use VARCHAR(n) or drop the DEFAULT")
    try:
        if kind == "int":
            value: Any = int(raw)
        elif kind == "float":
            value = float(raw)
        elif python_type == "datetime":
            value = datetime.fromisoformat(raw)
        elif python_type == "date":
            value = date.fromisoformat(raw)
        elif python_type == "time":
            value = time.fromisoformat(raw)
        elif kind == "bytes":
            value = raw.encode()
        else:
            value = raw
    except ValueError:
        raise ScaffoldError(problem) from None
    if getattr(value, "tzinfo", None) is not None or getattr(value, "microsecond", 0):
        raise ScaffoldError(f"{problem}: write whole seconds without a time zone")
    bounds = fields.get("value_range")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ScaffoldError(f"{problem}: the column holds {bounds[0]} to {bounds[1]}")
    if fields.get("scale") is not None and round(value, fields["scale"]) != value:
        raise ScaffoldError(f"{problem}: it has more than {fields['scale']} decimals")
    limit = fields.get("max_chars") or fields.get("max_bytes")
    if limit is not None and len(value) > limit:
        raise ScaffoldError(f"{problem}: it is longer than {limit}")
    return raw, value


# -- names -----------------------------------------------------------------------------------------


_PLUGIN_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_DIMENSION_NAME = re.compile(r"[A-Za-z][A-Za-z0-9 ]*")
_COLUMN_NAME = re.compile(r"[a-z][a-z0-9_]*")
_TAKEN_CLASS_NAMES = {"Action", "ActionDimension", "ActionType", "Any", "ConversionDimension", "DEFAULT", "PARAMETER",
                      "SCALE", "TrackingRequest", "UNCHANGED", "VisitDimension", "Visitor"}
"""Names the generated dimension module and its test import or define."""


def snake_case(camel: str) -> str:
    """``ShopExtras`` -> ``shop_extras``, ``GeoIPLookup`` -> ``geo_ip_lookup``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", camel).lower()


def _check_plugin_name(name: str) -> str:
    if not _PLUGIN_NAME.fullmatch(name):
        raise ScaffoldError(f"plugin name {name!r}: use CamelCase letters and digits starting with a capital "
                            "letter, e.g. ShopExtras")
    snake = snake_case(name)
    if keyword.iskeyword(snake) or snake in sys.stdlib_module_names or module_origin(snake) is not None:
        raise ScaffoldError(f"plugin name {name!r}: a Python module named {snake!r} already exists; choose another "
                            "name")
    return snake


# -- generate:plugin -------------------------------------------------------------------------------


def generate_plugin(name: str, directory: Path) -> Path:
    """Create the distribution ``trackway-<kebab-name>`` for plugin ``name`` in ``directory``."""
    snake = _check_plugin_name(name)
    dist_name = "trackway-" + snake.replace("_", "-")
    target = Path(directory) / dist_name
    if target.exists():
        raise ScaffoldError(f"{target} already exists; remove it or choose another plugin name")
    context = {"plugin": name, "package": snake, "dist_name": dist_name}
    with tempfile.TemporaryDirectory(prefix="trackway-scaffold-") as work:
        rendered = _render(TEMPLATES_DIR / "plugin", context, Path(work))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(rendered), str(target))
    return target


# -- generate:dimension ----------------------------------------------------------------------------


def plugin_package_dir(plugin: PluginInfo) -> Path:
    """The plugin's package folder (the one holding its module), found without importing a disabled plugin."""
    return _plugin_package(plugin)[1]


def _plugin_package(plugin: PluginInfo) -> tuple[str, Path]:
    """(dotted package name, folder) of the package that holds the plugin's module."""
    module_name = plugin.module_name.split(":", 1)[0]
    origin = getattr(plugin.module, "__file__", None) if plugin.module is not None else module_origin(module_name)
    if not origin:
        raise ScaffoldError(f"cannot find the files of plugin {plugin.name} (module {module_name}); is it installed?")
    path = Path(origin).resolve()
    package = module_name if path.name == "__init__.py" else module_name.rpartition(".")[0]
    if not package:
        raise ScaffoldError(f"plugin {plugin.name} is the single module {path}, not a package; dimensions need a "
                            "package with columns/ and migrations/, as plugins made by `generate:plugin` have")
    return package, path.parent


def generate_dimension(plugin: PluginInfo, *, type: str, name: str, column_name: str, column_type: str,
                       existing_columns: Callable[[str], set[str]]) -> list[Path]:
    """Add a dimension to ``plugin``: its class in ``columns/``, its migration, its test.

    ``existing_columns(table)`` gives the columns a logical table has in the database. Returns the
    created files; nothing is written when a check fails.
    """
    if type not in DIMENSION_TYPES:
        raise ScaffoldError(f"dimension type {type!r}: use one of {', '.join(DIMENSION_TYPES)}")
    base_class, table = DIMENSION_TYPES[type]
    class_name, module = _dimension_names(name)
    _check_column_name(column_name)
    column = parse_column_type(column_type)
    package, package_dir = _plugin_package(plugin)
    columns_dir, migrations_dir = package_dir / "columns", package_dir / "migrations"
    if not (columns_dir / "__init__.py").is_file() or not migrations_dir.is_dir():
        raise ScaffoldError(f"plugin {plugin.name} has no columns/ package and migrations/ folder in {package_dir}; "
                            "plugins made by `generate:plugin` have them (create both, columns/ with an __init__.py)")

    tables = [table, "log_conversion"] if type == "visit" else [table]
    for checked in tables:
        if column_name in existing_columns(checked):
            raise ScaffoldError(f"column {column_name!r} already exists in {checked}; choose another column name")
    declared = _declared_columns(columns_dir)
    if column_name in declared:
        raise ScaffoldError(f"column {column_name!r} is already filled by {declared[column_name]}; choose another "
                            "column name")

    dist_root = package_dir.parent
    tests_dir = dist_root / "tests" if (dist_root / "pyproject.toml").is_file() else package_dir / "tests"
    revision, down_revision = _next_revision(plugin, migrations_dir)
    targets = {"columns": columns_dir / f"{module}.py", "migrations": migrations_dir / f"{revision}.py",
               "tests": tests_dir / f"test_{module}.py"}
    for path in targets.values():
        if path.exists():
            raise ScaffoldError(f"{path} already exists; choose another dimension name")

    context = _dimension_context(plugin.name, package, type, base_class, table, name, class_name, module,
                                 column_name, column, revision, down_revision)
    with tempfile.TemporaryDirectory(prefix="trackway-scaffold-") as work:
        rendered = _render(TEMPLATES_DIR / "dimension", context, Path(work))
        for folder, target in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(rendered / folder / target.name), str(target))
    return list(targets.values())


def _dimension_names(name: str) -> tuple[str, str]:
    """(class name, module name) of a dimension called ``name`` (``Shop segment`` -> ShopSegment, shop_segment)."""
    if not _DIMENSION_NAME.fullmatch(name.strip()):
        raise ScaffoldError(f"dimension name {name!r}: use letters, digits and spaces, starting with a letter")
    class_name = "".join(word[0].upper() + word[1:] for word in name.split())
    module = snake_case(class_name)
    if class_name in _TAKEN_CLASS_NAMES or keyword.iskeyword(module):
        raise ScaffoldError(f"dimension name {name!r} clashes with a name Python or trackway uses; choose another")
    return class_name, module


def _check_column_name(column_name: str) -> None:
    if not _COLUMN_NAME.fullmatch(column_name) or len(column_name) > MAX_COLUMN_NAME:
        raise ScaffoldError(f"column name {column_name!r}: use lower-case letters, digits and _, starting with a "
                            f"letter, at most {MAX_COLUMN_NAME} characters")


def _declared_columns(columns_dir: Path) -> dict[str, str]:
    """Column names the plugin's dimension modules declare (``column_name = "..."``), with the file's name."""
    declared: dict[str, str] = {}
    for path in sorted(columns_dir.glob("*.py")):
        for node in ast.walk(_parse(path)):
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                    and any(isinstance(t, ast.Name) and t.id == "column_name" for t in node.targets)):
                declared[node.value.value] = f"columns/{path.name}"
    return declared


def _next_revision(plugin: PluginInfo, migrations_dir: Path) -> tuple[str, str | None]:
    """(new revision id, the branch's current head or None) from the revisions in ``migrations_dir``."""
    prefix = snake_case(plugin.name)
    parents: dict[str, set[str]] = {}
    for path in sorted(migrations_dir.glob("*.py")):
        if path.name == "__init__.py":
            continue
        values = _module_constants(path)
        if isinstance(values.get("revision"), str):
            down = values.get("down_revision")
            parents[values["revision"]] = set(down) if isinstance(down, tuple) else {down} - {None}
    heads = sorted(set(parents) - set().union(*parents.values()))
    if len(heads) > 1:
        raise ScaffoldError(f"{migrations_dir} has several heads ({', '.join(heads)}); merge them with an Alembic "
                            "merge revision first")
    numbers = [int(m.group(1)) for rev in parents if (m := re.match(rf"{re.escape(prefix)}_(\d+)", rev))]
    return f"{prefix}_{max(numbers, default=0) + 1:04d}", heads[0] if heads else None


def _module_constants(path: Path) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for node in _parse(path).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return values


def _parse(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), str(path))
    except SyntaxError as exc:
        raise ScaffoldError(f"{path} is not valid Python ({exc.msg}, line {exc.lineno}); fix it first") from None


# -- rendering -------------------------------------------------------------------------------------


def _dimension_context(plugin: str, package: str, type_: str, base_class: str, table: str, name: str,
                       class_name: str, module: str, column_name: str, column: ColumnType, revision: str,
                       down_revision: str | None) -> dict[str, Any]:
    sample_param, sample_code = _sample(column)
    options = {} if column.nullable else {"nullable": False}
    if column.server_default is not None:
        options["server_default"] = column.server_default
    low, high = column.value_range or ("", "")
    default_code = _literal(column.default)
    return {
        "plugin": plugin, "package": package, "type": type_, "base_class": base_class, "table": table,
        "name": " ".join(name.split()), "class_name": class_name, "module": module, "column_name": column_name,
        "sql": column.sql, "column_code": column.code, "kind": column.kind, "python_type": column.python_type,
        "column_options": "{" + ", ".join(f"{json.dumps(k)}: {_literal(v)}" for k, v in options.items()) + "}",
        "max_chars": column.max_chars or "", "max_bytes": column.max_bytes or "",
        "min_value": _number(low), "max_value": _number(high), "scale": "" if column.scale is None else column.scale,
        "default_code": default_code, "default_check": "is None" if column.default is None else f"== {default_code}",
        "sample_param": sample_param, "sample_code": sample_code,
        "revision": revision, "down_revision": _literal(down_revision), "first_revision": down_revision is None,
        "imports": _imports(_dimension_imports(base_class, column), package),
        "migration_imports": _imports(_type_imports(column.code) + [("core.migration", "add_columns"),
                                                                    ("core.migration", "drop_columns")], package),
        "test_imports": _imports(_test_imports(type_, column, f"{package}.columns.{module}", class_name), package),
    }


def _dimension_imports(base_class: str, column: ColumnType) -> list[tuple[str, str]]:
    names = [("typing", "Any"), ("core", base_class), ("core", "Action"), ("core", "TrackingRequest"),
             ("core", "Visitor")]
    if base_class != "ConversionDimension":
        names.append(("core", "UNCHANGED"))
    if column.python_type == "datetime":
        names += [("datetime", "UTC"), ("datetime", "datetime")]
    elif column.python_type in ("date", "time"):
        names.append(("datetime", column.python_type))
    return names + _type_imports(column.code)


def _test_imports(type_: str, column: ColumnType, module: str, class_name: str) -> list[tuple[str, str]]:
    names = [("core", "TrackingRequest"), ("core", "Visitor"), (module, class_name)]
    if type_ != "conversion":
        names.append(("core", "UNCHANGED"))
    if type_ == "action":
        names += [("core", "Action"), ("core", "ActionType")]
    if type_ == "conversion":
        names.append(("", "pytest"))
    if column.value_range is not None:
        names.append((module, "MAX_VALUE"))
    if column.scale is not None:
        names.append((module, "SCALE"))
    if column.max_chars or column.max_bytes:
        names.append((module, "MAX_LENGTH" if column.max_chars else "MAX_BYTES"))
    if column.python_type in ("datetime", "date", "time"):
        names.append(("datetime", column.python_type))
    return names


def _type_imports(code: str) -> list[tuple[str, str]]:
    names = []
    if "columns." in code:
        names.append(("core", "columns"))
    if "sa." in code:
        names.append(("", "sqlalchemy as sa"))
    if "mysql." in code:
        names.append(("sqlalchemy.dialects", "mysql"))
    return names


def _imports(names: list[tuple[str, str]], package: str) -> str:
    """Import lines as isort groups them: standard library, third party (trackway's ``core`` too), the
    plugin's own package. ``("", "x")`` is ``import x``."""
    modules: dict[str, set[str]] = {}
    for module, name in names:
        modules.setdefault(module, set()).add(name)
    lines: list[tuple[int, str, str]] = []
    for module, imported in modules.items():
        top = (module or next(iter(imported))).split(".")[0]
        group = 0 if top in sys.stdlib_module_names else 2 if top == package.split(".")[0] else 1
        if module:
            listed = sorted(imported, key=lambda n: (not n.isupper(), not n[0].isupper(), n))  # isort's order
            lines.append((group, "1" + module, f"from {module} import {', '.join(listed)}"))
        else:
            lines += [(group, "0" + name, f"import {name}") for name in imported]
    lines.sort()
    groups = [[text for group, _, text in lines if group == number] for number in range(3)]
    return "\n\n".join("\n".join(group) for group in groups if group)


def _sample(column: ColumnType) -> tuple[str, str]:
    """(parameter value, expected Python value as code) for the generated test: unlike the default."""
    candidates: list[tuple[str, Any]]
    if column.kind == "int":
        candidates = [("42", 42), ("7", 7)]
    elif column.kind == "float":
        candidates = [("2.5", 2.5), ("0.5", 0.5), ("0.25", 0.25), ("0.1", 0.1), ("3", 3.0), ("1", 1.0)]
        if column.scale is not None:
            low, high = column.value_range or (0, 0)
            candidates = [(p, v) for p, v in candidates if round(v, column.scale) == v and low <= v <= high]
    elif column.python_type == "datetime":
        candidates = [("2024-05-01 12:30:00", datetime(2024, 5, 1, 12, 30)),
                      ("2024-05-02 08:00:00", datetime(2024, 5, 2, 8, 0))]
    elif column.python_type == "date":
        candidates = [("2024-05-01", date(2024, 5, 1)), ("2024-05-02", date(2024, 5, 2))]
    elif column.python_type == "time":
        candidates = [("12:30:00", time(12, 30)), ("08:00:00", time(8, 0))]
    else:
        limit = column.max_chars or column.max_bytes or 6
        texts = [text[:limit] for text in ("sample", "other", "xyz")]
        candidates = [(t, t.encode() if column.kind == "bytes" else t) for t in texts]
    param, value = next(((p, v) for p, v in candidates if v != column.default), candidates[0])
    return param, _literal(value)


def _literal(value: Any) -> str:
    """Python source for ``value`` (double-quoted strings; dates by constructor)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        parts = [value.year, value.month, value.day, value.hour, value.minute, value.second]
        while len(parts) > 3 and parts[-1] == 0:
            parts.pop()
        return f"datetime({', '.join(map(str, parts))})"
    if isinstance(value, date):
        return f"date({value.year}, {value.month}, {value.day})"
    if isinstance(value, time):
        parts = [value.hour, value.minute] + ([value.second] if value.second else [])
        return f"time({', '.join(map(str, parts))})"
    return repr(value)


def _number(value: int | float | str) -> str:
    if isinstance(value, int) and abs(value) >= 10_000:
        return f"{value:_}"
    return repr(value) if not isinstance(value, str) else value


def _render(template: Path, context: dict[str, Any], work: Path) -> Path:
    """Render the cookiecutter template into ``work`` and return the rendered folder."""
    from cookiecutter.main import cookiecutter  # only the generate commands need it

    output = work / "out"
    # Keep cookiecutter away from the user's ~/.cookiecutterrc and from writing replay files in their home.
    settings = {"cookiecutters_dir": str(work / "cookiecutters"), "replay_dir": str(work / "replay")}
    return Path(cookiecutter(str(template), no_input=True, extra_context=context, output_dir=str(output),
                             default_config=settings, accept_hooks=False))
