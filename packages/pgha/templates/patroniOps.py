#!/usr/bin/python3
"""pgha day-2 operations against Patroni's REST API, run on a Patroni node by lib/ops.

  patroniOps.py ready    --urls U1,U2,.. --replicas N [--timeout S]
  patroniOps.py push     --urls U1,.. (dynamic config JSON on stdin; then rolling restart)
  patroniOps.py restart  --urls U1,..

The REST password comes from PATRONI_REST_PASSWORD (never argv). TLS is verified against
PGHA_CA_FILE when set. Standard library only: Patroni nodes have python3 and nothing else
is guaranteed.
"""
import argparse, base64, json, os, ssl, sys, time, urllib.error, urllib.request

USER = os.environ.get("PATRONI_REST_USER", "patroni")
CA = os.environ.get("PGHA_CA_FILE")


def context():
    if CA:
        ctx = ssl.create_default_context(cafile=CA)
        ctx.check_hostname = False  # members are addressed by IP; the CA pins trust
        return ctx
    return None


def call(url, method="GET", body=None, timeout=5):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    pw = os.environ.get("PATRONI_REST_PASSWORD")
    if pw and method != "GET":
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:{pw}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context()) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        return e.code, text
    except (urllib.error.URLError, OSError) as e:
        return None, str(e)


def cluster(urls):
    """GET /cluster from the first member that answers."""
    for u in urls:
        status, body = call(u + "/cluster")
        if status == 200 and isinstance(body, dict):
            return body
    return None


def running(m):
    return m.get("state") in ("running", "streaming")


def summary(c):
    return ", ".join(f"{m['name']}={m['role']}/{m.get('state')}" for m in c.get("members", []))


def wait_ready(urls, replicas, timeout):
    deadline = time.time() + timeout
    last = "no member answered"
    while time.time() < deadline:
        c = cluster(urls)
        if c:
            members = c.get("members", [])
            leaders = [m for m in members if m["role"] in ("leader", "standby_leader") and running(m)]
            reps = [m for m in members if m["role"] not in ("leader", "standby_leader") and running(m)]
            last = summary(c)
            if len(leaders) == 1 and len(reps) >= replicas:
                print(f"ready: {last}")
                return True
        time.sleep(2)
    print(f"not ready after {timeout}s: {last}", file=sys.stderr)
    return False


def url_of(c, name, urls):
    for m in c["members"]:
        if m["name"] == name:
            return m["api_url"].rsplit("/", 1)[0] if m.get("api_url") else None
    return None


def wait_member(urls, name, predicate, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        c = cluster(urls)
        m = next((x for x in (c or {}).get("members", []) if x["name"] == name), None)
        if m and predicate(m):
            return True
        time.sleep(2)
    return False


def rolling_restart(urls):
    """Restart members with pending_restart: replicas first, the leader last via switchover."""
    c = cluster(urls)
    if not c:
        sys.exit("no Patroni member answered")
    pending = [m for m in c["members"] if m.get("pending_restart")]
    leader = next((m for m in c["members"] if m["role"] in ("leader", "standby_leader")), None)
    for m in [m for m in pending if m is not leader]:
        print(f"restarting replica {m['name']}")
        status, body = call(url_of(c, m["name"], urls) + "/restart", "POST", {})
        if status not in (200, 202):
            sys.exit(f"restart of {m['name']} failed: {status} {body}")
        if not wait_member(urls, m["name"], lambda x: running(x) and not x.get("pending_restart")):
            sys.exit(f"{m['name']} did not come back after restart")
    if leader is not None and leader in pending:
        candidates = [m for m in c["members"] if m is not leader and running(m) and not m.get("tags", {}).get("nofailover")]
        if leader["role"] == "leader" and candidates:
            sync = [m for m in candidates if m["role"] in ("sync_standby", "quorum_standby")]
            target = (sync or candidates)[0]["name"]
            print(f"switchover {leader['name']} -> {target}")
            status, body = call(url_of(c, leader["name"], urls) + "/switchover", "POST", {"leader": leader["name"], "candidate": target})
            if status != 200:
                sys.exit(f"switchover failed: {status} {body}")
            if not wait_member(urls, target, lambda x: x["role"] == "leader" and running(x)):
                sys.exit(f"{target} did not become leader")
        print(f"restarting {leader['name']}")
        status, body = call(url_of(c, leader["name"], urls) + "/restart", "POST", {})
        if status not in (200, 202):
            sys.exit(f"restart of {leader['name']} failed: {status} {body}")
        if not wait_member(urls, leader["name"], lambda x: running(x) and not x.get("pending_restart")):
            sys.exit(f"{leader['name']} did not come back after restart")
    print("no restart pending" if not pending else f"restarted {len(pending)} member(s)")


def push(urls):
    patch = json.loads(sys.stdin.read())
    for u in urls:
        status, body = call(u + "/config", "PATCH", patch)
        if status == 200:
            print(f"PATCH /config accepted by {u}")
            break
    else:
        sys.exit(f"PATCH /config refused by every member: {status} {body}")
    # Patroni notices pending_restart within a loop_wait or two.
    time.sleep(float(os.environ.get("PGHA_SETTLE_SECONDS", "15")))
    rolling_restart(urls)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("action", choices=["ready", "push", "restart"])
    p.add_argument("--urls", required=True)
    p.add_argument("--replicas", type=int, default=0)
    p.add_argument("--timeout", type=int, default=600)
    a = p.parse_args()
    urls = [u.rstrip("/") for u in a.urls.split(",") if u]
    if a.action == "ready":
        sys.exit(0 if wait_ready(urls, a.replicas, a.timeout) else 1)
    if a.action == "push":
        push(urls)
    else:
        rolling_restart(urls)


if __name__ == "__main__":
    main()
