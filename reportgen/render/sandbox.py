"""The Jinja sandbox every template is checked and filled in, the limits it runs under, and
what a template may not do because it would leave the sandbox or its cost cannot be bounded
cheaply (refused by name before anything compiles)."""

from __future__ import annotations

import functools
import operator

from jinja2.exceptions import SecurityError

from reportgen.core.catalogue import CATALOG, finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location

HERE = Location("")  # `templatecheck.check` sets a template finding's location to the template
MIB = 1024 * 1024
MAX_PRODUCT = 100_000  # longest string or list `*` (and largest number `**`) may make
# Checking and filling a template run in a child process under these limits (`bounded`): the
# bundled template takes ~0,1 s and ~30 MB; a 100-page decision well under a second.
CPU_SECONDS = 20
MEMORY_BYTES = 512 * MIB
# Filters whose cost their inputs bound (a copy, a count, a sort); any other — `center`,
# `indent`, `format`, `batch`, `slice`, `replace`, `wordwrap`, ... take a size or repeat
# count from the template and can make gigabytes from a word — is refused by name.
FILTERS = frozenset(
    "abs capitalize count d default dictsort e escape first float forceescape groupby int "
    "items join last length list lower map max min reject rejectattr reverse round safe "
    "select selectattr sort string striptags sum title tojson trim truncate unique upper "
    "wordcount".split()
)
# String methods that take a width or a count, or build from another string: refused too
# (`'{:>999999999}'.format(1)`, `x.center(10**9)`), as is `%` on a string (sandbox).
METHODS = frozenset(
    "center ljust rjust zfill expandtabs format format_map replace join translate "
    "split rsplit splitlines partition rpartition encode".split()
)
# The tags that load another template, by their node's class name
LOADS = {
    "Include": "include",
    "Extends": "extends",
    "Import": "import",
    "FromImport": "from ... import",
}


class UnsafeOperation(SecurityError):
    """An operation the sandbox refuses while filling: `case` is TEMPLATE_UNSAFE's case, its
    words the catalogue's."""

    def __init__(self, case: str, **params: object) -> None:
        super().__init__(CATALOG["TEMPLATE_UNSAFE"].clause(case, **params))
        self.case, self.params = case, params

    def __reduce__(self):  # pickled as made (it may cross `bounded`'s pipe)
        return functools.partial(UnsafeOperation, self.case, **self.params), ()


def environment():
    """The Jinja environment templates are parsed and rendered in: sandboxed (no attribute
    starting with `_`, no Python internals, lists and dicts read-only), no globals, undefined
    names an error, autoescape on, `*`/`**` that cannot build a huge value and no `%` on a
    string (`'%999999999d' % 1`)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context, operator_name, left, right):
            if operator_name == "%":
                if isinstance(left, str):
                    raise UnsafeOperation("percent")
                return left % right
            if operator_name == "**" and abs(size(right)) * max(1, len(str(left))) > 64:
                raise UnsafeOperation("power")
            if operator_name == "*" and size(left) * size(right) > MAX_PRODUCT:
                raise UnsafeOperation("product", limit=MAX_PRODUCT)
            ops = {"*": operator.mul, "**": operator.pow}
            return ops[operator_name](left, right)

    env = Sandbox(autoescape=True, undefined=StrictUndefined)
    env.globals.clear()
    return env


def size(value: object) -> int:
    """How big `value` makes a product: its length, or its magnitude as a number."""
    if isinstance(value, (str, list, tuple)):
        return len(value)
    try:
        return abs(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return 1


def too_costly(what: str, name: str, seconds: int) -> Finding:
    """TEMPLATE_TOO_COSTLY for the template `name`: `what` ("time", "memory" or "recursion")
    ran out; `seconds` is the CPU limit the run was given."""
    limit = {"time": seconds, "memory": MEMORY_BYTES // MIB}.get(what)
    return finding("TEMPLATE_TOO_COSTLY", HERE, name=name, case=what, limit=limit)


def private_access(tree, name: str) -> list[Finding]:
    """Each access to an attribute or key starting with `_` (`__class__`, `__globals__`) in
    the parsed template `name`: the way out of a template into Python."""
    from jinja2 import nodes

    problems = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            attr = node.arg.value
        if isinstance(attr, str) and attr.startswith("_"):
            problems.append(finding("TEMPLATE_UNSAFE", HERE, name=name, case="private", attr=attr))
    return problems


def unbounded(tree, name: str) -> list[Finding]:
    """What the parsed template `name` may not do because its cost cannot be bounded cheaply:
    a filter outside `FILTERS` (also named through `map`), a method in `METHODS`, a macro that
    calls itself, and include/extends/import (a template stands alone: nothing to load)."""
    from jinja2 import nodes

    def unsafe_use(case: str, **params: object) -> Finding:
        return finding("TEMPLATE_UNSAFE", HERE, name=name, case=case, **params)

    allowed = ", ".join(sorted(FILTERS))
    problems = []
    for node in tree.find_all((nodes.Filter, nodes.Call)):
        names = []
        if isinstance(node, nodes.Filter):
            names.append(node.name)
            if node.name == "map" and node.args:  # map('center', ...) names a filter
                first = node.args[0]
                names.append(first.value if isinstance(first, nodes.Const) else None)
        elif isinstance(node.node, nodes.Getattr) and node.node.attr in METHODS:
            problems.append(unsafe_use("method", method=node.node.attr))
        for used in names:
            if not isinstance(used, str):
                problems.append(unsafe_use("data_filter", allowed=allowed))
            elif used not in FILTERS:
                problems.append(unsafe_use("filter", filter=used, allowed=allowed))
    for macro in tree.find_all(nodes.Macro):
        if any(
            isinstance(call.node, nodes.Name) and call.node.name == macro.name
            for call in macro.find_all(nodes.Call)
        ):
            problems.append(unsafe_use("macro", macro=macro.name))
    for node in tree.find_all((nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
        problems.append(unsafe_use("load", tag=LOADS[type(node).__name__]))
    return problems
