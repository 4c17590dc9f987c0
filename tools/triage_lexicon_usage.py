"""How many cases each lexicon entry matches: `python -m tools.triage_lexicon_usage`.

A phrase that matches exactly one case is a smell (a case's own words added to make it pass). Counted
over the project's cases (tests/triage/cases.yml) and the independent development sets (dev*.yml); the
sealed sets are never read. Prints the counts and the single-case entries.
"""

from __future__ import annotations

import re
import sys

import yaml

from bot.config import PROJECT_ROOT
from bot.triage.extract import load_lexicon


def case_texts() -> list[str]:
    texts: list[str] = []
    with (PROJECT_ROOT / "tests" / "triage" / "cases.yml").open(encoding="utf-8") as handle:
        texts += [str(case["text"]).lower() for case in yaml.safe_load(handle)["cases"]]
    for path in sorted((PROJECT_ROOT / "tests" / "triage" / "independent").glob("dev*.yml")):
        with path.open(encoding="utf-8") as handle:
            texts += [" ".join(map(str, case["turns"])).lower() for case in yaml.safe_load(handle)]
    return texts


def entries() -> list[tuple[str, str]]:
    lexicon = load_lexicon()
    found: list[tuple[str, str]] = []
    for group in ("concepts", "details"):
        for label, phrases in lexicon[group].items():
            found += [(f"{group}.{label}", str(phrase).lower()) for phrase in phrases]
    for entry in lexicon.get("cooccur") or []:
        name = entry.get("finding") or entry.get("detail")
        for i, words in enumerate(entry["groups"]):
            found += [(f"cooccur.{name}[{i}]", str(word).lower()) for word in words]
    return found


def main() -> int:
    texts = case_texts()
    single: list[str] = []
    unused = 0
    all_entries = entries()
    for where, phrase in all_entries:
        pattern = re.compile(r"(?<![\w'])" + re.escape(phrase) + r"(?![\w'])")
        hits = sum(1 for text in texts if pattern.search(text))
        if hits == 1:
            single.append(f"{where}: {phrase}")
        elif hits == 0:
            unused += 1
    print(f"lexicon entries: {len(all_entries)}; cases: {len(texts)}")
    print(f"matching exactly one case: {len(single)}; matching none: {unused}")
    print("\n".join(single))
    return 0


if __name__ == "__main__":
    sys.exit(main())
