#!/usr/bin/env python3
"""Reads and damages a SQLite WAL file left by a killed process, for disk-faults.sh.

    wal.py tear    <database>      cut the -wal file in the middle of its last committed frame
    wal.py corrupt <database>      overwrite bytes in the first frame of an earlier transaction
    wal.py events  <database> [<frames>]
                                   the chaos/go event ids of the database as a process would
                                   see it after recovering with the first <frames> WAL frames
                                   (all valid ones by default), read from a copy

tear and corrupt print `frames <n kept>` (what recovery will replay) and `full <n>` (the
valid frames before the damage) and a line saying what they did; both refuse (exit 3) when
the frames they would damage were already copied into the database file (checkpointed): then
damaging the WAL would not model a torn or corrupted write.

Format (sqlite.org/fileformat.html, "The Write-Ahead Log"): a 32-byte header (magic, version,
page size, checkpoint sequence, salt-1, salt-2, checksum-1, checksum-2), then frames of a
24-byte header (page number, database size after commit or 0, salts, cumulative checksum) and
one page. Recovery replays frames while the salts match and the cumulative checksum holds,
and keeps everything up to the last commit frame among them. The -shm file's checkpoint info
(offset 96, native byte order) holds nBackfill, the frames already copied to the database.
"""

import os
import shutil
import sqlite3
import struct
import sys
import tempfile

HEADER, FRAME_HEADER = 32, 24


def checksum(data, s0, s1, big_endian):
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def parse(wal_path):
    """(page size, valid frame count, commit frame numbers (1-based)) of the WAL."""
    with open(wal_path, "rb") as f:
        data = f.read()
    if len(data) < HEADER:
        return 0, 0, []
    magic, _, page_size, _, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:HEADER])
    if magic not in (0x377F0682, 0x377F0683):
        raise SystemExit(f"{wal_path}: not a WAL file")
    big_endian = magic & 1 == 1
    s0, s1 = checksum(data[:24], 0, 0, big_endian)
    if (s0, s1) != (c1, c2):
        return page_size, 0, []
    frame_size = FRAME_HEADER + page_size
    valid, commits = 0, []
    offset = HEADER
    while offset + frame_size <= len(data):
        page, commit, fsalt1, fsalt2, fc1, fc2 = struct.unpack(">6I", data[offset:offset + FRAME_HEADER])
        if (fsalt1, fsalt2) != (salt1, salt2):
            break
        s0, s1 = checksum(data[offset:offset + 8], s0, s1, big_endian)
        s0, s1 = checksum(data[offset + FRAME_HEADER:offset + frame_size], s0, s1, big_endian)
        if (s0, s1) != (fc1, fc2):
            break
        valid += 1
        if commit:
            commits.append(valid)
        offset += frame_size
    return page_size, valid, commits


def backfilled(database):
    """nBackfill of the -shm file: frames already copied into the database file."""
    try:
        with open(database + "-shm", "rb") as f:
            shm = f.read(100)
        return struct.unpack_from("=I", shm, 96)[0] if len(shm) >= 100 else 0
    except FileNotFoundError:
        return 0


def frame_offset(frame, page_size):
    return HEADER + (frame - 1) * (FRAME_HEADER + page_size)


def tear(database):
    wal = database + "-wal"
    page_size, valid, commits = parse(wal)
    if len(commits) < 2:
        print(f"only {len(commits)} commits in the WAL")
        return 3
    last, previous = commits[-1], commits[-2]
    done = backfilled(database)
    if done > previous:
        print(f"the last transaction (frames {previous + 1}-{last}) is already checkpointed (nBackfill {done})")
        return 3
    cut = frame_offset(last, page_size) + FRAME_HEADER + page_size // 2
    os.truncate(wal, cut)
    print(f"full {last}")
    print(f"frames {previous}")
    print(f"tore frame {last} of {valid} at byte {cut}: the last transaction (frames {previous + 1}-{last}) is incomplete; "
          f"{len(commits) - 1} commits remain (nBackfill {done})")
    return 0


def corrupt(database):
    wal = database + "-wal"
    page_size, valid, commits = parse(wal)
    done = backfilled(database)
    # Transactions whose frames are not in the database file yet, each as (first, commit).
    spans = [(a + 1, b) for a, b in zip([0] + commits, commits) if a + 1 > done]
    if len(spans) < 3:
        print(f"only {len(spans)} transactions in the WAL past the checkpoint (nBackfill {done})")
        return 3
    first, commit = spans[len(spans) // 2]
    offset = frame_offset(first, page_size) + FRAME_HEADER + page_size // 2
    with open(wal, "r+b") as f:
        f.seek(offset)
        old = f.read(16)
        f.seek(offset)
        f.write(bytes(b ^ 0xFF for b in old))
    dropped = sum(1 for c in commits if c >= first)
    print(f"full {commits[-1]}")
    print(f"frames {first - 1}")
    print(f"flipped 16 bytes of frame {first} (the first of a committed transaction, frames {first}-{commit}) of {valid}: "
          f"recovery stops there, dropping {dropped} of {len(commits)} commits (nBackfill {done})")
    return 0


def events(database, frames=None):
    """The chaos/go event ids after recovering with the first `frames` frames, from a copy."""
    with tempfile.TemporaryDirectory() as directory:
        copy = os.path.join(directory, "copy.sqlite")
        shutil.copyfile(database, copy)
        if os.path.exists(database + "-wal"):
            shutil.copyfile(database + "-wal", copy + "-wal")
            if frames is not None:
                page_size, _, _ = parse(copy + "-wal")
                os.truncate(copy + "-wal", frame_offset(frames + 1, page_size))
        db = sqlite3.connect(copy)
        ids = [row[0] for row in db.execute("SELECT id FROM events WHERE name = 'chaos/go'")]
        db.close()
    return ids


def main():
    command, database = sys.argv[1], sys.argv[2]
    if command == "tear":
        return tear(database)
    if command == "corrupt":
        return corrupt(database)
    if command == "events":
        for event_id in events(database, int(sys.argv[3]) if len(sys.argv) > 3 else None):
            print(event_id)
        return 0
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main())
