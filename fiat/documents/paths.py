"""Files named on the command line: folders are expanded to their files."""

from pathlib import Path


def expand_paths(paths: list[Path]) -> list[Path]:
    """Return the files of ``paths`` in order, each folder's files sorted.

    Folders are searched recursively, leaving out hidden files and folders
    (a name starting with "."). A path that does not exist is kept, so
    that the caller reports it in its place.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                candidate
                for candidate in path.rglob("*")
                if candidate.is_file() and not _is_hidden(candidate, path)
            )
        else:
            files.append(path)
    return files


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
