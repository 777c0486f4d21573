"""Point ``eevee`` at every kind of bad input a user might, and count how each ends.

Each case runs the real command line in a child process (a time limit, and a 3 GiB
address-space limit so a file read whole shows up as a memory error instead of taking
the machine): files that are not ROMs (FIFOs, devices, huge sparse files, archives,
random bytes, empty files, directories, over-long or non-UTF-8 or control-character
names), real ROMs cut short at many lengths or padded, headers with control bytes,
numbers that are not (nan, inf, negative, zero, words), a model strategist's options,
missing models and broken prompt templates, and profile folders holding broken files;
every file that ``info`` refuses goes through ``play`` too, on each in-process backend.
A case ends well in a **clean refusal** (exit 2, one ``eevee: error:`` line, no
traceback) or a **correct acceptance** (exit 0 where the input is fine).
Prints the counts; exit status 0 only when every case ended well.

    python bench/bad_inputs.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROMS = ROOT / "src" / "eevee" / "cartridges" / "roms"
LIMIT_AS = 3 << 30


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    expect: str  # "refuse" or "accept" or "either" (a cut ROM may still boot)
    env: tuple[tuple[str, str], ...] = ()


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))


def run(case: Case, tmp: Path) -> str:
    env = {**os.environ, **dict(case.env), "EEVEE_DATA": str(tmp / "data")}
    try:
        p = subprocess.run([sys.executable, "-m", "eevee.cli.main", *case.args],
                           capture_output=True, timeout=60, env=env, preexec_fn=_limits,
                           check=False)
    except subprocess.TimeoutExpired:
        return "hang"
    err = p.stderr.decode("utf-8", "replace")
    if "Traceback" in err:
        return "memory" if "MemoryError" in err else "traceback"
    errors = [line for line in err.splitlines() if not line.startswith("eevee: warning:")]
    if p.returncode == 2 and len(errors) == 1 and errors[0].startswith("eevee: error:"):
        return "refused"
    if p.returncode == 0:
        return "accepted"
    return f"exit {p.returncode}"


def rom_cases(tmp: Path, quick: bool) -> Iterator[Case]:
    quest, maze = (ROMS / "quest.gba").read_bytes(), (ROMS / "maze.gb").read_bytes()
    d = tmp / "roms"
    d.mkdir()

    def file(name: str | bytes, data: bytes) -> str:
        path = os.path.join(os.fsencode(d), name if isinstance(name, bytes) else name.encode())
        with open(path, "wb") as f:
            f.write(data)
        return os.fsdecode(path)

    step = 1 if not quick else 4
    cuts_gba = [0, 1, 3, 4, 100, 191, 192, 193, 0xBE, 0xC0, 512, 4096]
    cuts_gba += list(range(384, 4096, 192 * step))  # (every 192 bytes past the header)
    cuts_gba += list(range(8192, len(quest), max(8192, len(quest) // (60 // step))))
    for n in cuts_gba:
        expect = "refuse" if n < 192 else "either"
        yield Case(f"gba cut at {n}", ("info", file(f"cut{n}.gba", quest[:n])), expect)
        if n >= 192:  # (and does the emulator cope with what passes the header check?)
            yield Case(f"gba cut at {n}, play", ("play", file(f"pc{n}.gba", quest[:n]),
                       "--frames", "10", "--time-mode", "unlocked", "--quiet",
                       "--no-knowledge", "--out", str(tmp / f"o-c{n}")), "either")
    for n in (192, 4096, 100_000, len(quest) // 2):  # (does the emulator cope?)
        yield Case(f"gba cut at {n}, play", ("play", file(f"pcut{n}.gba", quest[:n]),
                   "--frames", "30", "--time-mode", "unlocked", "--quiet", "--no-knowledge",
                   "--out", str(tmp / f"o-cut{n}")), "either")
    cuts_gb = [0, 1, 0x100, 0x14F, 0x150, 0x151, 4096, *range(8192, len(maze), 2048 * step)]
    for n in cuts_gb:
        yield Case(f"gb cut at {n}", ("info", file(f"cut{n}.gb", maze[:n])), "refuse")
    yield Case("gb padded", ("info", file("pad.gb", maze + bytes(4096))), "refuse")
    yield Case("gb doubled", ("info", file("dbl.gb", maze + maze)), "refuse")
    for i, size in enumerate((1, 10, 300, 5000, 1 << 16, 1 << 20)):
        rnd = os.urandom(size)
        for ext in (".gba", ".gb", ".gbc"):
            yield Case(f"random {size} B{ext}", ("info", file(f"rnd{i}{ext}", rnd)), "either")
        rom = bytearray(rnd.ljust(1 << 16, b"\0"))
        rom[3] = 0xEA  # (a GBA header's branch: it gets past the header check)
        yield Case(f"random {size} B as a GBA, play", ("play", file(f"prnd{i}.gba", bytes(rom)),
                   "--frames", "30", "--time-mode", "unlocked", "--quiet", "--no-knowledge",
                   "--out", str(tmp / f"o-rnd{i}")), "either")
    for magic, ext in ((b"PK\x03\x04", ".zip"), (b"\x1f\x8b", ".gz"), (b"7z\xbc\xaf", ".7z")):
        yield Case(f"archive {ext}", ("info", file(f"a{ext}", magic + bytes(300))), "refuse")
        yield Case(f"archive as .gba {ext}", ("info", file(f"a{ext}.gba", magic + bytes(300))),
                   "refuse")
    for ext in (".txt", ".bin", "", ".GBA", ".Gb"):
        expect = "accept" if ext.lower() in (".gba", ".gb") else "refuse"
        yield Case(f"extension {ext or 'none'}", ("info", file(f"q{ext}", quest if
                   ext.lower() != ".gb" else maze)), expect)
    titled = bytearray(quest)
    titled[0xA0:0xAC] = b"\x1b[2J\x07\x00EVIL\r\n"
    titled[0xBD] = (-(sum(titled[0xA0:0xBD]) + 0x19)) & 0xFF
    yield Case("control bytes in title", ("info", file("ctl.gba", bytes(titled))), "accept")
    yield Case("non-UTF-8 name", ("info", file(b"caf\xe9.gba", quest)), "accept")
    yield Case("non-UTF-8 name, play", ("play", file(b"r\xe9play.gba", quest), "--frames",
               "5", "--time-mode", "unlocked", "--quiet", "--no-knowledge", "--out",
               str(tmp / "o-utf8")), "accept")
    yield Case("newline in name", ("info", file("new\nline.gba", quest)), "accept")
    yield Case("over-long name", ("info", str(d / ("x" * 300 + ".gba"))), "refuse")
    yield Case("over-long path", ("info", "/" + "/".join(["y" * 200] * 30) + ".gba"), "refuse")


def special_cases(tmp: Path) -> Iterator[Case]:
    d = tmp / "special"
    d.mkdir()
    fifo = d / "fifo.gba"
    os.mkfifo(fifo)
    for name, target in (("zero.gba", "/dev/zero"), ("urandom.gb", "/dev/urandom"),
                         ("null.gba", "/dev/null")):
        (d / name).symlink_to(target)
        yield Case(f"device {name}", ("info", str(d / name)), "refuse")
        yield Case(f"device {name}, play", ("play", str(d / name), "--frames", "5"), "refuse")
    yield Case("fifo", ("info", str(fifo)), "refuse")
    yield Case("fifo, play", ("play", str(fifo), "--frames", "5"), "refuse")
    for size, ext in ((1 << 36, ".gba"), (64 << 20, ".gba"), (16 << 20, ".gb")):
        sparse = d / f"sparse{size}{ext}"
        with open(sparse, "wb") as f:
            f.truncate(size)
        yield Case(f"sparse {size} B{ext}", ("info", str(sparse)), "refuse")
    (d / "dir.gba").mkdir()
    yield Case("directory", ("info", str(d / "dir.gba")), "refuse")
    yield Case("missing", ("info", str(d / "missing.gba")), "refuse")
    yield Case("empty name", ("play", ""), "refuse")
    yield Case("blank name", ("info", "   "), "refuse")
    (d / "loop.gba").symlink_to(d / "loop.gba")
    yield Case("symlink loop", ("info", str(d / "loop.gba")), "refuse")


def number_cases(tmp: Path) -> Iterator[Case]:
    base = ("play", "quest", "--time-mode", "unlocked", "--quiet", "--no-knowledge")
    for flag, values in (("--seconds", ("nan", "inf", "-inf", "-1", "0", "1e308", "x")),
                         ("--frames", ("-1", "0", "abc", "1.5", "")),
                         ("--seed", ("abc", "1e3")),
                         ("--screenshot-every", ("-1", "x")),
                         ("--autosave-every", ("nan", "0", "-5", "inf")),
                         ("--port", ("99999", "-1", "x")),
                         ("--time-mode", ("warp", "")),
                         ("--until", ("never",)),
                         ("--session", ("../up", "a/b", "", "x" * 100))):
        for v in values:
            extra = ("--dashboard",) if flag == "--port" else ()
            yield Case(f"{flag} {v!r}", (*base, flag, v, *extra), "refuse")
    yield Case("video --scale 0", ("video", str(tmp), "--scale", "0"), "refuse")
    yield Case("bench dashboard --seconds nan", ("bench", "dashboard", "--seconds", "nan"),
               "refuse")
    yield Case("bench emulator --frames -5", ("bench", "emulator", "--frames", "-5"), "refuse")
    yield Case("replay nothing", ("replay", str(tmp / "none")), "refuse")
    yield Case("knowledge bad url", ("knowledge", "--knowledge", "redis://127.0.0.1:1",
                                     "list"), "refuse")
    yield Case("knowledge file as folder", ("knowledge", "--knowledge", "/dev/null",
                                            "list"), "either")


def model_cases(tmp: Path) -> Iterator[Case]:
    """The model strategist's options and files: each a clean refusal."""
    base = ("play", "quest", "--time-mode", "unlocked", "--quiet", "--no-knowledge",
            "--frames", "5")
    openai = (*base, "--strategist", "openai", "--model-url", "http://127.0.0.1:9/v1",
              "--model", "m")
    for flag, values in (("--model-timeout", ("nan", "inf", "-1", "0", "x")),
                         ("--max-tokens", ("0", "-5", "99999", "x")),
                         ("--model-latency", ("nan", "-1", "inf", "x")),
                         ("--model-retries", ("-1", "9", "x")),
                         ("--model-images", ("all", "")),
                         ("--schema-format", ("yaml",))):
        for v in values:
            yield Case(f"{flag} {v!r}", (*openai, flag, v), "refuse")
    yield Case("openai without a url", (*base, "--strategist", "openai", "--model", "m"),
               "refuse")
    yield Case("openai without a model", (*base, "--strategist", "openai", "--model-url",
                                          "http://127.0.0.1:9/v1"), "refuse")
    yield Case("openai, ftp url", (*base, "--strategist", "openai", "--model-url", "ftp://x",
                                   "--model", "m"), "refuse")
    yield Case("openai, unset key variable", (*openai, "--api-key-env", "EEVEE_NO_SUCH_KEY"),
               "refuse")
    yield Case("unknown strategist", (*base, "--strategist", "gpt"), "refuse")
    d = tmp / "models"
    d.mkdir()
    (d / "empty").mkdir()
    for name, where in (("missing", d / "nope"), ("empty folder", d / "empty"),
                        ("a device", Path("/dev/null")), ("a file", ROMS / "quest.gba")):
        yield Case(f"transformers, model {name}", (*base, "--strategist", "transformers",
                                                  "--model", str(where)), "refuse")
    for name, files in (("missing", None),
                        ("unknown field", {"system.txt": b"$secret", "user.txt": b"$frame"}),
                        ("stray dollar", {"system.txt": b"5$ x", "user.txt": b"$frame"}),
                        ("not UTF-8", {"system.txt": b"caf\xe9", "user.txt": b"$frame"}),
                        ("huge", {"system.txt": b"a" * (1 << 20), "user.txt": b"$frame"}),
                        ("user.txt missing", {"system.txt": b"$actions"})):
        folder = d / f"prompts-{name.replace(' ', '-')}"
        if files is not None:
            folder.mkdir()
            for fname, data in files.items():
                (folder / fname).write_bytes(data)
        yield Case(f"--prompt-dir {name}", (*openai, "--prompt-dir", str(folder)), "refuse")
    for v in ("x", "3-1", "nan-2", "0-9999"):
        yield Case(f"bench strategist --stand-in {v!r}", ("bench", "strategist", "--stand-in",
                                                          v, "--frames", "5"), "refuse")


def other_commands(tmp: Path) -> Iterator[Case]:
    """Bad files where the other commands take one: a run folder (replay, video), a
    knowledge document (knowledge import), a prompt folder, a ROM for a replay."""
    d = tmp / "others"
    d.mkdir()
    fifo = d / "fifo"
    os.mkfifo(fifo)
    (d / "dir").mkdir()
    sparse = d / "sparse"
    with open(sparse, "wb") as f:
        f.truncate(1 << 36)
    files = {"fifo": fifo, "/dev/zero": Path("/dev/zero"), "/dev/urandom":
             Path("/dev/urandom"), "/dev/null": Path("/dev/null"), "sparse": sparse,
             "directory": d / "dir", "missing": d / "missing"}
    for name, data in (("latin-1", "{\"x\": \"caf\xe9\"}".encode("latin-1")),
                       ("deep", b"[" * 100_000 + b"]" * 100_000),
                       ("broken", b"{\"game\": "), ("random", os.urandom(4096)),
                       ("array", b"[1, 2]"), ("empty", b"")):
        (d / name).write_bytes(data)
        files[name] = d / name
    for name, path in files.items():
        yield Case(f"knowledge import {name}", ("knowledge", "--knowledge", str(tmp / "k"),
                                                "import", str(path)), "refuse")
        yield Case(f"replay {name}", ("replay", str(path)), "refuse")
        yield Case(f"video {name}", ("video", str(path), "-o", str(tmp / "v.mp4")), "refuse")
        yield Case(f"replay with --rom {name}", ("replay", str(tmp), "--rom", str(path)),
                   "refuse")
    for flag, values in (("--from", ("-5", "x", "nan")), ("--to", ("-1", "x")),
                         ("--scale", ("9", "-1", "x"))):
        for v in values:
            yield Case(f"video {flag} {v!r}", ("video", str(tmp), "-o", str(tmp / "v.mp4"),
                                               flag, v), "refuse")
    for args in (("agent", "--frames", "0"), ("agent", "--seeds", "x"),
                 ("agent", "--agents", "nobody"), ("agent", "--cartridges", "nowhere"),
                 ("video", "--frames", "-1"), ("perception", "--steps", "x"),
                 ("strategist", "--frames", "0"), ("strategist", "--time-mode", "warp",
                                                   "--frames", "5", "--stand-in", "0-0")):
        yield Case(f"bench {' '.join(args)}", ("bench", *args), "refuse")


def also_played(cases: Iterator[Case], tmp: Path) -> Iterator[Case]:
    """Each file ``info`` refuses, given to ``play`` too, on each in-process backend (each
    opens files its own way): it must refuse it the same way."""
    for i, case in enumerate(cases):
        yield case
        if case.args[0] == "info" and case.expect == "refuse" and len(case.args) == 2:
            for backend in ("auto", "retro", "pyboy"):
                yield Case(f"{case.name}, play ({backend})",
                           ("play", case.args[1], "--frames", "5", "--quiet",
                            "--no-knowledge", "--backend", backend, "--out",
                            str(tmp / f"o-p{i}-{backend}")), "refuse", case.env)


def profile_cases(tmp: Path) -> Iterator[Case]:
    d = tmp / "profiles"
    d.mkdir()
    good = ROOT / "src" / "eevee" / "cartridges" / "data" / "maze" / "profile.json"
    bad = {"latin1.json": "{\"rom\": \"caf\xe9\"}".encode("latin-1"),
           "deep.json": b"[" * 100_000 + b"]" * 100_000,
           "huge.json": b"{\"x\": \"" + b"a" * (3 << 20) + b"\"}",
           "broken.json": b"{\"rom\": ",
           "array.json": b"[1, 2, 3]",
           "null.json": b"null"}
    for name, data in bad.items():
        one = d / name.replace(".json", "")
        one.mkdir()
        (one / name).write_bytes(data)
        shutil.copy(good, one / "maze.json")
        env = (("EEVEE_PROFILE_PATH", str(one)),)
        yield Case(f"profile path with {name}: info quest", ("info", "quest"), "accept", env)
        yield Case(f"profile path with {name}: info maze", ("info", "maze"), "accept", env)
    fifo = d / "fifo"
    fifo.mkdir()
    os.mkfifo(fifo / "x.json")
    yield Case("profile path with a FIFO", ("info", "quest"), "accept",
               (("EEVEE_PROFILE_PATH", str(fifo)),))
    yield Case("profile path missing", ("info", "quest"), "accept",
               (("EEVEE_PROFILE_PATH", str(d / "nope")),))
    for name, data in bad.items():
        p = d / f"explicit-{name}"
        p.write_bytes(data)
        yield Case(f"--profile {name}", ("play", "quest", "--profile", str(p), "--frames",
                                         "5"), "refuse")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer cut lengths")
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    bad: list[str] = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        cases = [*also_played(rom_cases(tmp, args.quick), tmp),
                 *also_played(special_cases(tmp), tmp), *number_cases(tmp),
                 *model_cases(tmp), *other_commands(tmp), *profile_cases(tmp)]
        for case in cases:
            got = run(case, tmp)
            counts[got] += 1
            fine = (got == "refused" and case.expect in ("refuse", "either")) or (
                got == "accepted" and case.expect in ("accept", "either"))
            if not fine:
                bad.append(f"{case.name}: {got} (expected {case.expect})")
    for line in bad:
        print("NOT WELL:", line)
    print(f"{len(cases)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
          + f"; ended well {len(cases) - len(bad)}, tracebacks {counts['traceback']}, "
          f"hangs {counts['hang']}, memory blow-ups {counts['memory']}")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
