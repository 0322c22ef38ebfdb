"""The nginx tree in front of a generated cluster: nginx.conf plus conf.d/."""

from __future__ import annotations

from topology import LB_NAME
from topology import MGT_NAME
from topology import OFFSET
from topology import NodeInfo

MAIN = """\
# nginx in front of the business-process cluster (generated for a benchmark).
user www-data;
worker_processes auto;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log warn;

events {
    worker_connections 4096;
    multi_accept on;
}

http {
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    types_hash_max_size 2048;
    server_tokens off;
    client_max_body_size 50m;

    include snippets/mime.types;
    default_type application/octet-stream;

    log_format upstreamlog '$remote_addr - $remote_user [$time_local] '
                           '"$request" $status $body_bytes_sent '
                           '"$http_referer" "$http_user_agent" '
                           'upstream=$upstream_addr rt=$request_time '
                           'urt=$upstream_response_time';
    access_log /var/log/nginx/access.log upstreamlog;

    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    ssl_session_cache shared:SSL:10m;
    ssl_session_timeout 10m;

    gzip on;
    gzip_types text/plain text/xml application/xml application/json;

    include conf.d/*.conf;
}
"""
MIME = (
    ("text/html", "html htm shtml"),
    ("text/css", "css"),
    ("text/xml", "xml"),
    ("application/javascript", "js"),
    ("application/json", "json"),
    ("application/soap+xml", "soap"),
    ("image/png", "png"),
    ("image/svg+xml", "svg svgz"),
    ("application/zip", "zip"),
    ("application/octet-stream", "bin exe dll"),
)
PROXY_HEADERS = """\
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        proxy_read_timeout 300s;
        proxy_http_version 1.1;
"""


def _upstreams(nodes: list[NodeInfo]) -> str:
    https = 9443 + OFFSET
    http = 9763 + OFFSET
    lines = ["# Every node of the cluster, on the profile's servlet ports."]
    for name, port in (("bps_https", https), ("bps_http", http)):
        lines.append(f"upstream {name} {{")
        lines.append("    ip_hash;")
        lines += [
            f"    server {n.ip}:{port} max_fails=3 fail_timeout=30s;" for n in nodes
        ]
        lines.append("}")
    writer = next(n for n in nodes if n.writer)
    lines += [
        "# The console goes to the node that writes the shared registry.",
        "upstream bps_mgt {",
        f"    server {writer.ip}:{https};",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _server(name: str, upstream: str) -> str:
    cert = f"/etc/nginx/ssl/{name}"
    return f"""\
server {{
    listen 80;
    server_name {name};
    return 301 https://$host$request_uri;
}}

server {{
    listen 443 ssl;
    server_name {name};
    ssl_certificate {cert}.crt;
    ssl_certificate_key {cert}.key;
    include snippets/security-headers.conf;

    location / {{
{PROXY_HEADERS}        proxy_pass https://{upstream}/;
        proxy_redirect https://$host:{9443 + OFFSET}/ https://$host/;
    }}

    location /nginx_status {{
        stub_status;
        allow 10.0.0.0/8;
        deny all;
    }}
}}
"""


def nginx_files(nodes: list[NodeInfo]) -> dict[str, str]:
    """Return the nginx tree as {relative path: text}."""
    mime = "types {\n" + "".join(f"    {t} {e};\n" for t, e in MIME) + "}\n"
    headers = (
        'add_header Strict-Transport-Security "max-age=31536000" always;\n'
        'add_header X-Content-Type-Options "nosniff" always;\n'
        'add_header X-Frame-Options "SAMEORIGIN" always;\n'
    )
    return {
        "nginx.conf": MAIN,
        "snippets/mime.types": mime,
        "snippets/security-headers.conf": headers,
        "conf.d/00-upstreams.conf": _upstreams(nodes),
        "conf.d/10-bps.conf": _server(LB_NAME, "bps_https"),
        "conf.d/20-mgt.conf": _server(MGT_NAME, "bps_mgt"),
    }
