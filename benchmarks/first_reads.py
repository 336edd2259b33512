"""python -m benchmarks.first_reads: what the lexicons found in each blind batch the first time.

Every tone batch from dev3 on was written blind and read once with the rules of the day before
any rule was tuned on it. Those first reads are the only honest record of how the lexicons
misfire on a writer they have never seen: the rules today have been taught every batch and
find almost nothing wrong in them. The learnt context check (responder.context_check) is
trained on these first reads, so it learns the mistakes the lexicons make on new writers.

This command re-creates them: for each batch it checks out the commit whose rules first read
it (`FIRST_READS`, below) in a temporary git worktree, runs that commit's `detect_tone` on
the batch in a subprocess, and writes one line per message to
benchmarks/data/tone/first_reads/reads.jsonl: {"id", "read_with", "escalated", "found"}, `found`
being the cue kinds then found (a flagged learnt insult score counts as "insult"). It needs
the repository's git history; the training reads only the written file.

How `FIRST_READS` was chosen: the parent of the earlier of two commits, the one that added the
batch's files and the one that added it to `EXTRA_DEV` in benchmarks/tone.py (rounds were
committed together with their batch). The escalated share of each first read agrees with the
figures the data README gives for that read.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.tone import DATA, load_batch

ROOT = Path(__file__).resolve().parents[1]
OUT = DATA / "first_reads" / "reads.jsonl"
FIRST_READS = {
    "dev3": "f42f2eb061bd0e0dc1a902b0c9a6d8b30e823f2b",
    "dev4": "c60b518ac48973df1ad7e7b87e32db39fa9a61e8",
    "dev5": "9745d8ec35256c5eeaefe5df1187272d00e03ba3",
    "dev6": "49f6506512c94ae25bbf08804b11a4466099ada5",
    "dev7": "23e42532333fd7ccdbcb005f7e6babf36b0748e2",
    "dev8": "e40619d12337e872e59f866c468dda7966ce1d28",
    "dev9": "31c14b36f2f1c991d1834d4431c3916fd4ccda56",
    "dev10": "d5fa7e8a8122462bdfc0b60734118baeeb2a1694",
    "dev11": "53e1b6171314a6fa3cfacf4277c628809bcafad6",
    "dev12": "47630151dcd91a44a51d6dd86684bcc84841bd9d",
    "dev13": "547677219f9de18bd6350f7717ca1f0530d31f68",
    "dev14": "547677219f9de18bd6350f7717ca1f0530d31f68",
    "dev15": "4ddd95dd6d6d216517b5775262ecc91f30999cf0",
    "dev16": "07b913db9b7918d086f4dfec27dcdada3dd112e1",
    "dev17": "73fceef061b803a1a36131fcd2bdcab3e503c9f4",
    "dev18": "81030d43dc2239bfea13d44bd82d6f3f39df32e4",
    "dev19": "81030d43dc2239bfea13d44bd82d6f3f39df32e4",
    "dev20": "f91bdf0d942500f007c925c8be3cd63090924849",
    "dev21": "d2b30d94386168fc717ec6724a6e4d4903a74d83",
    "dev22": "286ae5fbc6ecafba2babc39317396b7c9a34cdf3",
    "dev23": "fb9ca6647f9eb08f7c8ec873065f62618cad1f47",
    "dev24": "fb9ca6647f9eb08f7c8ec873065f62618cad1f47",
    "dev25": "1a03567803f8f07148a90a8f656770faeca86901",
    "dev26": "6d814ee332398489b5ef9b0a1d4bdf0ed596919a",
    "dev27": "b519b8d85fd40792911aff1f74c1fd06cbdabea9",
    "dev28": "12ab8b1e558be00d50db217b56c6d0d9c8d36f78",
    "dev29": "12ab8b1e558be00d50db217b56c6d0d9c8d36f78",
    "dev30": "45c370d59c39f6fbdd82dd959471d4e1fc4ba45e",
    "dev31": "45c370d59c39f6fbdd82dd959471d4e1fc4ba45e",
    "dev32": "b613d0fafc402e8eead10a4decb76791418059d6",
    "dev33": "b613d0fafc402e8eead10a4decb76791418059d6",
    "dev34": "4af7971abb639b0d7116e2ec5cd1aa35757230c9",
    "dev35": "4af7971abb639b0d7116e2ec5cd1aa35757230c9",
    "dev36": "fc43122a60c249e5c14d7fe7f5565d4467ad539d",
    "dev37": "fc43122a60c249e5c14d7fe7f5565d4467ad539d",
    "dev38": "36f2efe2244a728f1e25e8997cbef04a09773ab8",
    "dev39": "36f2efe2244a728f1e25e8997cbef04a09773ab8",
    "dev40": "2094b4414065084ca0046af01e3225bb5fde20ae",
    "dev41": "2094b4414065084ca0046af01e3225bb5fde20ae",
    "dev42": "72a34db59be70da1f37c761449fa8fbc40868238",
    "dev43": "72a34db59be70da1f37c761449fa8fbc40868238",
    "dev44": "72a34db59be70da1f37c761449fa8fbc40868238",
    "dev45": "72a34db59be70da1f37c761449fa8fbc40868238",
    "dev46": "01ac0bcaddddd3e0fa0eb94b36d8d3c422d9982d",
    "dev47": "01ac0bcaddddd3e0fa0eb94b36d8d3c422d9982d",
    "dev48": "01ac0bcaddddd3e0fa0eb94b36d8d3c422d9982d",
    "dev49": "01ac0bcaddddd3e0fa0eb94b36d8d3c422d9982d",
    "dev50": "680a185c8d3961002aab61be965bc526d6064222",
    "dev51": "680a185c8d3961002aab61be965bc526d6064222",
    "dev52": "680a185c8d3961002aab61be965bc526d6064222",
    "dev53": "680a185c8d3961002aab61be965bc526d6064222",
    "dev54": "86fc347bc661e427a35ecb78613a10bf83269032",
    "dev55": "86fc347bc661e427a35ecb78613a10bf83269032",
    "dev56": "86fc347bc661e427a35ecb78613a10bf83269032",
    "dev57": "86fc347bc661e427a35ecb78613a10bf83269032",
    "dev58": "e78b89726f5d4128e628172cea3599c98330de4a",
    "dev59": "e78b89726f5d4128e628172cea3599c98330de4a",
    "dev60": "e78b89726f5d4128e628172cea3599c98330de4a",
    "dev61": "e78b89726f5d4128e628172cea3599c98330de4a",
    "dev62": "8ef51d39c71893f83aa359f1ee7b39986aae8d88",
    "dev63": "8ef51d39c71893f83aa359f1ee7b39986aae8d88",
    "dev64": "8ef51d39c71893f83aa359f1ee7b39986aae8d88",
    "dev65": "8ef51d39c71893f83aa359f1ee7b39986aae8d88",
    "dev66": "9b80d3844b9886cd2083f2c4e280e9f5a99985f0",
    "dev67": "9b80d3844b9886cd2083f2c4e280e9f5a99985f0",
    "dev68": "9b80d3844b9886cd2083f2c4e280e9f5a99985f0",
    "dev69": "9b80d3844b9886cd2083f2c4e280e9f5a99985f0",
    "dev70": "3af0cc4dbd383c637133f6116fc08a88ae790e5e",
    "dev71": "3af0cc4dbd383c637133f6116fc08a88ae790e5e",
    "dev72": "3af0cc4dbd383c637133f6116fc08a88ae790e5e",
    "dev73": "3af0cc4dbd383c637133f6116fc08a88ae790e5e",
    "dev74": "41d871f2584a909779b04408a6d0d0ee3ee18e04",
    "dev75": "41d871f2584a909779b04408a6d0d0ee3ee18e04",
    "dev76": "41d871f2584a909779b04408a6d0d0ee3ee18e04",
    "dev77": "41d871f2584a909779b04408a6d0d0ee3ee18e04",
}
# Run inside the old commit's tree: reads [id, text, language] lines, prints what was found.
_READER = """
import json, sys
from responder.models import CueKind
from responder.tone import detect_tone
for line in sys.stdin:
    key, text, language = json.loads(line)
    tone = detect_tone(text, language)
    found = sorted({cue.kind.value for cue in tone.cues}
                   | ({"insult"} if tone.has(CueKind.INSULT) else set()))
    print(json.dumps([key, tone.escalated, found]))
"""


def read_with(commit: str, messages: list[tuple[str, str, str]]) -> list[list[object]]:
    """[id, escalated, found kinds] for each (id, text, language), by the rules at `commit`."""
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--force",
                        str(tree), commit], check=True, capture_output=True)
        try:
            stdin = "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in messages)
            done = subprocess.run([sys.executable, "-c", _READER], input=stdin, text=True,
                                  capture_output=True, check=True, cwd=tree,
                                  env={**os.environ, "PYTHONPATH": str(tree)})
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(tree)], check=True, capture_output=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def load(path: Path = OUT) -> dict[str, tuple[bool, frozenset[str]]]:
    """id -> (escalated, the cue kinds found) at the batch's first read."""
    reads = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            reads[row["id"]] = (bool(row["escalated"]), frozenset(row["found"]))
    return reads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.first_reads",
                                     description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    lines = []
    for batch, commit in FIRST_READS.items():
        messages = load_batch(batch)
        read = read_with(commit, [(m.id, m.text, m.language) for m in messages])
        if [row[0] for row in read] != [m.id for m in messages]:
            raise SystemExit(f"{batch}: the reader at {commit[:7]} did not answer every message")
        lines += [json.dumps({"id": key, "read_with": commit[:12], "escalated": escalated,
                              "found": found}, ensure_ascii=False)
                  for key, escalated, found in read]
        print(f"{batch}: {len(read)} messages read with {commit[:7]}, "
              f"{sum(bool(row[1]) for row in read)} escalated")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
