"""The floor's tablets: one thread each, with its own keep-alive connection (a
requests.Session), signing in once and then doing what its role does at floor pace.

Screens are driven as a browser drives them: GET the page, take the form (CSRF and
one-time tokens included) from the HTML, post it, follow the redirect; the htmx parts
poll at the intervals the templates give (hx-trigger "every Ns") while their page is
open. Handheld scanners use the JSON API with a bearer token. Tablets meet through a
shared `Floor`: reception hands visits to clerks, submitted orders reach the cashiers'
queue, settled ones the packers', sealed ones the shippers' - as on the floor, each
tablet finds its work on its own screen and the Floor only keeps two tablets from taking
the same order (on the floor they would see each other).
"""
from __future__ import annotations

import math
import random
import re
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import htmlforms
import requests
from stats import Recorder

API = "/api/v1"
TIMEOUT = (10, 30)  # connect, read (s): longer than that counts as a timeout error

# The htmx polls, as the templates declare them (hx-trigger="every Ns").
POLLS = {
    "reception": ("/reception/board/rows", 10.0, "reception board poll"),
    "clerk": ("/picking/live", 5.0, "picking live poll"),
    "cashier": ("/cashier/queue-rows", 10.0, "cashier queue poll"),
    "packer": ("/packing/rows", 5.0, "packing queue poll"),
    "shipper": ("/shipping/queue-rows", 15.0, "shipping queue poll"),
    "printer": ("/print-jobs/", 15.0, "print station poll"),
}
ARGON2 = "(argon2)"  # request types that check a PIN: their time is the hash's by design


class Stop(Exception):
    """The run is over."""


class Trouble(Exception):
    """A request failed (already recorded): the tablet goes back to its home screen."""


@dataclass
class Staff:
    staff_no: str
    pin: str
    name: str
    roles: list[str]
    kind: str  # reception, clerk, scanner, cashier, packer, shipper, manager, printer


@dataclass
class Floor:
    """What the tablets share: the goods, the customers, and who took which order."""

    barcodes: list[str]
    customers: list[dict[str, Any]]  # {id, name}: customers the run may use
    screen_clerks: list[str]
    lines: dict[int, Counter[str]] = field(default_factory=dict)  # order -> barcode -> units
    lock: threading.Lock = field(default_factory=threading.Lock)
    claims: dict[str, set[int]] = field(default_factory=dict)
    see_off: deque[int] = field(default_factory=deque)
    clerk_load: Counter[str] = field(default_factory=Counter)
    free: deque[dict[str, Any]] = field(default_factory=deque)
    done: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.free.extend(self.customers)

    def claim(self, desk: str, order_id: int) -> bool:
        with self.lock:
            taken = self.claims.setdefault(desk, set())
            if order_id in taken:
                return False
            taken.add(order_id)
            return True

    def next_customer(self) -> dict[str, Any] | None:
        with self.lock:
            return self.free.popleft() if self.free else None

    def any_customer(self, rng: random.Random) -> dict[str, Any]:
        return rng.choice(self.customers)

    def pick_clerk(self) -> str:
        with self.lock:
            staff_no = min(self.screen_clerks, key=lambda s: (self.clerk_load[s], s))
            self.clerk_load[staff_no] += 1
            return staff_no

    def add_units(self, order_id: int, barcode: str, units: int) -> None:
        with self.lock:
            self.lines.setdefault(order_id, Counter())[barcode] += units

    def units(self, order_id: int) -> Counter[str] | None:
        with self.lock:
            found = self.lines.get(order_id)
            return Counter(found) if found is not None else None

    def count(self, what: str) -> None:
        with self.lock:
            self.done[what] += 1


def _classify(exc: BaseException) -> str:
    text = repr(exc)
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused"
    if any(s in text for s in ("Connection reset", "ConnectionReset", "RemoteDisconnected",
                               "BrokenPipe", "Connection aborted")):
        return "connection reset"
    return "connection error"


@dataclass
class Clock:
    """When the floor ends: set by the run once every tablet has signed in."""

    deadline: float = math.inf
    go: threading.Event = field(default_factory=threading.Event)
    signed_in: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def arrived(self) -> None:
        with self.lock:
            self.signed_in += 1


class Client:
    """One tablet's browser: a keep-alive session, timing and recording every request."""

    def __init__(self, base: str, rec: Recorder, clock: Clock, staff: Staff) -> None:
        self.base = base
        self.rec = rec
        self.clock = clock
        self.staff = staff
        self.s = requests.Session()
        self.s.headers["User-Agent"] = f"showroom-loadtest {staff.kind} {staff.staff_no}"
        self.s.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
        self.token: str | None = None

    def close(self) -> None:
        self.s.close()

    def request(self, kind: str, method: str, path: str, *, data: dict[str, str] | None = None,
                json: Any = None, headers: dict[str, str] | None = None, htmx: bool = False,
                api: bool = False) -> requests.Response:
        if time.monotonic() >= self.clock.deadline:
            raise Stop
        hdrs = dict(headers or {})
        if htmx:
            hdrs["HX-Request"] = "true"
        if api and self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        started = time.perf_counter()
        try:
            resp = self.s.request(method, self.base + path, data=data, json=json, headers=hdrs,
                                  allow_redirects=False, timeout=TIMEOUT)
        except requests.exceptions.Timeout as exc:
            self.rec.error(kind, "timeout", repr(exc))
            raise Trouble from exc
        except requests.exceptions.ConnectionError as exc:
            self.rec.error(kind, _classify(exc), repr(exc))
            raise Trouble from exc
        ms = (time.perf_counter() - started) * 1000
        self.rec.ok(kind, ms, resp.status_code)
        if resp.status_code >= 500:
            self.rec.sample(f"{kind}: HTTP {resp.status_code} {method} {path}: {resp.text[:200]!r}")
            raise Trouble
        location = resp.headers.get("Location", "") + resp.headers.get("HX-Redirect", "")
        if "/login" in location and not path.startswith("/login"):
            self.rec.note("sent back to sign-in", f"{kind} {method} {path}")
            raise Trouble
        return resp

    def get(self, kind: str, path: str, **kw: Any) -> requests.Response:
        return self.request(kind, "GET", path, **kw)

    def post(self, kind: str, path: str, **kw: Any) -> requests.Response:
        return self.request(kind, "POST", path, **kw)

    def follow(self, resp: requests.Response, kind: str) -> requests.Response | None:
        """The browser following a redirect (or htmx's HX-Redirect)."""
        target = resp.headers.get("Location") or resp.headers.get("HX-Redirect")
        if resp.status_code not in (204, 301, 302, 303) or not target:
            return None
        path = re.sub(r"^[a-z]+://[^/]+", "", target)
        return self.get(kind, path)

    # --- signing in ------------------------------------------------------------------

    def sign_in_page(self) -> htmlforms.Form:
        page = self.get("sign-in page", "/login")
        form = htmlforms.find(page.text, re.compile(r"(^|/login)$")) or next(
            iter(htmlforms.forms(page.text)), None)
        if form is None:
            self.rec.note("no sign-in form")
            raise Trouble
        return form

    def sign_in(self, form: htmlforms.Form, kind: str = f"sign-in {ARGON2}") -> requests.Response:
        return self.post(kind, "/login", data=form.data(staff_no=self.staff.staff_no,
                                                       pin=self.staff.pin))

    def api_sign_in(self) -> None:
        resp = self.post(f"api sign-in {ARGON2}", f"{API}/auth/token",
                         json={"staff_no": self.staff.staff_no, "pin": self.staff.pin})
        if resp.status_code != 200:
            self.rec.note("api sign-in refused", f"{resp.status_code} {resp.text[:120]}")
            raise Trouble
        self.token = resp.json()["token"]


class Tablet:
    """A tablet's day: sign in once, open the home screen, then `step()` until the end.

    `wait()` is the person thinking; while they think, the open screen's htmx part polls.
    """

    home = "/"
    home_kind = "home"
    poll: tuple[str, float, str] | None = None

    def __init__(self, staff: Staff, floor: Floor, client: Client, rng: random.Random) -> None:
        self.staff, self.floor, self.c, self.rng = staff, floor, client, rng
        self.rec = client.rec
        self.page = ""  # the HTML the tablet is looking at (home screen or its last poll)
        self.polling = False
        self.next_poll = 0.0

    # --- the loop ----------------------------------------------------------------------

    def run(self, start_delay: float) -> None:
        """Sign in (tablets come on over the first seconds), wait until every tablet has,
        then work until the clock's deadline."""
        try:
            self.sleep(start_delay)
            self.sign_in()
            self.c.clock.arrived()
            self.c.clock.go.wait()
            self.sleep(self.rng.uniform(0, 3))
            while True:
                try:
                    self.open_home()
                    while True:
                        self.step()
                except Trouble:
                    self.polling = False
                    self.sleep(self.rng.uniform(2, 4))
        except Stop:
            pass
        except Exception as exc:  # a bug in the tool: say so, do not hide it
            self.rec.note("tablet crashed", f"{self.staff.kind} {self.staff.staff_no}: {exc!r}")
        finally:
            self.c.close()

    def sign_in(self) -> None:
        while True:
            try:
                form = self.c.sign_in_page()
                self.sleep(self.rng.uniform(1, 3))  # typing the PIN
                resp = self.c.sign_in(form)
                if resp.status_code == 302:
                    return
                self.rec.note("sign-in refused", f"{self.staff.staff_no} {resp.status_code}")
            except Trouble:
                pass
            self.sleep(3)

    def open_home(self) -> None:
        self.page = self.c.get(self.home_kind, self.home).text
        self.start_polling()

    def start_polling(self) -> None:
        if self.poll is not None:
            self.polling = True
            self.next_poll = time.monotonic() + self.poll[1]

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        if end >= self.c.clock.deadline:
            time.sleep(max(0.0, self.c.clock.deadline - time.monotonic()))
            raise Stop
        time.sleep(max(0.0, seconds))

    def wait(self, low: float, high: float) -> None:
        """Think for a while; the open screen keeps polling meanwhile."""
        end = time.monotonic() + self.rng.uniform(low, high)
        while True:
            now = time.monotonic()
            if self.polling and self.poll is not None and self.next_poll <= end:
                self.sleep(max(0.0, self.next_poll - now))
                self.do_poll()
                continue
            self.sleep(max(0.0, end - now))
            return

    def do_poll(self) -> None:
        assert self.poll is not None
        path, interval, kind = self.poll
        self.page = self.c.get(kind, path, htmx=True).text
        self.next_poll = time.monotonic() + interval

    def until_next_poll(self) -> None:
        """Nothing to do: look at the screen until it refreshes."""
        if self.polling and self.poll is not None:
            self.sleep(max(0.0, self.next_poll - time.monotonic()))
            self.do_poll()
        else:
            self.wait(4, 6)

    def step(self) -> None:
        raise NotImplementedError

    def form_on(self, html: str, action: str | re.Pattern[str], what: str) -> htmlforms.Form:
        form = htmlforms.find(html, action)
        if form is None:
            self.rec.note(f"no form: {what}")
            raise Trouble
        return form


# --- reception ---------------------------------------------------------------------------

class Reception(Tablet):
    home, home_kind = "/reception/", "reception board"
    poll = POLLS["reception"]

    def step(self) -> None:
        self.wait(15, 35)
        if self.floor.see_off and self.rng.random() < 0.7:
            with self.floor.lock:
                visit_id = self.floor.see_off.popleft() if self.floor.see_off else None
            if visit_id is not None:
                self.see_off(visit_id)
                return
        self.new_visit()

    def new_visit(self) -> None:
        customer = self.floor.next_customer()
        if customer is None:
            return
        self.polling = False
        self.c.get("reception new-visit page", "/reception/visits/new")
        self.wait(2, 4)  # typing the name
        found = self.c.get("reception customer search",
                           f"/reception/visits/new?q={requests.utils.quote(customer['name'])}")
        if f"customer_id={customer['id']}" not in found.text:
            self.rec.note("customer not found by name", customer["name"])
        self.wait(1, 2)
        page = self.c.get("reception new-visit page",
                          f"/reception/visits/new?customer_id={customer['id']}")
        form = self.form_on(page.text, "/reception/visits/new", "start visit")
        self.wait(2, 4)
        resp = self.c.post("reception start visit", "/reception/visits/new", data=form.data(
            customer_id=str(customer["id"]), purpose=self.rng.choice(["", "补货", "看新款", "拿样"])))
        visit_page = self.c.follow(resp, "reception visit page")
        if visit_page is None:
            self.rec.note("visit not started", f"{resp.status_code}")
            raise Trouble
        m = re.search(r"/reception/visits/(\d+)/assign", visit_page.text)
        if m is None:
            self.rec.note("no assign form on the visit page")
            raise Trouble
        visit_id = int(m.group(1))
        assign = self.form_on(visit_page.text, f"/reception/visits/{visit_id}/assign", "assign")
        self.wait(2, 5)
        resp = self.c.post("reception assign", f"/reception/visits/{visit_id}/assign",
                           data=assign.data(clerk_staff_no=self.floor.pick_clerk()))
        board = self.c.follow(resp, "reception board")
        self.floor.count("visits started")
        if board is not None:
            self.page = board.text
        self.start_polling()

    def see_off(self, visit_id: int) -> None:
        self.polling = False
        page = self.c.get("reception visit page", f"/reception/visits/{visit_id}")
        form = self.form_on(page.text, f"/reception/visits/{visit_id}/leave", "leave")
        self.wait(2, 4)
        resp = self.c.post("reception leave", f"/reception/visits/{visit_id}/leave",
                           data=form.data(locker_key_returned="y"))
        board = self.c.follow(resp, "reception board")
        if resp.status_code in (302, 303):
            self.floor.count("visits ended")
        if board is not None:
            self.page = board.text
        self.start_polling()


# --- clerks ------------------------------------------------------------------------------

class Clerk(Tablet):
    """A clerk with a tablet at the customer's side: start the order from the visit, scan
    pieces off the shelves, submit to the cashier."""

    home, home_kind = "/picking/", "picking my customers"
    poll = POLLS["clerk"]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.handled: set[int] = set()

    def step(self) -> None:
        visits = [v for v in htmlforms.ids(self.page, r"/picking/visits/(\d+)/order")
                  if v not in self.handled]
        if not visits:
            self.until_next_poll()
            return
        visit_id = visits[0]
        self.handled.add(visit_id)
        self.wait(2, 5)
        form = self.form_on(self.page, f"/picking/visits/{visit_id}/order", "start order")
        self.polling = False
        resp = self.c.post("picking start order", f"/picking/visits/{visit_id}/order",
                           data=form.data())
        page = self.c.follow(resp, "picking order page")
        m = re.search(r"/picking/orders/(\d+)/scan", page.text if page is not None else "")
        if page is None or m is None:
            self.rec.note("order not started", f"visit {visit_id}: {resp.status_code}")
            raise Trouble
        order_id = int(m.group(1))
        last = page.text
        csrf = htmlforms.csrf_token(last) or ""
        for _ in range(self.rng.randint(4, 14)):
            self.wait(2, 6)
            barcode = self.rng.choice(self.floor.barcodes)
            resp = self.c.post("picking scan", f"/picking/orders/{order_id}/scan", htmx=True,
                               data={"csrf_token": csrf, "code": barcode})
            if resp.status_code == 200:
                self.floor.add_units(order_id, barcode, 1)
            last = resp.text
        if self.floor.units(order_id) is None:
            return
        self.wait(3, 8)  # the customer looks over the list
        submit = htmlforms.find(last, f"/picking/orders/{order_id}/submit")
        if submit is None:
            last = self.c.get("picking order page", f"/picking/orders/{order_id}").text
            submit = self.form_on(last, f"/picking/orders/{order_id}/submit", "submit")
        resp = self.c.post("picking submit", f"/picking/orders/{order_id}/submit", htmx=True,
                           data=submit.data())
        if resp.status_code == 204:
            self.floor.count("orders submitted (screen)")
            with self.floor.lock:
                self.floor.see_off.append(visit_id)
        page = self.c.follow(resp, "picking my customers")
        if page is not None:
            self.page = page.text
        self.start_polling()
        self.wait(5, 15)


class Scanner(Tablet):
    """A handheld scanner on the JSON API: phone and video orders picked off the shelves.
    Opening and submitting carry an Idempotency-Key; now and then the answer is "lost"
    and the request sent again, which must give back the same order."""

    def sign_in(self) -> None:
        while True:
            try:
                self.c.api_sign_in()
                return
            except Trouble:
                self.sleep(3)

    def open_home(self) -> None:
        pass

    def replayed(self, kind: str, path: str, body: dict[str, Any], key: str,
                 first: requests.Response) -> None:
        again = self.c.post(kind + " (retry)", path, json=body, api=True,
                            headers={"Idempotency-Key": key})
        same = (again.status_code == first.status_code and again.json() == first.json()
                and again.headers.get("Idempotent-Replayed") == "true")
        if not same:
            self.rec.error(kind + " (retry)", "replay differs",
                           f"{first.status_code}/{again.status_code} {again.text[:150]}")
        self.floor.count("idempotent replays")

    def step(self) -> None:
        self.wait(3, 8)
        customer = self.floor.any_customer(self.rng)
        key = str(uuid.uuid4())
        body = {"customer_id": customer["id"], "channel": self.rng.choice(["phone", "video"])}
        resp = self.c.post("api open order", f"{API}/orders", json=body, api=True,
                           headers={"Idempotency-Key": key})
        if resp.status_code != 201:
            self.rec.note("api order not opened", f"{resp.status_code} {resp.text[:150]}")
            raise Trouble
        if self.rng.random() < 0.1:
            self.replayed("api open order", f"{API}/orders", body, key, resp)
        order = resp.json()
        order_id = order["id"]
        for _ in range(self.rng.randint(3, 10)):
            self.wait(2, 5)
            barcode = self.rng.choice(self.floor.barcodes)
            qty = self.rng.choice([1, 1, 1, 2, 3])
            line = self.c.post("api add line", f"{API}/orders/{order_id}/lines", api=True,
                               json={"barcode": barcode, "qty": qty},
                               headers={"Prefer": "return=minimal"})
            if line.status_code == 200:
                self.floor.add_units(order_id, barcode, qty)
        if self.floor.units(order_id) is None:
            return
        self.wait(2, 5)
        current = self.c.get("api read order", f"{API}/orders/{order_id}", api=True)
        body = {"version": current.json()["version"]}
        key = str(uuid.uuid4())
        resp = self.c.post("api submit", f"{API}/orders/{order_id}/submit", json=body, api=True,
                           headers={"Idempotency-Key": key})
        if resp.status_code == 200:
            self.floor.count("orders submitted (api)")
            if self.rng.random() < 0.1:
                self.replayed("api submit", f"{API}/orders/{order_id}/submit", body, key, resp)


# --- cashiers ----------------------------------------------------------------------------

class Cashier(Tablet):
    home, home_kind = "/cashier/", "cashier queue"
    poll = POLLS["cashier"]

    def step(self) -> None:
        waiting = [o for o in htmlforms.ids(self.page, r"/cashier/orders/(\d+)")
                   if self.floor.units(o) is not None]
        mine = next((o for o in waiting if self.floor.claim("cashier", o)), None)
        if mine is None:
            self.until_next_poll()
            return
        self.wait(2, 4)
        self.polling = False
        page = self.c.get("cashier order page", f"/cashier/orders/{mine}")
        form = htmlforms.find(page.text, f"/cashier/orders/{mine}/settle")
        if form is None:
            self.rec.note("no settle form", f"order {mine}")
            raise Trouble
        total = int(form.attrs.get("data-total", "0") or 0)
        self.wait(5, 12)  # counting the money
        resp = self.c.post("cashier settle", f"/cashier/orders/{mine}/settle",
                           data=form.data(**self.payments(total)))
        if resp.status_code == 303:
            self.floor.count("orders settled")
        self.c.follow(resp, "cashier settled page")
        self.wait(3, 6)
        self.open_home()

    def payments(self, total: int) -> dict[str, str]:
        def yuan(fen: int) -> str:
            return f"{fen // 100}.{fen % 100:02d}"

        roll = self.rng.random()
        if roll < 0.4:
            return {"wechat_amount": yuan(total)}
        if roll < 0.7:
            tendered = -(-total // 10_000) * 10_000  # the next hundred yuan up
            return {"cash_amount": yuan(total), "cash_tendered": yuan(tendered)}
        if roll < 0.85:
            return {"alipay_amount": yuan(total)}
        half = total // 2
        return {"bank_transfer_amount": yuan(half), "on_account_amount": yuan(total - half)}


# --- packing -----------------------------------------------------------------------------

class Packer(Tablet):
    home, home_kind = "/packing/", "packing queue"
    poll = POLLS["packer"]

    def __init__(self, *args: Any, colleague: Callable[[], Staff]) -> None:
        super().__init__(*args)
        self.colleague = colleague

    def step(self) -> None:
        waiting = [o for o in htmlforms.ids(self.page, r"/packing/orders/(\d+)")
                   if self.floor.units(o) is not None]
        mine = next((o for o in waiting if self.floor.claim("packer", o)), None)
        if mine is None:
            self.until_next_poll()
            return
        units = self.floor.units(mine) or Counter()
        self.wait(2, 4)
        self.polling = False
        bench = self.c.get("packing bench", f"/packing/orders/{mine}").text
        csrf = htmlforms.csrf_token(bench) or ""
        pieces = [code for code, n in units.items() for _ in range(n)]
        self.rng.shuffle(pieces)
        for code in pieces:
            self.wait(1.5, 4)
            self.c.post("packing scan", f"/packing/orders/{mine}/scan", htmx=True,
                        data={"csrf_token": csrf, "barcode": code})
        for who in (self.staff, self.colleague()):
            self.wait(3, 8)  # the counter types their staff number and PIN
            bench = self.c.get("packing bench", f"/packing/orders/{mine}").text
            form = self.form_on(bench, f"/packing/orders/{mine}/sign", "sign-off")
            resp = self.c.post(f"packing sign-off {ARGON2}", f"/packing/orders/{mine}/sign",
                               data=form.data(staff_no=who.staff_no, pin=who.pin))
            if resp.status_code not in (302, 303):
                self.rec.note("sign-off refused", f"order {mine}: {resp.status_code}")
        self.wait(2, 4)
        bench = self.c.get("packing bench", f"/packing/orders/{mine}").text
        form = self.form_on(bench, f"/packing/orders/{mine}/seal", "seal")
        resp = self.c.post("packing seal", f"/packing/orders/{mine}/seal",
                           data=form.data(mode="absent"))
        if resp.status_code == 303:
            self.floor.count("orders sealed")
        else:
            self.rec.note("seal refused", f"order {mine}: {resp.status_code}")
        self.c.follow(resp, "packing sealed page")
        self.wait(3, 6)
        self.open_home()


class Shipper(Tablet):
    home, home_kind = "/shipping/", "shipping queue"
    poll = POLLS["shipper"]

    def step(self) -> None:
        waiting = htmlforms.ids(self.page, r"/shipping/orders/(\d+)")
        mine = next((o for o in waiting if self.floor.claim("shipper", o)), None)
        if mine is None:
            self.until_next_poll()
            return
        self.wait(2, 4)
        self.polling = False
        page = self.c.get("shipping ship form", f"/shipping/orders/{mine}")
        form = self.form_on(page.text, f"/shipping/orders/{mine}", "ship")
        self.wait(6, 12)  # weighing, writing the waybill
        data = form.data(carrier="sf_express", waybill=f"SF{self.rng.randrange(10**12, 10**13)}",
                         weight=f"{self.rng.uniform(0.5, 6):.1f}", fee="23.00",
                         fee_payer="customer", eta_days="2")
        if not data.get("boxes"):
            data["boxes"] = "1"
        resp = self.c.post("shipping ship", f"/shipping/orders/{mine}", data=data)
        if resp.status_code in (302, 303):
            self.floor.count("orders shipped")
        else:
            self.rec.note("ship refused", f"order {mine}: {resp.status_code}")
        self.c.follow(resp, "shipping shipment page")
        self.wait(3, 6)
        self.open_home()


class Manager(Tablet):
    home, home_kind = "/customers/", "customers search page"

    def step(self) -> None:
        self.wait(10, 25)
        customer = self.floor.any_customer(self.rng)
        q = customer["name"][:2]
        self.c.get("customers search", f"/customers/?q={requests.utils.quote(q)}")
        self.wait(2, 5)
        self.c.get("customer detail", f"/customers/{customer['id']}")
        if self.rng.random() < 0.3:
            self.wait(2, 5)
            self.c.get("reception board", "/reception/")


class PrintStation(Tablet):
    home, home_kind = "/print-jobs/", "print station"
    poll = POLLS["printer"]

    def step(self) -> None:
        self.until_next_poll()


ROLE_CLASSES: dict[str, type[Tablet]] = {
    "reception": Reception, "clerk": Clerk, "scanner": Scanner, "cashier": Cashier,
    "packer": Packer, "shipper": Shipper, "manager": Manager, "printer": PrintStation,
}
