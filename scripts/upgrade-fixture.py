#!/usr/bin/env python3
"""Writes the data of a Relais SQLite database as the previous schema holds it: one INSERT per
row, each table's columns named, in the order the migrations created the tables, in SQL that
both SQLite and PostgreSQL read. The upgrade tests load it into a database migrated up to that
schema, then migrate it with the current binary (server/tests/integration/platform/upgrade.rs).

Usage: upgrade-fixture.py SOURCE_DB LAST_MIGRATION OUT_SQL
  SOURCE_DB       a database with data (e.g. `relais seed-demo`, then some use)
  LAST_MIGRATION  the version of the previous schema's last migration (e.g. 20261207000000)
"""
import pathlib
import sqlite3
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise SystemExit(f"no portable literal for {type(value).__name__}")


def main() -> None:
    source, last, out = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])
    old = sqlite3.connect(":memory:")
    migrations = sorted((ROOT / "app/migrations/sqlite").glob("*.sql"))
    kept = [m for m in migrations if int(m.name.split("_")[0]) <= last]
    for migration in kept:
        old.executescript(migration.read_text(encoding="utf-8"))
    tables = [r[0] for r in old.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by rowid")]
    data = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    lines = [
        f"-- Relais data in the schema of migrations up to {last} ({kept[-1].name}),",
        "-- written by scripts/upgrade-fixture.py; loaded by the upgrade tests. Do not edit by hand.",
    ]
    total = 0
    for table in tables:
        columns = [r[1] for r in old.execute(f"pragma table_info({table})")]
        have = {r[1] for r in data.execute(f"pragma table_info({table})")}
        missing = [c for c in columns if c not in have]
        if missing:
            raise SystemExit(f"{table}: the source has no {missing}")
        order = "id" if "id" in columns else "rowid"
        names = ", ".join(columns)
        for row in data.execute(f"select {names} from {table} order by {order}"):
            lines.append(f"insert into {table} ({names}) values ({', '.join(literal(v) for v in row)});")
            total += 1
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out}: {total} rows of {len(tables)} tables, schema up to {kept[-1].name}")


if __name__ == "__main__":
    main()
