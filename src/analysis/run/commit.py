"""All-or-nothing commit of a run's outputs: whole-folder swaps and a journal.

A run builds every output in a staging folder. Committing it replaces each output
*unit* (an output folder such as ``data/processed``, or a single file such as
``notebooks/01_clean_and_reconcile.ipynb``) as a whole:

1. **prepare**: the journal (``.staging/commit.json``) lists every unit, then each staged
   unit is moved (same filesystem: one rename) or copied (another filesystem) to a sibling
   of its target, ``.<name>.<run>.new.tmp``, on the target's own filesystem;
2. **swap**: the journal says ``swapping``; per unit, the old target is renamed aside to
   ``.<name>.<run>.old.tmp`` and the new sibling renamed into place (two renames on one
   filesystem);
3. **done**: the journal says ``done``, the old copies are removed, then the journal.

A failure inside the process rolls back every unit already swapped, so the outputs are
byte-identical to before. A kill (SIGKILL included) leaves the journal; the next run
calls :func:`recover` before anything else: before ``swapping`` it rolls back (removes the
new siblings), from ``swapping`` on it rolls forward (every new unit was complete before
the first swap), so outputs are either all old or all new.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


class CommitError(RuntimeError):
    """The outputs could not be put in place; earlier outputs were restored."""


@dataclass(frozen=True)
class Unit:
    staged: str   # the complete new version, inside the staging folder
    target: str   # where it goes (resolved)
    new: str      # sibling of target holding the new version before the swap
    old: str      # sibling of target holding the old version after the swap
    existed: bool  # whether the target existed before the commit

    @classmethod
    def make(cls, staged: Path, target: Path, run_id: str) -> Unit:
        parent, name = target.parent, target.name
        return cls(str(staged), str(target), str(parent / f".{name}.{run_id}.new.tmp"),
                   str(parent / f".{name}.{run_id}.old.tmp"), os.path.lexists(target))


# ------------------------------------------------------------------ file-system primitives
# Tests replace these to inject a failure at any step.
rename: Callable[[str, str], None] = os.rename


def _exists(path: str) -> bool:
    return os.path.lexists(path)


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_filesystem(a: Path, b: Path) -> bool:
    return os.stat(a).st_dev == os.stat(b).st_dev


def _copy(src: str, dest: str) -> None:
    if os.path.isdir(src):
        shutil.copytree(src, dest, symlinks=True)
    else:
        shutil.copy2(src, dest)


# ------------------------------------------------------------------ the journal
def _write_journal(journal: Path, state: str, run_id: str, units: list[Unit]) -> None:
    data = json.dumps({"state": state, "run": run_id, "units": [asdict(u) for u in units]}, indent=1)
    tmp = journal.with_name(journal.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, journal)
    _fsync_dir(journal.parent)


def _read_journal(journal: Path) -> tuple[str, str, list[Unit]] | None:
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return data["state"], data["run"], [Unit(**u) for u in data["units"]]


# ------------------------------------------------------------------ commit and recovery
def _roll_back(units: list[Unit]) -> None:
    """Undo swaps (last first); remove prepared new versions. Idempotent."""
    for unit in reversed(units):
        if _exists(unit.old):
            if _exists(unit.target):
                rename(unit.target, unit.new)   # the new version, put back aside
            rename(unit.old, unit.target)
        elif not unit.existed and _exists(unit.target) and not _exists(unit.new):
            rename(unit.target, unit.new)       # a new output that had no earlier version
        _remove(unit.new)


def _roll_forward(units: list[Unit]) -> None:
    """Finish swaps; every ``new`` is complete. Idempotent."""
    for unit in units:
        if _exists(unit.new):
            if _exists(unit.target) and not _exists(unit.old):
                rename(unit.target, unit.old)
            elif _exists(unit.target):      # old already aside and target is... the new one
                _remove(unit.target)        # cannot happen with two renames; be safe
            Path(unit.target).parent.mkdir(parents=True, exist_ok=True)
            rename(unit.new, unit.target)
    for unit in units:
        try:
            _remove(unit.old)
        except OSError:   # the new outputs are in place; clear_leftovers names what is left
            pass


def commit(pairs: list[tuple[Path, Path]], journal: Path, run_id: str,
           left: list[str] | None = None) -> int:
    """Put each staged path in place of its target, all or nothing; return the number of units.

    ``pairs`` are ``(staged, target)``; targets must not lie inside one another. Raises
    :class:`CommitError` (with earlier outputs restored) on failure. Once every new unit is
    in place, an old copy that cannot be removed (an immutable file in it, say) does not
    undo the commit: it is named in ``left`` (one line each, with the reason), and the
    next run removes it (:func:`clear_leftovers`).
    """
    units = []
    for staged, target in pairs:
        target = Path(target)
        if target.is_dir() and target.is_mount():
            raise CommitError(f"{target} is a mount point and cannot be replaced as a whole; "
                              "point the output parameter at a folder inside it")
        units.append(Unit.make(Path(staged), target, run_id))
    journal.parent.mkdir(parents=True, exist_ok=True)
    _write_journal(journal, "preparing", run_id, units)
    try:
        for unit in units:
            parent = Path(unit.target).parent
            parent.mkdir(parents=True, exist_ok=True)
            _remove(unit.new)
            if _same_filesystem(Path(unit.staged).parent, parent):
                rename(unit.staged, unit.new)
            else:  # another filesystem: copy beside the target, then swap there
                _copy(unit.staged, unit.new)
        _write_journal(journal, "swapping", run_id, units)
        for unit in units:
            if _exists(unit.target):
                rename(unit.target, unit.old)
            rename(unit.new, unit.target)
    except Exception as exc:
        try:
            _roll_back(units)
        except Exception as again:  # leave the journal: the next run finishes the job
            raise CommitError(f"could not put the outputs in place ({_short(exc)}) nor restore "
                              f"the earlier ones ({_short(again)}); the next run will repair "
                              "them from the journal") from exc
        journal.unlink(missing_ok=True)
        raise CommitError(f"could not put the outputs in place ({_short(exc)}); "
                          "earlier outputs are intact") from exc
    _write_journal(journal, "done", run_id, units)
    for unit in units:
        try:
            _remove(unit.old)
        except OSError as exc:
            if left is not None:
                left.append(f"{unit.old} ({_short(exc)})")
    journal.unlink(missing_ok=True)
    return len(units)


def _leftover(path: Path) -> bool:
    """A sibling a commit left beside its target: ``.<name>.run-<id>.(old|new).tmp``."""
    name = path.name
    return name.startswith(".") and ".run-" in name and name.endswith((".old.tmp", ".new.tmp"))


def clear_leftovers(targets: list[Path]) -> tuple[list[str], list[str]]:
    """Remove what earlier commits left beside ``targets`` (call with the run lock held and
    the journal recovered: no commit is under way). Returns (removed, could not remove),
    each one line per path (the second with the reason)."""
    removed, failed = [], []
    for parent in sorted({Path(t).parent for t in targets}):
        if not parent.is_dir():
            continue
        for path in sorted(p for p in parent.iterdir() if _leftover(p)):
            try:
                _remove(str(path))
                removed.append(str(path))
            except OSError as exc:
                failed.append(f"{path} ({_short(exc)})")
    return removed, failed


def recover(journal: Path) -> str | None:
    """Finish or undo an interrupted commit; return what was done (for the log), or None."""
    found = _read_journal(journal)
    if found is None:
        return None
    state, run_id, units = found
    if state == "preparing":
        _roll_back(units)
        done = f"rolled back an interrupted commit of run {run_id} (outputs unchanged)"
    else:
        _roll_forward(units)
        done = f"finished an interrupted commit of run {run_id} (its outputs are now in place)"
    journal.unlink(missing_ok=True)
    return done


def _short(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or type(exc).__name__}: {exc.filename}"
    return f"{type(exc).__name__}: {exc}"
