"""``eevee cartridges list|build|verify``: the bundled homebrew games."""

from __future__ import annotations

import argparse
import hashlib
from typing import Any

from eevee.errors import CartridgeError


def add_parser(sub: Any) -> None:
    p = sub.add_parser("cartridges", help="list, build or verify the bundled cartridges")
    csub = p.add_subparsers(dest="action", metavar="ACTION")
    csub.required = True
    ls = csub.add_parser("list", help="show the bundled cartridges")
    ls.set_defaults(run=run_list)
    b = csub.add_parser(
        "build",
        help="rebuild cartridges from source (needs gcc-arm-none-eabi and sdcc; installs nothing)",
    )
    b.add_argument("names", nargs="*", help="cartridges to build (default: all)")
    b.add_argument(
        "--check",
        action="store_true",
        help="build and compare with the bundled ROMs without replacing them",
    )
    b.set_defaults(run=run_build)


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def run_list(args: argparse.Namespace) -> int:
    from eevee.cartridges import list_cartridges

    carts = list_cartridges()
    rows = [("NAME", "PLATFORM", "SIZE", "SHA-1", "DESCRIPTION")]
    for c in carts:
        if c.built:
            data = c.rom_path.read_bytes()
            size, sha = f"{len(data) // 1024} KiB", _sha1(data)[:12]
        else:
            size, sha = "-", "not built"
        rows.append((c.name, c.platform.upper(), size, sha, c.description))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4])
    return 0


def run_build(args: argparse.Namespace) -> int:
    from eevee.cartridges import get, list_cartridges
    from eevee.cartridges.build import build, install
    from eevee.cartridges.toolchain import missing_packages

    names = args.names or [c.name for c in list_cartridges()]
    carts = [get(n) for n in names]
    missing = sorted({p for c in carts for p in missing_packages(c.platform)})
    if missing:
        raise CartridgeError(
            f"missing Debian packages {' '.join(missing)}; install them with: "
            f"sudo apt-get install {' '.join(missing)} (eevee installs nothing itself)"
        )
    differ = 0
    for cart in carts:
        result = build(cart)
        old = cart.rom_path.read_bytes() if cart.built else b""
        same = old == result.rom
        verdict = "identical to bundled ROM" if same else "DIFFERS from bundled ROM"
        if not same:
            differ += 1
        if args.check:
            print(f"{cart.name}: {len(result.rom)} bytes, sha1 {_sha1(result.rom)}, {verdict}")
        else:
            install(result)
            print(f"{cart.name}: built {cart.rom_path} ({len(result.rom)} bytes, "
                  f"sha1 {_sha1(result.rom)}){'' if same else ' - updated'}")
    return 1 if (args.check and differ) else 0
