"""Text broken into lines at spaces: legend entries, titles and paragraphs of exported pages."""

from __future__ import annotations


def lines(text: str, characters: int) -> list[str]:
    """`text` in lines of at most `characters` (a longer word keeps its own line)."""
    done, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > characters:
            done.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*done, line] if line else done


def wrap(text: str, width_px: float, size: float) -> list[str]:
    """Lines of at most the characters that fit `width_px` in Arial at `size` (0.5 em is a
    generous mean width)."""
    return lines(text, max(int(width_px / (size * 0.5)), 8))
