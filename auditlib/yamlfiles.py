"""One way to read every settings file (YAML): parsed, validated against its JSON Schema, and
every mistake one `SettingsError` naming the file and the line where it is written.

The five kinds — the rule catalog, params files, completeness profiles, the prose
vocabularies and triage files — each declare a schema (jsonschema, Draft 2020-12) next to
the code that reads them and call `load`.  A schema may give a property an `x-problem`: the
Chinese line shown whenever its value is wrong, in place of the generic one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from auditlib.errors import SettingsError

__all__ = ["Loaded", "load", "parse"]

TYPE_ZH = {"object": "“键: 值”的映射", "array": "列表", "string": "文字", "number": "数字",
           "integer": "整数", "boolean": "true 或 false", "null": "空"}


@dataclass(frozen=True)
class Loaded:
    """A YAML file's data and the line of every place in it (`lines[path]`, path a tuple of
    keys and indexes; a mapping's value is found at its key's line)."""

    data: Any
    source: str
    lines: dict[tuple, int]

    def line(self, path: tuple = ()) -> int:
        """The line of `path`, or of its nearest written ancestor."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def fail(self, path: tuple, problem: str) -> SettingsError:
        return SettingsError(self.source, self.line(tuple(path)), problem)


def _lines(node: yaml.Node, path: tuple, out: dict[tuple, int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            out[child] = key.start_mark.line + 1
            _lines(value, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), out)


def parse(text: str, source: str) -> Loaded:
    """YAML text with its lines; a syntax error is a `SettingsError` at its line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise SettingsError(source, mark.line + 1 if mark else 0, f"YAML 格式错误（{problem}）") from None
    except ValueError as exc:  # a YAML date that is no date (2022-13-01)
        raise SettingsError(source, 0, f"YAML 格式错误（{exc}）") from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    if node is not None:
        _lines(node, (), lines)
    return Loaded(data, source, lines)


def load(path: str | Path, schema: dict, source: str | None = None) -> Loaded:
    """Read and validate one settings file.  `source` is the name shown (default: the path)."""
    path = Path(path)
    source = source or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SettingsError(source, 0, "不是 UTF-8 编码的文本文件（not UTF-8 text）") from None
    except OSError as exc:
        raise SettingsError(source, 0, f"无法读取文件（{exc.strerror or exc}）") from None
    return validate(parse(text, source), schema)


def validate(loaded: Loaded, schema: dict) -> Loaded:
    """`loaded` if its data fits `schema`; else the first mistake, in file order, at its line (a
    key missing last: a misspelt key is both unknown and missing, and its own line says more)."""
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = list(validator.iter_errors(loaded.data))
    if not errors:
        return loaded
    first = min(errors, key=lambda e: (e.validator == "required", loaded.line(_where(e)), -len(e.absolute_path)))
    raise loaded.fail(_where(first), problem(first))


def _where(error: jsonschema.ValidationError) -> tuple:
    """The place a mistake is written: an unknown key's own line, else the value's."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)
        return (*path, extra[0]) if extra else path
    return path


def _name(path: tuple) -> str:
    """The key a mistake is under, as the sentence's subject ("" for the file as a whole)."""
    keys = [str(k) for k in path if not isinstance(k, int)]
    return f"{keys[-1]} " if keys else ""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def problem(error: jsonschema.ValidationError) -> str:
    """A jsonschema mistake as the one Chinese line users read."""
    special = error.schema.get("x-problem") if isinstance(error.schema, dict) else None
    path = tuple(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if kind == "additionalProperties":
        allowed = "、".join(sorted(error.schema.get("properties", {})))
        return f"未知的键 “{_where(error)[-1]}”（可用：{allowed}）"
    if kind == "required":
        missing = next(k for k in expected if k not in error.instance)
        return f"缺少 “{missing}”"
    name, value = _name(path), _shown(error.instance)
    if special:
        return f"{name}{special}，现为 {value}"
    if kind == "type":
        wanted = "或".join(TYPE_ZH.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        return f"{name}应为{' ' if wanted[0].isascii() else ''}{wanted}，现为 {value}"
    if kind in ("enum", "const"):
        options = expected if kind == "enum" else [expected]
        return f"{name}不能是 {value}（可用：{'、'.join(map(str, options))}）"
    if kind in ("minimum", "exclusiveMinimum", "minItems", "minLength"):
        return f"{name}不能是 {value}（至少为 {expected}）"
    if kind == "format":
        return f"{name}不是有效的{'正则表达式' if expected == 'regex' else expected}，现为 {value}"
    return f"{name}不符合要求（{error.message}）"
