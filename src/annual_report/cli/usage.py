"""Command-line mistakes (``build abc``, an unknown option) told in Chinese first, as every other
message is, still exit 2: click's messages are English only, so its usage errors are caught where
typer would print them and said again by their kind.

Typer 0.2x carries its own copy of click, so the exceptions are told apart by their class names
(``NoSuchOption``, ``BadParameter`` …), which both copies share, not by importing one of them."""

from __future__ import annotations

import re
import sys
from typing import Any

import typer
from typer.core import TyperGroup

CJK = r"[\u4e00-\u9fff]"
"""Compiled (by ``re``'s cache) only when an error is said: every start-up would pay ~1 ms."""


class ChineseUsage(TyperGroup):
    """The app's root group: runs as typer does, but says a usage error in Chinese first."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone = kwargs.pop("standalone_mode", True)
        kwargs["standalone_mode"] = False  # exceptions come here, to be said in Chinese
        if not standalone:
            return super().main(*args, **kwargs)
        try:
            code = super().main(*args, **kwargs)
        except typer.Abort:
            typer.echo("已中止 Aborted!", err=True)
            sys.exit(1)
        except Exception as exc:
            if "ClickException" not in _kinds(exc):
                raise
            show(exc)
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        sys.exit(code if isinstance(code, int) else 0)


def _kinds(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def show(exc: Any) -> None:
    """错误 error: the Chinese, the English original in brackets, then usage and where help is."""
    if "NoArgsIsHelpError" in _kinds(exc):  # the bare command: its help is the answer
        exc.show()
        return
    english = exc.format_message()
    said = explain(exc)
    line = said if re.search(CJK, english) else f"{said} ({english})"
    typer.echo(f"错误 error: {line}", err=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        typer.echo(f"用法 {ctx.get_usage()}", err=True)
        typer.echo(f"查看说明 Help: {ctx.command_path} --help", err=True)


def _param_hint(param: Any, ctx: Any) -> str:
    """'years', '--format' …: click's ``get_error_hint`` takes the context, typer's copy not."""
    if param is None:
        return "参数"
    try:
        return str(param.get_error_hint(ctx))
    except TypeError:
        return str(param.get_error_hint())


def explain(exc: Any) -> str:
    """What went wrong, in Chinese, by the exception's kind."""
    kinds, message = _kinds(exc), str(exc.message)
    if "NoSuchOption" in kinds:
        close = f"，您是否想写 {exc.possibilities[0]}？" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}{close}"
    if "BadParameter" in kinds:
        hint = exc.param_hint or _param_hint(exc.param, exc.ctx)
        if "MissingParameter" in kinds:
            return f"缺少 {hint}"
        if re.search(CJK, message):
            return f"{hint} 的值不对：{message}"
        if "integer" in message:
            return f"{hint} 应为整数（年份写四位数字，如 2022）"
        if choices := re.search(r"is not one of (.+?)\.?$", message):
            return f"{hint} 只能是 {choices.group(1).replace(', ', '、')} 之一"
        if "does not exist" in message:
            return f"{hint} 指定的文件或目录不存在"
        return f"{hint} 的值不对"
    ctx = getattr(exc, "ctx", None)
    if message.startswith("No such command") and ctx is not None:
        return f"没有这个命令：可用的命令有 {'、'.join(ctx.command.list_commands(ctx))}"
    if "unexpected extra argument" in message:
        return "多余的参数"
    return "命令行有误" if "UsageError" in kinds else "出错了"
