"""The production shape, shown: HAProxy, two app instances and two task workers on PostgreSQL
and Redis (deploy/cluster.py), while parts of it die. Run by `make cluster-test`; each test
reports its figures at the end of the run (README, "Past one machine").

Patients are told apart by their client address, as in production: each simulated patient
connects from a loopback address of its own, and the proxy passes it on. So the contact rate
limit stays at its production value and no patient is refused for another's messages.
"""

import http.client
import itertools
import threading
import time
from collections import Counter

import pytest
from axes.models import AccessAttempt
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conditions.models import Condition
from contact.models import Inquiry
from tests.deploy.conftest import RETRY_SECONDS, Visitor, figure, inquiry_form_data
from tests.factories import AuthenticatorFactory, totp_code

# The cluster reads what the test writes, and the other way round: no test transaction. The
# seeded articles are put back after each test's flush.
pytestmark = [
    pytest.mark.cluster,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READING = [
    "/",
    "/conditions/",
    "/conditions/cluneal-nerve-entrapment/",
    "/treatments/",
    "/urgent-help/",
]
ARTICLE = "/conditions/cluneal-nerve-entrapment/"
# Pages no test reads before the database is cut: no stored copy, so a 503 during the outage.
NEVER_READ = ["/treatments/cryoablation/", "/contact/", "/search/?q=sciatica"]
# What marks a page answered from a stored copy while the database is out (the page cache).
STALE = "clinic; hit; detail=database-unreachable"
TEL_LINK = 'href="tel:+15744047246"'
# Sooner than this after the form is served, a post is refused as a bot (CONTACT_MIN_SECONDS).
FORM_FILL_SECONDS = 3.2
OUTAGE_SECONDS = 6
READERS = 4
# What a request that got no complete answer raises.
NO_ANSWER = (OSError, http.client.HTTPException)
PATIENT_ADDRESSES = (f"127.0.{a}.{b}" for a in range(10, 250) for b in range(1, 255))


def new_patient(cluster):
    return Visitor(cluster.url, next(PATIENT_ADDRESSES))


def emails_settled(mail_server, references):
    """Every inquiry marked sent, and no task due (the retries queued with each claim wait for
    their time, then find the email sent)."""
    unsent = Inquiry.objects.filter(reference__in=references, notification_sent_at__isnull=True)
    return not unsent.exists() and not DBTaskResult.objects.ready().exists()


def send_inquiries(cluster, count, label):
    """`count` patients, each from an address of its own, send the form through the proxy.
    Returns their references."""
    patients = [new_patient(cluster) for _ in range(count)]
    pages = [patient.get("/contact/") for patient in patients]
    time.sleep(FORM_FILL_SECONDS)
    references = []
    for n, (patient, page) in enumerate(zip(patients, pages, strict=True)):
        response = patient.post("/contact/", inquiry_form_data(page, f"Patient {label}-{n}"))
        assert response.status == 302, response.status
        references.append(response.thanks_reference)
    return references


# 1. An app instance dies under load ------------------------------------------------------------


def test_an_instance_killed_under_load_loses_no_reader_and_no_inquiry(
    cluster, mail_server, wait_until
):
    stop = threading.Event()
    phase = ["before"]
    lock = threading.Lock()
    reads = Counter()  # (phase, served by)
    read_failures = []  # (started, ended, what)
    kill = [float("inf"), float("inf")]  # when the kill was ordered, when it was done
    accepted, resent, refused = [], Counter(), []

    def reader(number):
        visitor = Visitor(cluster.url, f"127.0.1.{number}")
        for path in itertools.cycle(READING):
            if stop.is_set():
                return
            current, started = phase[0], time.monotonic()
            try:
                response = visitor.get(path)
                ok = response.status == 200
                failure = f"{path}: {response.status}"
            except NO_ANSWER as error:
                response, ok = None, False
                failure = f"{path}: {type(error).__name__}"
            with lock:
                if ok:
                    reads[(current, response.served_by)] += 1
                else:
                    read_failures.append((started, time.monotonic(), failure))

    def patient_loop(number):
        for n in itertools.count():
            if stop.is_set():
                return
            patient = new_patient(cluster)
            started = time.monotonic()
            try:
                page = patient.get("/contact/")
                failure = f"/contact/: {page.status}"
            except NO_ANSWER as error:
                page, failure = None, f"/contact/: {type(error).__name__}"
            if page is None or page.status != 200:
                with lock:
                    read_failures.append((started, time.monotonic(), failure))
                continue
            data = inquiry_form_data(page, f"Patient a{number}-{n}")
            time.sleep(FORM_FILL_SECONDS)
            # A patient whose send fails presses "Send" again: the same form, the same key.
            for _attempt in range(5):
                try:
                    response = patient.post("/contact/", data)
                except NO_ANSWER:
                    response = None
                if response is not None and response.status == 302:
                    with lock:
                        accepted.append(response.thanks_reference)
                    break
                with lock:
                    resent[response.status if response else "no answer"] += 1
                time.sleep(0.5)
            else:
                refused.append(data["name"])

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(1, READERS + 1)]
    threads += [threading.Thread(target=patient_loop, args=(n,)) for n in range(1, 4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(6)
        phase[0] = "app1 down"
        killed_at = kill[0] = time.monotonic()
        cluster.kill_app(1)
        kill[1] = time.monotonic()
        wait_until(
            lambda: cluster.server_states().get("app1") == "DOWN",
            timeout=10,
            what="HAProxy to take app1 out",
        )
        taken_out = time.monotonic() - killed_at
        time.sleep(5)
        cluster.start_app(1)
        wait_until(
            lambda: cluster.server_states().get("app1") == "UP",
            timeout=30,
            what="HAProxy to put app1 back",
        )
        phase[0] = "after"
        back_after = time.monotonic() - killed_at
        time.sleep(6)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    by_phase = Counter()
    for (when, _server), count in reads.items():
        by_phase[when] += count
    served_after = {server: count for (when, server), count in reads.items() if when == "after"}
    wait_until(
        lambda: emails_settled(mail_server, accepted),
        timeout=60,
        what="every accepted inquiry's email",
    )
    stored = Counter(
        Inquiry.objects.filter(name__startswith="Patient a").values_list("reference", flat=True)
    )
    emailed = mail_server.inbox.references()
    # A response the killed instance had begun to send cannot be tried again: the proxy has
    # passed its first bytes on. Those are the requests in flight at the kill; any other
    # failure is a fault.
    in_flight = [what for started, ended, what in read_failures if started <= kill[1]
                 and ended >= kill[0]]  # fmt: skip
    other_failures = [what for started, ended, what in read_failures if what not in in_flight]

    figure(
        f"1. instance killed under load: {sum(reads.values())} page reads "
        f"({by_phase['before']} before, {by_phase['app1 down']} while app1 was down, "
        f"{by_phase['after']} after), {len(other_failures)} failed, "
        f"{len(in_flight)} cut off in flight at the kill {in_flight or ''}; "
        f"{len(accepted)} inquiries accepted, {sum(resent.values())} sends answered "
        f"{dict(resent) or '-'} and sent again by the patient; stored once each: "
        f"{len(stored)}, emailed once each: {sum(emailed[r] == 1 for r in accepted)}; "
        f"app1 out of HAProxy {taken_out:.1f} s after the kill, back in {back_after:.1f} s; "
        f"after: {served_after}"
    )
    assert other_failures == []
    assert len(in_flight) <= READERS
    assert refused == []
    assert accepted and len(set(accepted)) == len(accepted)
    assert stored == Counter(accepted), "every accepted inquiry stored once, nothing else"
    assert {r: emailed[r] for r in accepted} == dict.fromkeys(accepted, 1)
    assert served_after.get("app1", 0) > 0, "the proxy routes to app1 again"
    assert served_after.get("app2", 0) > 0


# 2. A task worker dies mid-send -----------------------------------------------------------------


def test_a_worker_killed_mid_send_still_sends_every_email_once(cluster, mail_server, wait_until):
    mail_server.inbox.delay = 0.4  # a slow mail server: sends stay in flight

    def sender_in_flight():
        """(worker id, inquiry pk) of a worker inside a send: its task runs and holds the
        inquiry's claim while the mail server is answering."""
        if not mail_server.inbox.in_progress:
            return None
        running = DBTaskResult.objects.filter(status="RUNNING").values_list(
            "worker_ids", "args_kwargs"
        )
        for ids, args in running:
            held = Inquiry.objects.filter(
                pk=args["args"][0],
                notification_sent_at=None,
                notification_claimed_until__gt=timezone.now(),
            )
            if ids and held.exists():
                return ids[-1], args["args"][0]
        return None

    try:
        references = send_inquiries(cluster, 8, "b")
        found = []
        wait_until(lambda: found.append(sender_in_flight()) or found[-1], timeout=30,
                   what="a worker in the middle of a send")  # fmt: skip
        worker_id, pk = found[-1]
        worker = cluster.workers[int(worker_id.rsplit("-", 1)[1]) - 1]
        cluster.kill_worker(worker)
        killed_at = time.monotonic()
        # What the killed worker held: claimed, never released, not sent.
        orphans = list(
            Inquiry.objects.filter(pk=pk, notification_sent_at=None).values_list(
                "reference", flat=True
            )
        )
        wait_until(
            lambda: emails_settled(mail_server, references),
            timeout=RETRY_SECONDS + 45,
            what="every email, the orphaned one by its retry",
        )
        settled = time.monotonic() - killed_at
    finally:
        mail_server.inbox.delay = 0
    emailed = mail_server.inbox.references()
    attempts = dict(
        Inquiry.objects.filter(reference__in=references).values_list(
            "reference", "notification_attempts"
        )
    )
    figure(
        f"2. worker killed mid-send: {len(references)} emails, {worker.name} killed with "
        f"{len(orphans)} in hand; all sent {settled:.1f} s later (claim period "
        f"{RETRY_SECONDS} s); copies received per inquiry: "
        f"{sorted(Counter(emailed[r] for r in references).items())}; "
        f"inquiries that needed a second try: {sum(a > 1 for a in attempts.values())}"
    )
    assert orphans, "the worker was killed while it held an email"
    assert {r: emailed[r] for r in references} == dict.fromkeys(references, 1)
    assert all(attempts[r] >= 2 for r in orphans)


# 3. Shared state is shared -----------------------------------------------------------------------


def test_sign_in_page_cache_rate_limit_lockout_and_client_address_are_shared(cluster, settings):
    # The instances check passwords with production's hashers, not the tests' quick one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    found = []
    # Staff sign-in, both factors, through the proxy (the steps land on both instances).
    user = get_user_model().objects.create_user(
        "cluster-staff",
        password="correct horse battery staple",
        is_staff=True,
        is_superuser=True,
    )
    device = AuthenticatorFactory(user=user)
    staff = Visitor(cluster.url, "127.0.2.1")
    page = staff.get("/admin/login/")
    served = [page.served_by]
    response = staff.post(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": page.field("csrfmiddlewaretoken"),
            "username": "cluster-staff",
            "password": "correct horse battery staple",
            "next": "/admin/",
        },
    )
    served.append(response.served_by)
    assert response.status == 302 and response.headers["location"].endswith("/login/code/")
    page = staff.get("/admin/login/code/")
    response = staff.post(
        "/admin/login/code/",
        {
            "csrfmiddlewaretoken": page.field("csrfmiddlewaretoken"),
            "code": totp_code(device),
        },
    )
    served += [page.served_by, response.served_by]
    assert response.status == 302 and response.headers["location"] == "/admin/"
    for number in (1, 2):
        index = staff.get("/admin/", base_url=cluster.app_url(number))
        assert index.status == 200 and "cluster-staff" in index.text, f"app{number}"
    assert set(served) == {"app1", "app2"}
    found.append(f"signed in through {'/'.join(served)}, admin open on app1 and app2")

    # An edit made elsewhere shows on each instance's next response, page cache or not.
    reader = Visitor(cluster.url)
    for number in (1, 2):
        for _ in range(2):
            assert (
                "Cluneal nerve entrapment"
                in reader.get(ARTICLE, base_url=cluster.app_url(number)).text
            )
    Condition.objects.filter(slug="cluneal-nerve-entrapment").update(title="Edited in the cluster")
    for number in (1, 2):
        assert "Edited in the cluster" in reader.get(ARTICLE, base_url=cluster.app_url(number)).text
    found.append("an edit showed on the next response of both instances")

    # The contact rate limit counts one client's posts on both instances (5 in 10 minutes).
    patient = Visitor(cluster.url, "127.0.2.55")
    pages = [patient.get("/contact/") for _ in range(6)]
    time.sleep(FORM_FILL_SECONDS)
    answers = [
        patient.post("/contact/", inquiry_form_data(p, f"Patient c-{n}"))
        for n, p in enumerate(pages)
    ]
    assert [a.status for a in answers] == [302] * 5 + [429]
    assert {a.served_by for a in answers[:5]} == {"app1", "app2"}
    found.append(
        "rate limit: 5 posts accepted across "
        f"{'/'.join(a.served_by for a in answers)}, the 6th refused (429)"
    )

    # The sign-in lockout counts failures on both instances, for the address the proxy passed.
    guesser = Visitor(cluster.url, "127.0.2.66")
    get_user_model().objects.create_user("cluster-target", password="the right password 42")
    page = guesser.get("/admin/login/")

    def try_password(password):
        return guesser.post(
            "/admin/login/",
            {
                "csrfmiddlewaretoken": page.field("csrfmiddlewaretoken"),
                "username": "cluster-target",
                "password": password,
                "next": "/admin/",
            },
        )

    failures = [try_password(f"wrong guess {n}") for n in range(5)]
    # The form again, with the error; the fifth failure locks (STAFF_LOGIN_FAILURE_LIMIT).
    assert [f.status for f in failures] == [200] * 4 + [429]
    assert {f.served_by for f in failures} == {"app1", "app2"}
    locked = try_password("the right password 42")
    assert locked.status == 429, "locked out, even with the right password"
    addresses = set(
        AccessAttempt.objects.filter(username="cluster-target").values_list("ip_address", flat=True)
    )
    assert addresses == {"127.0.2.66"}
    found.append(
        f"lockout after 5 failures across {'/'.join(f.served_by for f in failures)}; "
        f"both recorded the client as {addresses.pop()}"
    )
    figure("3. shared state: " + "; ".join(found))


# 4. The database goes away and comes back -------------------------------------------------------


def test_while_the_database_is_gone_readers_get_stored_copies_the_rest_503_and_it_recovers(
    cluster, database_link, mail_server, wait_until
):
    # One inquiry accepted before the outage, its email not sent yet (the mail server is down).
    mail_server.stop()
    [before] = send_inquiries(cluster, 1, "d-before")
    wait_until(
        lambda: (
            Inquiry.objects.filter(reference=before).exclude(notification_last_error="").exists()
        ),
        timeout=30,
        what="the first try at its email to fail",
    )
    patient = new_patient(cluster)
    form = patient.get("/contact/")
    time.sleep(FORM_FILL_SECONDS)
    worker_starts = sum(w.starts for w in cluster.workers)
    reader = Visitor(cluster.url)
    for path in READING:  # each rendered once, by whichever worker: copies in Redis
        assert reader.get(path).status == 200

    database_link.stop()
    cut_at = time.monotonic()
    during = Counter()  # (status, answered from a stored copy)
    served_by = Counter()
    copies_ok = True
    for path in itertools.cycle(READING):
        if time.monotonic() - cut_at > OUTAGE_SECONDS:
            break
        response = reader.get(path)
        copy = response.headers.get("cache-status") == STALE
        during[(response.status, copy)] += 1
        served_by[response.served_by] += 1
        copies_ok &= copy and response.headers.get("age", "").isdigit()
        copies_ok &= "no-store" in response.headers.get("cache-control", "")
        time.sleep(0.1)
    # A page nobody read before, the form and search: no copy, the 503 with the phone link.
    no_copy = [reader.get(path) for path in NEVER_READ]
    unavailable_ok = all(
        r.status == 503 and TEL_LINK in r.text and r.headers.get("retry-after") == "30"
        for r in no_copy
    )
    # The database itself is up: an edit the cluster cannot see until its link is back.
    Condition.objects.filter(slug="cluneal-nerve-entrapment").update(title="Edited meanwhile")
    sent_during = patient.post("/contact/", inquiry_form_data(form, "Patient d-during"))
    # The health check does not need the database: both instances stay in, and answer.
    states_during = cluster.server_states()
    outage = time.monotonic() - cut_at
    database_link.start()
    back_at = time.monotonic()
    response = None

    def fresh():
        nonlocal response
        response = reader.get(ARTICLE)
        return response.status == 200 and "cache-status" not in response.headers

    wait_until(fresh, timeout=30, what="a fresh page after the database is back")
    first_fresh = time.monotonic() - back_at
    after = Counter((r.status, "cache-status" in r.headers) for r in map(reader.get, READING * 2))
    mail_server.start()
    wait_until(
        lambda: emails_settled(mail_server, [before]),
        timeout=RETRY_SECONDS + 45,
        what="the email of the inquiry accepted before the outage",
    )
    restarts = sum(w.starts for w in cluster.workers) - worker_starts

    reads = sum(during.values())
    from_copies = during[(200, True)]
    figure(
        f"4. database gone for {outage:.1f} s: {reads} page reads, {from_copies} answered "
        f"from stored copies (200, Age and Cache-Status: {copies_ok}; served by "
        f"{dict(served_by)}), {reads - from_copies} failed; a page never read, the form and "
        f"search: {[r.status for r in no_copy]} with the phone link and Retry-After: "
        f"{unavailable_ok}; an inquiry sent meanwhile got {sent_during.status}; first fresh "
        f"page {first_fresh:.2f} s after the database came back, with the edit made meanwhile: "
        f"{'Edited meanwhile' in response.text}; then {dict(after)}; task workers restarted "
        f"{restarts} times; the inquiry accepted before the outage emailed "
        f"{mail_server.inbox.references()[before]} time(s)"
    )
    assert reads and from_copies == reads and copies_ok
    assert unavailable_ok
    assert states_during == {"app1": "UP", "app2": "UP"}
    assert sent_during.status == 503 and "send it again" in sent_during.text
    assert not Inquiry.objects.filter(name="Patient d-during").exists()
    assert first_fresh is not None and "Edited meanwhile" in response.text
    assert after == Counter({(200, False): len(READING) * 2})
    assert mail_server.inbox.references()[before] == 1
    assert Inquiry.objects.get(reference=before).notification_sent_at <= timezone.now()
