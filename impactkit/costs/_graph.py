"""A small expression graph: one model definition, evaluated by numpy and written as JavaScript
and as spreadsheet formulas.

The business case (:mod:`impactkit.costs._casemodel`) is *defined* once as a graph of scalar
nodes: named inputs, constants and a handful of operations.  The same graph is

* **evaluated with numpy** (:meth:`Graph.evaluate`), every input a scalar or an array of draws,
  so one evaluation runs the deterministic case, a tornado or 10,000 PSA draws at once;
* **written as JavaScript** (:meth:`Graph.javascript`): one straight-line function
  ``f(x) -> outputs``, inlined in the offline page;
* **written as spreadsheet formulas** (:meth:`Graph.formulas`): one cell per node, each
  formula referring to the cells of its arguments (Excel and LibreOffice syntax).

No formula is written twice by hand, so the page, the workbook and Python cannot drift apart.

Operations (all elementwise, IEEE double precision in every backend):

=========  ===============  =====================  ==========================
op         numpy            JavaScript             spreadsheet
=========  ===============  =====================  ==========================
add        a + b + ...      (a+b+...)              (A1+B1+...)
sub        a - b            (a-b)                  (A1-B1)
mul        a * b * ...      (a*b*...)              (A1*B1*...)
div        a / b            (a/b)                  (A1/B1)
pow        a ** b           Math.pow(a,b)          POWER(A1,B1)
min, max   minimum/maximum  Math.min/Math.max      MIN/MAX
lt, le,    1.0 or 0.0       (a<b?1:0)              IF(A1<B1,1,0)
eq
where      c != 0 ? a : b   (c!==0?a:b)            IF(C1<>0,A1,B1)
log, exp   log, exp         Math.log, Math.exp     LN, EXP
nan        NaN              NaN                    NA()
=========  ===============  =====================  ==========================

Sums and products are evaluated left to right in every backend (the same order of rounding).
Nodes are interned (the same operation on the same arguments is one node) and operations on
constants are folded at build time, with numpy, so every backend receives the folded number.
A hand-rolled graph rather than a computer-algebra system: the model has a few thousand nodes
that must stay *shared* (common subexpressions) across three backends, one cell per node.

>>> g = Graph()
>>> x, y = g.input("x"), g.input("y")
>>> z = g.where(x < y, x * 2 + 1, y)
>>> float(g.evaluate({"x": 1.0, "y": 5.0}, [z])[0])
3.0
>>> "Math" in g.javascript(["x", "y"], {"z": z}) or "?" in g.javascript(["x", "y"], {"z": z})
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from impactkit.errors import ImpactkitError

__all__ = ["Graph", "Node"]

_NARY = ("add", "mul", "min", "max")
_ARITY = {"sub": 2, "div": 2, "pow": 2, "lt": 2, "le": 2, "eq": 2, "where": 3, "log": 1, "exp": 1}
Number = float | int | np.floating | np.integer
_MAX_ARGS = 30  # a longer sum or product becomes nested groups (short formulas in every backend)


class Node:
    """One scalar of the graph; arithmetic and comparisons build new nodes of the same graph."""

    __slots__ = ("args", "graph", "index", "label", "name", "op", "value")

    def __init__(self, graph: Graph, index: int, op: str, args: tuple[Node, ...], value: float | None,
                 name: str | None) -> None:  # fmt: skip
        self.graph = graph
        self.index = index
        self.op = op
        self.args = args
        self.value = value
        self.name = name
        self.label: str | None = None

    # -------------------------------------------------------------- building
    def _n(self, other: Node | Number) -> Node:
        return other if isinstance(other, Node) else self.graph.const(float(other))

    def __add__(self, o: Node | Number) -> Node:
        return self.graph.add(self, self._n(o))

    def __radd__(self, o: Number) -> Node:
        return self.graph.add(self._n(o), self)

    def __sub__(self, o: Node | Number) -> Node:
        return self.graph.sub(self, self._n(o))

    def __rsub__(self, o: Number) -> Node:
        return self.graph.sub(self._n(o), self)

    def __mul__(self, o: Node | Number) -> Node:
        return self.graph.mul(self, self._n(o))

    def __rmul__(self, o: Number) -> Node:
        return self.graph.mul(self._n(o), self)

    def __truediv__(self, o: Node | Number) -> Node:
        return self.graph.div(self, self._n(o))

    def __rtruediv__(self, o: Number) -> Node:
        return self.graph.div(self._n(o), self)

    def __neg__(self) -> Node:
        return self.graph.sub(self.graph.const(0.0), self)

    def __pow__(self, o: Node | Number) -> Node:
        return self.graph.pow(self, self._n(o))

    def __lt__(self, o: Node | Number) -> Node:
        return self.graph.lt(self, self._n(o))

    def __le__(self, o: Node | Number) -> Node:
        return self.graph.le(self, self._n(o))

    def __gt__(self, o: Node | Number) -> Node:
        return self.graph.lt(self._n(o), self)

    def __ge__(self, o: Node | Number) -> Node:
        return self.graph.le(self._n(o), self)

    def __bool__(self) -> bool:
        raise TypeError("A graph node has no truth value: use Graph.where for a condition.")

    __hash__ = object.__hash__

    @property
    def is_const(self) -> bool:
        return self.op == "const"

    def __repr__(self) -> str:
        if self.op == "const":
            return f"<Node {self.index}: {self.value!r}>"
        if self.op == "input":
            return f"<Node {self.index}: input {self.name}>"
        return f"<Node {self.index}: {self.op}{tuple(a.index for a in self.args)}>"


def _apply(op: str, xs: Sequence[Any]) -> Any:
    """The numpy meaning of every operation (also used to fold constants)."""
    if op == "add":
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out
    if op == "mul":
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return out
    if op == "min":
        out = xs[0]
        for x in xs[1:]:
            out = np.minimum(out, x)
        return out
    if op == "max":
        out = xs[0]
        for x in xs[1:]:
            out = np.maximum(out, x)
        return out
    a = xs[0]
    if op == "sub":
        return a - xs[1]
    if op == "div":
        return np.true_divide(a, xs[1])
    if op == "pow":
        return np.power(a, xs[1])
    if op == "lt":
        return np.less(a, xs[1]).astype(float)
    if op == "le":
        return np.less_equal(a, xs[1]).astype(float)
    if op == "eq":
        return np.equal(a, xs[1]).astype(float)
    if op == "where":
        return np.where(np.not_equal(a, 0), xs[1], xs[2])
    if op == "log":
        return np.log(a)
    if op == "exp":
        return np.exp(a)
    raise ImpactkitError(f"graph: unknown operation {op!r} (a bug).")


class Graph:
    """Nodes in creation order (which is a topological order: arguments exist before their users)."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self._interned: dict[tuple[Any, ...], Node] = {}
        self.inputs: dict[str, Node] = {}

    # -------------------------------------------------------------- leaves
    def _make(
        self, op: str, args: tuple[Node, ...], value: float | None = None, name: str | None = None
    ) -> Node:
        key = (op, tuple(a.index for a in args), None if value is None else _key(value), name)
        hit = self._interned.get(key)
        if hit is not None:
            return hit
        node = Node(self, len(self.nodes), op, args, value, name)
        self.nodes.append(node)
        self._interned[key] = node
        return node

    def input(self, name: str) -> Node:
        """The input called ``name`` (one node per name)."""
        if name in self.inputs:
            return self.inputs[name]
        node = self._make("input", (), None, name)
        self.inputs[name] = node
        return node

    def const(self, value: Number) -> Node:
        return self._make("const", (), float(value))

    def nan(self) -> Node:
        return self.const(math.nan)

    # -------------------------------------------------------------- operations
    def _op(self, op: str, args: Sequence[Node | Number]) -> Node:
        nodes = tuple(a if isinstance(a, Node) else self.const(float(a)) for a in args)
        if any(a.graph is not self for a in nodes):
            raise ImpactkitError("graph: a node of another graph was used (a bug).")
        if op in _ARITY and len(nodes) != _ARITY[op]:
            raise ImpactkitError(f"graph: {op} takes {_ARITY[op]} arguments, got {len(nodes)} (a bug).")
        if all(a.is_const for a in nodes):
            with np.errstate(all="ignore"):
                return self.const(float(_apply(op, [a.value for a in nodes])))
        return self._make(op, nodes)

    def add(self, *xs: Node | Number) -> Node:
        return self.sum(xs)

    def sum(self, xs: Iterable[Node | Number]) -> Node:
        """x1 + x2 + ... left to right; exact zeros are dropped (x + 0 is x), constants folded last."""
        nodes = [x if isinstance(x, Node) else self.const(float(x)) for x in xs]
        terms = [x for x in nodes if not (x.is_const and x.value == 0.0)]
        if not terms:
            return self.const(0.0)
        return self._chain("add", terms)

    def mul(self, *xs: Node | Number) -> Node:
        return self.product(xs)

    def product(self, xs: Iterable[Node | Number]) -> Node:
        """x1 × x2 × ... left to right; a factor 1 is dropped, an exact zero factor gives 0."""
        nodes = [x if isinstance(x, Node) else self.const(float(x)) for x in xs]
        if any(x.is_const and x.value == 0.0 for x in nodes):
            return self.const(0.0)
        terms = [x for x in nodes if not (x.is_const and x.value == 1.0)]
        if not terms:
            return self.const(1.0)
        return self._chain("mul", terms)

    def _chain(self, op: str, terms: list[Node]) -> Node:
        """A long sum or product as nested groups of at most _MAX_ARGS, still left to right."""
        acc = terms[0]
        rest = terms[1:]
        while rest:
            acc = self._op(op, [acc, *rest[: _MAX_ARGS - 1]])
            rest = rest[_MAX_ARGS - 1 :]
        return acc

    def sub(self, a: Node | Number, b: Node | Number) -> Node:
        if isinstance(b, Node) and b.is_const and b.value == 0.0:
            return a if isinstance(a, Node) else self.const(float(a))
        return self._op("sub", (a, b))

    def div(self, a: Node | Number, b: Node | Number) -> Node:
        if isinstance(b, Node) and b.is_const and b.value == 1.0:
            return a if isinstance(a, Node) else self.const(float(a))
        return self._op("div", (a, b))

    def pow(self, a: Node | Number, b: Node | Number) -> Node:
        if isinstance(b, Node) and b.is_const and b.value == 0.0:
            return self.const(1.0)
        if isinstance(b, Node) and b.is_const and b.value == 1.0:
            return a if isinstance(a, Node) else self.const(float(a))
        return self._op("pow", (a, b))

    def minimum(self, *xs: Node | Number) -> Node:
        return xs[0] if len(xs) == 1 and isinstance(xs[0], Node) else self._op("min", xs)

    def maximum(self, *xs: Node | Number) -> Node:
        return xs[0] if len(xs) == 1 and isinstance(xs[0], Node) else self._op("max", xs)

    def clip(self, x: Node | Number, low: Node | Number, high: Node | Number) -> Node:
        return self.minimum(self.maximum(x, low), high)

    def lt(self, a: Node | Number, b: Node | Number) -> Node:
        return self._op("lt", (a, b))

    def le(self, a: Node | Number, b: Node | Number) -> Node:
        return self._op("le", (a, b))

    def eq(self, a: Node | Number, b: Node | Number) -> Node:
        return self._op("eq", (a, b))

    def where(self, cond: Node | Number, a: Node | Number, b: Node | Number) -> Node:
        if isinstance(cond, Node) and cond.is_const:
            chosen = a if cond.value != 0.0 else b
            return chosen if isinstance(chosen, Node) else self.const(float(chosen))
        if isinstance(a, Node) and isinstance(b, Node) and a is b:
            return a
        return self._op("where", (cond, a, b))

    def log(self, a: Node | Number) -> Node:
        return self._op("log", (a,))

    def exp(self, a: Node | Number) -> Node:
        return self._op("exp", (a,))

    def label(self, node: Node, text: str) -> Node:
        """Give ``node`` a description (the spreadsheet's step column); the first label stays."""
        if node.label is None and not node.is_const and node.op != "input":
            node.label = text
        return node

    # -------------------------------------------------------------- evaluation
    def needed(self, outputs: Iterable[Node]) -> list[Node]:
        """The nodes ``outputs`` depend on, in topological order."""
        mark = np.zeros(len(self.nodes), dtype=bool)
        stack = [o.index for o in outputs]
        while stack:
            i = stack.pop()
            if mark[i]:
                continue
            mark[i] = True
            stack.extend(a.index for a in self.nodes[i].args)
        return [self.nodes[i] for i in np.flatnonzero(mark)]

    def evaluate(self, values: Mapping[str, Any], outputs: Sequence[Node]) -> list[np.ndarray]:
        """Every node of ``outputs`` for the given inputs (scalars or arrays that broadcast).

        Intermediate arrays are released after their last use, so memory follows the graph's
        width, not its size.
        """
        order = self.needed(outputs)
        missing = sorted({str(n.name) for n in order if n.op == "input" and n.name not in values})
        if missing:
            raise ImpactkitError(f"graph: no value for input(s) {', '.join(missing)} (a bug).")
        last: dict[int, int] = {}
        for pos, node in enumerate(order):
            for a in node.args:
                last[a.index] = pos
        keep = {o.index for o in outputs}
        live: dict[int, Any] = {}
        with np.errstate(all="ignore"):
            for pos, node in enumerate(order):
                if node.op == "const":
                    live[node.index] = np.float64(node.value)
                elif node.op == "input":
                    live[node.index] = np.asarray(values[node.name], dtype=float)  # type: ignore[index]
                else:
                    live[node.index] = _apply(node.op, [live[a.index] for a in node.args])
                for a in node.args:
                    if last.get(a.index) == pos and a.index not in keep:
                        live.pop(a.index, None)
        return [np.asarray(live[o.index], dtype=float) for o in outputs]

    # -------------------------------------------------------------- JavaScript
    def javascript(self, inputs: Sequence[str], outputs: Mapping[str, Any], name: str = "model") -> str:
        """``function name(x) {...}``: ``x`` holds the inputs in the order of ``inputs``; the result
        is an object with one number (or nested array of numbers) per key of ``outputs``."""
        flat = [n for v in outputs.values() for n in _leaves(v)]
        order = self.needed(flat)
        pos = {k: i for i, k in enumerate(inputs)}
        lines = [f"function {name}(x) {{"]
        ref: dict[int, str] = {}
        for node in order:
            if node.op == "const":
                ref[node.index] = _js_number(float(node.value))  # type: ignore[arg-type]
                continue
            if node.op == "input":
                if node.name not in pos:
                    raise ImpactkitError(f"graph: input {node.name!r} is not among the inputs given (a bug).")
                expr = f"x[{pos[node.name]}]"
            else:
                expr = _js_expr(node.op, [ref[a.index] for a in node.args])
            lines.append(f"const v{node.index}={expr};")
            ref[node.index] = f"v{node.index}"

        def nested(v: Any) -> str:
            if isinstance(v, Node):
                return ref[v.index]
            return "[" + ",".join(nested(x) for x in v) + "]"

        parts = [f"{_js_key(key)}:{nested(v)}" for key, v in outputs.items()]
        lines.append("return {" + ",".join(parts) + "};")
        lines.append("}")
        return "\n".join(lines)

    # -------------------------------------------------------------- spreadsheet
    def formulas(self, outputs: Iterable[Node], cell_of_input: Callable[[str], str],
                 cell_of_node: Callable[[Node], str]) -> list[tuple[Node, str]]:  # fmt: skip
        """One formula per computed node ``outputs`` need, in topological order.

        ``cell_of_input(name)`` and ``cell_of_node(node)`` give the cell references
        (``Inputs!$C$5``, ``B17``).  Constants are written into the formulas.
        """
        out = []
        for node in self.needed(outputs):
            if node.op in ("const", "input"):
                continue
            refs = [_cell_ref(a, cell_of_input, cell_of_node) for a in node.args]
            out.append((node, "=" + _xl_expr(node.op, refs)))
        return out


def _leaves(value: Any) -> list[Node]:
    """The nodes of an output: a node, or (nested) lists of nodes."""
    if isinstance(value, Node):
        return [value]
    return [n for v in value for n in _leaves(v)]


def _key(value: float) -> Any:
    """Interning key of a constant: NaN equals NaN, -0.0 is not 0.0."""
    if math.isnan(value):
        return "nan"
    return (value, math.copysign(1.0, value))


def _js_number(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "(-Infinity)"
    text = repr(v)  # the shortest text that reads back as the same double
    return f"({text})" if text.startswith("-") else text


def _js_key(key: str) -> str:
    return key if key.isidentifier() else repr(key)


def _js_expr(op: str, a: list[str]) -> str:
    if op == "add":
        return "(" + "+".join(a) + ")"
    if op == "mul":
        return "(" + "*".join(a) + ")"
    if op == "sub":
        return f"({a[0]}-{a[1]})"
    if op == "div":
        return f"({a[0]}/{a[1]})"
    if op == "pow":
        return f"Math.pow({a[0]},{a[1]})"
    if op == "min":
        return _js_fold("Math.min", a)
    if op == "max":
        return _js_fold("Math.max", a)
    if op == "lt":
        return f"({a[0]}<{a[1]}?1:0)"
    if op == "le":
        return f"({a[0]}<={a[1]}?1:0)"
    if op == "eq":
        return f"({a[0]}==={a[1]}?1:0)"
    if op == "where":
        return f"({a[0]}!==0?{a[1]}:{a[2]})"
    if op == "log":
        return f"Math.log({a[0]})"
    if op == "exp":
        return f"Math.exp({a[0]})"
    raise ImpactkitError(f"graph: unknown operation {op!r} (a bug).")


def _js_fold(fn: str, a: list[str]) -> str:
    """min/max pairwise left to right, as numpy's minimum.reduce does (NaN propagates in both)."""
    out = a[0]
    for x in a[1:]:
        out = f"{fn}({out},{x})"
    return out


def _cell_ref(node: Node, cell_of_input: Callable[[str], str], cell_of_node: Callable[[Node], str]) -> str:
    if node.op == "const":
        v = float(node.value)  # type: ignore[arg-type]
        if math.isnan(v):
            return "NA()"
        text = repr(v)
        return f"({text})" if text.startswith("-") else text
    if node.op == "input":
        return cell_of_input(str(node.name))
    return cell_of_node(node)


def _xl_expr(op: str, a: list[str]) -> str:
    if op in ("add", "mul"):
        sign = "+" if op == "add" else "*"
        return "(" + sign.join(a) + ")"
    if op == "sub":
        return f"({a[0]}-{a[1]})"
    if op == "div":
        return f"({a[0]}/{a[1]})"
    if op == "pow":
        return f"POWER({a[0]},{a[1]})"
    if op in ("min", "max"):
        fn = op.upper()
        out = a[0]
        for x in a[1:]:
            out = f"{fn}({out},{x})"
        return out
    if op == "lt":
        return f"IF({a[0]}<{a[1]},1,0)"
    if op == "le":
        return f"IF({a[0]}<={a[1]},1,0)"
    if op == "eq":
        return f"IF({a[0]}={a[1]},1,0)"
    if op == "where":
        return f"IF({a[0]}<>0,{a[1]},{a[2]})"
    if op == "log":
        return f"LN({a[0]})"
    if op == "exp":
        return f"EXP({a[0]})"
    raise ImpactkitError(f"graph: unknown operation {op!r} (a bug).")
