"""nginx directives checked as ``nginx -t`` checks them (``NGX007``).

Every directive of the loaded tree, includes inlined, is checked in the context
nginx reads it in (vhost files and an /etc/nginx without nginx.conf: http) with
crossplane's directive table: unknown names (with the nearest known one),
context, argument counts and flags, listen parameters, BOM and NUL bytes, and a
main file without ``events``.
"""

from __future__ import annotations

import re
from typing import Any

from eilint.loaders.nginx import BOM
from eilint.loaders.nginx import MODULES
from eilint.loaders.nginx import top_location
from eilint.model.cluster import LoadProblem
from eilint.model.nginx import Directive
from eilint.model.nginx import NginxConfig

# A directive table entry nginx's own table lacks makes "unknown directive" wrong
# for trees that load third-party modules; only near-misses of known names are
# reported there.
_CLOSE = 0.8
# nginx directives newer than crossplane 0.5.8's table (nginx 1.19 to 1.27, open
# source and Plus, and the official njs/otel modules): known, but their context
# and arguments are not checked.
_NEWER = frozenset(
    [
        "auth_delay",
        "early_hints",
        "grpc_ssl_conf_command",
        "http2",
        "http3",
        "http3_hq",
        "http3_max_concurrent_streams",
        "http3_stream_buffer_size",
        "js_fetch_buffer_size",
        "js_fetch_ciphers",
        "js_fetch_max_response_buffer_size",
        "js_fetch_protocols",
        "js_fetch_timeout",
        "js_fetch_trusted_certificate",
        "js_fetch_verify",
        "js_fetch_verify_depth",
        "js_import",
        "js_path",
        "js_preload_object",
        "js_shared_dict_zone",
        "js_var",
        "keepalive_time",
        "limit_conn_dry_run",
        "max_errors",
        "mp4_start_key_frame",
        "mqtt",
        "mqtt_preread",
        "otel_exporter",
        "otel_service_name",
        "otel_span_attr",
        "otel_span_name",
        "otel_trace",
        "otel_trace_context",
        "pass",
        "proxy_cookie_flags",
        "proxy_half_close",
        "proxy_pass_trailers",
        "proxy_ssl_conf_command",
        "proxy_ssl_key_log",
        "quic_active_connection_id_limit",
        "quic_bpf",
        "quic_gso",
        "quic_host_key",
        "quic_retry",
        "ssl_alpn",
        "ssl_certificate_cache",
        "ssl_conf_command",
        "ssl_key_log",
        "ssl_object_cache_inheritable",
        "ssl_ocsp",
        "ssl_ocsp_cache",
        "ssl_ocsp_responder",
        "ssl_reject_handshake",
        "userid_flags",
        "uwsgi_ssl_conf_command",
        "zone_sync_ssl_conf_command",
    ]
)


def check_directives(config: NginxConfig, events: bool = True) -> list[LoadProblem]:
    """Check every directive as ``nginx -t`` does: name, context, arguments.

    Included files are checked in the context they are included in (an /etc/nginx
    without nginx.conf: the http context), with crossplane's directive table.
    """
    from crossplane import analyzer

    synthetic = bool(config.directives) and config.directives[0].where.line is None
    problems: list[LoadProblem] = []
    if events and not synthetic and not any(True for _ in config.top("events")):
        message = 'no "events" section in configuration; nginx refuses to start'
        problems.append(LoadProblem("NGX007", message, top_location(config.main)))
    modules = _loads_modules(config.directives)
    stack: list[tuple[Directive, tuple[str, ...]]] = [
        (d, ()) for d in reversed(config.directives)
    ]
    while stack:
        d, ctx = stack.pop()
        if d.name == "#":
            continue
        known = d.where.line is None or _analyse(d, ctx, modules, problems, analyzer)
        if d.block is None or not known:
            continue
        inner = ctx if d.name == "include" else _inner(d, ctx, analyzer)
        stack.extend((child, inner) for child in reversed(d.block))
    return problems


def _loads_modules(directives: tuple[Directive, ...]) -> bool:
    """Return True when the tree loads dynamic modules (load_module, or Debian's
    modules-enabled include, which eilint does not follow)."""
    stack = list(directives)
    while stack:
        d = stack.pop()
        if d.name == "load_module":
            return True
        if d.name == "include" and d.args and MODULES.search(d.args[0]):
            return True
        stack.extend(d.block or ())
    return False


def _inner(d: Directive, ctx: tuple[str, ...], analyzer: Any) -> tuple[str, ...]:
    return analyzer.enter_block_ctx({"directive": d.name}, ctx)  # type: ignore[no-any-return]


def _analyse(
    d: Directive,
    ctx: tuple[str, ...],
    modules: bool,
    problems: list[LoadProblem],
    analyzer: Any,
) -> bool:
    """Check one directive; return False when its block cannot be checked."""
    message = _damage(d)
    if d.name in _NEWER:
        return message is None
    if message is None and ctx in analyzer.CONTEXTS:
        if d.name not in analyzer.DIRECTIVES:
            message = _unknown(d.name, modules, analyzer)
        else:
            message = _table_error(d, ctx, analyzer)
    if message is not None:
        problems.append(LoadProblem("NGX007", message, d.where))
    return d.name in analyzer.DIRECTIVES and message is None


def _damage(d: Directive) -> str | None:
    if "\ufeff" in d.name:
        return BOM
    if any("\x00" in text for text in (d.name, *d.args)):
        return f'a NUL byte in the "{d.name.replace(chr(0), "")}" directive'
    return None


def _unknown(name: str, modules: bool, analyzer: Any) -> str | None:
    import difflib

    names = [*analyzer.DIRECTIVES, *_NEWER]
    close = difflib.get_close_matches(name, names, n=1, cutoff=_CLOSE)
    if close:
        return f'unknown directive "{name}"; did you mean "{close[0]}"?'
    if modules:
        return None  # perhaps a directive of a module load_module brings in
    return f'unknown directive "{name}"'


def _table_error(d: Directive, ctx: tuple[str, ...], analyzer: Any) -> str | None:
    from crossplane.errors import NgxParserDirectiveError

    term = "{" if d.block is not None and d.name != "include" else ";"
    stmt = {"directive": d.name, "line": d.where.line, "args": list(d.args)}
    try:
        analyzer.analyze(d.where.path, stmt, term, ctx)
    except NgxParserDirectiveError as exc:
        return str(exc.strerror)
    if d.name == "listen" and ctx == ("http", "server"):
        return _listen_error(d.args[1:])
    return None


# listen's parameters (nginx 1.22 ngx_http_core_module): anything else is refused,
# a name such as server_name most often because the ";" after listen is missing.
_LISTEN_PARAM = re.compile(
    r"^(default_server|default|ssl|http2|spdy|quic|proxy_protocol|reuseport|bind"
    r"|deferred|(backlog|rcvbuf|sndbuf|ipv6only|so_keepalive|accept_filter|setfib"
    r"|fastopen)=.*)$"
)


def _listen_error(params: tuple[str, ...]) -> str | None:
    bad = next((p for p in params if not _LISTEN_PARAM.match(p)), None)
    if bad is None:
        return None
    return f'invalid parameter "{bad}" in "listen" (a missing ";" before it?)'
