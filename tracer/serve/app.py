"""The web app: pages for the phone, Twilio webhooks, and the periodic mail fetch.

    from tracer.serve import Desk, Options, create_app
    app = create_app(Desk(home, passphrase), Pairing(), Options())   # an ASGI app for uvicorn

Every page needs a session (see `auth`); every form carries the session's CSRF token, and a POST
whose Origin is another site is refused before anything is read. Vault work runs on the desk's
thread through `actions` (the same library calls as the CLI).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html as html_lib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tracer import contacts, i18n, mailbox, times
from tracer.errors import InputError, TracerError
from tracer.serve import actions, auth, labels, twilio_hooks
from tracer.serve.desk import Desk
from tracer.serve.security import BodyLimit, SecurityHeaders

log = logging.getLogger("tracer.serve")
_REPORT_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
_CONTACT_ID = re.compile(r"k_[0-9a-f]{16}")
T = TypeVar("T")
Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Options:
    """What `tracer serve` turns on beyond the pages."""

    twilio_token: str | None = None  # the Twilio auth token: webhooks on when set
    public_url: str | None = None  # the base URL Twilio calls (a tunnel's), for signature checks
    mail: mailbox.Account | None = None  # fetch the alias mailbox every `mail_every` seconds
    mail_every: float = 300.0
    locale: str | None = None  # page language; default the vault's locale


class _Web:
    """The app's state and handlers (one instance per app)."""

    def __init__(self, desk: Desk, pairing: auth.Pairing, options: Options) -> None:
        self.desk, self.pairing, self.options = desk, pairing, options
        self.sessions = auth.Sessions()
        self.attempts = auth.Attempts()
        self.locale = options.locale or desk.settings.locale
        self.zone = desk.settings.timezone
        self.words = labels.labels(self.locale)
        self.terms = labels.terms(self.locale, self.zone)
        self.env = Environment(loader=PackageLoader("tracer.serve", "templates"), autoescape=True)
        self.env.filters.update(local=self.local_time, percent=i18n.percent)
        self.guard = twilio_hooks.Guard(options.twilio_token) if options.twilio_token else None

    # -- plumbing -------------------------------------------------------------------------------
    def page(self, name: str, session: auth.Session | None, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(
            t=self.words, terms=self.terms, lang="zh-CN" if labels.is_chinese(self.locale) else "en",
            csrf=session.csrf if session else "", path=context.pop("path", ""), **context,
        )  # fmt: skip
        return HTMLResponse(html, status_code=status)

    def local_time(self, iso: str | None) -> str:
        """A report row's UTC time (`…Z`) as the vault's wall clock: `2026-03-05 10:00`."""
        if not iso:
            return "—"
        return datetime.fromisoformat(iso).astimezone(times.zone(self.zone)).strftime("%Y-%m-%d %H:%M")

    async def work(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(vault, ...)` on the desk's thread, its messages (InputError) in the pages' language.
        Only that thread switches the process-wide language; pages render from `words`/`terms`."""

        def reading(vault: Any) -> T:
            with i18n.reading(self.locale, self.zone):
                return fn(vault, *args, **kwargs)

        return await self.desk.run(reading)

    def field_error(self, exc: InputError) -> str:
        """"Caller number: not a possible number…": the form's own label, not the field's code."""
        key = labels.FIELD_LABELS.get(exc.field or "")  # its hint names CLI options: not shown here
        return exc.reason if key is None else self.words["field_error"].format(label=self.words[key], reason=exc.reason)

    def session_of(self, request: Request) -> auth.Session | None:
        return self.sessions.get(request.cookies.get(auth.COOKIE))

    def guarded(self, handler: Callable[[Request, auth.Session], Awaitable[Response]]) -> Handler:
        """Session required (GET: else to /pair; POST: else 403); POSTs also need CSRF + Origin."""

        async def endpoint(request: Request) -> Response:
            session = self.session_of(request)
            if session is None:
                if request.method == "GET":
                    return RedirectResponse("/pair", status_code=303)
                return self.page("pair.html.j2", None, 403, error=self.words["expired"])
            if request.method == "POST":
                form = await request.form()
                token = form.get("csrf")
                if not _same_origin(request) or not session.csrf_ok(token if isinstance(token, str) else None):
                    return self.page("error.html.j2", session, 403, message=self.words["bad_form"])
            return await handler(request, session)

        return endpoint

    # -- pairing --------------------------------------------------------------------------------
    async def pair(self, request: Request) -> Response:
        code = request.query_params.get("code")
        if request.method == "POST":
            if not _same_origin(request):
                return PlainTextResponse("cross-site request refused", status_code=403)
            form = await request.form()
            code = str(form.get("code") or "")
        if self.session_of(request) is not None and request.method == "GET":
            return RedirectResponse("/", status_code=303)  # a second tab of a paired browser
        if not code:
            return self.page("pair.html.j2", None)
        client = request.client.host if request.client else "?"
        if not self.attempts.allowed(client):
            return self.page("pair.html.j2", None, 429, error=self.words["too_many"])
        if not self.pairing.redeem(code.strip()):
            self.attempts.failed(client)
            log.warning("pairing refused for %s", client)
            return self.page("pair.html.j2", None, 403, error=self.words["pair_failed"])
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            auth.COOKIE, self.sessions.open(), max_age=int(auth.SESSION_IDLE), httponly=True, samesite="strict"
        )
        log.info("paired a device from %s", client)
        return response

    async def logout(self, request: Request, session: auth.Session) -> Response:
        self.sessions.close(request.cookies.get(auth.COOKIE))
        response = RedirectResponse("/pair", status_code=303)
        response.delete_cookie(auth.COOKIE, httponly=True, samesite="strict")
        return response

    # -- pages ----------------------------------------------------------------------------------
    async def log_page(self, request: Request, session: auth.Session) -> Response:
        numbers = await self.work(actions.my_numbers)
        flash = request.query_params.get("logged")
        known = request.query_params.get("known")
        return self.page(
            "log.html.j2", session, numbers=numbers, chips=labels.chips(self.locale), path="/",
            logged=flash if flash and _CONTACT_ID.fullmatch(flash) else None,
            known=known if known and _CONTACT_ID.fullmatch(known) else None, form=actions.LogForm(),
        )  # fmt: skip

    async def log_post(self, request: Request, session: auth.Session) -> Response:
        form = await request.form()
        fields = {key: str(form.get(key) or "") for key in asdict(actions.LogForm())}
        wants_json = "application/json" in request.headers.get("accept", "")
        try:
            contact, new = await self.work(actions.log_contact, actions.LogForm(**fields))
        except InputError as exc:
            if wants_json:
                return JSONResponse({"error": exc.message, "field": exc.field}, status_code=400)
            numbers = await self.work(actions.my_numbers)
            return self.page(
                "log.html.j2", session, 400, numbers=numbers, chips=labels.chips(self.locale), path="/",
                error=self.field_error(exc), bad=exc.field, form=actions.LogForm(**fields),
            )  # fmt: skip
        if wants_json:
            return JSONResponse({"id": contact.id, "new": new})
        return RedirectResponse(f"/?{'logged' if new else 'known'}={contact.id}", status_code=303)

    async def canary_page(self, request: Request, session: auth.Session) -> Response:
        return self.page("canary.html.j2", session, categories=list(labels.CHIPS), canary=None, path="/canary")

    async def canary_post(self, request: Request, session: auth.Session) -> Response:
        form = await request.form()
        platform, category = str(form.get("platform") or ""), str(form.get("category") or "")
        real_name = form.get("real_name") == "on"
        page = partial(self.page, "canary.html.j2", session, categories=list(labels.CHIPS), path="/canary")
        try:
            canary = await self.work(actions.issue_canary, platform, category, real_name=real_name)
        except InputError as exc:  # what was typed stays for the retry
            typed = {"platform": platform, "category": category, "real_name": real_name}
            return page(400, canary=None, error=self.field_error(exc), bad=exc.field, typed=typed)
        warnings = [labels.warning(w, self.locale) for w in canary.warnings]
        return page(canary=canary, warnings=warnings)

    async def report(self, request: Request, session: auth.Session) -> Response:
        html = await self.work(functools.partial(actions.report_html, lang=self.locale))
        found = _REPORT_CSP.search(html)
        headers = {"content-security-policy": html_lib.unescape(found.group(1))} if found else {}
        return HTMLResponse(html, headers=headers)

    async def contacts(self, request: Request, session: auth.Session) -> Response:
        rows = await self.work(actions.recent_contacts)
        return self.page("contacts.html.j2", session, rows=rows, path="/contacts")

    async def explain(self, request: Request, session: auth.Session) -> Response:
        try:
            row = await self.work(actions.explanation, request.path_params["contact_id"])
        except InputError as exc:
            return self.page("error.html.j2", session, 404, message=self.field_error(exc))
        return self.page("explain.html.j2", session, row=row)

    # -- Twilio ---------------------------------------------------------------------------------
    def twilio(self, hook: twilio_hooks.Hook) -> Handler:
        async def endpoint(request: Request) -> Response:
            assert self.guard is not None
            form = await request.form()
            params = {key: str(value) for key, value in form.items()}
            url = _signed_url(request, self.options.public_url)
            try:
                sid = self.guard.check(url, params, request.headers.get("x-twilio-signature"))
            except twilio_hooks.Refused as refused:
                log.warning("twilio %s refused: %s", hook.value, refused.reason)
                return PlainTextResponse(refused.reason, status_code=refused.status)
            try:
                contact_id = await self.desk.run(twilio_hooks.store, hook, params, sid)
            except BaseException as exc:
                self.guard.release(sid)
                if isinstance(exc, twilio_hooks.Refused):
                    log.warning("twilio %s refused: %s", hook.value, exc.reason)
                    return PlainTextResponse(exc.reason, status_code=exc.status)
                raise
            log.info("twilio %s recorded as %s", hook.value, contact_id)
            return Response('<?xml version="1.0" encoding="UTF-8"?><Response/>', media_type="text/xml")

        return endpoint

    # -- mail -----------------------------------------------------------------------------------
    async def fetch_mail_forever(self) -> None:
        account = self.options.mail
        assert account is not None
        loop = asyncio.get_running_loop()

        def store(mbox: Path, rejects: Path) -> contacts.ImportResult:
            return self.desk.call(mailbox.import_mbox, mbox, rejects)

        while True:
            try:  # IMAP on a worker thread; only the import queues on the vault's thread
                got = await loop.run_in_executor(None, partial(mailbox.collect, account, store))
                if got.messages:
                    log.info("mail: %d messages, %d new, %d known, %d left unseen", got.messages, got.new, got.known, got.rejected)
            except TracerError as exc:
                log.warning("mail fetch failed: %s", exc.diagnostics())
            await asyncio.sleep(self.options.mail_every)


def create_app(desk: Desk, pairing: auth.Pairing, options: Options | None = None) -> Starlette:
    """The ASGI app over an open desk; `pairing` holds the code the terminal shows."""
    web = _Web(desk, pairing, options or Options())
    routes = [
        Route("/pair", web.pair, methods=["GET", "POST"]),
        Route("/logout", web.guarded(web.logout), methods=["POST"]),
        Route("/", web.guarded(web.log_page), methods=["GET"]),
        Route("/log", web.guarded(web.log_post), methods=["POST"]),
        Route("/canary", web.guarded(web.canary_page), methods=["GET"]),
        Route("/canary", web.guarded(web.canary_post), methods=["POST"]),
        Route("/report", web.guarded(web.report), methods=["GET"]),
        Route("/contacts", web.guarded(web.contacts), methods=["GET"]),
        Route("/contacts/{contact_id}", web.guarded(web.explain), methods=["GET"]),
        Mount("/static", app=StaticFiles(packages=[("tracer.serve", "static")]), name="static"),
    ]
    if web.guard is not None:
        web.guard.remember(desk.call(twilio_hooks.known_sids))
        routes += [Route(f"/twilio/{hook.value}", web.twilio(hook), methods=["POST"]) for hook in twilio_hooks.Hook]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(web.fetch_mail_forever()) if web.options.mail else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # added last, so outermost: the 413 gets the headers too
    return app


def _same_origin(request: Request) -> bool:
    """False when the browser says the form came from another site (Origin or Referer)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _signed_url(request: Request, public_url: str | None) -> str:
    """The URL Twilio signed: the public base (behind a tunnel) + path and query, else as seen."""
    if not public_url:
        return str(request.url)
    query = f"?{request.url.query}" if request.url.query else ""
    return public_url.rstrip("/") + request.url.path + query
