#!/usr/bin/python3
"""Hold packets queued by iptables NFQUEUE for a fixed time, then accept them.

Why this exists: the lab needs a one-way delay between regions, and this
kernel has no `sch_netem` (nor `sch_fq`, so no EDT/skb->tstamp trick either),
but it does have nfnetlink_queue. Debian has no python3-netfilterqueue, so
this speaks the nfnetlink_queue protocol directly over an AF_NETLINK socket
(stdlib only). It copies metadata only (NFQNL_COPY_META): packets stay in the
kernel, we only remember their ids and issue one batch verdict per release.

Usage (inside the namespace that owns the iptables rules):
    nfqueue-delayer.py <queue>:<delay_ms> [<queue>:<delay_ms> ...]

Rules must use `--queue-bypass`, so traffic flows undelayed (not dropped)
while no delayer is bound. Packets of one queue share one delay, so they are
released in id order and a single VERDICT_BATCH accepts all ids up to N.
"""
import collections
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_CONFIG = 2
NFQNL_MSG_VERDICT_BATCH = 3
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQA_CFG_MASK = 4
NFQA_CFG_FLAGS = 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_CFG_CMD_UNBIND = 2
NFQNL_COPY_META = 1
NFQA_CFG_F_FAIL_OPEN = 1
NFQA_CFG_F_GSO = 4
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NF_ACCEPT = 1
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5


def nla(kind, payload):
    length = 4 + len(payload)
    pad = (4 - length % 4) % 4
    return struct.pack("=HH", length, kind) + payload + b"\0" * pad


class Stop(Exception):
    pass


class Queue:
    def __init__(self, sock, num, on_packet):
        self.sock = sock
        self.num = num
        self.seq = 0
        self.on_packet = on_packet

    def send(self, msg_type, attrs, ack=True):
        self.seq += 1
        body = struct.pack("!BBH", socket.AF_UNSPEC, 0, self.num) + b"".join(attrs)
        flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        hdr = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, self.seq, 0)
        self.sock.send(hdr + body)

    def config(self, *attrs):
        """Send a config message and wait for its ack, so a failed bind (e.g. a
        queue already owned by another process) is an error, not silence."""
        self.send(NFQNL_MSG_CONFIG, list(attrs))
        while True:
            for mtype, payload in parse_messages(self.sock.recv(1 << 16)):
                if mtype == NLMSG_ERROR:
                    err, _l, _t, _f, seq = struct.unpack_from("=iIHHI", payload, 0)
                    if seq != self.seq:
                        continue
                    if err != 0:
                        raise OSError(-err, "nfnetlink_queue config of queue %d failed" % self.num)
                    return
                # A packet that arrived while we were configuring: keep it.
                self.on_packet(mtype, payload)

    def accept_upto(self, packet_id):
        self.send(NFQNL_MSG_VERDICT_BATCH, [nla(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, packet_id))], ack=False)


def parse_messages(data):
    off = 0
    while off + 16 <= len(data):
        length, mtype, _flags, _seq, _pid = struct.unpack_from("=IHHII", data, off)
        if length < 16:
            break
        yield mtype, data[off + 16: off + length]
        off += (length + 3) & ~3


def parse_attrs(payload):
    off = 0
    attrs = {}
    while off + 4 <= len(payload):
        length, kind = struct.unpack_from("=HH", payload, off)
        if length < 4:
            break
        attrs[kind & 0x7FFF] = payload[off + 4: off + length]
        off += (length + 3) & ~3
    return attrs


def main(argv):
    delays = {}
    for spec in argv:
        q, ms = spec.split(":")
        delays[int(q)] = float(ms) / 1000.0
    if not delays:
        print("usage: nfqueue-delayer.py <queue>:<delay_ms> ...", file=sys.stderr)
        return 2

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    try:
        sock.setsockopt(socket.SOL_SOCKET, 33, 64 * 1024 * 1024)  # SO_RCVBUFFORCE (root)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024 * 1024)
    sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)

    held = {num: collections.deque() for num in delays}

    def on_packet(mtype, payload):
        if mtype != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET):
            return
        (_fam, _ver, qnum) = struct.unpack_from("!BBH", payload, 0)
        hdr = parse_attrs(payload[4:]).get(NFQA_PACKET_HDR)
        if hdr is None or qnum not in held:
            return
        (packet_id,) = struct.unpack_from("!I", hdr, 0)
        held[qnum].append((time.monotonic() + delays[qnum], packet_id))

    queues = {}
    for num in delays:
        q = Queue(sock, num, on_packet)
        q.config(nla(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, socket.AF_INET)))
        q.config(nla(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)))
        q.config(nla(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", 65536)))
        # FAIL_OPEN: if the queue is ever full, accept rather than drop.
        q.config(nla(NFQA_CFG_FLAGS, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO)),
                 nla(NFQA_CFG_MASK, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO)))
        queues[num] = q

    def stop(*_):
        # Raise (not a flag): Python retries select() after a handled signal.
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("nfqueue-delayer bound queues %s" % ", ".join("%d=%gms" % (n, d * 1000) for n, d in delays.items()), flush=True)

    try:
        serve(sock, queues, held)
    except Stop:
        pass
    # Let held packets go before unbinding so nothing is lost on shutdown.
    for num, dq in held.items():
        if dq:
            queues[num].accept_upto(dq[-1][1])
    return 0


def serve(sock, queues, held):
    on_packet = next(iter(queues.values())).on_packet
    while True:
        now = time.monotonic()
        # Release everything that is due, one batch verdict per queue.
        next_due = None
        for num, dq in held.items():
            last = None
            while dq and dq[0][0] <= now:
                last = dq.popleft()[1]
            if last is not None:
                queues[num].accept_upto(last)
            if dq and (next_due is None or dq[0][0] < next_due):
                next_due = dq[0][0]
        timeout = None if next_due is None else max(0.0, next_due - time.monotonic())
        try:
            ready, _, _ = select.select([sock], [], [], timeout)
        except InterruptedError:
            continue
        if not ready:
            continue
        while True:
            try:
                data = sock.recv(1 << 20, socket.MSG_DONTWAIT)
            except BlockingIOError:
                break
            except InterruptedError:
                continue
            for mtype, payload in parse_messages(data):
                if mtype == NLMSG_ERROR:
                    (err,) = struct.unpack_from("=i", payload, 0)
                    if err != 0:
                        print("netlink error %d" % err, file=sys.stderr, flush=True)
                    continue
                on_packet(mtype, payload)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
