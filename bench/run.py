#!/usr/bin/env python3
"""distbuild's packing benchmark: distbuild against the compressors themselves.

On one input (components of an installed toolchain, copied into an image through their
lib/rustlib/manifest-<component> lists) it runs, one case after another so they never compete:

  * `distbuild pack` for each profile and format set;
  * each command-line encoder alone on the very tar distbuild wrote (`xz -T<cores>`, `gzip`,
    `zstd -T<cores>` at the profile's levels): their CPU seconds give the floor
    sum(encoder CPU) / cores, and their sizes the bar distbuild's outputs must not exceed;
  * the hand pipelines a person would type, `tar -c | xz`, `tar -c | gzip`, `tar -c | zstd`,
    one after another, for the "faster than doing it by hand" comparison;
  * optionally (--dist) `distbuild dist` twice on the same toolchain with an empty cache, to time
    the second, cached run against the first;
  * optionally (--whole-toolchain) `distbuild dist --toolchain` of every installed component
    (--no-cache), then each command-line encoder alone on the very tars that dist wrote (every
    component's, decompressed from its .tar.zst/.tar.gz): wall / (sum of encoder CPU / cores) is
    the ratio to the floor, and each output's size against the tools' on the same tar; with
    --rust-installer PATH, Rust's own rust-installer then packs the same components (images made
    from the same manifest-* lists) one after another with the same profile and formats.

Every case runs under /usr/bin/time -v (wall, user+sys of the process and its children, peak
RSS). It prints a table and writes JSON. See README.md, "Performance".
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

PROFILES = {
    # profile: (gzip level, xz CLI options, zstd level)
    "fast": (1, ["-1"], 3),
    "balanced": (6, ["-6"], 12),
    # best's xz: preset 9 with promote-release's tuning; the dictionary is added per input.
    "best": (9, None, 19),
}
EXT = {"gz": "tar.gz", "xz": "tar.xz", "zst": "tar.zst"}


def production_dict(size):
    """promote-release's rule, as builder/compress_profile.cpp: smallest 2^n or 2^n+2^(n-1)."""
    low, high = 4 << 10, 128 << 20
    if size <= low:
        return low
    power = low
    while power <= high:
        if power >= size:
            return power
        between = power + power // 2
        if size <= between <= high:
            return between
        power *= 2
    return high


BEST_MAX_DICT = 64 << 20  # builder/compress_profile.hpp k_best_max_xz_dict: keeps best under 1 GiB


def xz_options(profile, tar_size):
    if PROFILES[profile][1] is not None:
        return PROFILES[profile][1]
    # best: one block on one thread (the -T1 overrides the -T<cores> before it).
    d = min(production_dict(tar_size), BEST_MAX_DICT)
    return [f"--lzma2=preset=9,dict={d},mf=bt4,mode=normal,nice=273,depth=1000,pb=2,lp=0,lc=3",
            "--check=none", "-T1"]


def parse_time_v(text):
    def field(name):
        m = re.search(r"^\s*" + re.escape(name) + r":\s*(.+)$", text, re.M)
        return m.group(1).strip() if m else None
    user = float(field("User time (seconds)") or 0)
    system = float(field("System time (seconds)") or 0)
    rss_kib = int(field("Maximum resident set size (kbytes)") or 0)
    return user + system, rss_kib


def measure(name, argv, output=None, shell=False):
    """Runs argv under /usr/bin/time -v; returns wall, cpu (user+sys incl. children), rss."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        command = ["/usr/bin/time", "-v", "-o", tf.name]
        command += ["bash", "-c", argv] if shell else argv
        start = time.monotonic()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - start
        if done.returncode != 0:
            sys.exit(f"bench: {name} failed ({done.returncode}):\n{done.stderr}")
        cpu, rss = parse_time_v(tf.read())
    size = os.path.getsize(output) if output else None
    result = {"case": name, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
              "peak_rss_mib": round(rss / 1024, 1), "bytes": size}
    print(f"  {name:44s} {wall:8.1f}s wall {cpu:8.1f}s cpu {rss / 1024:8.0f} MiB"
          + (f" {size:>12d} B" if size else ""), flush=True)
    return result


def copy_component(toolchain, component, image):
    """Hard links (copies across file systems) the files one installed component lists."""
    manifest = os.path.join(toolchain, "lib/rustlib", f"manifest-{component}")
    total = 0
    with open(manifest) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.startswith("file:"):
                continue
            rel = line[len("file:"):]
            src, dst = os.path.join(toolchain, rel), os.path.join(image, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
            total += os.path.getsize(src)
    return total


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    return {"cpu": model, "cores": os.cpu_count(), "kernel": platform.release(),
            "loadavg_at_start": [round(x, 2) for x in load],
            "xz": subprocess.run(["xz", "--version"], capture_output=True, text=True).stdout.split("\n")[0],
            "zstd": subprocess.run(["zstd", "--version"], capture_output=True, text=True).stdout.strip(),
            "gzip": subprocess.run(["gzip", "--version"], capture_output=True, text=True).stdout.split("\n")[0]}


def bench_pack(args, distbuild, component_names, image, work, cores):
    cases = []
    for profile in args.profiles.split(","):
        gz_level, _, zst_level = PROFILES[profile]
        for format_set in args.format_sets.split(";"):
            formats = format_set.split(",")
            out = os.path.join(work, f"out-{profile}-{format_set.replace(',', '-')}")
            os.makedirs(out, exist_ok=True)
            print(f"{profile} / {format_set}:", flush=True)
            argv = [distbuild, "--quiet", "pack", "--image", image, "--component", component_names,
                    "--package", "bench", "--version", "0", "--target", "x86_64-unknown-linux-gnu",
                    "--output-dir", out, "--formats", format_set, "--profile", profile]
            if args.threads:
                argv += ["--threads", str(args.threads)]
            d = measure(f"distbuild pack {profile} {format_set}", argv)
            outputs = {f: os.path.join(out, f"bench-0-x86_64-unknown-linux-gnu.{EXT[f]}") for f in formats}
            d["outputs"] = {f: os.path.getsize(p) for f, p in outputs.items()}

            # The exact tar distbuild compressed, for the encoders alone.
            tar = os.path.join(work, "input.tar")
            source = outputs.get("zst") or outputs.get("gz") or outputs["xz"]
            subprocess.run(["bash", "-c", f"{'zstd' if source.endswith('zst') else 'gzip' if source.endswith('gz') else 'xz'}"
                            f" -dc '{source}' > '{tar}'"], check=True)
            tar_size = os.path.getsize(tar)
            encoders = {
                "gz": ["gzip", "-n", f"-{gz_level}"],
                "xz": ["xz", f"-T{cores}"] + xz_options(profile, tar_size),
                "zst": ["zstd", "-q", f"-T{cores}", f"-{zst_level}"],
            }
            alone, hand = {}, {}
            for f in formats:
                dst = os.path.join(work, f"cli.{EXT[f]}")
                cmd = " ".join(encoders[f]) + f" -c < '{tar}' > '{dst}'"
                alone[f] = measure(f"  {' '.join(encoders[f])} (tar given)", cmd, dst, shell=True)
                os.remove(dst)
            for f in formats:
                dst = os.path.join(work, f"hand.{EXT[f]}")
                cmd = f"tar -cf - -C '{image}' . | " + " ".join(encoders[f]) + f" -c > '{dst}'"
                hand[f] = measure(f"  tar -c | {' '.join(encoders[f])}", cmd, dst, shell=True)
                os.remove(dst)
            if profile == "best" and "xz" in formats:
                # The size bar for best: plain `xz -9e` (64 MiB dictionary, one block).
                dst = os.path.join(work, "cli-9e.tar.xz")
                alone["xz -9e"] = measure("  xz -T1 -9e (tar given)", f"xz -T1 -9e -c < '{tar}' > '{dst}'",
                                          dst, shell=True)
                os.remove(dst)
            os.remove(tar)
            reference = alone.pop("xz -9e", None)
            floor = sum(a["cpu_s"] for a in alone.values()) / cores
            hand_wall = sum(h["wall_s"] for h in hand.values())
            case = {"profile": profile, "formats": formats, "tar_bytes": tar_size, "distbuild": d,
                    "encoders_alone": alone, "hand_pipelines": hand,
                    "floor_s": round(floor, 2), "hand_sequential_wall_s": round(hand_wall, 2),
                    "ratio_to_floor": round(d["wall_s"] / floor, 3) if floor else None,
                    "ratio_to_hand": round(d["wall_s"] / hand_wall, 3) if hand_wall else None,
                    "size_vs_cli": {f: round(d["outputs"][f] / alone[f]["bytes"], 4) for f in formats}}
            if reference:
                case["xz_9e"] = reference
                case["xz_size_vs_9e"] = round(d["outputs"]["xz"] / reference["bytes"], 4)
            cases.append(case)
            shutil.rmtree(out)
    return cases


def bench_dist(args, distbuild, work):
    """First and second `dist` of the same toolchain components, with a fresh cache."""
    env = dict(os.environ, DISTBUILD_NO_CACHE="")
    runs = []
    for n in (1, 2):
        out = os.path.join(work, f"tree{n}")
        argv = [distbuild, "--quiet", "dist", "--toolchain", args.toolchain, "--components",
                args.dist_components, "--profile", args.dist_profile, "--out", out,
                "--cache-dir", os.path.join(work, "cache")]
        print(f"dist run {n}:", flush=True)
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            start = time.monotonic()
            subprocess.run(["/usr/bin/time", "-v", "-o", tf.name] + argv, env=env, check=True)
            wall = time.monotonic() - start
            cpu, rss = parse_time_v(tf.read())
        print(f"  {wall:.1f}s wall {cpu:.1f}s cpu {rss / 1024:.0f} MiB", flush=True)
        runs.append({"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mib": round(rss / 1024, 1)})
    identical = subprocess.run(["diff", "-r", "-q", "-x", "*.asc", os.path.join(work, "tree1/dist"),
                                os.path.join(work, "tree2/dist")], capture_output=True).returncode == 0
    return {"components": args.dist_components, "profile": args.dist_profile, "first": runs[0],
            "second": runs[1], "second_over_first": round(runs[1]["wall_s"] / runs[0]["wall_s"], 4),
            "second_over_first_cpu": round(runs[1]["cpu_s"] / runs[0]["cpu_s"], 4),
            "trees_identical": identical}


def installed_components(toolchain):
    with open(os.path.join(toolchain, "lib/rustlib/components")) as f:
        return [line.strip() for line in f if line.strip()]


def bench_whole_toolchain(args, distbuild, work, cores):
    """dist of the whole toolchain against the encoder-CPU floor on the very same tars."""
    profile = args.dist_profile
    formats = args.format_sets.split(";")[0].split(",")
    gz_level, _, zst_level = PROFILES[profile]
    tree = os.path.join(work, "whole-tree")
    shutil.rmtree(tree, ignore_errors=True)
    argv = [distbuild, "--quiet", "dist", "--toolchain", args.toolchain, "--profile", profile,
            "--formats", ",".join(formats), "--no-cache", "--out", tree]
    if args.threads:
        argv += ["--threads", str(args.threads)]
    print(f"whole toolchain, {profile}, {','.join(formats)}:", flush=True)
    d = measure("distbuild dist --toolchain (all components)", argv)
    dated = [e.path for e in os.scandir(os.path.join(tree, "dist")) if e.is_dir()][0]
    stems = sorted({e.name.split(".tar.")[0] for e in os.scandir(dated) if ".tar." in e.name
                    and not e.name.endswith((".sha256", ".asc"))})
    encoders = {"gz": ["gzip", "-n", f"-{gz_level}"],
                "zst": ["zstd", "-q", f"-T{cores}", f"-{zst_level}"]}
    tar = os.path.join(work, "whole.tar")
    floor_cpu, tools, ours, tar_total = 0.0, {}, {}, 0
    for stem in stems:
        source = next(os.path.join(dated, f"{stem}.{EXT[f]}") for f in ("zst", "gz", "xz")
                      if os.path.exists(os.path.join(dated, f"{stem}.{EXT[f]}")))
        tool = "zstd" if source.endswith("zst") else "gzip" if source.endswith("gz") else "xz"
        subprocess.run(["bash", "-c", f"{tool} -dc '{source}' > '{tar}'"], check=True)
        tar_size = os.path.getsize(tar)
        tar_total += tar_size
        for f in formats:
            enc = encoders.get(f) or ["xz", f"-T{cores}"] + xz_options(profile, tar_size)
            dst = os.path.join(work, f"whole-cli.{EXT[f]}")
            r = measure(f"  {stem} {' '.join(enc)}", " ".join(enc) + f" -c < '{tar}' > '{dst}'",
                        dst, shell=True)
            os.remove(dst)
            floor_cpu += r["cpu_s"]
            tools[f] = tools.get(f, 0) + r["bytes"]
            ours[f] = ours.get(f, 0) + os.path.getsize(os.path.join(dated, f"{stem}.{EXT[f]}"))
    os.remove(tar)
    floor = floor_cpu / cores
    result = {"profile": profile, "formats": formats, "components": stems, "tar_bytes": tar_total,
              "distbuild": d, "floor_s": round(floor, 2),
              "ratio_to_floor": round(d["wall_s"] / floor, 3) if floor else None,
              "size_vs_cli": {f: round(ours[f] / tools[f], 4) for f in formats}}
    if args.rust_installer:
        result["rust_installer"] = bench_rust_installer(args, work, profile, formats)
    shutil.rmtree(tree, ignore_errors=True)
    return result


def bench_rust_installer(args, work, profile, formats):
    """Rust's own rust-installer on the same components, one after another."""
    total = {"wall_s": 0.0, "cpu_s": 0.0, "peak_rss_mib": 0.0, "bytes": {}}
    for component in installed_components(args.toolchain):
        image = os.path.join(work, "ri-image", component)
        shutil.rmtree(image, ignore_errors=True)
        copy_component(args.toolchain, component, image)
        out = os.path.join(work, "ri-out")
        os.makedirs(out, exist_ok=True)
        argv = [os.path.abspath(args.rust_installer), "generate", "--product-name=Rust",
                "--rel-manifest-dir=rustlib", f"--success-message={component} installed.",
                f"--image-dir={image}", f"--work-dir={os.path.join(work, 'ri-work')}",
                f"--output-dir={out}", f"--package-name={component}",
                f"--component-name={component}", f"--compression-formats={','.join(formats)}",
                f"--compression-profile={profile}"]
        r = measure(f"  rust-installer {component}", argv)
        for key in ("wall_s", "cpu_s"):
            total[key] = round(total[key] + r[key], 2)
        total["peak_rss_mib"] = max(total["peak_rss_mib"], r["peak_rss_mib"])
        for f in formats:
            path = os.path.join(out, f"{component}.{EXT[f]}")
            total["bytes"][f] = total["bytes"].get(f, 0) + os.path.getsize(path)
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(os.path.join(work, "ri-work"), ignore_errors=True)
        shutil.rmtree(image, ignore_errors=True)
    return total


def print_table(cases, dist, whole=None):
    if cases:
        print("\n| profile | formats | distbuild wall | CPU | peak RSS | floor (Σ encoder CPU ÷ cores) "
              "| hand, one after another | ÷ floor | ÷ hand | size ÷ CLI |")
        print("|---|---|---|---|---|---|---|---|---|---|")
    for c in cases:
        d = c["distbuild"]
        sizes = ", ".join(f"{f} {r:.4f}" for f, r in c["size_vs_cli"].items())
        print(f"| {c['profile']} | {','.join(c['formats'])} | {d['wall_s']:.1f} s | {d['cpu_s']:.1f} s "
              f"| {d['peak_rss_mib']:.0f} MiB | {c['floor_s']:.1f} s | {c['hand_sequential_wall_s']:.1f} s "
              f"| {c['ratio_to_floor']:.2f} | {c['ratio_to_hand']:.2f} | {sizes} |")
    for c in cases:
        if "xz_size_vs_9e" in c:
            print(f"\n{c['profile']}: xz {c['distbuild']['outputs']['xz']} B = {c['xz_size_vs_9e']:.4f} x "
                  f"`xz -9e` ({c['xz_9e']['bytes']} B, {c['xz_9e']['peak_rss_mib']:.0f} MiB)")
    if dist:
        f, s = dist["first"], dist["second"]
        print("\n| dist | components | first wall | first CPU | second wall | second CPU "
              "| second ÷ first (wall) | (CPU) | second peak RSS | trees identical |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        print(f"| {dist['profile']} | {dist['components']} | {f['wall_s']:.1f} s | {f['cpu_s']:.1f} s "
              f"| {s['wall_s']:.1f} s | {s['cpu_s']:.1f} s | {100 * dist['second_over_first']:.1f} % "
              f"| {100 * dist['second_over_first_cpu']:.1f} % | {s['peak_rss_mib']:.0f} MiB "
              f"| {dist['trees_identical']} |")
    if whole:
        d = whole["distbuild"]
        sizes = ", ".join(f"{f} {r:.4f}" for f, r in whole["size_vs_cli"].items())
        print("\n| whole toolchain | formats | tar | distbuild wall | CPU | peak RSS "
              "| floor (Σ encoder CPU ÷ cores) | ÷ floor | size ÷ CLI |")
        print("|---|---|---|---|---|---|---|---|---|")
        print(f"| {whole['profile']} | {','.join(whole['formats'])} | {whole['tar_bytes'] / 1e6:.1f} MB "
              f"| {d['wall_s']:.1f} s | {d['cpu_s']:.1f} s | {d['peak_rss_mib']:.0f} MiB "
              f"| {whole['floor_s']:.1f} s | {whole['ratio_to_floor']:.2f} | {sizes} |")
        ri = whole.get("rust_installer")
        if ri:
            print(f"| rust-installer, one after another | | | {ri['wall_s']:.1f} s | {ri['cpu_s']:.1f} s "
                  f"| {ri['peak_rss_mib']:.0f} MiB | | {ri['wall_s'] / whole['floor_s']:.2f} | "
                  + ", ".join(f"{f} {b} B" for f, b in ri["bytes"].items()) + " |")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--distbuild", default=os.environ.get("DISTBUILD", os.path.join(here, "../build/builder/distbuild")),
                   help="the binary (default: $DISTBUILD, else build/builder/distbuild)")
    p.add_argument("--toolchain", default=os.path.expanduser("~/.rustup/toolchains/stable-x86_64-unknown-linux-gnu"))
    p.add_argument("--components", default="rust-std-x86_64-unknown-linux-gnu",
                   help="comma list of lib/rustlib/manifest-<name> names packed as one image "
                        "(default: rust-std-x86_64-unknown-linux-gnu; e.g. rustc-x86_64-unknown-linux-gnu)")
    p.add_argument("--profiles", default="balanced", help="comma list of fast, balanced, best")
    p.add_argument("--format-sets", default="gz,xz,zst", help="';'-separated format sets, e.g. 'gz,xz,zst;xz'")
    p.add_argument("--threads", type=int, default=0, help="distbuild --threads (default: all cores)")
    p.add_argument("--dist", action="store_true", help="also time a first and a second (cached) dist")
    p.add_argument("--dist-components", default="rustc,rust-std,cargo,clippy,rustfmt")
    p.add_argument("--dist-profile", default="balanced")
    p.add_argument("--whole-toolchain", action="store_true",
                   help="dist every installed component (--dist-profile, first --format-sets) and "
                        "compare with the encoder-CPU floor on the very tars")
    p.add_argument("--rust-installer", default=None,
                   help="with --whole-toolchain: a built rust-installer binary, run on the same inputs")
    p.add_argument("--skip-pack", action="store_true", help="leave out the pack cases")
    p.add_argument("--json", default=None, help="where to write the results (default: ./bench-<time>.json)")
    p.add_argument("--work-dir", default=None, help="scratch space (default: a temp dir, removed after)")
    args = p.parse_args()

    distbuild = os.path.abspath(args.distbuild)
    if not os.access(distbuild, os.X_OK):
        sys.exit(f"bench: {distbuild}: not an executable; build it or pass --distbuild")
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("bench: /usr/bin/time is missing (Debian package `time`; scripts/install-deps.sh)")
    cores = os.cpu_count() or 1
    work = args.work_dir or tempfile.mkdtemp(prefix="distbuild-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        image = os.path.join(work, "image")
        shutil.rmtree(image, ignore_errors=True)
        total = sum(copy_component(args.toolchain, c, image) for c in args.components.split(","))
        print(f"input: {args.components}, {total / 1e6:.1f} MB in {image}", flush=True)
        info = machine()
        print(f"machine: {info['cpu']}, {info['cores']} cores, load {info['loadavg_at_start']}", flush=True)
        cases = [] if args.skip_pack else bench_pack(args, distbuild, args.components.split(",")[0],
                                                      image, work, cores)
        dist = bench_dist(args, distbuild, work) if args.dist else None
        whole = bench_whole_toolchain(args, distbuild, work, cores) if args.whole_toolchain else None
        info["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        print_table(cases, dist, whole)
        doc = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": info, "input": {"toolchain": args.toolchain, "components": args.components,
                                          "bytes": total}, "cases": cases, "dist": dist,
               "whole_toolchain": whole}
        path = args.json or "bench-" + time.strftime("%Y%m%d-%H%M%S") + ".json"
        with open(path, "w") as f:
            json.dump(doc, f, indent=2)
        print(f"\nwrote {path}")
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
