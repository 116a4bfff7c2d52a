"""Data errors that name the file, the record and the field, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one field of one record of one file."""

    file: str
    record: str  # the record's id, or "line N" / "feature N" where it has none
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}, field '{self.field}': {self.message}"


# A file with more problems than this is read no further: the first ones say what is wrong,
# and a file of 20 MB of broken lines must not build millions of them.
MAX_PROBLEMS = 200


def stopped_at(file: str, where: str) -> Problem:
    return Problem(file, where, "-", f"more than {MAX_PROBLEMS} problems: reading stopped "
                                     f"here; mend these and import the file again")


class DataError(Exception):
    """The data could not be loaded; `problems` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'' if count == 1 else 's'} in {', '.join(files)}:\n"
            + "\n".join(f"  {p}" for p in self.problems)
        )
