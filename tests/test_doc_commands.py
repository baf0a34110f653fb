"""Every command of README.md and docs/*.md works as written.

Each ```sh block is read line by line (a trailing ``# comment`` is dropped); each command
runs with bash from the root of a scratch copy of the repository that shares this
checkout's ``.venv``, and must exit with 0. A block preceded by
``<!-- commands: skip (reason) -->`` is not run: each of its commands is reported as
skipped with that reason (never as passed). The skipped ``make`` commands are still
checked with ``make -n``: the recipe must carry every option given in ``ARGS``.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pipeline_repo import copy_repo, env_for

from analysis import paths

PAGES = [paths.ROOT / "README.md", *sorted((paths.ROOT / "docs").glob("*.md"))]
SKIP = re.compile(r"^<!-- commands: skip \((?P<reason>[^)]+(?:\([^)]*\)[^)]*)*)\) -->$")
FENCE = re.compile(r"^```(\w*)$")


@dataclass(frozen=True)
class Command:
    page: str
    line: int
    text: str
    skip: str | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def _strip_comment(line: str) -> str:
    """The command without a trailing ``# comment`` (a # inside quotes stays)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def commands(pages=PAGES) -> list[Command]:
    found = []
    for page in pages:
        lines = page.read_text(encoding="utf-8").splitlines()
        name = page.relative_to(paths.ROOT).as_posix()
        i = 0
        while i < len(lines):
            fence = FENCE.match(lines[i])
            if not fence:
                i += 1
                continue
            lang = fence.group(1)
            previous = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            marker = SKIP.match(previous.strip())
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                text = _strip_comment(lines[i])
                if lang == "sh" and text:
                    found.append(Command(name, i + 1, text, marker.group("reason") if marker else None))
                i += 1
            i += 1
    return found


ALL = commands()


def test_the_pages_have_commands_and_most_run():
    run = [c for c in ALL if c.skip is None]
    assert len(run) >= 6, [c.id for c in run]
    # the skip marker must sit right before an sh block, with a reason
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<!-- commands: skip.*-->\n", text):
            assert SKIP.match(m.group(0).strip()), f"{page.name}: marker without a reason: {m.group(0)}"
            assert text[m.end():].startswith("```sh"), f"{page.name}: marker not before an sh block"


def test_comments_are_dropped_but_not_inside_quotes():
    assert _strip_comment("make all    # runs it") == "make all"
    assert _strip_comment("""python -c "print('# not a comment')"  # but this is""") == \
        """python -c "print('# not a comment')\""""
    marked = [c for c in ALL if c.skip]
    assert marked and all(c.skip.strip() for c in marked)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("doc-commands") / "repo")
    (root / ".venv").symlink_to(paths.ROOT / ".venv")
    return root


def _env(repo: Path) -> dict[str, str]:
    env = env_for(repo)
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


@pytest.mark.parametrize("command", ALL, ids=[c.id for c in ALL])
def test_command_works_as_written(command, repo):
    if command.skip:
        pytest.skip(f"not run ({command.skip}): {command.text}")
    result = subprocess.run(["bash", "-c", command.text], cwd=repo, env=_env(repo),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        f"{command.id}: `{command.text}` exited with {result.returncode}\n{result.stdout[-2000:]}\n"
        f"{result.stderr[-2000:]}")


MAKE_ARGS = [c for c in ALL if c.skip and c.text.startswith("make ") and "ARGS=" in c.text]


@pytest.mark.parametrize("command", MAKE_ARGS, ids=[c.id for c in MAKE_ARGS])
def test_skipped_make_commands_pass_their_args(command, repo):
    """``make -n`` prints the recipe without running it: every option in ARGS reaches it
    (make sweep used to drop --combo, make benchmark to refuse --no-tests)."""
    words = shlex.split(command.text)
    args = next(w.split("=", 1)[1] for w in words if w.startswith("ARGS="))
    env = _env(repo) | {"MAKEFLAGS": ""}
    result = subprocess.run(["make", "-n", *words[1:]], cwd=repo, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    recipe = [line for line in result.stdout.splitlines() if "python" in line and "pip" not in line]
    assert any(args in line for line in recipe), (command.text, result.stdout)


def test_no_page_names_a_tool_the_environment_lacks():
    """Tools typed in a command exist in .venv/bin (typst and nbconvert do not, for instance)."""
    venv = paths.ROOT / ".venv" / "bin"
    for command in ALL:
        for tool in re.findall(r"\.venv/bin/([\w.-]+)", command.text):
            if command.skip and tool in {"jupyter"}:
                continue  # installed by the lab extra, which that command installs first
            assert (venv / tool).exists(), f"{command.id}: .venv/bin/{tool} does not exist"
