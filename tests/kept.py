"""What a data folder keeps for its users: its imported layers, its briefings and its records
(with the store's changes). A scenario that must lose nothing compares this before and after
it ran; the bench's hostile section does too."""

from __future__ import annotations

import hashlib
from pathlib import Path

from export.command import briefings_of
from presence.imported.folder import FOLDER as LAYERS
from presence.live import LiveDataset


def what_is_kept(folder: Path) -> dict:
    """Each layer file's digest (its settings and the trash included), each briefing as it
    reads, and a digest of every record, read anew from the folder."""
    layers = {path.relative_to(folder).as_posix(): _digest(path.read_bytes())
              for path in sorted((folder / LAYERS).rglob("*")) if path.is_file()}
    found, problems = briefings_of(folder).all()
    briefings = {name: briefing.model_dump() for name, briefing in sorted(found.items())}
    records = LiveDataset(folder).current().records
    return {"layers": layers, "briefings": briefings, "briefing problems": len(problems),
            "records": len(records),
            "records digest": _digest(records.sort_values("id").to_csv(index=False).encode())}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
