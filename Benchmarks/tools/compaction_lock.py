#!/usr/bin/env python3
# Usage: compaction_lock.py KURASI STORE WORKDIR JOURNAL_LINES  (STRACE=1: the compaction's own lock holds)
"""Run `kurasi compact` on a copy of the 100,000-product store with journal lines in it, and
meanwhile (once the rewrite has begun: a temp file of the store appears) one `kurasi score`.
Reports: how long the exclusive lock was held (a probe takes and drops a shared lock, non-blocking,
every 2 ms; a failure means a writer holds it), compact's CPU and wall, the score's CPU and wall."""
import fcntl, os, shutil, subprocess, sys, time, threading, json

kurasi, src, work, lines = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
shutil.rmtree(work, ignore_errors=True); os.makedirs(work)
store = os.path.join(work, "kurasi.json")
shutil.copy(src, store)
env = dict(os.environ, LANG="C.UTF-8", KURASI_NOW="2026-11-30T08:00:00Z")
def run(args, **kw):
    t0 = time.monotonic()
    p = subprocess.Popen([kurasi, "--store", store] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    out, err = p.communicate()
    return p.returncode, out.decode(), err.decode(), time.monotonic() - t0
# journal lines (the first one reads the whole store and writes its index)
crit = ["kualitas", "kemasan", "keunikan", "pasar", "kapasitas", "harga"]
for i in range(lines):
    rc, out, err, _ = run(["score", "P-%06d" % (i + 1), "--curator", "K1", "%s=%d" % (crit[i % 6], 1 + i % 5)])
    assert rc == 0, err
held, stop = [], threading.Event()
def probe():
    fd = os.open(store + ".lock", os.O_RDWR | os.O_CREAT)
    start = None
    while not stop.is_set():
        now = time.monotonic()
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB); fcntl.flock(fd, fcntl.LOCK_UN)
            if start is not None: held.append((start, now)); start = None
        except BlockingIOError:
            if start is None: start = now
        time.sleep(0.002)
    if start is not None: held.append((start, time.monotonic()))
th = threading.Thread(target=probe); th.start()
load0 = open("/proc/loadavg").read().split()[:3]
t0 = time.monotonic()
trace = os.path.join(work, "..", os.path.basename(work) + ".flock.txt")
cmd = [kurasi, "--store", store, "compact"]
if os.environ.get("STRACE"):
    cmd = ["strace", "-f", "--seccomp-bpf", "-e", "trace=flock", "-ttt", "-o", trace] + cmd
cp = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
# wait for the rewrite to begin
while not any(n.startswith(".kurasi.json") and ".tmp-" in n for n in os.listdir(work)):
    if cp.poll() is not None: break
    time.sleep(0.002)
ts = time.monotonic()
sp = subprocess.Popen([kurasi, "--store", store, "score", "P-099999", "--curator", "K2", "kualitas=5"], env=env,
                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
_, sst, sru = os.wait4(sp.pid, 0)
te = time.monotonic()
_, cst, cru = os.wait4(cp.pid, 0)
tc = time.monotonic()
stop.set(); th.join()
load1 = open("/proc/loadavg").read().split()[:3]
res = {
  "binary": kurasi, "journal_lines": lines,
  "compact_exit": os.waitstatus_to_exitcode(cst), "compact_wall_s": round(tc - t0, 2),
  "compact_cpu_s": round(cru.ru_utime + cru.ru_stime, 2), "compact_maxrss_mb": round(cru.ru_maxrss / 1024),
  "score_started_after_s": round(ts - t0, 2), "score_exit": os.waitstatus_to_exitcode(sst),
  "score_wall_ms": round((te - ts) * 1000), "score_cpu_ms": round((sru.ru_utime + sru.ru_stime) * 1000),
  "lock_holds_ms": [round((b - a) * 1000) for a, b in held if b - a > 0.0],
  "load_before": load0, "load_after": load1,
}
if os.environ.get("STRACE"):
    # exclusive holds of the compaction, from its own flock calls
    holds, t = [], None
    for line in open(trace):
        parts = line.split()
        if "LOCK_EX" in line and t is None: t = float(parts[1])
        elif "LOCK_UN" in line and t is not None: holds.append(round((float(parts[1]) - t) * 1000, 1)); t = None
    res["compact_exclusive_holds_ms_strace"] = holds
# what the store holds afterwards
rc, out, err, _ = run(["check"])
res["check_exit"] = rc
j = os.path.join(work, "kurasi.json.journal")
res["journal_after_lines"] = sum(1 for _ in open(j)) if os.path.exists(j) else 0
print(json.dumps(res))
