#!/usr/bin/env python3
"""Figures of `errata learn` (issue 15), part of `make eval`.

Hidden pairs: for each seed, a random 30% of the built-in dictionary's
contextual pairs is held out; a batch of documents (the training texts of
corpus/docs and corpus/learn, never the held-out ones, each damaged by
scripts/corrupt.py with the FULL pair table, families A and B, two damage
seeds each) is given to `errata learn` with the reduced dictionary (learn
counts the four damaged copies of a text as one document; 52 texts since
the tenth session, 24 before).  Seeds 1-11 are the ones learn was tuned
on, 12-14 were seen on the batch before it (with held-out texts), 15-20
were run once after the eighth session's last change and 21-26 once at
the end of the ninth; the tenth session tuned on 1-11 and 15-26 (all
seen by then) and measured 27-32 once at its end; a second helper of the
tenth session tuned on 1-11 and 15-32 and measured 33-38 once at its end;
new seeds (--seeds 39,40,...) give a figure nothing was tuned on.  Reported: of the
held-out pairs occurring at least 3 times in the batch (at 3 places of the
clean texts: the damaged copies of one text holding a pair at the same place
count it once, as learn does), how many are
proposed above the default threshold (a missed pair marked * occurs in
the copies of one text only, which learn's default --min-docs 2 leaves
out); the same over the "open" targets only, those the reduced
dictionary leaves unrepaired at one place at least (another entry can
repair every place of a held-out pair: 结实树立 -> 牢固树立 is every
结实 -> 牢固 of the batch; learn has nothing left to see there, and a
missed pair so repaired is marked +; the first recall counts it as
missed, as before the tenth session); of the pairs proposed above it,
how many are right (a
pair the damage really applied in the batch); word precision and recall on
the batch with the reduced dictionary, with it plus the proposed pairs, and
with the full dictionary.

The same table again for a batch damaged by spinners that replace every
occurrence of every rule of their family: damage.md documents partial
damage (an original left beside its swap), but some real documents carry
none, and learn's evidence that Y survives beside X is then missing (since
the twelfth session Y's absence from X's documents stands in for it, for a
near-synonym).

Clean batches: the pairs proposed above the default threshold on clean text
(corpus/clean, and the undamaged training texts).

Real documents: corpus/heldout/real, corpus/heldout/real2, corpus/heldout/real3,
corpus/heldout/real4, corpus/heldout/real5, corpus/heldout/real6, corpus/heldout/real7 and
corpus/heldout/real8 (third-party damaged documents, annotated by hand; held out; real6,
real7 and real8 are each the batch of a single spinner, real6's and real8's the machine
spinner of learn-real's SEO pages, real8 collected after real6 had been measured), each
alone, the first two together and all of them together, and corpus/learn-real (the same
kind of documents, collected in the eleventh, twelfth and fourteenth sessions as a set
learn may be tuned on): `fix` alone against `learn` + `fix` (the pairs learnt from that
very batch added with --dict, with whether they repair an annotated pair), how much of
their word damage comes from pairs the built-in dictionary does not hold, and how many of
the ten best candidates at any confidence are annotated pairs (what a reviewer of `learn
--min-confidence 0` finds first).  For a held-out set only counts are printed, never its
annotated pairs nor the pairs learnt from it: its errors are not to be read.

errata runs with no user configuration (scripts/no_user_config.py).
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corrupt import damage  # noqa: E402
import eval as ev  # noqa: E402
import no_user_config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (1, 2, 3, 4, 5)
HOLD_OUT = 0.30
DAMAGE_SEEDS = (11, 12)
MIN_OCCURRENCES = 3
THRESHOLD = 0.60  # ERRATA_LEARN_DEFAULT_THRESHOLD


def dictionary_lines():
    return (ROOT / "dictionaries" / "swaps.dict").read_text(encoding="utf-8").splitlines()


def contextual_entries(lines):
    """(line index, corrupted, original) of the class-C swap entries."""
    found = []
    for i, line in enumerate(lines):
        fields = line.split("\t")
        if len(fields) >= 4 and not line.startswith(("#", "!")) and fields[3] == "C" \
                and fields[2].startswith("swap"):
            found.append((i, fields[0], fields[1]))
    return found


def reduced_dictionary(lines, held):
    held_lines = {i for i, _, _ in held}
    return "\n".join(l for i, l in enumerate(lines) if i not in held_lines) + "\n"


def clean_documents():
    """The training texts: corpus/docs and corpus/learn, never the held-out ones."""
    return sorted((ROOT / "corpus" / "docs").glob("*.txt")) + \
        sorted((ROOT / "corpus" / "learn").glob("*.txt"))


def make_batch(directory, whole):
    """Damage every clean document (whole: every rule at every place);
    return {path: gold}."""
    batch = {}
    for doc in clean_documents():
        clean = doc.read_text(encoding="utf-8")
        for family in ("A", "B"):
            for seed in DAMAGE_SEEDS:
                text, gold = damage(clean, family, False, seed * 1000 + hash_name(doc.stem), whole)
                path = directory / f"{doc.stem}.{family}{seed}.txt"
                path.write_text(text, encoding="utf-8")
                batch[path] = gold
    return batch


def hash_name(name):
    return sum(name.encode()) % 997


def run(errata, args):
    proc = subprocess.run([errata, *args], capture_output=True, timeout=1800)
    if proc.returncode not in (0, 1):
        raise ev.ErrataFailure(f"errata {' '.join(args)}: exit {proc.returncode}\n"
                               + proc.stderr.decode(errors="replace")[-2000:])
    return proc.stdout


def learn(errata, dict_args, paths, min_confidence=0):
    out = run(errata, ["learn", "--format=jsonl", f"--min-confidence={min_confidence}", "-q",
                       *dict_args, *map(str, paths)])
    return [json.loads(line) for line in out.decode("utf-8").splitlines() if line.strip()]


def word_scores(errata, dict_args, batch, unrepaired=None):
    """Word-edit score of `errata check` (applied edits) over the batch; the
    (wrong, right) pairs of the gold edits it leaves unrepaired added to the
    set unrepaired if one is given."""
    output = run(errata, ["check", "--format=jsonl", *dict_args, *map(str, batch)])
    by_file = {}
    for e in ev.parse_jsonl(output, "batch"):
        by_file.setdefault(e["file"], []).append(e)
    total = ev.Score()
    for path, gold in batch.items():
        text = path.read_text(encoding="utf-8")
        system = [ev.trimmed(e["cp_start"], e["old"], e["new"]) for e in by_file.get(str(path), [])
                  if e["kind"] in ev.WORD_KINDS and e["action"] == "apply"]
        golds = ev.gold_edits(gold)
        result, _, missed = ev.score(text, golds, system)
        total.add(result)
        if unrepaired is not None:
            unrepaired.update((e["wrong"], e["right"]) for e, g in zip(gold["edits"], golds)
                              if g in missed)
    return total


def pr(s):
    made = s.correct + s.wrong
    return (s.correct / made if made else 0.0), (s.correct / s.gold if s.gold else 0.0)


def places_of_pairs(batch):
    """{(wrong, right): the places of the clean texts where the damage put it}.

    A place is a clean document and an offset in it: the damaged copies of
    one text that hold a pair at the same place count it once (learn counts
    them once too; the copies of a text are one piece of evidence)."""
    places = {}
    for path, gold in batch.items():
        text, shift = path.name.split(".")[0], 0
        for e in sorted(gold["edits"], key=lambda e: e["offset"]):
            places.setdefault((e["wrong"], e["right"]), set()).add((text, e["offset"] - shift))
            shift += len(e["wrong"]) - len(e["right"])
    return places


def hidden_pairs(errata, work, seeds, whole=False):
    lines = dictionary_lines()
    entries = contextual_entries(lines)
    work = work / ("whole" if whole else "partial")
    batch_dir = work / "batch"
    batch_dir.mkdir(parents=True)
    batch = make_batch(batch_dir, whole)
    places = places_of_pairs(batch)
    damage_pairs = Counter({pair: len(at) for pair, at in places.items()})
    texts = {pair: {text for text, _ in at} for pair, at in places.items()}
    spinner = (", spinners replacing every occurrence of every rule of their family (no original "
               "beside its swap; the copies of a text by one family identical)") if whole else ""
    print(f"Hidden pairs{spinner}: {len(batch)} damaged documents ({len(clean_documents())} clean "
          f"documents x families A, B x {len(DAMAGE_SEEDS)} damage seeds), "
          f"{len(entries)} contextual pairs, {HOLD_OUT:.0%} held out per seed "
          f"(>=3x: at {MIN_OCCURRENCES} places or more, the copies of a text counting a place once; "
          f"missed*: in the copies of one text only, below learn's --min-docs 2; "
          f"open: those of them the reduced dictionary leaves unrepaired at one place at least, "
          f"and the recall over them; missed+: repaired at every place by another entry)")
    # The full dictionary's score does not depend on the seed.
    p2, r2 = pr(word_scores(errata, ["--no-default-dict", "--dict",
                                     str(ROOT / "dictionaries" / "swaps.dict")], batch))
    print(f"{'seed':>4} {'held':>4} {'>=3x':>4} {'found':>5} {'recall':>6} {'open':>4} "
          f"{'recall':>6} | {'proposed':>8} "
          f"{'right':>5} {'prec':>5} | {'reduced P/R':>11} {'+learnt P/R':>11} {'full P/R':>9}")
    for seed in seeds:
        held = random.Random(seed).sample(entries, round(HOLD_OUT * len(entries)))
        reduced = work / f"reduced-{seed}.dict"
        reduced.write_text(reduced_dictionary(lines, held), encoding="utf-8")
        dict_args = ["--no-default-dict", "--dict", str(reduced)]
        # The dictionary learn writes holds the pairs at its default threshold.
        learnt = work / f"learnt-{seed}.dict"
        run(errata, ["learn", "-q", "-o", str(learnt), *dict_args, *map(str, batch)])
        proposed = dictionary_pairs(learnt.read_text(encoding="utf-8").splitlines())
        targets = [(c, o) for _, c, o in held if damage_pairs[(c, o)] >= MIN_OCCURRENCES]
        found = [t for t in targets if t in proposed]
        right = [p for p in proposed if damage_pairs[p] > 0]
        unrepaired = set()
        p0, r0 = pr(word_scores(errata, dict_args, batch, unrepaired))
        # open: the targets the reduced dictionary leaves unrepaired at one
        # place at least (another entry may repair all of a held-out
        # pair's places: 结实树立 -> 牢固树立 every 结实 -> 牢固 of the batch)
        open_targets = [t for t in targets if t in unrepaired]
        found_open = [t for t in open_targets if t in proposed]
        p1, r1 = pr(word_scores(errata, dict_args + ["--dict", str(learnt)], batch))
        print(f"{seed:>4} {len(held):>4} {len(targets):>4} {len(found):>5} "
              f"{len(found) / len(targets) if targets else 0:>6.2f} {len(open_targets):>4} "
              f"{len(found_open) / len(open_targets) if open_targets else 0:>6.2f} | {len(proposed):>8} "
              f"{len(right):>5} {len(right) / len(proposed) if proposed else 0:>5.2f} | "
              f"{p0:.2f}/{r0:.2f}   {p1:.2f}/{r1:.2f}   {p2:.2f}/{r2:.2f}")
        missed = sorted(set(targets) - proposed)
        wrong = sorted(p for p in proposed if damage_pairs[p] == 0)
        if missed:
            print("       missed: " + " ".join(f"{c}>{o}" + ("*" if len(texts[(c, o)]) == 1 else "")
                                            + ("" if (c, o) in unrepaired else "+")
                                            for c, o in missed))
        if wrong:
            print("       wrong:  " + " ".join(f"{c}>{o}" for c, o in wrong))


def clean_batches(errata, corpus):
    sets = [("corpus/clean (manpages-zh, fortunes-zh)", ev.clean_texts(corpus)),
            ("corpus/docs + corpus/learn, undamaged", clean_documents())]
    print("Clean batches: pairs proposed at confidence >= %.2f" % THRESHOLD)
    for name, paths in sets:
        confident = learn(errata, [], paths, THRESHOLD)
        shown = ", ".join(f"{p['corrupted']}>{p['original']} {p['confidence']:.2f}"
                          for p in confident[:5])
        print(f"  {name}: {len(paths)} files: {len(confident)}" + (f": {shown}" if shown else ""))


def swap_entries(lines):
    """(corrupted, original) of every swap entry of a dictionary's lines, in order."""
    return [tuple(line.split("\t")[:2]) for line in lines
            if "\t" in line and not line.startswith(("#", "!"))]


def dictionary_pairs(lines):
    """The distinct (corrupted, original) of a dictionary's swap entries."""
    return set(swap_entries(lines))


def holds_pair(pairs, wrong, right):
    """Whether an entry repairs wrong -> right, alone or inside its context
    (原那么 -> 原则 holds the annotated pair 那么 -> 则)."""
    for corrupted, original in pairs:
        at = corrupted.find(wrong)
        if at >= 0 and corrupted[:at] + right + corrupted[at + len(wrong):] == original:
            return True
    return False


def dictionary_gap(batch):
    """Gold edits, those of them whose pair swaps.dict does not hold, and those
    pairs that learn's defaults could find (3 times, in 2 documents)."""
    pairs = dictionary_pairs(dictionary_lines())
    edits = [(e["wrong"], e["right"]) for gold in batch.values() for e in gold["edits"]]
    missing = [pair for pair in edits if not holds_pair(pairs, *pair)]
    documents = Counter(pair for gold in batch.values()
                        for pair in {(e["wrong"], e["right"]) for e in gold["edits"]})
    learnable = sorted(pair for pair, n in Counter(missing).items()
                       if n >= MIN_OCCURRENCES and documents[pair] >= 2)
    return edits, missing, learnable


# (label, directories under corpus/, held out?)
REAL_SETS = (("corpus/heldout/real", ("heldout/real",), True),
             ("corpus/heldout/real2", ("heldout/real2",), True),
             ("real + real2", ("heldout/real", "heldout/real2"), True),
             ("corpus/heldout/real3", ("heldout/real3",), True),
             ("corpus/heldout/real4", ("heldout/real4",), True),
             ("corpus/heldout/real5", ("heldout/real5",), True),
             ("corpus/heldout/real6", ("heldout/real6",), True),
             ("corpus/heldout/real7", ("heldout/real7",), True),
             ("corpus/heldout/real8", ("heldout/real8",), True),
             ("all held-out real", ("heldout/real", "heldout/real2", "heldout/real3",
                                    "heldout/real4", "heldout/real5", "heldout/real6",
                                    "heldout/real7", "heldout/real8"), True),
             ("corpus/learn-real", ("learn-real",), False))


# Candidates counted in a real batch's list for review (see review_list).
REVIEW_TOP = 10


def real_documents(errata, corpus, work):
    """Each held-out set of real documents, then held-out sets together (more
    documents give learn the repeated evidence it needs: 3 places in 2 documents),
    then the real documents that learn may be tuned on (corpus/learn-real)."""
    for label, names, held_out in REAL_SETS:
        real_batch(errata, label, [corpus / name for name in names], held_out, work)


def learnt_pairs(path):
    """(corrupted, original) of the entries a `learn -o` dictionary holds."""
    return swap_entries(path.read_text(encoding="utf-8").splitlines())


def real_batch(errata, label, directories, held_out, work):
    pairs = [p for d in directories if d.is_dir() for p in ev.gold_pairs(d)]
    if not pairs:
        print(f"Real documents ({label}): (none)")
        return
    batch = {t: json.loads(g.read_text(encoding="utf-8")) for t, g in pairs}
    learnt = work / f"learnt-{'-'.join(d.name for d in directories)}.dict"
    run(errata, ["learn", "-q", "-o", str(learnt), *map(str, batch)])
    alone = word_scores(errata, [], batch)
    both = word_scores(errata, ["--dict", str(learnt)], batch)
    chars = sum(len(t.read_text(encoding="utf-8")) for t in batch)
    learnt_list = learnt_pairs(learnt)
    kind = "held out" if held_out else "tuning"
    print(f"Real documents ({label}, {kind}): {len(batch)} documents, "
          f"{chars} characters, {alone.gold} gold word edits, {len(learnt_list)} pairs learnt")
    edits, missing, learnable = dictionary_gap(batch)
    gold = set(edits)
    right = [annotated(pair, gold) for pair in learnt_list]
    if learnt_list and held_out:
        print(f"  learnt: {sum(right)} of {len(learnt_list)} are annotated pairs")
    elif learnt_list:
        print("  learnt: " + " ".join(f"{c}>{o}" + (" (right)" if ok else " (no gold pair)")
                                      for (c, o), ok in zip(learnt_list, right)))
    print(f"  not in swaps.dict: {len(missing)} of {len(edits)} gold edits "
          f"({len(missing) / len(edits):.0%}), {len(set(missing))} of {len(set(edits))} "
          f"distinct pairs" + listed(sorted(set(missing)), held_out))
    print(f"  of those pairs, seen {MIN_OCCURRENCES}+ times in 2+ documents: {len(learnable)}"
          + listed(learnable, held_out))
    for name, s in (("fix alone", alone), ("learn + fix", both)):
        p, r = pr(s)
        print(f"  {name:<12} precision {p:.2f} recall {r:.2f} "
              f"({s.correct} right, {s.wrong} wrong)")
    review_list(errata, batch, gold, held_out)


def annotated(pair, gold):
    """Whether a learnt (corrupted, original) repairs one of the gold file's
    annotated (wrong, right) pairs."""
    return any(holds_pair({pair}, wrong, right) for wrong, right in gold)


def listed(pairs, held_out):
    """The pairs, for a tuning set; nothing for a held-out one, whose
    annotated pairs and learnt errors are not to be read (only counted)."""
    return "" if held_out else ": " + " ".join(f"{w}>{r}" for w, r in pairs)


def review_list(errata, batch, gold, held_out):
    """How many of the REVIEW_TOP best candidates at any confidence hold an
    annotated pair: what a person reading `learn --min-confidence 0` first
    would find.  Held out: the count and the ranks only, not the pairs."""
    ranked = learn(errata, [], batch)[:REVIEW_TOP]
    right = [(rank, p) for rank, p in enumerate(ranked, start=1)
             if annotated((p["corrupted"], p["original"]), gold)]
    shown = "ranks " + " ".join(str(rank) for rank, _ in right) if held_out else " ".join(
        f"{p['corrupted']}>{p['original']} ({p['confidence']:.2f})" for _, p in right)
    print(f"  for review: {len(right)} of the {len(ranked)} best candidates at any confidence "
          f"are annotated pairs" + (f": {shown}" if right else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errata", required=True)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--seeds", default=",".join(map(str, SEEDS)),
                        help="hold-out seeds, comma-separated (default: %(default)s)")
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    errata = str(Path(args.errata).resolve())
    print(no_user_config.isolate())
    with tempfile.TemporaryDirectory(prefix="errata-eval-learn-") as tmp:
        work = Path(tmp)
        try:
            hidden_pairs(errata, work, seeds)
            print()
            hidden_pairs(errata, work, seeds, whole=True)
            print()
            clean_batches(errata, args.corpus.resolve())
            print()
            real_documents(errata, args.corpus.resolve(), work)
        except ev.ErrataFailure as failure:
            print(f"errata failed: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
