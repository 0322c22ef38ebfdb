"""JDBC URL parsing for every vendor EI supports, and loopback detection."""

from __future__ import annotations

import pytest

from eilint.model.jdbc import is_loopback
from eilint.model.jdbc import parse_jdbc_url

CASES = [
    # url, vendor, hosts, database, mode, options
    (
        "jdbc:mysql://db.example.com:3306/REGISTRY_DB?autoReconnect=true",
        "mysql",
        (("db.example.com", 3306),),
        "REGISTRY_DB",
        None,
        "autoReconnect=true",
    ),
    ("jdbc:mysql://DB/x", "mysql", (("db", 3306),), "x", None, ""),
    (
        "jdbc:mysql:loadbalance://h1:3307,h2/app",
        "mysql",
        (("h1", 3307), ("h2", 3306)),
        "app",
        None,
        "",
    ),
    ("jdbc:mysql://[::1]:3310/db", "mysql", (("::1", 3310),), "db", None, ""),
    (
        "jdbc:mariadb:replication://m1,m2:3307/db?a=1",
        "mariadb",
        (("m1", 3306), ("m2", 3307)),
        "db",
        None,
        "a=1",
    ),
    ("jdbc:postgresql://pg/bps", "postgresql", (("pg", 5432),), "bps", None, ""),
    ("jdbc:postgresql:bps", "postgresql", (("localhost", 5432),), "bps", None, ""),
    (
        "jdbc:postgresql://pg:6432/bps?ssl=true&sslmode=require",
        "postgresql",
        (("pg", 6432),),
        "bps",
        None,
        "ssl=true&sslmode=require",
    ),
    ("jdbc:oracle:thin:@ora:1521:ORCL", "oracle", (("ora", 1521),), "ORCL", "sid", ""),
    (
        "jdbc:oracle:thin:@//ora:1522/bps.example.com",
        "oracle",
        (("ora", 1522),),
        "bps.example.com",
        "service",
        "",
    ),
    ("jdbc:oracle:thin:@ora/svc", "oracle", (("ora", 1521),), "svc", "service", ""),
    (
        "jdbc:oracle:thin:scott/tiger@ora:1521:ORCL",
        "oracle",
        (("ora", 1521),),
        "ORCL",
        "sid",
        "",
    ),
    (
        "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora1)(PORT=1521))"
        "(CONNECT_DATA=(SERVICE_NAME=bps)))",
        "oracle",
        (("ora1", 1521),),
        "bps",
        "tns",
        "",
    ),
    (
        "jdbc:sqlserver://mssql:1433;databaseName=BPS_DB;encrypt=false",
        "sqlserver",
        (("mssql", 1433),),
        "BPS_DB",
        None,
        "databaseName=BPS_DB;encrypt=false",
    ),
    (
        "jdbc:sqlserver://mssql\\SQLEXPRESS;database=x",
        "sqlserver",
        (("mssql\\sqlexpress", None),),
        "x",
        None,
        "database=x",
    ),
    ("jdbc:jtds:sqlserver://ms:1500/db", "sqlserver", (("ms", 1500),), "db", None, ""),
    ("jdbc:db2://db2h:50001/BPSDB", "db2", (("db2h", 50001),), "BPSDB", None, ""),
    (
        "jdbc:db2://db2h:50000/BPSDB:currentSchema=X;",
        "db2",
        (("db2h", 50000),),
        "BPSDB",
        None,
        "currentSchema=X;",
    ),
    (
        "jdbc:h2:repository/database/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE",
        "h2",
        (),
        "repository/database/WSO2CARBON_DB",
        "file",
        "DB_CLOSE_ON_EXIT=FALSE",
    ),
    (
        "jdbc:h2:file:./repository/database/jpadb",
        "h2",
        (),
        "./repository/database/jpadb",
        "file",
        "",
    ),
    (
        "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1",
        "h2",
        (),
        "test",
        "mem",
        "DB_CLOSE_DELAY=-1",
    ),
    ("jdbc:h2:tcp://h2srv/~/reg", "h2", (("h2srv", 9092),), "~/reg", "tcp", ""),
    ("jdbc:h2:ssl://h2srv:9093/reg", "h2", (("h2srv", 9093),), "reg", "ssl", ""),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0][:40])
def test_parse(case) -> None:
    url, vendor, hosts, db, mode, options = case
    parsed = parse_jdbc_url(url)
    assert parsed is not None
    assert (parsed.vendor, parsed.hosts, parsed.database, parsed.mode) == (
        vendor,
        hosts,
        db,
        mode,
    )
    assert parsed.options == options


def test_surrounding_whitespace_and_empty() -> None:
    assert parse_jdbc_url("  jdbc:mysql://h/db \n").database == "db"
    assert parse_jdbc_url("") is None
    assert parse_jdbc_url(None) is None


def test_unknown_and_garbage_never_raise() -> None:
    assert parse_jdbc_url("jdbc:derby://h/db").vendor == "derby"
    assert parse_jdbc_url("not a url").vendor is None
    assert parse_jdbc_url("jdbc:oracle:thin:garbage").identity is None
    assert parse_jdbc_url("jdbc:sqlserver://").hosts == ()


def test_identity_ignores_options_and_default_port() -> None:
    a = parse_jdbc_url("jdbc:mysql://db:3306/REG?autoReconnect=true")
    b = parse_jdbc_url("jdbc:mysql://DB/REG")
    assert a.identity == b.identity
    assert a.raw != b.raw


def test_identity_mariadb_reaches_mysql_servers() -> None:
    a = parse_jdbc_url("jdbc:mariadb://db/REG")
    b = parse_jdbc_url("jdbc:mysql://db/REG")
    assert a.identity == b.identity


def test_identity_differs_on_database_port_host() -> None:
    base = parse_jdbc_url("jdbc:postgresql://db/reg").identity
    assert parse_jdbc_url("jdbc:postgresql://db/reg2").identity != base
    assert parse_jdbc_url("jdbc:postgresql://db:5433/reg").identity != base
    assert parse_jdbc_url("jdbc:postgresql://db2/reg").identity != base


def test_oracle_names_compare_case_insensitively() -> None:
    a = parse_jdbc_url("jdbc:oracle:thin:@ora:1521:orcl")
    b = parse_jdbc_url("jdbc:oracle:thin:@ORA:1521:ORCL")
    assert a.identity == b.identity


def test_embedded_h2_has_no_identity() -> None:
    h2 = parse_jdbc_url("jdbc:h2:repository/database/WSO2CARBON_DB")
    assert h2.embedded and h2.identity is None and not h2.local
    assert not parse_jdbc_url("jdbc:h2:tcp://h/db").embedded
    assert parse_jdbc_url("jdbc:h2:mem:x").embedded


@pytest.mark.parametrize(
    "url",
    [
        "jdbc:mysql://localhost:3306/db",
        "jdbc:mysql://127.0.0.1/db",
        "jdbc:mysql://127.1.2.3/db",
        "jdbc:postgresql://[::1]:5432/db",
        "jdbc:oracle:thin:@localhost:1521:XE",
        "jdbc:sqlserver://LOCALHOST;databaseName=x",
        "jdbc:sqlserver://localhost\\SQLEXPRESS;databaseName=x",
        "jdbc:h2:tcp://localhost/~/db",
        "jdbc:postgresql:db",
    ],
)
def test_local(url) -> None:
    assert parse_jdbc_url(url).local


@pytest.mark.parametrize(
    "url",
    [
        "jdbc:mysql://db.example.com/db",
        "jdbc:mysql://10.0.0.5/db",
        "jdbc:mysql://localhost,db2/db",
        "jdbc:h2:repository/database/x",
    ],
)
def test_not_local(url) -> None:
    assert not parse_jdbc_url(url).local


def test_is_loopback() -> None:
    assert is_loopback("::1") and is_loopback("0:0:0:0:0:0:0:1")
    assert not is_loopback("128.0.0.1") and not is_loopback(None)


def test_redacted_hides_passwords() -> None:
    url = parse_jdbc_url("jdbc:mysql://h/db?user=u&password=s3cret&x=1")
    assert "s3cret" not in url.redacted() and "x=1" in url.redacted()
    ora = parse_jdbc_url("jdbc:oracle:thin:scott/tiger@ora:1521:ORCL")
    assert "tiger" not in ora.redacted() and "ora:1521:ORCL" in ora.redacted()
    ms = parse_jdbc_url("jdbc:sqlserver://h;databaseName=d;password=pw")
    assert "pw" not in ms.redacted().replace("password", "")
