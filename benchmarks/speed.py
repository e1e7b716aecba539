"""Speed suite: `tracer` at the sizes real users reach, one subprocess per measurement.

Every measured step runs `tracer` (or pandas, for comparison) in its own child process and takes
the child's own peak RSS from `os.wait4`, so each row has its own peak. Everything happens in a
temporary directory with `TRACER_PASSPHRASE` set and the default scrypt cost (every command pays
one key derivation, as a user would).

Benchmarks (names for `--only`):
  batch        `canary batch` of 10,000 into a fresh vault with a 10,000-number pool
  import       `tracer contacts import` of a generated contract CSV (1M and 5M rows), and
               `pandas.read_csv(engine="pyarrow")` of the same file for comparison
  attribution  66,000 canaries over ~2,000 platforms, 150k and 1.5M contacts imported, then
               `tracer report --format json --out FILE` timed on its own (FILE deleted after)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

PASSPHRASE = "bench-passphrase"
PRIMARY = "13800138000"
REAL_NAME = "张伟"
GiB = 1024.0
DAY = 86_400
# The simulated year: canaries are issued in its first nine months, contacts arrive all year.
WINDOW_START = 1_740_787_200  # 2025-03-01T00:00:00Z
WINDOW_DAYS = 365
CHUNK = 100_000  # rows generated per step when streaming a CSV


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    n: int
    seconds: float
    unit: str  # what the rate counts ("rows", "canaries"); "" for no rate
    peak_mib: float
    target: str = ""
    ok: bool | None = None
    note: str = ""
    cpu: float = float("nan")  # the child's own CPU seconds (user + system): wall time on a shared machine is not its own

    @property
    def rate(self) -> float:
        return self.n / self.seconds if self.seconds > 0 and self.unit else float("nan")


@dataclass
class Bench:
    """One suite run: a temp dir, the env every command gets, the rows measured so far."""

    root: Path
    rows: list[Row] = field(default_factory=list)
    timeout: float | None = None
    keep: bool = False
    base: Path | None = None  # cache for the attribution base vault (--base)

    def env(self, home: Path) -> dict[str, str]:
        # a user's Python keeps compiled modules: a shell that says not to (PYTHONDONTWRITEBYTECODE)
        # would make every measured start recompile ~60 of them (+0.1 s a command)
        inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        return {
            **inherited,
            "TRACER_HOME": str(home),
            "TRACER_PASSPHRASE": PASSPHRASE,
            "COLUMNS": "100",
            "PYTHONHASHSEED": "0",
        }

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(format_row(row), flush=True)
        return row


class Failed(RuntimeError):
    pass


def measure(
    argv: Sequence[str],
    env: dict[str, str],
    *,
    stdout: Path | None = None,
    log: Path | None = None,
    timeout: float | None = None,
) -> tuple[float, float, bool]:
    """Run argv; (wall seconds, peak RSS MiB of that child, finished). Raises Failed on exit != 0."""
    seconds, peak, finished, _cpu = measure_cpu(argv, env, stdout=stdout, log=log, timeout=timeout)
    return seconds, peak, finished


def measure_cpu(
    argv: Sequence[str],
    env: dict[str, str],
    *,
    stdout: Path | None = None,
    log: Path | None = None,
    timeout: float | None = None,
) -> tuple[float, float, bool, float]:
    """`measure`, and the child's own CPU seconds (user + system, from `os.wait4`)."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    err = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), env=env, stdout=out, stderr=err, start_new_session=True)
        finished = True
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)  # our own child's session, nothing else
                pid, status, usage = os.wait4(proc.pid, 0)
                finished = False
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    finally:
        for handle in (out, err):
            if handle is not subprocess.DEVNULL:
                handle.close()
    if finished and proc.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise Failed(f"{' '.join(map(str, argv[:6]))} exited {proc.returncode}\n{tail}")
    return seconds, usage.ru_maxrss / 1024.0, finished, usage.ru_utime + usage.ru_stime


def tracer(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "tracer", *map(str, args)]


def step(
    bench: Bench,
    what: str,
    n: int,
    unit: str,
    argv: Sequence[str],
    env: dict[str, str],
    *,
    target: tuple[float | None, float | None] = (None, None),  # (max seconds or min rate, max MiB)
    rate_target: bool = False,
    stdout: Path | None = None,
    timeout: float | None = None,
) -> Row:
    log = bench.root / "stderr.log"
    with log.open("ab") as handle:
        handle.write(f"\n== {what} (N={n}) {' '.join(map(str, argv[1:]))}\n".encode())
    seconds, peak, finished, cpu = measure_cpu(
        argv, env, stdout=stdout, log=log, timeout=timeout if timeout is not None else bench.timeout
    )
    time_or_rate, max_mib = target
    checks, text = [], []
    if time_or_rate is not None:
        if rate_target:
            checks.append(finished and n / seconds >= time_or_rate)
            text.append(f">={time_or_rate:,.0f}/s")
        else:
            checks.append(finished and seconds < time_or_rate)
            text.append(f"<{time_or_rate:g}s")
    if max_mib is not None:
        checks.append(peak < max_mib)
        text.append(f"<{max_mib:g}MiB")
    row = Row(what, n, seconds, unit, peak, " ".join(text), all(checks) if checks else None, cpu=cpu)
    if not finished:
        row.note = f"KILLED after {seconds:.0f}s"
        row.ok = False if checks else None
    return bench.add(row)


# -- output -------------------------------------------------------------------------------------

HEADER = f"{'what':<44}{'N':>11}{'seconds':>10}{'CPU s':>8}{'rate':>19}{'peak MiB':>10}  {'target':<22}{'ok':<5}"


def format_row(row: Row) -> str:
    rate = f"{row.rate:,.0f} {row.unit}/s" if row.unit and row.rate == row.rate else "—"
    ok = {True: "PASS", False: "FAIL", None: ""}[row.ok]
    cpu = f"{row.cpu:.1f}" if row.cpu == row.cpu else "—"
    line = (
        f"{row.what:<44}{row.n:>11,}{row.seconds:>10.1f}{cpu:>8}{rate:>19}{row.peak_mib:>10.0f}"
        f"  {row.target:<22}{ok:<5}"
    )
    return line + (f" {row.note}" if row.note else "")


def table(rows: Iterable[Row]) -> str:
    rows = list(rows)
    return "\n".join([HEADER, "-" * len(HEADER), *map(format_row, rows)])


# -- data ---------------------------------------------------------------------------------------

CATEGORIES = {
    "stocks": ["荐股", "牛股", "炒股", "涨停", "大盘", "个股", "选股", "诊股", "港股", "私募"],
    "loans": ["贷款", "额度", "下款", "网贷", "借款", "放款", "低息", "无抵押", "信用贷", "车贷"],
    "debt": ["催收", "逾期", "还款", "欠款", "债务重组", "协商还款", "停息挂账", "个性化分期"],
    "real-estate": ["楼盘", "房源", "首付", "学区房", "二手房", "新房", "买房", "售楼", "样板间"],
    "cars": ["二手车", "收车", "车险", "卖车", "买车", "车主", "4S店", "试驾", "新车"],
    "insurance": ["保险", "保单", "理赔", "投保", "重疾险", "医疗险", "意外险", "百万医疗", "续保"],
    "education": ["课程", "培训", "学历", "考证", "报名", "补习", "辅导", "网课", "试听"],
    "beauty": ["医美", "美容", "玻尿酸", "水光针", "瘦脸针", "双眼皮", "祛斑", "美白", "热玛吉"],
    "shopping": ["包裹", "快递", "物流", "订单", "退款", "优惠券", "红包", "满减"],
    "travel": ["机票", "酒店", "航班", "旅游", "景区", "门票", "签证", "出境游", "自由行"],
    "health": ["体检", "药品", "保健品", "养生", "中医", "门诊", "挂号"],
    "jobs": ["招聘", "兼职", "日结", "月薪", "日薪", "岗位", "面试"],
    "telecom": ["话费", "流量", "套餐", "宽带", "停机", "携号转网", "营业厅", "靓号"],
}
BRANDS = [
    "招商证券",
    "平安普惠",
    "安居客",
    "瓜子二手车",
    "中国人寿",
    "新东方",
    "美莱医美",
    "顺丰速运",
    "携程旅行",
    "美年大健康",
    "智联招聘",
    "中国移动",
    "东方财富",
    "360借条",
    "链家",
    "人人车",
    "太平洋保险",
    "学而思",
    "艺星整形",
    "京东物流",
    "同程旅行",
    "叮当快药",
    "58同城",
    "中国联通",
    "同花顺",
    "分期乐",
    "贝壳找房",
    "懂车帝",
    "众安保险",
    "粉笔教育",
    "新氧",
    "菜鸟驿站",
    "飞猪",
    "平安好医生",
    "BOSS直聘",
    "中国电信",
    "富途牛牛",
    "招联金融",
    "我爱我家",
    "汽车之家",
]
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "199",
]  # 139 is left to the pool, so callers never collide with canary numbers
PATTERNS = [
    "【{brand}】尊敬的客户，{k1}{k2}活动火热进行中，详询{cb}，回T退订",
    "【{brand}】您好，您的{k1}已到期，{k2}请于{{n}}日内办理，拒收请回复R",
    "【{brand}】{k1}限时优惠：{k2}立减{{n}}元，点击 t.cn/A6{{n}} 查看，回T退订",
    "{k1}老师提醒：今天{k2}名额仅剩{{n}}个，加微信{cb}了解",
    "您好，我是{brand}的客服，关于您的{k1}和{k2}，方便的时候回电{cb}",
    "【{brand}】验证码{{n}}，用于{k1}身份验证，5分钟内有效，请勿泄露",
    "{brand}{k1}专员：您符合{k2}条件，额度最高{{n}}万，回复1办理",
    "喂，你好，这边是{brand}的，想跟您聊一下{k1}和{k2}的事情",
    '"{brand}" {k1}, {k2}: 今日特价{{n}}元, 详情致电{cb}',
    "[{brand}] {k1}{k2}客户回访，请拨打{cb}，谢谢",
]


def templates(count: int, seed: int) -> list[tuple[str, str]]:
    """(category, text with optional {n} slot) — `count` distinct message templates."""
    rng = np.random.default_rng(seed)
    cats = list(CATEGORIES)
    out: dict[str, str] = {}
    while len(out) < count:
        cat = cats[rng.integers(len(cats))]
        words = CATEGORIES[cat]
        k1, k2 = (words[i] for i in rng.choice(len(words), 2, replace=False))
        callback = f"400{rng.integers(1_000_000, 9_999_999)}"
        pattern = PATTERNS[rng.integers(len(PATTERNS))]
        text = pattern.format(brand=BRANDS[rng.integers(len(BRANDS))], k1=k1, k2=k2, cb=callback)
        out.setdefault(text, cat)
    return [(cat, text) for text, cat in out.items()]


def _csv_field(text: str) -> str:
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def pool_numbers(n: int) -> list[str]:
    return [f"+86139{i:08d}" for i in range(n)]


def caller_numbers(n: int, seed: int) -> list[str]:
    """~n distinct caller IDs in the spellings carriers' exports use (bare, +86, landline)."""
    rng = np.random.default_rng(seed)
    out = set()
    while len(out) < n:
        kind = rng.random()
        if kind < 0.7:
            out.add(MOBILE_PREFIXES[rng.integers(len(MOBILE_PREFIXES))] + f"{rng.integers(10**8):08d}")
        elif kind < 0.9:
            out.add(
                "+86" + MOBILE_PREFIXES[rng.integers(len(MOBILE_PREFIXES))] + f"{rng.integers(10**8):08d}"
            )
        else:
            area = ("010", "021", "020", "0755")[rng.integers(4)]
            out.add(f"{area}{rng.integers(2 * 10**7, 9 * 10**7):08d}"[: len(area) + 8])
    return sorted(out)


def surname_of(name: str | None) -> str | None:
    if not name:
        return None
    return name[:2] if name[:2] in COMPOUND else name[0]


@dataclass
class Leaks:
    """Canary side of generated traffic: leaked canaries' numbers, issue times and surnames."""

    phone: np.ndarray  # object array of E.164
    issued: np.ndarray  # epoch seconds
    surname: np.ndarray  # object array
    category: np.ndarray  # object array


def leaks_from_batch(jsonl: Path, share: float, seed: int) -> Leaks:
    """A `share` of platforms leak: all their canaries receive leak traffic."""
    docs = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    platforms = sorted({d["platform"] for d in docs})
    rng = np.random.default_rng(seed)
    leaked = set(rng.choice(platforms, max(1, int(len(platforms) * share)), replace=False).tolist())
    picked = [d for d in docs if d["platform"] in leaked and d.get("phone")]
    from datetime import datetime

    return Leaks(
        phone=np.array([d["phone"] for d in picked], dtype=object),
        issued=np.array(
            [datetime.fromisoformat(d["issued_at"].replace("Z", "+00:00")).timestamp() for d in picked]
        ),
        surname=np.array([surname_of(d.get("name")) for d in picked], dtype=object),
        category=np.array([d.get("category") or "" for d in picked], dtype=object),
    )


def write_contacts(
    path: Path,
    n: int,
    to_numbers: Sequence[str],
    *,
    leaks: Leaks | None = None,
    leak_share: float = 0.3,
    callers: int = 50_000,
    n_templates: int = 2_000,
    seed: int = 7,
) -> int:
    """Stream a contract CSV of n rows (channel,at,to,from,heard_name,text,id); returns bytes.

    Background rows: `to` uniform over `to_numbers`, time uniform over the year, a random surname
    now and then, any template. Leak rows (when `leaks`): a leaked canary's number, after its
    issue time, often its surname, usually a template of its platform's category.
    """
    rng = np.random.default_rng(seed)
    tpl = templates(n_templates, seed)
    tpl_text = np.array([t for _, t in tpl], dtype=object)
    tpl_has_slot = np.array(["{n}" in t for _, t in tpl])
    tpl_is_code = np.array(["验证码" in t for _, t in tpl])
    ports = np.array([f"1069{n:08d}" for n in range(40)], dtype=object)
    by_cat: dict[str, np.ndarray] = {}
    for i, (cat, _) in enumerate(tpl):
        by_cat.setdefault(cat, []).append(i)  # type: ignore[arg-type]
    by_cat = {c: np.array(ix) for c, ix in by_cat.items()}
    call_lines = np.array(
        [f"通话转写：{w}相关，对方称{b}" for w in sum(CATEGORIES.values(), [])[:60] for b in BRANDS[:5]],
        dtype=object,
    )
    to_arr = np.array(list(to_numbers), dtype=object)
    from_arr = np.array(caller_numbers(callers, seed + 1), dtype=object)
    honor = np.array(["先生", "女士", "总", "经理"], dtype=object)
    surnames = np.array(SURNAMES + list(COMPOUND[:3]), dtype=object)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("channel,at,to,from,heard_name,text,id\n")
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            is_leak = (
                (rng.random(m) < leak_share) if leaks is not None and len(leaks.phone) else np.zeros(m, bool)
            )
            at = WINDOW_START + rng.integers(0, WINDOW_DAYS * DAY, m)
            to = to_arr[rng.integers(len(to_arr), size=m)]
            said = np.where(rng.random(m) < 0.08, surnames[rng.integers(len(surnames), size=m)], None)
            tix = rng.integers(len(tpl_text), size=m)
            if is_leak.any():
                li = np.flatnonzero(is_leak)
                k = rng.integers(len(leaks.phone), size=len(li))  # type: ignore[union-attr]
                to[li] = leaks.phone[k]  # type: ignore[union-attr]
                end = WINDOW_START + WINDOW_DAYS * DAY
                delay = rng.exponential(20 * DAY, len(li))
                at[li] = np.minimum(leaks.issued[k] + delay, end - 1).astype(np.int64)  # type: ignore[union-attr]
                named = rng.random(len(li)) < 0.35
                said[li[named]] = leaks.surname[k[named]]  # type: ignore[union-attr]
                on_topic = rng.random(len(li)) < 0.6
                for j in np.flatnonzero(on_topic):
                    pool = by_cat.get(leaks.category[k[j]])  # type: ignore[union-attr]
                    if pool is not None:
                        tix[li[j]] = pool[rng.integers(len(pool))]
            channel = np.where(rng.random(m) < 0.55, "call", "sms")
            text = tpl_text[tix]
            slot = tpl_has_slot[tix]
            nums = rng.integers(1000, 999_999, m)
            calls = channel == "call"
            transcript = rng.random(m) < 0.3
            call_text = call_lines[rng.integers(len(call_lines), size=m)]
            # what the caller called the user: mostly surname + honorific, now and then the
            # user's real full name (a previous leak of the real identity)
            heard = [
                "" if s is None else (s + honor[h % 4] if h < 96 else REAL_NAME)
                for s, h in zip(said, rng.integers(0, 100, m), strict=True)
            ]
            stamps = np.datetime_as_string((at + 8 * 3600).astype("datetime64[s]"), unit="s")
            frm = from_arr[rng.integers(len(from_arr), size=m)]
            # one-time codes come from the platforms' SMS ports, never from a call centre's lines
            code = ~calls & tpl_is_code[tix]
            frm[code] = ports[rng.integers(len(ports), size=int(code.sum()))]
            lines = []
            for r in range(m):
                if calls[r]:
                    body = call_text[r] if transcript[r] else ""
                else:
                    body = text[r].replace("{n}", str(nums[r])) if slot[r] else text[r]
                lines.append(
                    f"{channel[r]},{stamps[r]}+08:00,{to[r]},{frm[r]},{heard[r]},{_csv_field(body)},row-{start + r}\n"
                )
            chunk = "".join(lines)
            out.write(chunk)
            written += len(chunk.encode("utf-8"))
    return written


def batch_csv(path: Path, n: int, platforms: int | None, seed: int = 3) -> None:
    """`canary batch` input: n signups over `platforms` platforms (None: one each), over 9 months."""
    rng = np.random.default_rng(seed)
    cats = list(CATEGORIES)
    plat_cat = [cats[i % len(cats)] for i in range(platforms or n)]
    issued = np.sort(WINDOW_START + rng.integers(0, 270 * DAY, n))
    stamps = np.datetime_as_string((issued + 8 * 3600).astype("datetime64[s]"), unit="s")
    with path.open("w", encoding="utf-8") as out:
        out.write("platform,category,at,real_name\n")
        for i in range(n):
            p = i % platforms if platforms else i
            kyc = 1 if rng.random() < 0.01 else 0
            out.write(f"Platform{p:05d},{plat_cat[p]},{stamps[i]}+08:00,{kyc}\n")


# -- the benchmarks -----------------------------------------------------------------------------


def fresh_vault(bench: Bench, name: str) -> tuple[Path, dict[str, str]]:
    home = bench.root / name
    env = bench.env(home)
    argv = tracer(
        "init", "--phone", PRIMARY, "--name", REAL_NAME, "--region", "CN", "--timezone", "Asia/Shanghai"
    )
    measure(argv, env, log=bench.root / "stderr.log")
    return home, env


def canaries_into(
    bench: Bench,
    env: dict[str, str],
    label: str,
    pool: int,
    n: int,
    platforms: int | None,
    target: tuple[float | None, float | None] = (None, None),
) -> Path:
    """Import a pool of `pool` numbers and issue n canaries; returns the batch's JSON lines."""
    pool_file, batch_file, issued = (
        bench.root / "pool.txt",
        bench.root / "batch.csv",
        bench.root / "issued.jsonl",
    )
    pool_file.write_text("".join(number + "\n" for number in pool_numbers(pool)))
    batch_csv(batch_file, n, platforms)
    step(bench, f"{label}: numbers import", pool, "numbers", tracer("numbers", "import", pool_file), env)
    step(
        bench,
        f"{label}: canary batch",
        n,
        "canaries",
        tracer("canary", "batch", batch_file),
        env,
        target=target,
        stdout=issued,
    )
    return issued


def bench_batch(bench: Bench, n: int) -> None:
    """1. `canary batch` of n into a fresh vault with an n-number pool. Target < 20 s, < 500 MiB."""
    _, env = fresh_vault(bench, "vault-batch")
    canaries_into(bench, env, "batch", n, n, None, target=(20.0, 500.0))


def bench_import(bench: Bench, sizes: Sequence[int]) -> None:
    """2. `contacts import` of an n-row contract CSV, and pandas' pyarrow reader on the same file."""
    pool = pool_numbers(10_000)
    for n in sizes:
        home, env = fresh_vault(bench, f"vault-import-{n}")
        csv_path = bench.root / f"contacts-{n}.csv"
        t0 = time.perf_counter()
        size = write_contacts(csv_path, n, pool, seed=11)
        print(
            f"  (generated {csv_path.name}: {size / 2**20:,.0f} MiB in {time.perf_counter() - t0:.0f}s)",
            flush=True,
        )
        row = step(
            bench,
            f"contacts import ({size / 2**20:,.0f} MiB CSV)",
            n,
            "rows",
            tracer("contacts", "import", csv_path),
            env,
            target=(100_000, GiB),
            rate_target=True,
        )
        pandas_reference(bench, csv_path, n, home, row.seconds)
        csv_path.unlink()
        if not bench.keep:
            shutil.rmtree(home, ignore_errors=True)
    flat = [r for r in bench.rows if r.what.startswith("contacts import")]
    if len(flat) >= 2:
        growth = flat[-1].peak_mib / max(flat[0].peak_mib, 1.0)
        print(
            f"  import peak RSS {flat[0].peak_mib:.0f} -> {flat[-1].peak_mib:.0f} MiB "
            f"({growth:.2f}x from {flat[0].n:,} to {flat[-1].n:,} rows)",
            flush=True,
        )


def pandas_reference(
    bench: Bench, csv_path: Path, n: int, home: Path, seconds: float, cpu: float = float("nan")
) -> Row:
    """`pandas.read_csv(engine="pyarrow")` of the same file, and tracer's time (wall, and CPU when
    given) as a multiple of it."""
    code = "import sys, pandas as pd; print(len(pd.read_csv(sys.argv[1], engine='pyarrow')))"
    ref = step(
        bench, "pandas.read_csv(engine=pyarrow)", n, "rows", [sys.executable, "-c", code, str(csv_path)],
        bench.env(home),
    )  # fmt: skip
    ref.note = f"tracer/pandas = {seconds / ref.seconds:.1f}x time"
    if cpu == cpu:
        ref.note += f", {cpu / ref.cpu:.1f}x CPU"
    print(f"  {ref.note}", flush=True)
    return ref


def attribution_base(bench: Bench, canaries: int, platforms: int) -> tuple[Path, Path]:
    """The vault with the pool and canaries every attribution size starts from (built once).

    With `--base DIR` it is cached in DIR (keyed by the sizes) and reused by later runs; the
    `numbers import` and `canary batch` rows are then not measured again.
    """
    cache = bench.base / f"base-{canaries}-{platforms}" if bench.base else None
    if cache and (cache / "issued.jsonl").exists():
        print(f"  (reusing attribution base vault {cache})", flush=True)
        return cache / "vault", cache / "issued.jsonl"
    base = bench.root / "vault-attr-base"
    if base.exists():
        return base, bench.root / "issued-attr.jsonl"
    base, env = fresh_vault(bench, "vault-attr-base")
    issued = canaries_into(bench, env, "attribution", canaries, canaries, platforms)
    issued = issued.rename(bench.root / "issued-attr.jsonl")
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copytree(base, cache / "vault")
        shutil.copy(issued, cache / "issued.jsonl")
    return base, issued


def bench_attribution(
    bench: Bench, canaries: int, platforms: int, sizes: Sequence[int], report_timeout: float | None
) -> None:
    """3. Honeypot scale: `canaries` over `platforms`, then per size import contacts and report."""
    base, issued = attribution_base(bench, canaries, platforms)
    leaks = leaks_from_batch(issued, share=0.1, seed=5)
    pool = pool_numbers(canaries)
    for n in sizes:
        home = bench.root / f"vault-attr-{n}"
        shutil.copytree(base, home)
        csv_path = bench.root / f"attr-{n}.csv"
        write_contacts(csv_path, n, pool, leaks=leaks, seed=13)
        # issue 12: peak memory flat, at most 1.5 GiB at every size
        target = (60.0, 1.5 * GiB) if n >= 1_000_000 else (None, 1.5 * GiB)
        import_and_report(bench, "attribution", home, csv_path, n, target=target, timeout=report_timeout)
        if not bench.keep:
            shutil.rmtree(home, ignore_errors=True)


def import_and_report(
    bench: Bench,
    label: str,
    home: Path,
    csv_path: Path,
    n: int,
    *,
    target: tuple[float | None, float | None] = (None, None),
    timeout: float | None = None,
) -> tuple[Row, Row]:
    """`contacts import` of `csv_path` into `home`, then `tracer report`, each measured; then
    pandas' parse of the same CSV for the ratio (the CSV is deleted afterwards)."""
    env = bench.env(home)
    a = step(bench, f"{label}: contacts import", n, "rows", tracer("contacts", "import", csv_path), env)
    out = home.parent / f"report-{home.name}.json"  # a regular file: `--out` refuses devices
    b = step(
        bench,
        f"{label}: report --format json",
        n,
        "contacts",
        tracer("report", "--format", "json", "--out", out),
        env,
        target=target,
        timeout=timeout,
    )
    out.unlink(missing_ok=True)
    pandas_reference(bench, csv_path, n, home, a.seconds + b.seconds, a.cpu + b.cpu)  # end to end vs parsing
    csv_path.unlink()
    return a, b


def bench_end_to_end(
    bench: Bench, canaries: int, platforms: int, n: int, report_timeout: float | None
) -> None:
    """--full: n contacts imported and attributed, as one total."""
    base, issued = attribution_base(bench, canaries, platforms)
    leaks = leaks_from_batch(issued, share=0.1, seed=5)
    home = bench.root / f"vault-e2e-{n}"
    shutil.copytree(base, home)
    csv_path = bench.root / f"e2e-{n}.csv"
    write_contacts(csv_path, n, pool_numbers(canaries), leaks=leaks, seed=17)
    a, b = import_and_report(bench, "end to end", home, csv_path, n, timeout=report_timeout)
    bench.add(
        Row(
            "end to end: import + report",
            n,
            a.seconds + b.seconds,
            "contacts",
            max(a.peak_mib, b.peak_mib),
            note=b.note,
        )
    )


# -- command line -------------------------------------------------------------------------------

NAMES = ("batch", "import", "attribution")


@dataclass
class Plan:
    batch: int = 10_000
    import_sizes: tuple[int, ...] = (1_000_000, 5_000_000)
    canaries: int = 66_000
    platforms: int = 2_000
    attribution_sizes: tuple[int, ...] = (150_000, 1_500_000)
    full: int | None = None

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            batch=1_000, import_sizes=(100_000,), canaries=1_000, platforms=50, attribution_sizes=(20_000,)
        )


def _sizes(text: str) -> tuple[int, ...]:
    out = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        mult = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        out.append(int(float(part.rstrip("km")) * mult))
    return tuple(out)


def add_arguments(parser) -> None:  # type: ignore[no-untyped-def]
    parser.add_argument(
        "--quick", action="store_true", help="smoke sizes: 1k canaries, 100k rows, 20k contacts"
    )
    parser.add_argument("--only", choices=NAMES, action="append", help="run only this benchmark (repeatable)")
    parser.add_argument("--sizes", type=_sizes, help="CSV import sizes, e.g. 1M,5M")
    parser.add_argument("--batch", type=int, help="canaries for the batch benchmark (default 10000)")
    parser.add_argument(
        "--canaries", type=int, help="canaries (= pool numbers) for attribution (default 66000)"
    )
    parser.add_argument("--platforms", type=int, help="platforms for attribution (default 2000)")
    parser.add_argument("--attribution-sizes", type=_sizes, help="contacts for attribution, e.g. 150k,1.5M")
    parser.add_argument(
        "--full", action="store_true", help="also 5M contacts imported and attributed end to end"
    )
    parser.add_argument(
        "--report-timeout",
        type=float,
        default=600.0,
        help="kill `tracer report` after this many seconds (default 600)",
    )
    parser.add_argument("--timeout", type=float, help="kill any measured command after this many seconds")
    parser.add_argument(
        "--base", type=Path, help="cache the attribution pool+canaries vault here and reuse it in later runs"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--workdir", type=Path, help="where to make the temporary directory")


def plan_from(args) -> Plan:  # type: ignore[no-untyped-def]
    plan = Plan.quick() if args.quick else Plan()
    if args.sizes:
        plan.import_sizes = args.sizes
    if args.batch:
        plan.batch = args.batch
    if args.canaries:
        plan.canaries = args.canaries
    if args.platforms:
        plan.platforms = args.platforms
    if args.attribution_sizes:
        plan.attribution_sizes = args.attribution_sizes
    if args.full:
        plan.full = 5_000_000 if not args.quick else 100_000
    return plan


def run(args) -> list[Row]:  # type: ignore[no-untyped-def]
    plan = plan_from(args)
    only = set(args.only or NAMES)
    if args.workdir:  # a --workdir not made yet is made, as --out's folders are
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="tracer-speed-", dir=args.workdir))
    bench = Bench(root, timeout=args.timeout, keep=args.keep, base=args.base)
    print(f"speed suite in {root} (python {sys.version.split()[0]}, {os.cpu_count()} CPUs)", flush=True)
    print(HEADER, flush=True)
    jobs: list[tuple[str, Callable[[], None]]] = [
        ("batch", lambda: bench_batch(bench, plan.batch)),
        ("import", lambda: bench_import(bench, plan.import_sizes)),
        (
            "attribution",
            lambda: bench_attribution(
                bench, plan.canaries, plan.platforms, plan.attribution_sizes, args.report_timeout
            ),
        ),
    ]
    if plan.full:
        jobs.append(
            (
                "attribution",
                lambda: bench_end_to_end(
                    bench, plan.canaries, plan.platforms, plan.full, args.report_timeout
                ),
            )
        )
    try:
        for name, job in jobs:
            if name in only:
                try:
                    job()
                except Failed as exc:
                    print(f"  {name} FAILED: {exc}", flush=True)
                    bench.rows.append(Row(f"{name}: FAILED", 0, 0.0, "", 0.0, ok=False))
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return bench.rows


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.splitlines()[0])
    add_arguments(parser)
    rows = run(parser.parse_args(argv))
    print()
    print(table(rows))
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
