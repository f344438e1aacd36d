#!/usr/bin/env python3
"""The out-of-process half of Kurasi's benchmarks; run.sh calls it.

  bench.py startup --name kurasi|visidata --scale S --runs N --pattern REGEX -- COMMAND...
      Start COMMAND in a detached tmux session of 200x60 (its own server: tmux -L bench-<pid>-<i>),
      poll `capture-pane -p` every 2 ms until a line matches REGEX (the list's first row), and
      report the time from just before `new-session` to that capture. For the kurasi process it
      also reads VmRSS and VmHWM from /proc after the first frame. --warmup runs (default 1) are not counted.
  bench.py pyjson --scale S --runs N STORE
      Python's json module on the same store file: json.loads(open(f, 'rb').read()) timed inside
      a fresh interpreter per run (so no run reuses another's memory); best and median of N.
  bench.py cli --scale S --runs N --kurasi BIN STORE
      A CLI score edit end to end, as a user types it: `kurasi score P --curator K CRIT=N` in a
      fresh process on a scratch copy of STORE (automatic compaction off), N alternating between
      two points so every run is a real edit. Wall time (median of N) and the process's peak
      resident memory (ru_maxrss).
  bench.py report RESULTS_DIR
      Merge everything run.sh wrote into RESULTS_DIR into one markdown table (stdout).

Every command prints one JSON object per line.
"""
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time


def tmux(sock, *args, capture=False):
    cmd = ["tmux", "-L", sock, "-f", "/dev/null", *args]
    if capture:
        return subprocess.run(cmd, capture_output=True, text=True, errors="replace").stdout
    subprocess.run(cmd, check=True, capture_output=True)
    return None


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    out[line.split(":")[0]] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return out


def wait_gone(pid, limit=120.0):
    end = time.monotonic() + limit
    while time.monotonic() < end and os.path.exists(f"/proc/{pid}"):
        time.sleep(0.02)


def one_start(command, pattern, timeout, index):
    sock = f"bench-{os.getpid()}-{index}"
    env_cmd = "exec " + " ".join(shlex_quote(c) for c in command)
    regex = re.compile(pattern, re.M)
    t0 = time.perf_counter()
    tmux(sock, "new-session", "-d", "-x", "200", "-y", "60", env_cmd)
    pid = None
    elapsed = None
    mem = {}
    try:
        while time.perf_counter() - t0 < timeout:
            screen = tmux(sock, "capture-pane", "-p", capture=True)
            if regex.search(screen):
                elapsed = time.perf_counter() - t0
                break
            time.sleep(0.002)
        pid_text = tmux(sock, "display-message", "-p", "#{pane_pid}", capture=True).strip()
        pid = int(pid_text) if pid_text.isdigit() else None
        if pid is not None and elapsed is not None:
            mem = proc_status(pid)
        if elapsed is None:
            sys.stderr.write(f"no first frame within {timeout}s; the screen was:\n{screen}\n")
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)
        if pid is not None:
            wait_gone(pid)
        # kill-server leaves the socket file behind.
        base = os.environ.get("TMUX_TMPDIR") or "/tmp"
        try:
            os.unlink(os.path.join(base, f"tmux-{os.getuid()}", sock))
        except OSError:
            pass
    return elapsed, mem


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


def cmd_startup(args):
    name, scale, runs, pattern, timeout = args.name, args.scale, args.runs, args.pattern, args.timeout
    times, mems = [], []
    warmup = args.warmup
    for i in range(runs + warmup):
        elapsed, mem = one_start(args.command, pattern, timeout, i)
        if elapsed is None:
            print(json.dumps({"kind": "startup", "name": name, "scale": scale, "error": "no first frame"}))
            return 1
        if i < warmup:
            continue  # warm-up: page cache, .pyc files, dynamic loader caches
        times.append(elapsed * 1000)
        mems.append(mem)
    best = min(range(len(times)), key=lambda k: times[k])
    print(json.dumps({"kind": "startup", "name": name, "scale": scale, "runs": times,
                      "median_ms": statistics.median(times), "best_ms": times[best],
                      "rss": statistics.median([m.get("VmRSS", 0) for m in mems]),
                      "hwm": max(m.get("VmHWM", 0) for m in mems)}))
    return 0


PYJSON = r"""
import json, sys, time
t = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    doc = json.loads(f.read())
print((time.perf_counter() - t) * 1000)
"""


def cmd_pyjson(args):
    times = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", PYJSON, args.store], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    print(json.dumps({"kind": "pyjson", "scale": args.scale, "runs": times, "best_ms": min(times),
                      "median_ms": statistics.median(times), "python": platform.python_version()}))
    return 0


def first_sheet(store):
    """(product, curator, criterion, point) of the first sheet in a pretty-printed store: in
    schema 1 a sheet is an object by criterion, in schema 2 an array in the rubric's order (the
    first criterion is then the rubric's first)."""
    import mmap
    with open(store, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        at = m.find(b'\n  "scores" : {')
        text = m[at:at + 4096].decode("utf-8", "replace")
        found = re.search(r'"scores" : \{\s*"([^"]+)" : \{\s*"([^"]+)" : \{\s*"([^"]+)" : (\d+)', text)
        if found:
            return found.group(1), found.group(2), found.group(3), int(found.group(4))
        found = re.search(r'"scores" : \{\s*"([^"]+)" : \{\s*"([^"]+)" : \[\s*(\d+)', text)
        rubric = m.find(b'\n  "rubric" : {')
        criteria = m.find(b'"criteria" : [', rubric)
        # The first criterion's own id, at its object's indentation (its anchors' ids are deeper).
        first = re.search(r'\n        "id" : "([^"]+)"', m[criteria:criteria + 65536].decode("utf-8", "replace"))
    if not found or rubric < 0 or criteria < 0 or not first:
        raise SystemExit(f"bench.py: no score sheet found in {store} (not a pretty-printed Kurasi store?)")
    return found.group(1), found.group(2), first.group(1), int(found.group(3))


def cmd_cli(args):
    import shutil
    import tempfile
    product, curator, criterion, point = first_sheet(args.store)
    times, cpus, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="kurasi-cli-") as tmp:
        copy = os.path.join(tmp, "kurasi.json")
        shutil.copyfile(args.store, copy)
        env = dict(os.environ, KURASI_COMPACT_EVERY="1000000000", LANG="C.UTF-8")
        for i in range(args.runs + 1):
            n = point % 5 + 1 if i % 2 == 0 else point
            cmd = [args.kurasi, "score", product, "--curator", curator, "--store", copy, f"{criterion}={n}"]
            t = time.perf_counter()
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = (time.perf_counter() - t) * 1000
            if status != 0:
                sys.stderr.write(proc.stderr.read().decode("utf-8", "replace"))
                raise SystemExit(f"bench.py cli: {' '.join(cmd)} failed")
            if i > 0:  # the first run warms the page cache and writes the store's index
                times.append(elapsed)
                cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
                peaks.append(usage.ru_maxrss * 1024)
    print(json.dumps({"kind": "cli", "scale": args.scale, "runs": times, "median_ms": statistics.median(times),
                      "cpu_ms": statistics.median(cpus), "peak_rss": max(peaks), "bytes": os.path.getsize(args.store)}))
    return 0


def registry_csv(path, rows):
    """A registry of `rows` rows made from the bundled Madiun registry's well-formed rows, each
    with its own NIB and name (so none is a duplicate of another)."""
    fixture = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "madiun-2020", "registry.csv")
    lines = open(fixture, encoding="utf-8-sig").read().splitlines()
    head = lines[0]
    base = [r.split(";") for r in lines[1:] if r.count(";") == 15 and '"' not in r]
    with open(path, "w", encoding="utf-8") as out:
        out.write(head + "\n")
        for i in range(rows):
            r = list(base[i % len(base)])
            r[0] = str(i + 1)
            r[1] = "%013d" % (1000000000000 + i)
            r[2] = f"{r[2]} {i + 1}"
            r[14] = "Aktif"
            out.write(";".join(r) + "\n")


def cmd_import(args):
    """`kurasi import REGISTRY.csv` into a new round, end to end in a fresh process, at each size."""
    import tempfile
    env = dict(os.environ, LANG="C.UTF-8", KURASI_NOW="2020-10-15T09:00:00Z")
    for rows in [int(n) for n in args.rows.split(",")]:
        with tempfile.TemporaryDirectory(prefix="kurasi-import-") as tmp:
            csv, store = os.path.join(tmp, "registry.csv"), os.path.join(tmp, "kurasi.json")
            registry_csv(csv, rows)
            subprocess.run([args.kurasi, "init", "--store", store, "--date", "2020-10-15"], env=env,
                           check=True, stdout=subprocess.DEVNULL)
            cmd = [args.kurasi, "import", csv, "--store", store]
            t = time.perf_counter()
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = (time.perf_counter() - t) * 1000
            if status != 0:
                sys.stderr.write(proc.stderr.read().decode("utf-8", "replace")[-2000:])
                raise SystemExit(f"bench.py import: {' '.join(cmd)} failed")
            cpu = (usage.ru_utime + usage.ru_stime) * 1000
            print(json.dumps({"kind": "import", "rows": rows, "ms": elapsed, "cpu_ms": cpu,
                              "cpu_us_per_row": cpu * 1000 / rows, "peak_rss": usage.ru_maxrss * 1024,
                              "csv_bytes": os.path.getsize(csv)}), flush=True)
    return 0


# ---------------------------------------------------------------- the report

def read_jsonl(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    out.append(json.loads(line))
    return out


def ordo_results(directory):
    """p50 (and p0) of each ordo-one benchmark, in milliseconds, by benchmark name."""
    out = {}
    for path in glob.glob(os.path.join(directory, "*.wallClock.histogram.percentiles.tsv")):
        base = os.path.basename(path)
        m = re.match(r".*?\.KurasiBenchmarks\.(.+)\.wallClock\.histogram\.percentiles\.tsv$", base)
        if not m:
            continue
        with open(path) as f:
            header = f.readline()
            rows = dict(line.rstrip("\n").split("\t") for line in f if "\t" in line)
        factor = {"(ns)": 1e-6, "(μs)": 1e-3, "(us)": 1e-3, "(ms)": 1.0, "(s)": 1e3}
        unit = next((factor[u] for u in factor if u in header), 1e-3)
        out[m.group(1)] = {"p50": float(rows["50"]) * unit, "p0": float(rows["0"]) * unit,
                           "p99": float(rows["99"]) * unit, "p100": float(rows["100"]) * unit}
    return out


def fmt(v, digits=None):
    if v is None:
        return "–"
    if digits is None:
        digits = 3 if v < 1 else 2 if v < 10 else 1 if v < 100 else 0
    return f"{v:,.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release()}


def cmd_report(args):
    d = args.results
    gen = {g["scale"]: g for g in read_jsonl(os.path.join(d, "generate.jsonl"))}
    pyj = {p["scale"]: p for p in read_jsonl(os.path.join(d, "pyjson.jsonl"))}
    starts = read_jsonl(os.path.join(d, "startup.jsonl"))
    kstart = {s["scale"]: s for s in starts if s.get("name") == "kurasi"}
    vstart = {s["scale"]: s for s in starts if s.get("name") == "visidata"}
    rss = {r["scale"]: r for r in read_jsonl(os.path.join(d, "rss.jsonl"))}
    cli = {c["scale"]: c for c in read_jsonl(os.path.join(d, "cli.jsonl"))}
    ordo = ordo_results(os.path.join(d, "ordo"))
    meta = json.load(open(os.path.join(d, "meta.json"))) if os.path.exists(os.path.join(d, "meta.json")) else {}

    def o(name, scale):
        r = ordo.get(f"{name}_{scale}")
        return r["p50"] if r else None

    head = ["size", "products", "file MB", "load ms", "MB/s", "python json ms", "load ÷ python",
            "compaction ms", "edit durable ms", "ranking after edit ms", "frame 200×60 ms", "filter key ms",
            "startup ms", "VisiData startup ms", "startup ÷ VisiData", "RSS MB", "RSS ÷ file",
            "peak MB", "peak ÷ file", "CLI score ms", "CLI score CPU ms", "CLI peak ÷ file"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for scale, g in gen.items():
        mb = g["bytes"] / 1e6
        load = o("load", scale)
        py = pyj.get(scale, {}).get("median_ms")
        ks = kstart.get(scale, {}).get("median_ms")
        vs = vstart.get(scale, {}).get("median_ms")
        # Resident memory of the real kurasi process once its first frame is drawn.
        r = kstart.get(scale, {}).get("rss") or rss.get(scale, {}).get("rss_after_frame")
        row = [scale, f"{g['products']:,}", fmt(mb), fmt(load), fmt(mb / (load / 1000)) if load else "–",
               fmt(py), ratio(load, py), fmt(o("compaction", scale)), fmt(o("edit_durable", scale)),
               fmt(o("ranking_after_edit", scale)), fmt(o("frame_200x60", scale)), fmt(o("filter_keystroke", scale)),
               fmt(ks), fmt(vs), ratio(ks, vs), fmt(r / 1e6) if r else "–",
               f"{r / g['bytes']:.2f}×" if r else "–"]
        hwm = kstart.get(scale, {}).get("hwm")
        c = cli.get(scale, {})
        row += [fmt(hwm / 1e6) if hwm else "–", f"{hwm / g['bytes']:.2f}×" if hwm else "–",
                fmt(c.get("median_ms")), fmt(c.get("cpu_ms")), f"{c['peak_rss'] / g['bytes']:.2f}×" if c else "–"]
        lines.append("| " + " | ".join(row) + " |")
    m = machine()
    lines.append("")
    lines.append(f"Machine: {m['nproc']} × {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}; "
                 f"Swift {meta.get('swift', '?')}, Python {next(iter(pyj.values()), {}).get('python', '?')}, "
                 f"VisiData {meta.get('visidata', '?')}, tmux {meta.get('tmux', '?')}. Kurasi {meta.get('commit', '?')}. "
                 f"Date: {meta.get('date', '?')}.")
    lines.append("")
    lines.append("Times are medians (ordo-one/benchmark p50 for the in-process rows; median of the timed runs "
                 "after one warm-up for start-up and Python). ratio < 1 means Kurasi is faster.")
    # The full recompute, for comparison with the incremental ranking.
    extra = [f"{scale}: {fmt(o('ranking_full_recompute', scale))} ms" for scale in gen if o("ranking_full_recompute", scale)]
    if extra:
        lines.append("")
        lines.append("Full recompute of the edited cluster's ranking (Round.ranking), for comparison: " + ", ".join(extra) + ".")
    hwm = [f"{scale}: {fmt(kstart[scale]['hwm'] / 1e6)} MB" for scale in gen if kstart.get(scale, {}).get("hwm")]
    if hwm:
        lines.append("")
        lines.append("Peak resident memory (VmHWM) of kurasi during start-up: " + ", ".join(hwm) + ".")
    imports = read_jsonl(os.path.join(d, "import.jsonl"))
    if imports:
        lines.append("")
        lines.append("Registry import (`kurasi import`, a fresh process, into a new round): " + ", ".join(
            f"{i['rows']:,} rows {fmt(i['ms'])} ms ({fmt(i['cpu_ms'])} ms CPU, {i['cpu_us_per_row']:.1f} µs CPU per row, "
            f"peak {fmt(i['peak_rss'] / 1e6)} MB)" for i in imports) + ".")
    print("\n".join(lines))
    return 0


def main():
    import argparse
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("startup")
    s.add_argument("--name", required=True)
    s.add_argument("--scale", required=True)
    s.add_argument("--runs", type=int, default=5)
    s.add_argument("--warmup", type=int, default=1)
    s.add_argument("--pattern", required=True)
    s.add_argument("--timeout", type=float, default=300)
    s.add_argument("command", nargs="+")
    j = sub.add_parser("pyjson")
    j.add_argument("--scale", required=True)
    j.add_argument("--runs", type=int, default=5)
    j.add_argument("store")
    c = sub.add_parser("cli")
    c.add_argument("--scale", required=True)
    c.add_argument("--runs", type=int, default=5)
    c.add_argument("--kurasi", required=True)
    c.add_argument("store")
    i = sub.add_parser("import")
    i.add_argument("--rows", default="10000,100000,1000000")
    i.add_argument("--kurasi", required=True)
    r = sub.add_parser("report")
    r.add_argument("results")
    args = p.parse_args()
    return {"startup": cmd_startup, "pyjson": cmd_pyjson, "cli": cmd_cli, "import": cmd_import,
            "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
