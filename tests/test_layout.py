"""Issue 10's "done when", as guards: modules stay short, pages thin, and the words live in the words modules.

Each failure lists every offending file:line, so it says what to move where. (That analytics imports without
streamlit is checked in test_cli.py.)"""
import ast
import io
import re
import tokenize

from tests.conftest import PAGES, ROOT

MODULE_LINES, PAGE_LINES = 400, 150
WORDS_MODULES = {"analytics/intake/messages.py", "analytics/intake/vocab.py", "analytics/labels.py", "analytics/labels_db.py",
                 "analytics/labels_plan.py"}
# CJK ideographs, CJK symbols and punctuation (、。「」), full-width forms (：（）).
CHINESE = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def modules() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "analytics").rglob("*.py"))


def lines(path: str) -> int:
    return len((ROOT / path).read_text(encoding="utf-8").splitlines())


def docstrings(tree: ast.Module) -> set[tuple[int, int]]:
    """Where each docstring starts: the first statement of a module, class or function, when it is a string."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add((first.lineno, first.col_offset))
    return found


def chinese_literals(path: str, source: str) -> list[str]:
    """file:line: literal, for every string literal (not docstring, not comment) of `source` holding Chinese text."""
    skip = docstrings(ast.parse(source))
    string_tokens = {tokenize.STRING} | {getattr(tokenize, name) for name in ("FSTRING_MIDDLE",) if hasattr(tokenize, name)}
    return [f"{path}:{token.start[0]}: {token.string}"
            for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type in string_tokens and token.start not in skip and CHINESE.search(token.string)]


def test_no_module_over_400_lines():
    long = [f"{path}:{lines(path)} lines" for path in modules() if lines(path) > MODULE_LINES]
    assert not long, "\n".join(long)


def test_no_page_over_150_lines():
    assert PAGES, "no pages found"
    long = [f"{path}:{lines(path)} lines" for path in PAGES if lines(path) > PAGE_LINES]
    assert not long, "\n".join(long)


def test_chinese_words_only_in_the_words_modules():
    assert WORDS_MODULES <= set(modules())
    found = [hit for path in modules() if path not in WORDS_MODULES
             for hit in chinese_literals(path, (ROOT / path).read_text(encoding="utf-8"))]
    assert not found, f"{len(found)} string literals with Chinese text outside the words modules:\n" + "\n".join(found)


def test_the_guard_sees_literals_and_skips_docstrings_and_comments():
    source = ('"""模块说明。"""\n\n\ndef f():\n    """函数说明。"""\n    return "科室"  # 注释\n\n\n'
              'class C:\n    """类说明。"""\n    word = f"{1}：" + \'ok\' + "ASCII"\n')
    assert [hit.split(":")[1] for hit in chinese_literals("example.py", source)] == ["6", "11"]


def imports_of(path: str) -> set[str]:
    """The analytics modules `path` imports (a name imported from a package counts as its module)."""
    found = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analytics"):
            found |= {f"{node.module}.{a.name}" for a in node.names} if node.module in ("analytics", "analytics.intake") \
                else {node.module}
    return found


def test_imports_run_one_way():
    """No import cycle among analytics' modules (README "Layout": the words, periods and records at the bottom)."""
    graph = {path.removesuffix(".py").removesuffix("/__init__").replace("/", "."): imports_of(path) for path in modules()}
    done, cycles = set(), []

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(graph.get(module, ()) & set(graph)):
            if imported in path:
                cycles.append(" → ".join(path[path.index(imported):] + [imported]))
            elif imported not in done:
                visit(imported, path + [imported])
        done.add(module)

    for module in sorted(graph):
        visit(module, [module])
    assert not cycles, "\n".join(cycles)
    bottom = {"analytics.intake.vocab", "analytics.intake.messages", "analytics.labels", "analytics.labels_db", "analytics.labels_plan",
              "analytics.periods",
              "analytics.records"}
    assert all(graph[module] <= bottom for module in bottom), {module: graph[module] - bottom for module in bottom}
