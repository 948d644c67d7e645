"""The report of `make bench`: ratios against the baselines, the targets, a Markdown table and a chart."""

from __future__ import annotations

import re
import shutil
import statistics
from pathlib import Path
from typing import Any

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

OURS_ONE = "this project"


def _rps(results: dict[str, Any], name: str) -> float:
    for target in results.get("intake", []):
        if target["name"] == name:
            return float(statistics.median(r["rps"] for r in target["rounds"]))
    return 0.0


def _median(results: dict[str, Any], name: str, field: str) -> float:
    for target in results.get("intake", []):
        if target["name"] == name:
            return float(statistics.median(r[field] for r in target["rounds"]))
    return 0.0


def _failures(results: dict[str, Any]) -> int:
    return sum(r["non_2xx"] + r["socket_errors"] for t in results.get("intake", []) for r in t["rounds"])


def _cpu_cell(cpu: dict[str, float] | None) -> str:
    if not cpu:
        return "—"
    kinds = [kind for kind in ("postgres", "worker", "engine") if kind in cpu and (cpu[kind] or kind != "engine")]
    parts = " + ".join(f"{cpu[kind]:.2f}" for kind in kinds)
    return f"{sum(cpu.values()):.2f} ({parts})"


def ours_scaled(api_workers: int) -> str:
    return f"this project, {api_workers} API processes"


def intake_ceiling(results: dict[str, Any], api_workers: int) -> float:
    return _rps(results, ours_scaled(api_workers)) or _rps(results, OURS_ONE)


def worker_rate(results: dict[str, Any], processes: int) -> float:
    for w in results.get("workers", []):
        if w["processes"] == processes:
            return float(w["ours_per_s"])
    return 0.0


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    api_workers = int(results["args"]["api_workers"])
    measured = results.get("measured", {})
    when = sorted(set(measured.values()))
    sections_note = (
        " Sections measured in separate runs: " + ", ".join(f"{k}. {v}" for k, v in sorted(measured.items())) + "."
        if len(when) > 1
        else ""
    )
    lines = [
        f"Measured {m['date']} by `make bench` on {m['cpus']} CPUs ({m['cpu']}), {m['memory_gib']} GiB, "
        f"Linux {m['kernel']}, Python {m['python']}, PostgreSQL {m['postgres']} (the embedded server, default "
        "settings, Unix socket), everything on this one machine. Raw figures: `.data/bench/results.json`."
        + sections_note,
        "",
    ]
    targets: list[tuple[str, str, str]] = []
    if "intake" in results:
        article, reference = _rps(results, "article's app"), _rps(results, "minimal reference")
        lines += [
            "### a. Intake throughput: `POST /v1/intakes`",
            "",
            f"wrk, {results['args']['connections']} connections, one key, rate limit off; "
            f"{results['args']['rounds']} rounds of {results['args']['seconds']} s per target, interleaved; medians.",
            "",
            "| endpoint | requests/s | p50 ms | p99 ms | × article | × reference | failures |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for target in results["intake"]:
            name = target["name"]
            rps = _rps(results, name)
            fails = sum(r["non_2xx"] + r["socket_errors"] for r in target["rounds"])
            lines.append(
                f"| {name} | {rps:.0f} | {_median(results, name, 'p50_ms'):.1f}"
                f" | {_median(results, name, 'p99_ms'):.1f} | {rps / article:.2f} | {rps / reference:.2f} | {fails} |"
            )
        # Like for like: one API process, as both baselines run; and only if nothing failed.
        best = _rps(results, OURS_ONE) if _failures(results) == 0 else 0.0
        targets += [
            ("intake throughput ≥ 2.5× the article's app", f"{best / article:.2f}×", _met(best >= 2.5 * article)),
            (
                "intake throughput ≥ 0.9× the minimal reference",
                f"{best / reference:.2f}×",
                _met(best >= 0.9 * reference),
            ),
        ]
        lines.append("")
    if "workers" in results:
        lines += [
            "### b. Worker throughput",
            "",
            "Intakes queued first, then `triage worker` (concurrency 4) started; against the same number of no-op"
            " jobs drained by a plain Procrastinate worker (concurrency 4). From the first job started to the last"
            " one finished (Procrastinate's event times). CPU per job: user + system time of PostgreSQL's"
            " processes, of the worker processes and of their engine processes while the jobs drained, divided by"
            " the jobs.",
            "",
            "| worker processes | jobs | intakes triaged/s | no-op jobs/s | ratio"
            " | CPU ms per job: ours (database + worker + engine) | no-op (database + worker) |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for w in results["workers"]:
            ratio = w["ours_per_s"] / w["noop_per_s"] if w["noop_per_s"] else 0
            lines.append(
                f"| {w['processes']} | {w['jobs']:,} | {w['ours_per_s']:.0f} | {w['noop_per_s']:.0f} | {ratio:.2f}"
                f" | {_cpu_cell(w.get('ours_cpu_ms'))} | {_cpu_cell(w.get('noop_cpu_ms'))} |"
            )
            targets.append(
                (
                    f"worker throughput ≥ 0.8× no-op drain ({w['processes']} process(es))",
                    f"{ratio:.2f}×",
                    _met(ratio >= 0.8),
                )
            )
        lines.append("")
    if "e2e" in results:
        lines += [
            "### c. End to end: 202 → outcome written",
            "",
            f"The API ({api_workers} processes) and the workers running together: the highest sustainable rate"
            " probed first (10-s probes, 15 % apart, from the lower of a.'s and b.'s rates; sustainable when at"
            " most a tenth of a second's intakes are untriaged 1 s after the probe), then open-loop load"
            " at 70 % of it for the run; latency from the intake's `created_at` to its outcome's, on the"
            " database's clock.",
            "",
            "| worker processes | sustainable/s | offered/s | accepted | refused | sent late | POST p50 / p99 ms"
            " | e2e p50 ms"
            " | e2e p99 ms | not triaged 60 s after |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for e in results["e2e"]:
            lines.append(
                f"| {e['processes']} | {e['sustainable_rps']:.0f} | {e['offered_rps']:.0f} | {e['accepted']:,}"
                f" | {e['refused']} | {e['late']} |"
                f" {e['intake_p50_ms']:.0f} / {e['intake_p99_ms']:.0f} | {e['p50_ms']:.0f} | {e['p99_ms']:.0f} |"
                f" {e['backlog_left']} |"
            )
            targets.append(
                (
                    f"end-to-end p99 < 500 ms at 70 % load ({e['processes']} worker process(es))",
                    f"{e['p99_ms']:.0f} ms",
                    _met(e["p99_ms"] < 500 and e["backlog_left"] == 0 and e["refused"] == 0 and e["late"] == 0),
                )
            )
        lines.append("")
    if "memory" in results:
        mem = results["memory"]
        samples = mem["samples"]
        lines += [
            "### d. Memory (RSS)",
            "",
            f"{mem['api_processes']} API processes and {mem['worker_processes']} worker processes (each with its"
            f" engine children); the largest process of each kind, MB.",
            "",
            "| intakes stored | API | worker |",
            "|---:|---:|---:|",
        ]
        lines += [f"| {s[0]:,} | {s[1]:.0f} | {s[2]:.0f} |" for s in samples]
        loaded = [s for s in samples if s[0] > 0]
        api_peak = max(s[1] for s in samples)
        worker_peak = max(s[2] for s in samples)
        api_growth = loaded[-1][1] / loaded[0][1] - 1 if len(loaded) > 1 else 0
        worker_growth = loaded[-1][2] / loaded[0][2] - 1 if len(loaded) > 1 else 0
        targets += [
            (
                "API and worker RSS < 200 MB",
                f"{api_peak:.0f} / {worker_peak:.0f} MB",
                _met(max(api_peak, worker_peak) < 200),
            ),
            (
                f"RSS flat (± 10 %) over {mem['intakes']:,} intakes",
                f"{api_growth:+.0%} / {worker_growth:+.0%}",
                _met(abs(api_growth) <= 0.1 and abs(worker_growth) <= 0.1),
            ),
        ]
        lines.append("")
    if "growth" in results:
        lines += [
            "### e. Cost growth with what is stored",
            "",
            "Bulk-loaded (n intakes, n finished jobs, n audit events, 50 tenants); one call at a time over HTTP"
            " with auth and audit, 200 measured calls each.",
            "",
            "| stored intakes | call | p50 ms | p99 ms |",
            "|---:|---|---:|---:|",
        ]
        lines += [
            f"| {g['stored']:,} | `{g['case']}` | {g['p50_ms']:.1f} | {g['p99_ms']:.1f} |" for g in results["growth"]
        ]
        biggest = max(g["stored"] for g in results["growth"])
        history = [g for g in results["growth"] if g["stored"] == biggest and "patients" in g["case"]]
        if history:
            worst = max(g["p99_ms"] for g in history)
            worst_p50 = max(g["p50_ms"] for g in history)
            targets.append(
                (
                    f"patient history < 10 ms at {biggest:,} rows (median)",
                    f"p50 {worst_p50:.1f} / p99 {worst:.1f} ms",
                    _met(worst_p50 < 10),
                )
            )
        lines.append("")
    lines[2:2] = ["| target | measured | |", "|---|---:|---|", *[f"| {t} | {v} | {ok} |" for t, v, ok in targets], ""]
    return "\n".join(lines) + "\n"


def chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [p for p in ("intake", "workers", "e2e") if p in results]
    if not panels:
        return
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4), squeeze=False)
    for ax, panel in zip(axes[0], panels, strict=True):
        if panel == "intake":
            names = [t["name"] for t in results["intake"]]
            values = [_rps(results, n) for n in names]
            ax.barh(names, values, color=["#2a6f97" if n.startswith("this") else "#adb5bd" for n in names])
            ax.set_xlabel("POST requests/s (median)")
            ax.set_title("a. intake throughput")
            ax.invert_yaxis()
        elif panel == "workers":
            labels = [f"{w['processes']} proc." for w in results["workers"]]
            xs = range(len(labels))
            ax.bar(
                [x - 0.2 for x in xs],
                [w["ours_per_s"] for w in results["workers"]],
                0.4,
                label="triage",
                color="#2a6f97",
            )
            ax.bar(
                [x + 0.2 for x in xs],
                [w["noop_per_s"] for w in results["workers"]],
                0.4,
                label="no-op",
                color="#adb5bd",
            )
            ax.set_xticks(list(xs), labels)
            ax.set_ylabel("jobs/s")
            ax.set_title("b. worker throughput")
            ax.legend()
        else:
            labels = [f"{e['processes']} worker(s)\n{e['offered_rps']:.0f}/s" for e in results["e2e"]]
            xs = range(len(labels))
            ax.bar([x - 0.2 for x in xs], [e["p50_ms"] for e in results["e2e"]], 0.4, label="p50", color="#89c2d9")
            ax.bar([x + 0.2 for x in xs], [e["p99_ms"] for e in results["e2e"]], 0.4, label="p99", color="#2a6f97")
            ax.axhline(500, color="#c1121f", linestyle="--", linewidth=1, label="p99 target")
            ax.set_xticks(list(xs), labels)
            ax.set_ylabel("ms, 202 → outcome")
            ax.set_title("c. end to end at 70 % load")
            ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_docs(generated: str, png: Path, docs: Path) -> None:
    """Replace the generated block of docs/benchmarks.md (between the markers) and its chart."""
    page = docs / "benchmarks.md"
    text = page.read_text()
    block = f"{BEGIN}\n{generated}\n![make bench](benchmarks.png)\n{END}"
    text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    page.write_text(text)
    if png.exists():
        shutil.copyfile(png, docs / "benchmarks.png")
