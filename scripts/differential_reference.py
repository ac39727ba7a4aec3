#!/usr/bin/env python3
"""Reference results for pipec's differential tests (issue 14), computed by the reference implementations.

    python scripts/differential_reference.py templates --seed 14 --count 4000 --out .build/differential/templates.json
    python scripts/differential_reference.py cron --seed 14 --count 400 --out .build/differential/cron.json

`templates`: a seeded generator of templates over the subset docs/spec-language.md documents (expressions,
filters, tests, statements, string and date methods, Airflow's context and macros). Each is rendered by Jinja2 in
Airflow's environment (SandboxedEnvironment, StrictUndefined, autoescape off, the `do` extension, Airflow's date
filters and macros as Airflow defines them) with the context of one daily run. The JSON holds each template, its
output or the fact that it failed (and the exception's class).

`cron`: a seeded generator of cron expressions (lists, ranges, steps, names, day-of-month with day-of-week) over
zones with odd DST rules. Each is walked over a window the way Airflow's scheduler walks its timetable, with
Airflow's own DST rules (airflow.timetables._cron.CronMixin: croniter on the naive wall clock, pendulum's
`convert` with fold=1, elapsed-time steps for expressions that fire every hour) under airflow2
(CronDataIntervalTimetable) and airflow3 (CronTriggerTimetable) semantics. The JSON holds each run's logical date
and data interval end.

Both are deterministic for a seed. The Swift tests (DifferentialTemplateTests, DifferentialCronTests) read the
files named by PIPEC_DIFFERENTIAL_TEMPLATES / PIPEC_DIFFERENTIAL_CRON; scripts/test.sh runs all of this in the
cached tools venv (scripts/requirements-tools.txt pins Jinja2, croniter, pendulum).
"""
from __future__ import annotations

import argparse
import datetime
import datetime as _dt
import json
import random
import sys
from pathlib import Path

# ---------------------------------------------------------------------------------------------------------------
# Templates


def airflow_environment():
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, extensions=["jinja2.ext.do"],
                               cache_size=0)

    # airflow/templates.py FILTERS, as Airflow defines them.
    def ds(value):
        return None if value is None else value.strftime("%Y-%m-%d")

    def ds_nodash(value):
        return None if value is None else value.strftime("%Y%m%d")

    def ts(value):
        return None if value is None else value.isoformat()

    def ts_nodash(value):
        return None if value is None else value.strftime("%Y%m%dT%H%M%S")

    def ts_nodash_with_tz(value):
        return None if value is None else value.isoformat().replace("-", "").replace(":", "")

    env.filters.update(ds=ds, ds_nodash=ds_nodash, ts=ts, ts_nodash=ts_nodash, ts_nodash_with_tz=ts_nodash_with_tz)
    return env


class Macros:
    """airflow.macros, the parts the generator uses, as Airflow defines them."""
    datetime = _dt.datetime
    timedelta = _dt.timedelta

    @staticmethod
    def ds_add(ds, days):
        if not days:
            return str(ds)
        dt = datetime.datetime.strptime(str(ds), "%Y-%m-%d") + datetime.timedelta(days=days)
        return dt.strftime("%Y-%m-%d")

    @staticmethod
    def ds_format(ds, input_format, output_format):
        return datetime.datetime.strptime(str(ds), input_format).strftime(output_format)


PARAMS = {"flag": True, "n": 3, "name": "events", "ratio": 0.5, "tables": ["a", "b", "c"], "cfg": {"k": "v", "n": 2},
          "neg": -7, "big": 10 ** 9, "empty": "", "text": "Hello, World", "greek": "ΣΑΣ", "accent": "e\u0301"}


def airflow_context():
    """The context of a daily `0 3 * * *` UTC run at 2025-03-01T03:00Z (airflow2), as in pipec's dailyRun()."""
    import pendulum

    logical = pendulum.datetime(2025, 3, 1, 3, 0, 0, tz="UTC")
    end = logical.add(days=1)
    return {
        "ds": "2025-03-01", "ds_nodash": "20250301", "ts": logical.isoformat(), "ts_nodash": "20250301T030000",
        "ts_nodash_with_tz": "20250301T030000+0000", "logical_date": logical, "data_interval_start": logical,
        "data_interval_end": end, "params": PARAMS, "macros": Macros,
    }


class TemplateGenerator:
    """Random templates over the documented subset. Every construct here must render identically in pipec; what
    pipec deliberately does differently (docs/spec-language.md, "Differences from Jinja2") is not generated."""

    STRINGS = ["", "a", "abc", "Hello, World", "a-b c", "it's", "x_y z", "  pad  ", "a,b,,c", "ÀÉÎ", "ß", "ΣΑΣ",
               "straße", "e\\u0301", "\\u00e9", "🇫🇷 fr", "a\\r\\nb", "tab\\there", "line\\nbreak", "0x1A", "42",
               "-17", " 12 ", "3.5", "1e3", "1_000", "nan", "inf", "0b101", "0o17", "abc123", "UPPER", "lower",
               "Title Case", "mIxEd", "  ", "%s-%d", "{}-{}", "{0}/{1}", "events_2025", "a.b.c", "[x]", "(y)",
               "ǅ", "ﬁ", "İ", "\\x41", "q\"x", "snake_case_name"]
    INTS = ["0", "1", "2", "3", "7", "-1", "-7", "10", "100", "255", "0x1f", "0o17", "0b101", "1_000",
            "9223372036854775807", "12"]
    FLOATS = ["0.0", "0.1", "0.5", "1.5", "2.5", "-2.5", "3.14159", "1e16", "1e-5", "0.0001", "9999999999999994.0",
              "123456789012345678.0", "1e300", "-0.0", "10.0", "0.3", "1.0e2"]
    STR_METHODS = [("upper", 0), ("lower", 0), ("strip", 0), ("lstrip", 0), ("rstrip", 0), ("title", 0),
                   ("capitalize", 0), ("swapcase", 0), ("isdigit", 0), ("isalpha", 0), ("isalnum", 0),
                   ("isspace", 0), ("islower", 0), ("isupper", 0), ("split", 0), ("split", "sep"),
                   ("rsplit", "sepn"), ("splitlines", 0), ("replace", "2s"), ("startswith", "s"), ("endswith", "s"),
                   ("find", "s"), ("rfind", "s"), ("index", "s"), ("count", "s"), ("zfill", "i"), ("ljust", "i"),
                   ("rjust", "i"), ("center", "i"), ("center", "ifill"), ("partition", "sep"),
                   ("rpartition", "sep"), ("format", "any2"), ("join", "list"), ("strip", "s")]
    FILTERS0 = ["upper", "lower", "trim", "length", "count", "int", "float", "string", "first", "last", "list",
                "sort", "reverse", "unique", "min", "max", "sum", "abs", "round", "title", "capitalize",
                "wordcount", "join"]
    TESTS0 = ["defined", "undefined", "none", "number", "string", "even", "odd", "lower", "upper", "iterable",
              "sequence", "mapping", "true", "false", "boolean", "integer", "float"]

    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, xs):
        return self.r.choice(xs)

    def string_literal(self):
        s = self.pick(self.STRINGS)
        q = '"' if "'" in s else "'"
        return q + s + q

    def scalar(self):
        k = self.r.random()
        if k < 0.35:
            return self.string_literal()
        if k < 0.6:
            return self.pick(self.INTS)
        if k < 0.8:
            return self.pick(self.FLOATS)
        return self.pick(["true", "false", "none", "True", "False", "None"])

    def sequence(self, depth):
        k = self.r.random()
        n = self.r.randint(0, 4)
        if k < 0.45:
            return "[" + ", ".join(self.pick([self.pick(self.INTS), self.string_literal()]) for _ in range(n)) + "]"
        if k < 0.6:
            return "[" + ", ".join(self.pick(self.INTS) for _ in range(n)) + "]"
        if k < 0.7:
            return "[" + ", ".join(self.string_literal() for _ in range(n)) + "]"
        if k < 0.8:
            return "(" + ", ".join(self.pick(self.FLOATS) for _ in range(n)) + ("," if n == 1 else "") + ")"
        if k < 0.9:
            return "{" + ", ".join(f"{self.string_literal()}: {self.scalar()}" for _ in range(n)) + "}"
        return self.pick(["params.tables", "params.cfg", "range(5) | list", "range(1, 10, 3) | list", "'abc' | list"])

    def context_value(self):
        return self.pick(["ds", "ds_nodash", "ts", "ts_nodash", "ts_nodash_with_tz", "params.flag", "params.n",
                          "params.name", "params.ratio", "params.tables", "params.cfg", "params.neg", "params.big",
                          "params.empty", "params.text", "params.greek", "params.accent", "params['name']",
                          "params.cfg.k", "params.tables[1]", "params.missing"])

    def date_expr(self):
        base = self.pick(["logical_date", "data_interval_start", "data_interval_end"])
        return self.pick([
            f"{base}.strftime('{self.pick(['%Y', '%Y-%m-%d', '%Y%m%d', '%H:%M', '%Y-%m-%dT%H:%M:%S', '%j', '%a %b', '%A %B %d', '%y%m', '%%'])}')",
            f"{base} | ds", f"{base} | ds_nodash", f"{base} | ts", f"{base} | ts_nodash", f"{base} | ts_nodash_with_tz",
            f"{base}.year", f"{base}.month", f"{base}.day", f"{base}.hour", f"{base}.isoformat()",
            f"({base} - macros.timedelta(days={self.pick(['1', '7', '-3', '0.5', '30'])})) | ds",
            f"({base} + macros.timedelta(hours={self.pick(['1', '25', '-2', '48'])})).isoformat()",
            f"{base}.weekday()", f"{base}.isoweekday()", f"{base}.date() | string",
            f"(data_interval_end - data_interval_start).total_seconds()",
            f"(data_interval_end - data_interval_start).days",
            f"macros.ds_add(ds, {self.pick(['-1', '1', '7', '-30', '365', '0', 'params.n', 'params.neg', '-366'])})",
            f"macros.ds_add({self.pick(['ds', chr(39) + '2024-02-28' + chr(39), chr(39) + '2025-12-31' + chr(39)])}, {self.pick(['1', '-1', '2', '60'])})",
            f"macros.ds_format(ds, '%Y-%m-%d', '{self.pick(['%d/%m/%Y', '%Y%m%d', '%b %d, %Y', '%Y-%j', '%m'])}')",
            f"macros.ds_format(ds_nodash, '%Y%m%d', '%Y-%m-%d')",
            f"macros.datetime({self.pick(['2025', '2024'])}, {self.pick(['1', '2', '12'])}, {self.pick(['1', '29', '31'])}).strftime('%Y-%m-%d')",
            f"macros.datetime(2025, 1, 1) + macros.timedelta(days={self.pick(['1', '59', '-1'])})",
            f"macros.timedelta(days={self.pick(['1', '2', '0'])}, hours={self.pick(['0', '3', '25'])})",
        ])

    def expr(self, depth=0):
        if depth > 2:
            return self.pick([self.scalar, self.context_value, self.scalar])()
        k = self.r.random()
        d = depth + 1
        if k < 0.10:
            return self.scalar()
        if k < 0.16:
            return self.context_value()
        if k < 0.26:
            op = self.pick(["+", "-", "*", "/", "//", "%", "**", "~"])
            a, b = self.operand(d), self.operand(d)
            if op == "**":
                # No fractional exponent: a negative base would give Python a complex number, which pipec refuses.
                b = self.pick(["0", "1", "2", "3", "-1", "10"])
            return f"({a} {op} {b})"
        if k < 0.32:
            op = self.pick(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])
            return f"({self.operand(d)} {op} {self.operand(d)})"
        if k < 0.36:
            op = self.pick(["and", "or"])
            return f"({self.operand(d)} {op} {self.operand(d)})"
        if k < 0.38:
            return f"(not {self.operand(d)})"
        if k < 0.41:
            return f"({self.operand(d)} if {self.operand(d)} else {self.operand(d)})"
        if k < 0.55:
            return self.filtered(d)
        if k < 0.62:
            return self.tested(d)
        if k < 0.75:
            return self.method(d)
        if k < 0.80:
            return self.subscript(d)
        if k < 0.92:
            return self.date_expr()
        if k < 0.96:
            return self.formatted(d)
        return self.sequence(d)

    def operand(self, depth):
        k = self.r.random()
        if k < 0.4:
            return self.scalar()
        if k < 0.5:
            return self.context_value()
        if k < 0.6:
            return self.sequence(depth)
        return self.expr(depth)

    def filtered(self, depth):
        base = self.operand(depth)
        name = self.pick(self.FILTERS0 + ["replace", "default", "int", "round", "join", "format", "map", "select",
                                          "reject", "items", "trim", "sum", "sort"])
        args = {
            "replace": lambda: f"({self.string_literal()}, {self.string_literal()})",
            "default": lambda: f"({self.scalar()}{self.pick(['', ', true'])})",
            "int": lambda: self.pick(["", "(7)", "(base=16)", "(base=0)", "(base=2)", "(-1, 8)"]),
            "round": lambda: self.pick(["", "(1)", "(2)", "(0, 'floor')", "(1, 'ceil')", "(-1)"]),
            "join": lambda: self.pick(["", "(', ')", "('-')"]),
            "format": lambda: f"({self.scalar()}, {self.scalar()})",
            "map": lambda: self.pick(["('upper')", "('int')", "('string')", "('length')", "('round')"]),
            "select": lambda: self.pick(["", "('odd')", "('even')", "('string')", "('number')"]),
            "reject": lambda: self.pick(["", "('none')", "('odd')", "('defined')"]),
            "trim": lambda: self.pick(["", "('ab')", "(' x')"]),
            "sum": lambda: self.pick(["", "(start=10)", "(start=0.5)"]),
            "sort": lambda: self.pick(["", "(reverse=true)", "(case_sensitive=true)"]),
        }.get(name, lambda: "")()
        if base in ("none", "None"):
            base = "none"
        # Jinja's map, select, reject, unique, items and reverse (of a list) return lazy iterators, which print as
        # `<generator object ...>` and are truthy even when empty; pipec makes lists (docs/spec-language.md).
        # Templates consume them, as real ones do, with `| list` or `| join`.
        if name in ("map", "select", "reject", "unique", "items", "reverse"):
            consume = self.pick(["list", "join(',')"])
            return f"({base} | {name}{args} | {consume})"
        return f"({base} | {name}{args})"

    def tested(self, depth):
        base = self.operand(depth)
        name = self.pick(self.TESTS0 + ["divisibleby", "eq", "ne", "lt", "ge", "in", "sameas"])
        arg = {"divisibleby": lambda: self.pick(["(3)", "(2)", "(0)"]), "eq": lambda: f"({self.scalar()})",
               "ne": lambda: f"({self.scalar()})", "lt": lambda: f"({self.pick(self.INTS)})",
               "ge": lambda: f"({self.pick(self.INTS)})", "in": lambda: f"({self.sequence(depth)})",
               "sameas": lambda: f"({self.pick(['none', 'true', 'false'])})"}.get(name, lambda: "")()
        return f"({base} is {self.pick(['', 'not '])}{name}{arg})"

    def method(self, depth):
        name, kind = self.pick(self.STR_METHODS)
        base = self.pick([self.string_literal(), self.string_literal(), self.context_value(), f"({self.operand(depth)} | string)"])
        arg = {0: lambda: "", "s": lambda: self.string_literal(), "sep": lambda: self.pick(["','", "' '", "'-'", "'a'", "'e'"]),
               "sepn": lambda: self.pick(["',', 1", "None, 1", "'-', 0"]),
               "2s": lambda: f"{self.string_literal()}, {self.string_literal()}{self.pick(['', ', 1', ', -1', ', 0'])}",
               "i": lambda: self.pick(["0", "5", "8", "12", "-1"]), "ifill": lambda: f"{self.pick(['7', '10'])}, '*'",
               "any2": lambda: f"{self.scalar()}, {self.operand(depth)}", "list": lambda: self.sequence(depth)}[kind]()
        return f"{base}.{name}({arg})"

    def subscript(self, depth):
        # Subscripting a scalar gives Jinja an undefined value that StrictUndefined lets `repr` and `format`
        # print; pipec reports it at once (docs/spec-language.md). Only strings and sequences are subscripted.
        base = self.pick([self.string_literal(), self.sequence(depth),
                          self.pick(["ds", "ts", "params.name", "params.tables", "params.greek", "params.accent"])])
        k = self.r.random()
        if k < 0.4:
            return f"{base}[{self.pick(['0', '1', '2', '-1', '-2', '5'])}]"
        return f"{base}[{self.pick(['', '1', '-2', '0'])}:{self.pick(['', '2', '-1', '10'])}{self.pick(['', ':2', ':-1', ':3'])}]"

    def formatted(self, depth):
        k = self.r.random()
        if k < 0.5:
            spec = self.pick(["", ":>6", ":<4", ":^7", ":05", ":+d", ":.2f", ":,", ":x", ":.3", ":e", ":g", ":08.3f", ":%",
                              "!r", ":*^9", ":b", ":=+8"])
            return f"'{{{spec}}}|{{}}'.format({self.operand(depth)}, {self.operand(depth)})"
        spec = self.pick(["%s", "%d", "%5.1f", "%-6s|", "%r", "%x", "%05d", "%e", "%g", "%i", "%%%s", "%c", "%.3s"])
        return f"'{spec}' % {self.operand(depth)}"

    def statement(self):
        k = self.r.random()
        e = self.expr
        if k < 0.35:
            return "{{ " + e() + " }}"
        if k < 0.45:
            seq = self.sequence(1)
            body = self.pick(["{{ x }}", "{{ loop.index }}:{{ x }}", "{{ x }}{% if not loop.last %},{% endif %}",
                              "{{ loop.revindex0 }}", "{{ loop.first }}"])
            return f"{{% for x in {seq} %}}{body}{{% else %}}empty{{% endfor %}}"
        if k < 0.55:
            return f"{{% if {e(1)} %}}A{{% elif {e(1)} %}}B{{% else %}}C{{% endif %}}"
        if k < 0.62:
            return f"{{% set v = {e(1)} %}}{{{{ v }}}}|{{{{ v | string | length }}}}"
        if k < 0.66:
            return f"{{% macro m(a, b=2) %}}[{{{{ a }}}}:{{{{ b }}}}]{{% endmacro %}}{{{{ m({self.scalar()}) }}}}{{{{ m({self.scalar()}, {self.scalar()}) }}}}"
        if k < 0.70:
            return f"{{% filter {self.pick(['upper', 'lower', 'trim', 'title'])} %}} {e(1)} text {{% endfilter %}}"
        if k < 0.74:
            return "{% set ns = namespace(total=0) %}{% for i in " + self.pick(["range(4)", "[1, 2.5, 3]", "params.tables"]) + \
                   " %}{% set ns.total = ns.total + (i | length if i is string else i) %}{% endfor %}{{ ns.total }}"
        if k < 0.78:
            return "SELECT {{ params.name }} FROM t WHERE d = '{{ " + self.date_expr() + " }}'{%- if params.flag %} AND x{% endif %}"
        return "{{ " + e() + " }}-{{ " + e(1) + " }}"

    def template(self):
        return "".join(self.statement() for _ in range(self.r.randint(1, 2)))


def render_templates(seed, count):
    env = airflow_environment()
    context = airflow_context()
    gen = TemplateGenerator(seed)
    cases = []
    for i in range(count):
        source = gen.template()
        try:
            output = env.from_string(source).render(**context)
            cases.append({"id": i, "template": source, "ok": True, "output": output})
        except Exception as error:  # noqa: BLE001 - every failure is a reference outcome
            cases.append({"id": i, "template": source, "ok": False, "error": type(error).__name__,
                          "message": str(error)[:200]})
    return cases


# ---------------------------------------------------------------------------------------------------------------
# Cron

ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "UTC"]
# Windows around each zone's changes in 2025 (local dates), plus a quiet one.
WINDOWS = {
    "Europe/Amsterdam": ["2025-03-28", "2025-10-24"],
    "America/New_York": ["2025-03-07", "2025-10-31"],
    "Australia/Lord_Howe": ["2025-04-04", "2025-10-03"],
    "Asia/Kolkata": ["2025-03-01"],
    "America/Santiago": ["2025-04-04", "2025-09-05"],
    "UTC": ["2025-02-26"],
}
DOW_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


class CronGenerator:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def field(self, lo, hi, names=None, star_weight=0.4):
        r = self.r
        k = r.random()
        if k < star_weight:
            return "*"
        if k < star_weight + 0.12:
            step = r.choice([v for v in (2, 3, 4, 5, 6, 7, 10, 12, 15, 20, 30) if v <= hi - lo + 1])
            # croniter (so Airflow) mis-steps into the next month when a listed day lies beyond the current
            # month's end by two or more (`*/6` from Feb 26 gives Mar 7, not Mar 1); pipec follows cron. Day-of-month
            # steps are therefore generated within 1-28 (docs/spec-language.md).
            return f"1-28/{step}" if hi == 28 else f"*/{step}"

        def value():
            v = r.randint(lo, hi)
            if names and r.random() < 0.3:
                return names[v - lo]
            return str(v)
        if k < star_weight + 0.3:
            return ",".join(sorted({value() for _ in range(r.randint(2, 3))}, key=lambda x: x))
        if k < star_weight + 0.45:
            a = r.randint(lo, hi - 1)
            b = r.randint(a + 1, hi)
            step = r.choice(["", "", f"/{r.randint(2, 4)}"])
            if names and r.random() < 0.3:
                return f"{names[a - lo]}-{names[b - lo]}{step}"
            return f"{a}-{b}{step}"
        return value()

    def expression(self):
        r = self.r
        if r.random() < 0.05:
            return r.choice(["@hourly", "@daily", "@weekly", "@monthly", "@midnight"])
        minute = self.field(0, 59, star_weight=0.1)
        hour = self.field(0, 23, star_weight=0.45)
        dom = self.field(1, 28, star_weight=0.7)
        month = self.field(1, 12, MONTH_NAMES, star_weight=0.85)
        dow = self.field(0, 6, DOW_NAMES, star_weight=0.7)
        # Keep fire times frequent enough to cross the DST changes in a short window.
        if month != "*":
            month = "*"
        return f"{minute} {hour} {dom} {month} {dow}"


class AirflowCron:
    """airflow.timetables._cron.CronMixin (identical in Airflow 2.10 and 3.x) with croniter and pendulum."""

    PRESETS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *",
               "@midnight": "0 0 * * *", "@yearly": "0 0 1 1 *", "@quarterly": "0 0 1 */3 *"}

    def __init__(self, expression, zone):
        import pendulum
        self.pendulum = pendulum
        self.expression = self.PRESETS.get(expression, expression)
        self.tz = pendulum.timezone(zone)

    def _croniter(self, naive):
        from croniter import croniter
        return croniter(self.expression, start_time=naive)

    def _naive(self, current):
        d = current.astimezone(self.tz)
        return datetime.datetime(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond)

    def _aware(self, naive):
        return self.tz.convert(naive.replace(fold=1))

    def _utc(self, value):
        return self.pendulum.instance(value).in_timezone("UTC")

    def _every_hour(self, cron):
        return cron.expanded[1] == ["*"]

    def get_next(self, current):
        naive = self._naive(current)
        cron = self._croniter(naive)
        scheduled = cron.get_next(datetime.datetime)
        if not self._every_hour(cron):
            return self._utc(self._aware(scheduled))
        return self._utc(current.in_timezone(self.tz) + (scheduled - naive))

    def get_prev(self, current):
        naive = self._naive(current)
        cron = self._croniter(naive)
        scheduled = cron.get_prev(datetime.datetime)
        if not self._every_hour(cron):
            return self._utc(self._aware(scheduled))
        return self._utc(current.in_timezone(self.tz) - (naive - scheduled))

    def align_to_next(self, current):
        nxt = self.get_next(current)
        return current if self.get_prev(nxt) == current else nxt

    def align_to_prev(self, current):
        prev = self.get_prev(current)
        return current if self.get_next(prev) == current else prev

    def runs(self, semantics, start, end, limit=400):
        """The scheduler's walk from `start` (catchup) to `end`: [(logical, interval end)]."""
        out = []
        logical = self.align_to_next(start)
        while logical <= end and len(out) < limit:
            if semantics == "airflow3":
                # CronTriggerTimetable: the next run fires at _get_next(previous run).
                out.append((logical, logical))
                nxt = self.get_next(logical)
            else:
                # CronDataIntervalTimetable: interval [start, _get_next(start)); the next starts at
                # _align_to_prev(end). Where that is not after this run (a 30-minute fall-back, Lord_Howe) Airflow
                # would create this run again; pipec goes on at the interval's end (docs/spec-language.md).
                stop = self.get_next(logical)
                out.append((logical, stop))
                nxt = self.align_to_prev(stop)
                if nxt <= logical:
                    nxt = stop
            if nxt <= logical:
                break
            logical = nxt
        return out


def walk_cron(seed, count):
    import pendulum
    gen = CronGenerator(seed)
    cases = []
    for i in range(count):
        expression = gen.expression()
        zone = ZONES[i % len(ZONES)]
        day = gen.r.choice(WINDOWS[zone])
        tz = pendulum.timezone(zone)
        start = pendulum.parse(day + "T" + gen.r.choice(["00:00", "01:17", "12:00"]), tz=tz).in_timezone("UTC")
        end = start.add(days=gen.r.choice([3, 5, 9]))
        cron = AirflowCron(expression, zone)
        case = {"id": i, "cron": expression, "zone": zone, "start": start.isoformat(), "end": end.isoformat()}
        try:
            for semantics in ("airflow2", "airflow3"):
                case[semantics] = [[a.isoformat(), b.isoformat()] for a, b in cron.runs(semantics, start, end)]
        except Exception as error:  # noqa: BLE001
            case["error"] = f"{type(error).__name__}: {error}"
        cases.append(case)
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", choices=["templates", "cron"])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.suite == "templates":
        import jinja2
        cases = render_templates(args.seed, args.count)
        meta = {"jinja2": jinja2.__version__}
    else:
        import croniter
        import pendulum
        cases = walk_cron(args.seed, args.count)
        meta = {"croniter": getattr(croniter, "__version__", "?"), "pendulum": pendulum.__version__}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"suite": args.suite, "seed": args.seed, "reference": meta, "cases": cases},
                                   ensure_ascii=False, indent=0, sort_keys=True))
    failed = sum(1 for c in cases if not c.get("ok", True) or "error" in c)
    print(f"{args.suite}: {len(cases)} cases (seed {args.seed}), {failed} fail in the reference -> {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
