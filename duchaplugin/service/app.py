"""The HTTP interface (v1, JSON, UTF-8): FastAPI routes over a :class:`~.node.Node`.

Bodies of ``POST`` requests are read here, not by FastAPI, so that every way a body can be wrong
gets its own bilingual answer: 415 (not ``application/json`` in UTF-8), 413 (too large, too many
events), 400 (not JSON, wrong shape) — and an event that can be read but not applied is a
per-event ``error`` in a 200 answer, never a traceback. docs/service.md describes every route.
"""

from __future__ import annotations

import hmac
import json
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, AsyncIterator, Literal

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from duchaplugin.calendar import CalendarRangeError, UnknownRegionError, get_calendar
from duchaplugin.models import Action, Event
from duchaplugin.service import outbox, views
from duchaplugin.service.clock import make_clock
from duchaplugin.service.docs import docs_page
from duchaplugin.service.metrics import CONTENT_TYPE, Metrics
from duchaplugin.service.node import Node
from duchaplugin.service.problems import Problem, detail
from duchaplugin.service.store import Database
from duchaplugin.service.webhook import Webhook

log = logging.getLogger("duchaplugin.service")
OPEN_PATHS = frozenset({"/healthz"})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Settings:
    db: str = "sqlite:///duchaplugin.db"
    clock: str = "system"
    token: str | None = None
    webhook: str | None = None
    max_body: int = 4 * 1024 * 1024
    max_events: int = 1000


# -- response models (they document the answers in /openapi.json) --------------------------------------
class ErrorDetail(BaseModel):
    field: str | None
    message_zh: str
    message_en: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class OutboxAction(Action):
    """An action with its place in the outbox."""

    seq: int


class EventResult(BaseModel):
    id: str | None
    status: Literal["accepted", "duplicate", "rejected", "error"]
    actions: list[OutboxAction]
    error: ErrorDetail | None = None


class EventsResponse(BaseModel):
    results: list[EventResult]


class ClockResponse(BaseModel):
    at: str
    actions: list[OutboxAction]


class FeedResponse(BaseModel):
    actions: list[OutboxAction]
    next: int


class EventSummary(BaseModel):
    seq: int
    id: str
    type: str | None
    at: str | None
    status: str


class SubjectResponse(BaseModel):
    subject: str
    pack: str
    state: dict[str, Any]
    events: list[EventSummary]
    actions: list[OutboxAction]


class LedgerResponse(BaseModel):
    pack: str | None
    as_of: str | None
    columns: list[str]
    rows: list[dict[str, str]]
    scores: list[dict[str, Any]]


class PackInfo(BaseModel):
    id: str
    document: str
    title: str
    issuer: str
    issued: date
    effective: date
    extends: str | None
    region: str | None


class PacksResponse(BaseModel):
    packs: list[PackInfo]


class CoverageResponse(BaseModel):
    model_config = ConfigDict(extra="allow")
    pack: str
    document: str
    title: str
    accounted: int
    total: int
    clauses: list[dict[str, Any]]


class WorkdayResponse(BaseModel):
    date: date
    region: str | None
    workday: bool
    description: str
    provisional: list[str]


class AddResponse(BaseModel):
    date: date
    n: int
    unit: Literal["working_days", "days"]
    result: date
    overdue_at: str | None = None
    moved_from: date | None = None
    basis: str | None = None
    provisional: list[str]


class Health(BaseModel):
    status: str
    role: str


ERRORS = {code: {"model": ErrorResponse, "description": text} for code, text in (
    (400, "请求无法读取 / the request cannot be read"), (401, "缺少或错误的令牌 / missing or wrong token"),
    (404, "未找到 / not found"), (409, "与服务的时钟设置冲突 / conflicts with the service's clock"),
    (413, "请求过大 / request too large"), (415, "不支持的内容类型 / unsupported content type"),
    (503, "暂不能决定，可重试 / cannot decide now, retry"))}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: ERRORS[code] for code in (401, *codes)}


# -- the application ----------------------------------------------------------------------------------
def create_app(settings: Settings) -> FastAPI:
    state: dict[str, Any] = {}
    scenarios: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.db)
        db.migrate()
        node = state["node"] = Node(db, make_clock(settings.clock), metrics=Metrics())
        node.start()
        webhook = Webhook(node, settings.webhook) if settings.webhook else None
        if webhook:
            webhook.start()
        try:
            yield
        finally:
            if webhook:
                webhook.stop()
            node.stop()

    app = FastAPI(title="duchaplugin", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="政府督查督办规则引擎服务 / rules-engine service for government supervision work "
                              "(docs/service.md)")
    if settings.token:
        app.add_middleware(BearerAuth, token=settings.token)

    def node() -> Node:
        return state["node"]

    @app.exception_handler(Problem)
    async def _problem(_: Request, problem: Problem) -> Response:
        return _json(problem.body(), problem.status, problem.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        where = str(first["loc"][-1]) if first.get("loc") else None
        return _json({"error": detail(where, f"取值不符合要求：{first['msg']}", f"invalid value: {first['msg']}")}, 400)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> Response:
        zh, en = HTTP_TEXT.get(exc.status_code, ("请求错误", "request error"))
        return _json({"error": detail(None, zh, en)}, exc.status_code, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> Response:
        log.exception("内部错误 / internal error")
        return _json({"error": detail(None, "内部错误", "internal error")}, 500)

    @app.post("/v1/events", response_model=EventsResponse, responses=_errors(400, 413, 415, 503), tags=["events"],
              summary="提交事件（一个或一组，按序处理）/ post one event or an array, decided in order",
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                  "oneOf": [{"$ref": "#/components/schemas/Event"},
                            {"type": "array", "maxItems": settings.max_events, "items": {"$ref": "#/components/schemas/Event"}}]}}}}})
    async def post_events(request: Request) -> Response:
        body = await read_json(request, settings.max_body)
        if isinstance(body, dict):
            items = [body]
        elif isinstance(body, list):
            items = body
            if len(items) > settings.max_events:
                raise Problem(413, "events", f"每次最多提交 {settings.max_events} 个事件（收到 {len(items)} 个）",
                              f"at most {settings.max_events} events per request ({len(items)} received)")
        else:
            raise Problem(400, "body", "请求体应为事件对象或事件数组", "the body must be an event object or an array of events")
        results = await run_in_threadpool(node().decide_events, items)
        return _json({"results": results})

    @app.post("/v1/clock", response_model=ClockResponse, responses=_errors(400, 409, 413, 415, 503),
              tags=["time"], summary="推进时钟（仅 --clock manual）/ advance the manual clock",
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                  "type": "object", "required": ["at"], "properties": {"at": {"type": "string", "format": "date-time"}}}}}}})
    async def post_clock(request: Request) -> Response:
        body = await read_json(request, settings.max_body)
        if not isinstance(body, dict) or not isinstance(body.get("at"), str):
            raise Problem(400, "at", "请求体应为 {\"at\": 时刻}", "the body must be {\"at\": INSTANT}")
        return _json(await run_in_threadpool(node().set_clock, body["at"]))

    @app.get("/v1/actions", response_model=FeedResponse, responses=_errors(400), tags=["actions"],
             summary="发件箱：序号之后的动作 / the outbox: actions after a seq")
    def get_actions(after: int = Query(0, ge=0, le=2**62, description="上次处理到的序号 / the last seq processed"),
                    limit: int = Query(100, ge=1, le=outbox.MAX_LIMIT)) -> Response:
        actions, upto = outbox.feed(node().db, after, limit)
        return _json({"actions": actions, "next": upto})

    @app.get("/v1/subjects/{subject:path}", response_model=SubjectResponse, responses=_errors(400, 404), tags=["subjects"],
             summary="主体的状态、事件与动作 / a subject's state, events and actions")
    def get_subject(subject: str = Path(..., min_length=1)) -> Response:
        found = views.subject(node().db, subject)
        if found is None:
            raise Problem(404, "subject", f"未找到主体 {subject}", f"no subject {subject}")
        return _json(found)

    @app.get("/v1/ledger", response_model=LedgerResponse, tags=["subjects"],
             responses=_errors(400, 404) | {200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
             summary="督查台账（JSON 或 .xlsx）/ the supervision ledger (JSON or a workbook)")
    def get_ledger(pack: str | None = Query(None, description="规则包编号；省略则全部 / pack id; all when omitted"),
                   format: Literal["json", "xlsx"] = Query("json")) -> Response:
        packs = node().link.packs
        if pack is not None and pack not in packs:
            raise Problem(404, "pack", f"未安装规则包 {pack}", f"pack {pack} is not installed")
        entries, scores = views.ledger(node().db, packs, pack)
        as_of = node().clock.now()
        if format == "xlsx":
            return Response(views.ledger_xlsx(entries, scores, as_of), media_type=XLSX,
                            headers={"Content-Disposition": "attachment; filename=ledger.xlsx"})
        return _json(views.ledger_json(entries, scores, pack, as_of))

    @app.get("/v1/packs", response_model=PacksResponse, responses=_errors(), tags=["packs"],
             summary="已安装的规则包 / installed packs")
    def get_packs() -> Response:
        return _json({"packs": [_pack_info(p) for p in node().link.packs.values()]})

    @app.get("/v1/packs/{pack}/coverage", response_model=CoverageResponse, responses=_errors(404), tags=["packs"],
             summary="条款覆盖 / clause coverage")
    def get_coverage(pack: str) -> Response:
        from duchaplugin.coverage import default_features_dir, feature_scenarios, pack_coverage

        packs = node().link.packs
        if pack not in packs:
            raise Problem(404, "pack", f"未安装规则包 {pack}", f"pack {pack} is not installed")
        if "all" not in scenarios:
            scenarios["all"] = feature_scenarios(default_features_dir())
        clauses = pack_coverage(packs[pack], packs.values(), scenarios["all"])
        p = packs[pack]
        return _json({"pack": p.id, "document": p.number, "title": p.title, "accounted": sum(c.accounted for c in clauses),
                      "total": len(clauses), "clauses": [c.to_json() for c in clauses]})

    @app.get("/v1/calendar/workday", response_model=WorkdayResponse, responses=_errors(400), tags=["calendar"],
             summary="是否工作日 / is a day a working day")
    def get_workday(day: date = Query(..., alias="date"), region: str | None = None) -> Response:
        cal = _calendar(region)
        try:
            workday = cal.is_workday(day)
        except CalendarRangeError as exc:
            raise Problem(400, "date", *_bilingual(exc)) from None
        return _json({"date": day.isoformat(), "region": region, "workday": workday, "description": cal.describe(day),
                      "provisional": list(cal.provisional_reasons(day))})

    @app.get("/v1/calendar/add", response_model=AddResponse, responses=_errors(400), tags=["calendar"],
             summary="加 N 个工作日（days=1 时按民法典加 N 日）/ add N working days (or days)")
    def get_add(day: date = Query(..., alias="date"), n: int = Query(..., ge=-100000, le=100000),
                days: bool = False, region: str | None = None) -> Response:
        cal = _calendar(region)
        try:
            if days:
                if n < 1:
                    raise Problem(400, "n", "按日计算的期间须为正整数", "a period in days must be positive")
                deadline = cal.period_days(day, n)
                return _json({"date": day.isoformat(), "n": n, "unit": "days", "result": deadline.last_day.isoformat(),
                              "overdue_at": deadline.overdue_at.isoformat(),
                              "moved_from": deadline.moved_from.isoformat() if deadline.moved_from else None,
                              "basis": deadline.basis,
                              "provisional": list(cal.provisional_reasons(deadline.moved_from or deadline.last_day, deadline.last_day))})
            result = cal.add_workdays(day, n)
        except (CalendarRangeError, OverflowError, ValueError) as exc:
            raise Problem(400, "n", *_bilingual(exc)) from None
        return _json({"date": day.isoformat(), "n": n, "unit": "working_days", "result": result.isoformat(),
                      "provisional": list(cal.provisional_reasons(day, result))})

    @app.get("/healthz", response_model=Health, responses={503: {"model": Health}}, tags=["service"],
             summary="存活检查（无需令牌）/ health (no token needed)")
    def get_health() -> Response:
        try:
            node().db.get_meta("health")
        except Exception:
            return _json({"status": "unavailable", "role": node().role}, 503)
        return _json({"status": "ok", "role": node().role})

    @app.get("/metrics", tags=["service"], summary="Prometheus 指标 / Prometheus metrics",
             responses={200: {"content": {CONTENT_TYPE: {"schema": {"type": "string"}}}}} | _errors())
    def get_metrics() -> Response:
        return Response(node().metrics.render(), media_type=CONTENT_TYPE)

    @app.get("/docs", include_in_schema=False)
    def get_docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["Event"] = Event.model_json_schema(ref_template="#/components/schemas/{model}")
            if settings.token:
                schema["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
                for path, operations in schema["paths"].items():
                    if path not in OPEN_PATHS:
                        for operation in operations.values():
                            operation["security"] = [{"bearer": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


HTTP_TEXT = {404: ("未找到", "not found"), 405: ("不支持该方法", "method not allowed"), 401: ("需要令牌", "token required")}


async def read_json(request: Request, limit: int) -> Any:
    """The body as JSON: 415 unless ``application/json`` (UTF-8), 413 past ``limit`` bytes, 400 if
    it is not JSON (with line and column; NaN and Infinity are not JSON)."""
    mime, _, params = request.headers.get("content-type", "").partition(";")
    charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in params.split(";") if p.strip().lower().startswith("charset=")), "utf-8")
    if mime.strip().lower() != "application/json" or charset not in ("utf-8", "utf8"):
        raise Problem(415, "Content-Type", "请以 application/json（UTF-8）提交", "send application/json in UTF-8")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    try:
        text = body.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise Problem(400, "body", f"请求体不是 UTF-8（第{exc.start + 1}字节）", f"the body is not UTF-8 (byte {exc.start + 1})") from None
    try:
        return json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        raise Problem(400, "body", f"不是合法的 JSON：{exc.msg}（第{exc.lineno}行第{exc.colno}列）",
                      f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError as exc:
        raise Problem(400, "body", f"不是合法的 JSON：{exc}", f"not valid JSON: {exc}") from None


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _too_large(limit: int) -> Problem:
    return Problem(413, "body", f"请求体超过 {limit} 字节", f"the body exceeds {limit} bytes")


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), status, headers,
                    media_type="application/json")


def _calendar(region: str | None) -> Any:
    try:
        return get_calendar(region)
    except UnknownRegionError as exc:
        raise Problem(400, "region", *_bilingual(exc)) from None


def _bilingual(exc: Exception) -> tuple[str, str]:
    zh = getattr(exc, "zh", None)
    en = getattr(exc, "en", None)
    if zh and en:
        return zh, en
    text = str(exc)
    return (text.split(" / ", 1)[0], text.split(" / ", 1)[-1]) if " / " in text else (text, text)


def _pack_info(pack: Any) -> dict[str, Any]:
    return {"id": pack.id, "document": pack.number, "title": pack.title, "issuer": pack.issuer, "issued": pack.issued.isoformat(),
            "effective": pack.effective.isoformat(), "extends": pack.extends, "region": pack.region}


class BearerAuth:
    """Every path but ``/healthz`` needs ``Authorization: Bearer <token>`` (compared in constant time)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.expected = app, f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            return await self.app(scope, receive, send)
        given = dict(scope["headers"]).get(b"authorization", b"")
        if hmac.compare_digest(given, self.expected):
            return await self.app(scope, receive, send)
        response = _json({"error": detail("Authorization", "需要有效的令牌：Authorization: Bearer …",
                                          "a valid token is required: Authorization: Bearer …")},
                         401, {"WWW-Authenticate": "Bearer"})
        await response(scope, receive, send)
