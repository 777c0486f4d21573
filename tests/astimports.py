"""Shared by the import-contract tests: reading module names out of source code."""

from __future__ import annotations

import ast


def literal_module(node: ast.expr) -> str | None:
    """The module name in ``import_module("eevee.x")`` / ``import_module(f"eevee.x.{y}")``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        head = node.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return head.value.rstrip(".")
    return None


def from_module(node: ast.ImportFrom, package: list[str]) -> str:
    """The absolute module of ``from ... import`` in a module of ``package`` (its parts)."""
    if not node.level:
        return node.module or ""
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])
