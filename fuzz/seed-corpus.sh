#!/usr/bin/env bash
# Writes the seed corpora into fuzz/corpus/<target>/ (gitignored): for
# parse_line, the first few events of each kind from events/*.jsonl and the
# golden export lines of every group (records*.jsonl); for decode_record, the
# golden record and block bytes from tests/data/golden/. Run from anywhere;
# safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
root=..
golden=$root/tests/data/golden

mkdir -p corpus/parse_line corpus/decode_record

# Up to three lines of each event type, plus every golden export line.
n=0
for kind in games_registered medal_awarded medal_revoked meeting_held \
  membership_began membership_ended person_identified claim; do
  grep -h "\"type\":\"$kind\"" "$root"/events/*.jsonl | head -3 |
    while IFS= read -r line; do
      printf '%s\n' "$line" >"corpus/parse_line/events-$kind-$((n++))"
    done || true
done
i=0
while IFS= read -r line; do
  printf '%s\n' "$line" >"corpus/parse_line/golden-$((i++))"
done < <(cat "$golden"/records*.jsonl)
# One whole file (comments, blank lines, many events) for the Reader path.
head -20 "$root/events/10-azernews-2023-03-22-npc-meets-paris-2024.jsonl" \
  >corpus/parse_line/file-head

# The hex fixtures start with a `#` comment line.
for hex in "$golden"/*.hex; do
  grep -v '^#' "$hex" | xxd -r -p >"corpus/decode_record/$(basename "$hex" .hex)"
done

echo "parse_line: $(ls corpus/parse_line | wc -l) seeds;" \
  "decode_record: $(ls corpus/decode_record | wc -l) seeds"
