"""How fast the portal's main pages answer, under load, on a running server.

Drives a gunicorn server (started by scripts/benchmark.sh with benchmarks.settings, which are the
production settings plus a response header counting each request's SQL queries and a trivial
ceiling page behind the same middleware) with N concurrent clients, each signed in through the
real login form as the page's persona. Every page is warmed up, then loaded for a fixed time; the
ceiling page is loaded before and after each page, and the mean of the two is that page's ceiling.

Per page it prints requests per second, the 50th, 95th and 99th percentile of the latency, the
web workers' and PostgreSQL's CPU time per request (from /proc), SQL queries per request and the
throughput as a share of the ceiling; at the end the web workers' memory. The table is Markdown.

It finds the pages' addresses in the database (the current period, the coordinator's open report
forms), so it needs the server's DATABASE_URL and settings in its environment too.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

from benchmarks.middleware import QUERIES_HEADER  # noqa: E402

COORDINATOR = "samordnare.polisen"  # coordinator at Polisen
STAFF = "kansli"  # county staff, who signs in with two factors
# County staff enter a code from an authenticator app after the password. A code signs in once,
# so each client gets an app of its own (on the throwaway database), named so.
BENCHMARK_APP = "Prestandatest"
# The response of a draft save sets a `messages` cookie; a browser shows the message on the page
# it is sent to next and forgets it. The clients do not follow that redirect, so they drop it.
DROPPED_COOKIES = {"messages"}
TICKS = os.sysconf("SC_CLK_TCK")


# --- The pages ------------------------------------------------------------------------------


@dataclass
class ReportTask:
    """One report form, and the version its next save must name (one client saves at a time)."""

    path: str
    version: int
    data: dict[str, str]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class Site:
    """What the benchmark found in the database: the addresses of the pages to load."""

    ceiling: str
    login: str
    my_tasks: str
    commitment_list: str
    period_list: str
    period_overview: str
    review_queue: str
    reminder_log: str
    search: str
    filtered: str
    commitments: list[str]
    report_forms: list[str]
    period: str
    data_set: str
    password: str
    verify: str = ""
    # The county's products: the public goal page, library and prize winners, and the staff's
    # county report page and indicator list (empty: left out).
    goal_detail: str = ""
    practice_list: str = ""
    prize_winners: str = ""
    county_report: str = ""
    indicator_list: str = ""
    # County staff's landing page and one organisation's commitments in the period (issue 10).
    dashboard: str = ""
    period_organisation: str = ""
    # The app secrets (hex) of each persona's clients, one per client, for those who need one.
    app_keys: dict[str, list[str]] = field(default_factory=dict)


def discover(clients: int = 1) -> Site:
    """The pages' addresses, from the database the server uses."""
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from actionplan import permissions as reporting
    from actionplan.models import Commitment, Goal
    from actors.models import Organisation, User
    from demo.generator import DEMO_PASSWORD
    from followup.models import ProgressReport, Reminder, ReportingPeriod

    period = ReportingPeriod.objects.current()
    if period is None:
        raise SystemExit("No reporting period is open: seed the database with seed_demo first.")
    coordinator = User.objects.get(username=COORDINATOR)
    forms = []
    for task in reporting.reporting_tasks(coordinator):
        if not task.commitment.in_scope_for_year(period.year):
            continue
        report = ProgressReport.objects.for_task(task.commitment, task.organisation, period).first()
        if report is None or report.can_save_draft():
            forms.append(task)
    if not forms:
        raise SystemExit(f"{COORDINATOR} has no report form open for a draft in {period}.")
    organisation = forms[0].organisation
    goal = Goal.objects.order_by("pk").first()
    commitment_list = reverse("actionplan:commitment-list")
    filters = {"goal": goal.pk, "organisation": organisation.pk}
    site = Site(
        ceiling=reverse("benchmark-ceiling"),
        login=reverse("login"),
        my_tasks=reverse("followup:my-tasks"),
        commitment_list=commitment_list,
        period_list=reverse("followup:period-list"),
        period_overview=reverse("followup:period-overview", args=[period.year]),
        review_queue=reverse("followup:review-queue"),
        reminder_log=reverse("followup:reminder-log", args=[period.year]),
        search=f"{commitment_list}?{urlencode({'q': 'våld'})}",
        filtered=f"{commitment_list}?{urlencode(filters)}",
        commitments=[
            reverse("followup:commitment-detail", args=[task.commitment.pk]) for task in forms
        ],
        report_forms=[
            reverse("followup:report-edit", args=[task.commitment.pk, task.organisation.slug])
            for task in forms
        ],
        period=str(period),
        data_set=(
            f"{Organisation.objects.count()} organisations, {Commitment.objects.count()} "
            f"commitments, {ProgressReport.objects.count()} progress reports, "
            f"{Reminder.objects.count()} reminders in the log"
        ),
        password=DEMO_PASSWORD,
        verify=reverse("two-factor-verify"),
        goal_detail=reverse("indicators:goal-detail", args=[goal.number]),
        practice_list=reverse("practices:practice-list"),
        prize_winners=reverse("prize:winners"),
        county_report=reverse("countyreport:report-detail", args=[period.year]),
        indicator_list=reverse("indicators:manage-list"),
        dashboard=reverse("followup:dashboard"),
        period_organisation=reverse(
            "followup:period-organisation", args=[period.year, organisation.slug]
        ),
    )
    staff = User.objects.get(username=STAFF)
    TOTPDevice.objects.filter(user=staff, name__startswith=BENCHMARK_APP).delete()
    site.app_keys[STAFF] = [
        TOTPDevice.objects.create(user=staff, name=f"{BENCHMARK_APP} {number}", confirmed=True).key
        for number in range(1, clients + 1)
    ]
    connection.close()
    return site


# --- A signed-in client -----------------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of a page's forms, with the values a browser would send (no button)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.choices: dict[str, list[str]] = {}
        self._form: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None or not name and tag != "option":
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.choices.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self._form[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self._form[name] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self._form[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self.choices.setdefault(self._select, []).append(value)
            if "selected" in attrs:
                self._form[self._select] = value

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._form is not None:
            options = self.choices.get(self._select) or [""]
            self._form.setdefault(self._select, options[0])
            self._select = None


def form_with(html: bytes, field_name: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The fields of the page's form that has `field_name`, and the choices of its fields."""
    parser = FormParser()
    parser.feed(html.decode())
    for form in parser.forms:
        if field_name in form:
            return form, parser.choices
    raise ValueError(f"no form with a {field_name!r} field on the page")


@dataclass
class Response:
    status: int
    body: bytes
    queries: int | None
    seconds: float
    location: str = ""


class Client:
    """One person's browser: their own cookies and one connection at a time.

    Requests say they came through the TLS proxy (X-Forwarded-Proto), as in production, so the
    secure cookies and the CSRF origin check work as they do there.
    """

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.origin = "https://" + base_url.split("://", 1)[1]
        self.cookies: dict[str, str] = {}
        self.session = aiohttp.ClientSession(
            base_url,
            cookie_jar=aiohttp.DummyCookieJar(),
            connector=aiohttp.TCPConnector(limit=1, force_close=True),
            timeout=aiohttp.ClientTimeout(total=60),
        )

    async def request(self, method: str, path: str, data: dict | None = None) -> Response:
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "sv"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        started = time.perf_counter()
        async with self.session.request(
            method, path, data=data, headers=headers, allow_redirects=False
        ) as response:
            body = await response.read()
        seconds = time.perf_counter() - started
        for name, morsel in response.cookies.items():
            if name in DROPPED_COOKIES:
                continue
            if morsel.value and morsel["max-age"] != "0":
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)
        queries = response.headers.get(QUERIES_HEADER)
        return Response(
            response.status,
            body,
            int(queries) if queries is not None else None,
            seconds,
            response.headers.get("Location", ""),
        )

    async def log_in(
        self,
        login_path: str,
        username: str,
        password: str,
        *,
        verify_path: str = "",
        app_key: str | None = None,
    ) -> None:
        page = await self.request("GET", login_path)
        fields, _choices = form_with(page.body, "password")
        fields.update(username=username, password=password)
        answer = await self.request("POST", login_path, fields)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Could not log in as {username}: HTTP {answer.status}.")
        if app_key is not None:
            # The second step, with the code the client's app shows now.
            from django_otp.oath import totp

            page = await self.request("GET", verify_path)
            fields, _choices = form_with(page.body, "code")
            fields["code"] = f"{totp(bytes.fromhex(app_key)):06d}"
            answer = await self.request("POST", verify_path, fields)
            if answer.status != 302:
                raise SystemExit(f"Could not enter the code for {username}: HTTP {answer.status}.")

    async def close(self):
        await self.session.close()


# --- Load and measurements --------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children, those alive and those it has reaped."""
    total = _stat_ticks(pid, with_children=True)
    for child in _children(pid):
        total += _stat_ticks(child, with_children=False)
    return total / TICKS


def _stat_ticks(pid: int, *, with_children: bool) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # a child that ended just now: counted in its parent's next time
        return 0
    # After the command: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (1-based).
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def memory(pid: int) -> tuple[int, int]:
    """Resident and proportional set size of a process, in KiB (shared pages split in PSS)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        values[key] = int(value.split()[0])
    return values["Rss"], values["Pss"]


@dataclass
class Result:
    name: str
    persona: str
    requests: int
    seconds: float
    latencies: list[float]
    queries: list[int]
    errors: int
    server_cpu: float
    db_cpu: float
    client_cpu: float
    ceiling: float | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    def per_request(self, seconds: float) -> float:
        return seconds * 1000 / self.requests if self.requests else float("nan")


Hit = Callable[[int, Client], Awaitable[Response]]


@dataclass
class Page:
    name: str
    persona: str
    hit: Hit
    expect: int = 200


def get(paths: list[str]) -> Hit:
    """Each client loads its own one of `paths` (in turn when there are fewer than clients)."""

    async def hit(index: int, client: Client) -> Response:
        return await client.request("GET", paths[index % len(paths)])

    return hit


def draft_save(tasks: list[ReportTask]) -> Hit:
    """Save the report form as a draft, as the "Spara utkast" button does."""

    async def hit(index: int, client: Client) -> Response:
        task = tasks[index % len(tasks)]
        async with task.lock:
            data = dict(task.data)
            data["version"] = str(task.version)
            # The client's own CSRF secret (the form's token was read by another client).
            data["csrfmiddlewaretoken"] = client.cookies["csrftoken"]
            response = await client.request("POST", task.path, data)
            if response.status == 302:
                task.version += 1
            elif response.status == 200:  # not saved: take up the version the form shows now
                fields, _choices = form_with(response.body, "version")
                task.version = int(fields["version"])
            return response

    return hit


class Bench:
    def __init__(self, options, site: Site):
        self.options = options
        self.site = site
        self.clients: dict[str, list[Client]] = {}

    async def sign_in(self):
        for persona in (COORDINATOR, STAFF):
            clients = [Client(self.options.url) for _ in range(self.options.clients)]
            keys = self.site.app_keys.get(persona)
            if keys is None:
                await asyncio.gather(
                    *(c.log_in(self.site.login, persona, self.site.password) for c in clients)
                )
            else:
                # One after another: a code is checked against the person's apps in turn, and
                # one client's code fails (and so holds back) the apps before its own for a while.
                for client, key in zip(clients, keys, strict=True):
                    await client.log_in(
                        self.site.login,
                        persona,
                        self.site.password,
                        verify_path=self.site.verify,
                        app_key=key,
                    )
            self.clients[persona] = clients

    async def report_tasks(self) -> list[ReportTask]:
        """Read each open report form once: its fields (and version) as the page gives them."""
        client = self.clients[COORDINATOR][0]
        tasks = []
        for path in self.site.report_forms[: self.options.clients]:
            page = await client.request("GET", path)
            if page.status != 200:
                raise SystemExit(f"The report form {path} answered HTTP {page.status}.")
            fields, choices = form_with(page.body, "version")
            if not fields.get("status"):
                fields["status"] = choices["status"][0]
            if not fields.get("percent_done"):
                fields["percent_done"] = "50"
            if not fields.get("work_done", "").strip():
                fields["work_done"] = "Utkast sparat av prestandatestet."
            fields["save"] = "1"
            tasks.append(ReportTask(path, int(fields.pop("version")), fields))
        return tasks

    async def phase(self, name: str, persona: str, hit: Hit, expect: int, seconds: float):
        clients = self.clients[persona]
        end = time.perf_counter() + seconds
        latencies, queries = [], []
        errors = 0

        async def drive(index: int, client: Client):
            nonlocal errors
            while time.perf_counter() < end:
                response = await hit(index, client)
                latencies.append(response.seconds)
                if response.queries is not None:
                    queries.append(response.queries)
                if response.status != expect:
                    errors += 1

        server = cpu_seconds(self.options.gunicorn_pid)
        db = cpu_seconds(self.options.postgres_pid) if self.options.postgres_pid else 0.0
        client_cpu = time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(drive(i, c) for i, c in enumerate(clients)))
        elapsed = time.perf_counter() - started
        return Result(
            name=name,
            persona=persona,
            requests=len(latencies),
            seconds=elapsed,
            latencies=latencies,
            queries=queries,
            errors=errors,
            server_cpu=cpu_seconds(self.options.gunicorn_pid) - server,
            db_cpu=(cpu_seconds(self.options.postgres_pid) - db) if db else 0.0,
            client_cpu=time.process_time() - client_cpu,
        )

    async def measure(self, page: Page) -> Result:
        await self.phase(page.name, page.persona, page.hit, page.expect, self.options.warmup)
        result = await self.phase(
            page.name, page.persona, page.hit, page.expect, self.options.duration
        )
        note(
            f"  {page.name}: {result.rate:.1f} req/s, p95 {result.percentile(95):.0f} ms, "
            f"{result.errors} errors"
        )
        return result

    async def ceiling(self) -> Result:
        page = Page("ceiling", COORDINATOR, get([self.site.ceiling]))
        await self.phase(page.name, page.persona, page.hit, 200, min(self.options.warmup, 1))
        result = await self.phase(
            page.name, page.persona, page.hit, 200, self.options.ceiling_duration
        )
        note(f"  (ceiling: {result.rate:.1f} req/s)")
        return result

    def pages(self, tasks: list[ReportTask]) -> list[Page]:
        site = self.site
        pages = [
            Page("Mina uppgifter", COORDINATOR, get([site.my_tasks])),
            Page("Åtaganden", COORDINATOR, get([site.commitment_list])),
            Page("Åtaganden, sökning", COORDINATOR, get([site.search])),
            Page("Åtaganden, filter", COORDINATOR, get([site.filtered])),
            Page("Åtagande", COORDINATOR, get(site.commitments)),
            Page("Rapport (GET)", COORDINATOR, get(site.report_forms)),
            Page("Rapport, spara utkast (POST)", COORDINATOR, draft_save(tasks), expect=302),
            Page("Uppföljning (periodöversikt)", STAFF, get([site.period_overview])),
            Page("Granskning", STAFF, get([site.review_queue])),
            Page("Påminnelser", STAFF, get([site.reminder_log])),
            Page("Perioder", STAFF, get([site.period_list])),
        ]
        pages += [
            Page(name, persona, get([path]))
            for name, persona, path in (
                ("Mål (med indikatorer)", COORDINATOR, site.goal_detail),
                ("Goda exempel", COORDINATOR, site.practice_list),
                ("Kvinnofridspriset", COORDINATOR, site.prize_winners),
                ("Lägesrapport", STAFF, site.county_report),
                ("Indikatorvärden", STAFF, site.indicator_list),
                ("Översikt", STAFF, site.dashboard),
                ("Organisationens åtaganden i perioden", STAFF, site.period_organisation),
            )
            if path
        ]
        if self.options.pages:
            wanted = [w.strip().lower() for w in self.options.pages.split(",")]
            pages = [p for p in pages if any(w in p.name.lower() for w in wanted)]
        return pages

    async def check(self, page: Page):
        """One request first: a page that fails is a broken benchmark, not a slow page."""
        response = await page.hit(0, self.clients[page.persona][0])
        if response.status != page.expect:
            raise SystemExit(
                f"{page.name} answered HTTP {response.status} {response.location}, "
                f"expected {page.expect}."
            )

    async def run(self) -> tuple[list[Result], list[Result]]:
        await self.sign_in()
        try:
            tasks = await self.report_tasks()
            pages = self.pages(tasks)
            for page in pages:
                await self.check(page)
            note(
                f"{len(pages)} pages, {self.options.clients} clients, warm-up "
                f"{self.options.warmup:g} s, {self.options.duration:g} s each; "
                f"{len(tasks)} report forms for the draft saves."
            )
            results = []
            before = await self.ceiling()
            ceilings = [before]
            for page in pages:
                result = await self.measure(page)
                after = await self.ceiling()
                ceilings.append(after)
                result.ceiling = (before.rate + after.rate) / 2
                results.append(result)
                before = after
            return results, ceilings
        finally:
            for clients in self.clients.values():
                for client in clients:
                    await client.close()


def note(text: str):
    print(text, file=sys.stderr, flush=True)


def table(results: list[Result], ceilings: list[Result]) -> str:
    header = (
        "| page | as | req/s | p50 ms | p95 ms | p99 ms | web CPU ms/req | DB CPU ms/req "
        "| SQL/req | % of ceiling | errors |"
    )
    lines = [header, "|" + "---|" * 11]
    for r in results:
        sql = statistics.fmean(r.queries) if r.queries else float("nan")
        lines.append(
            f"| {r.name} | {r.persona} | {r.rate:.1f} | {r.percentile(50):.0f} "
            f"| {r.percentile(95):.0f} | {r.percentile(99):.0f} "
            f"| {r.per_request(r.server_cpu):.1f} | {r.per_request(r.db_cpu):.1f} "
            f"| {sql:.1f} | {100 * r.rate / r.ceiling:.0f} | {r.errors} |"
        )
    c = Result(
        name="ceiling (all runs)",
        persona=COORDINATOR,
        requests=sum(x.requests for x in ceilings),
        seconds=sum(x.seconds for x in ceilings),
        latencies=[v for x in ceilings for v in x.latencies],
        queries=[v for x in ceilings for v in x.queries],
        errors=sum(x.errors for x in ceilings),
        server_cpu=sum(x.server_cpu for x in ceilings),
        db_cpu=sum(x.db_cpu for x in ceilings),
        client_cpu=sum(x.client_cpu for x in ceilings),
    )
    sql = statistics.fmean(c.queries) if c.queries else float("nan")
    lines.append(
        f"| *{c.name}* | {c.persona} | {c.rate:.1f} | {c.percentile(50):.0f} "
        f"| {c.percentile(95):.0f} | {c.percentile(99):.0f} "
        f"| {c.per_request(c.server_cpu):.1f} | {c.per_request(c.db_cpu):.1f} "
        f"| {sql:.1f} | 100 | {c.errors} |"
    )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--gunicorn-pid", type=int, required=True, help="gunicorn's master")
    parser.add_argument("--postgres-pid", type=int, help="PostgreSQL's postmaster")
    parser.add_argument("--label", default="", help="the data set, for the heading")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before each page")
    parser.add_argument(
        "--ceiling-duration", type=float, help="seconds per ceiling run (half of --duration)"
    )
    parser.add_argument("--pages", help="only the pages whose names contain these, comma-separated")
    options = parser.parse_args()
    if options.ceiling_duration is None:
        options.ceiling_duration = options.duration / 2

    site = discover(options.clients)
    started = time.perf_counter()
    results, ceilings = asyncio.run(Bench(options, site).run())
    elapsed = time.perf_counter() - started

    workers = _children(options.gunicorn_pid)
    sizes = [memory(pid) for pid in workers]
    client_cpu = sum(r.client_cpu for r in results + ceilings)
    wall = sum(r.seconds for r in results + ceilings)
    print(f"\n### Web pages, {options.label or 'data set'}\n")
    print(
        f"Data set: {site.data_set}; the open period is {site.period}. {options.clients} "
        f"clients, {options.duration:g} s per page after {options.warmup:g} s of warm-up, "
        f"{options.ceiling_duration:g} s per ceiling run.\n"
    )
    print(table(results, ceilings))
    print(
        "\nWeb workers' memory at the end: "
        + "; ".join(f"RSS {rss / 1024:.0f} MiB, PSS {pss / 1024:.0f} MiB" for rss, pss in sizes)
        + f" ({len(workers)} workers)."
    )
    print(
        f"The load generator used {100 * client_cpu / wall:.0f} % of one core while measuring; "
        f"the run took {elapsed:.0f} s."
    )


if __name__ == "__main__":
    main()
