"""``duchaplugin serve [--db URL] [--host 127.0.0.1] [--port 8765] [--clock system|manual]
[--token TOKEN] [--webhook URL]``."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys

TOKEN_ENV = "DUCHAPLUGIN_TOKEN"


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser("serve", help="HTTP 服务（持久化存储）/ the HTTP service with a durable store",
                              description="duchaplugin 的 HTTP 服务（docs/service.md）/ the HTTP service (docs/service.md)")
    p.add_argument("--db", default="sqlite:///duchaplugin.db",
                   help="数据库 URL：sqlite:///文件 或 postgresql://用户:密码@主机/库（默认当前目录 duchaplugin.db）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认仅本机）/ address to bind (default loopback only)")
    p.add_argument("--port", type=int, default=8765, help="监听端口（默认 8765）/ port to listen on (default 8765)")
    p.add_argument("--clock", choices=["system", "manual"], default="system",
                   help="system：按北京时间自行推进；manual：仅 POST /v1/clock 推进")
    p.add_argument("--token", default=None, help=f"访问令牌（也可用环境变量 {TOKEN_ENV}）/ bearer token (or ${TOKEN_ENV})")
    p.add_argument("--webhook", default=None, help="动作推送地址 / URL the outbox is POSTed to")
    p.add_argument("--max-body", type=int, default=4 * 1024 * 1024, help="请求体上限（字节）/ body size limit in bytes")
    p.add_argument("--max-events", type=int, default=1000, help="每次请求的事件数上限 / events per request")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"],
                   help="日志级别 / log level")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from duchaplugin.service.app import Settings, create_app
    except ImportError as exc:
        print(f"缺少服务所需的包（{exc.name}），请安装：pip install 'duchaplugin[service]' / "
              f"the service needs extra packages ({exc.name}): pip install 'duchaplugin[service]'", file=sys.stderr)
        return 2
    token = args.token or os.environ.get(TOKEN_ENV) or None
    if not token and not _loopback(args.host):
        print(f"警告：监听 {args.host} 但未设置令牌，任何能访问该地址者都可提交事件 / warning: listening on {args.host} "
              f"without a token: anyone who reaches it can post events", file=sys.stderr)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    settings = Settings(db=args.db, clock=args.clock, token=token, webhook=args.webhook, max_body=args.max_body,
                        max_events=args.max_events)
    try:
        app = create_app(settings)
    except ValueError as exc:
        print(f"--db: {exc}", file=sys.stderr)
        return 2
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False,
                            server_header=False)
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
