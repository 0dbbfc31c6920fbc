#!/usr/bin/python3
"""pgha-secrets: put this node's secrets into its files, with the VM's own identity.

User-data carries pgha's files with reference tokens (PGHA_SECRET_<NAME>) in place of every
secret, and /etc/pgha/secrets.json, which names the secret store and the files holding tokens.
This script asks the metadata server for an access token of the VM's service account, reads the
secret's latest version, checks every token of every listed file has an entry, and writes each
file atomically (temp file in the same directory, chmod, chown, rename) with the manifest's
owner and mode. It never prints a value.

  pgha-secrets fetch     first boot (cloud-init's first runcmd): write every listed file
  pgha-secrets refresh   fetch again; rewrite only files whose content changed, print their paths
                         (and log each on stderr)
  pgha-secrets refresh --only DIR [--only DIR ...]
                         the same, limited to files under the DIRs; any other file that differs
                         from the secret is left as it is and named on stderr (pgha-tls-refresh
                         passes the TLS directory: a renewed certificate is reloaded in place,
                         while a changed password must not be rewritten behind Patroni's back)
  pgha-secrets check     exit 1 if a listed file still holds a token (pgha-first-boot's guard)

The first copy of each file (with tokens) is kept under /var/lib/pgha/secrets (root, 0700) so
that `refresh` can substitute again after the values changed.

Protocols (python3 stdlib only; python3 is on every image since cloud-init is python):
- gcp-secret-manager: token from
  GET http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token
  with Metadata-Flavor: Google -> {"access_token": ...} (cloud.google.com/compute/docs/access/
  authenticate-workloads), then GET https://secretmanager.googleapis.com/v1/projects/{project}/
  secrets/{secret}/versions/latest:access with Authorization: Bearer -> {"payload": {"data":
  base64}} (Secret Manager REST, projects.secrets.versions.access); data is a JSON object of entries.
- yandex-lockbox: token from the same path on http://169.254.169.254 (Yandex's GCE-compatible
  metadata, yandex.cloud/docs/compute/operations/vm-connect/auth-inside-vm), then GET
  https://payload.lockbox.api.cloud.yandex.net/lockbox/v1/secrets/{secretId}/payload ->
  {"entries": [{"key", "textValue"}]} (Lockbox REST, Payload.Get).
- lab: the GCP protocol against the lab's stand-in at http://169.254.169.254, project "lab".
PGHA_SECRETS_METADATA_URL / PGHA_SECRETS_API_URL / PGHA_SECRETS_MANIFEST / PGHA_SECRETS_STATE_DIR /
PGHA_SECRETS_RETRY_SECONDS exist for tests only.
"""

import base64
import grp
import hashlib
import json
import os
import pwd
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request

MANIFEST = os.environ.get("PGHA_SECRETS_MANIFEST", "/etc/pgha/secrets.json")
STATE_DIR = os.environ.get("PGHA_SECRETS_STATE_DIR", "/var/lib/pgha/secrets")
# First boot may come before the store is reachable or before a fresh IAM grant has propagated
# (GCP documents up to minutes): retry for a bounded time, then fail.
RETRY_SECONDS = float(os.environ.get("PGHA_SECRETS_RETRY_SECONDS", "300"))
TOKEN = re.compile("PGHA" + "_SECRET_[A-Z0-9_]+")
TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token"
PROJECT_PATH = "/computeMetadata/v1/project/project-id"

ENDPOINTS = {
    "gcp-secret-manager": ("http://metadata.google.internal", "https://secretmanager.googleapis.com"),
    "yandex-lockbox": ("http://169.254.169.254", "https://payload.lockbox.api.cloud.yandex.net"),
    "lab": ("http://169.254.169.254", "http://169.254.169.254"),
}


class Failure(Exception):
    """A one-line reason; never holds a secret value."""


class Retryable(Failure):
    """The store or metadata server did not answer usefully yet."""


def log(msg):
    print("pgha-secrets: " + msg, file=sys.stderr)


def http_json(url, headers, what, expect_flavor=False):
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            if expect_flavor and resp.headers.get("Metadata-Flavor") != "Google":
                raise Failure(what + ": the answer lacks Metadata-Flavor: Google (not the metadata server)")
            body = resp.read()
    except urllib.error.HTTPError as e:
        # 403/404 right after creation are IAM propagation or a version not yet visible.
        raise Retryable("%s: HTTP %d" % (what, e.code)) from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise Retryable("%s: unreachable (%s)" % (what, reason)) from None
    try:
        return json.loads(body)
    except ValueError:
        raise Failure(what + ": the answer is not JSON") from None


def access_token(metadata, kind):
    # GCE's metadata server answers with Metadata-Flavor: Google (how Google's own clients tell it
    # from an impostor); Yandex's GCE-compatible service and the lab stand-in are not relied on to.
    flavor = kind == "gcp-secret-manager"
    doc = http_json(metadata + TOKEN_PATH, {"Metadata-Flavor": "Google"}, "metadata token", expect_flavor=flavor)
    token = doc.get("access_token") if isinstance(doc, dict) else None
    if not isinstance(token, str) or not token:
        raise Failure("metadata token: no access_token in the answer")
    return token


def gcp_project(metadata, store):
    if store.get("project"):
        return store["project"]
    req = urllib.request.Request(metadata + PROJECT_PATH, headers={"Metadata-Flavor": "Google"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.read().decode().strip()
    except (urllib.error.URLError, OSError):
        raise Retryable("metadata project-id: unreachable") from None


def fetch_entries(store):
    kind = store.get("kind")
    if kind not in ENDPOINTS:
        raise Failure("manifest: unknown store kind %r" % (kind,))
    metadata = os.environ.get("PGHA_SECRETS_METADATA_URL", ENDPOINTS[kind][0]).rstrip("/")
    api = os.environ.get("PGHA_SECRETS_API_URL", ENDPOINTS[kind][1]).rstrip("/")
    token = access_token(metadata, kind)
    auth = {"Authorization": "Bearer " + token}
    if kind == "yandex-lockbox":
        doc = http_json("%s/lockbox/v1/secrets/%s/payload" % (api, store["secretId"]), auth, "lockbox payload")
        entries = doc.get("entries") if isinstance(doc, dict) else None
        if not isinstance(entries, list):
            raise Failure("lockbox payload: no entries in the answer")
        return {e.get("key"): e.get("textValue") for e in entries if isinstance(e, dict)}
    project = "lab" if kind == "lab" else gcp_project(metadata, store)
    url = "%s/v1/projects/%s/secrets/%s/versions/latest:access" % (api, project, store["secret"])
    doc = http_json(url, auth, "secret access")
    data = doc.get("payload", {}).get("data") if isinstance(doc, dict) else None
    if not isinstance(data, str):
        raise Failure("secret access: no payload.data in the answer")
    try:
        entries = json.loads(base64.b64decode(data))
    except ValueError:
        raise Failure("secret access: payload.data is not base64 of a JSON object") from None
    if not isinstance(entries, dict):
        raise Failure("secret access: payload.data is not a JSON object")
    return entries


def with_retries(fn):
    deadline = time.monotonic() + RETRY_SECONDS
    delay = 2.0
    while True:
        try:
            return fn()
        except Retryable as e:
            if time.monotonic() + delay > deadline:
                raise Failure(str(e) + " (gave up after %ds)" % RETRY_SECONDS) from None
            log(str(e) + "; retrying")
            time.sleep(delay)
            delay = min(delay * 2, 20.0)


def read_manifest():
    try:
        with open(MANIFEST, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure("manifest %s: %s" % (MANIFEST, e)) from None
    if not isinstance(m, dict) or m.get("version") != 1 or not isinstance(m.get("files"), list):
        raise Failure("manifest %s: not a version 1 manifest" % MANIFEST)
    return m


def template_path(path):
    return os.path.join(STATE_DIR, hashlib.sha256(path.encode()).hexdigest()[:32] + ".tmpl")


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def owner_ids(owner):
    user, _, group = owner.partition(":")
    try:
        uid = pwd.getpwnam(user).pw_uid
        gid = grp.getgrnam(group).gr_gid if group else pwd.getpwnam(user).pw_gid
    except KeyError:
        raise Failure("owner %s does not exist on this node" % owner) from None
    return uid, gid


def write_atomic(path, content, uid, gid, mode):
    fd, tmp = tempfile.mkstemp(prefix=".pgha-secrets.", dir=os.path.dirname(path))
    try:
        os.fchmod(fd, mode)
        os.fchown(fd, uid, gid)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def templates(manifest):
    """Each listed file's text with tokens: the file itself at first boot, else the kept copy."""
    out = []
    os.makedirs(STATE_DIR, mode=0o700, exist_ok=True)
    os.chmod(STATE_DIR, 0o700)
    for entry in manifest["files"]:
        path = entry["path"]
        try:
            current = read_text(path)
        except OSError as e:
            raise Failure("%s: %s" % (path, e.strerror)) from None
        if TOKEN.search(current):
            # Owned by whoever runs the script: root on a node.
            write_atomic(template_path(path), current, os.geteuid(), os.getegid(), 0o600)
            out.append((entry, current, current))
        elif os.path.exists(template_path(path)):
            out.append((entry, read_text(template_path(path)), current))
        else:
            raise Failure("%s: holds no token and has no kept copy to substitute" % path)
    return out


def substitute(path, text, entries):
    missing = sorted({t for t in TOKEN.findall(text) if not isinstance(entries.get(t), str)})
    if missing:
        raise Failure("%s: the secret has no entry for %s" % (path, ", ".join(missing)))
    return TOKEN.sub(lambda m: entries[m.group(0)], text)


def under(path, dirs):
    return any(path.startswith(d.rstrip("/") + "/") for d in dirs)


def apply(only_changed, only_dirs=None, on_write=None):
    manifest = read_manifest()
    store = manifest.get("store")
    if not isinstance(store, dict):
        raise Failure("manifest: no store")
    files = templates(manifest)
    entries = with_retries(lambda: fetch_entries(store))
    planned = []
    # Check every file before writing any: a missing entry leaves the node untouched.
    for entry, text, current in files:
        path = entry["path"]
        if only_dirs is not None and not under(path, only_dirs):
            # Outside --only: never written; a difference is reported (without its value).
            try:
                if substitute(path, text, entries) != current:
                    log("%s: differs from the secret; left unchanged (outside --only)" % path)
            except Failure as e:
                log("%s; left unchanged (outside --only)" % e)
            continue
        planned.append((entry, substitute(path, text, entries), current))
    changed = []
    for entry, content, current in planned:
        if only_changed and content == current:
            continue
        uid, gid = owner_ids(entry["owner"])
        write_atomic(entry["path"], content, uid, gid, int(entry["mode"], 8))
        changed.append(entry["path"])
        # Named as soon as it is written: if a later write fails, what was written still gets reloaded.
        if on_write:
            on_write(entry["path"])
    return changed


def check():
    try:
        left = [e["path"] for e in read_manifest()["files"] if TOKEN.search(read_text(e["path"]))]
    except OSError as e:
        raise Failure("%s: %s" % (e.filename, e.strerror)) from None
    for p in left:
        print(p)
    return 1 if left else 0


def parse_args(args):
    """(command, only_dirs) or None; --only is for refresh, each DIR absolute."""
    if not args or args[0] not in ("fetch", "refresh", "check"):
        return None
    cmd, rest, dirs = args[0], args[1:], []
    while rest:
        if cmd != "refresh" or rest[0] != "--only" or len(rest) < 2 or not rest[1].startswith("/"):
            return None
        dirs.append(rest[1])
        rest = rest[2:]
    return cmd, (dirs or None)


def rewrote(path):
    # stdout feeds pgha-reload-tls; stderr is the journal's record of what changed.
    print(path, flush=True)
    log("rewrote %s" % path)


def main(argv):
    parsed = parse_args(argv[1:])
    if parsed is None:
        print("usage: pgha-secrets fetch|check|refresh [--only /DIR ...]", file=sys.stderr)
        return 2
    cmd, only_dirs = parsed
    try:
        if cmd == "check":
            return check()
        if cmd == "refresh":
            apply(only_changed=True, only_dirs=only_dirs, on_write=rewrote)
        else:
            log("%d files written" % len(apply(only_changed=False)))
        return 0
    except Failure as e:
        log(str(e))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
