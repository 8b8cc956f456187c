"""``GET /docs``: the OpenAPI description as one self-contained HTML page (no script, style or font
from another host — FastAPI's default pages load theirs from a CDN, which an intranet cannot reach)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

STYLE = """body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{border-bottom:1px solid #ccc;padding-bottom:.2rem}code,pre{background:#f5f5f5;border-radius:3px}pre{padding:.6rem;overflow:auto;font-size:.85rem}
.m{display:inline-block;min-width:3.5rem;font-weight:bold}.get{color:#1565c0}.post{color:#2e7d32}table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}details{margin:.3rem 0}"""


def docs_page(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(info.get('title', ''))} API</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>{escape(info.get('title', ''))} API v{escape(str(info.get('version', '')))}</h1>",
             f"<p>{escape(info.get('description', ''))}</p><p>OpenAPI 3: <a href='/openapi.json'>/openapi.json</a></p>"]
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            parts.append(f"<h2><span class='m {method}'>{method.upper()}</span> <code>{escape(path)}</code></h2>")
            parts.append(f"<p>{escape(op.get('summary', ''))}</p>")
            if op.get("security"):
                parts.append("<p>需要令牌 / needs <code>Authorization: Bearer …</code></p>")
            params = op.get("parameters", [])
            if params:
                rows = "".join(f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
                               f"<td>{'是 yes' if p.get('required') else ''}</td><td><code>{escape(_type(p.get('schema', {})))}</code></td>"
                               f"<td>{escape(p.get('description', '') or p.get('schema', {}).get('description', ''))}</td></tr>" for p in params)
                parts.append("<table><tr><th>参数 parameter</th><th>in</th><th>必填 required</th><th>type</th><th>说明</th></tr>"
                             f"{rows}</table>")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                parts.append(f"<details><summary>请求体 request body</summary><pre>{escape(_dump(body))}</pre></details>")
            for code, response in op.get("responses", {}).items():
                schema = next(iter(response.get("content", {}).values()), {}).get("schema")
                parts.append(f"<details><summary>{escape(code)} {escape(response.get('description', ''))}</summary>"
                             f"<pre>{escape(_dump(schema) if schema else '')}</pre></details>")
    parts.append("<h2>数据结构 / schemas</h2>")
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        parts.append(f"<details id='{escape(name)}'><summary><code>{escape(name)}</code></summary><pre>{escape(_dump(schema))}</pre></details>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    return str(schema.get("format") or schema.get("type") or schema.get("$ref", "").rsplit("/", 1)[-1])


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
