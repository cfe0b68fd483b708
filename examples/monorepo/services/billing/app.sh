#!/bin/sh
# billing: totals an invoice. Reads "ITEM QUANTITY UNIT_CENTS" lines on stdin
# and prints the total in cents; rejects negative quantities.
set -eu
awk '
  NF == 0 { next }
  NF != 3 || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/ { printf "bad line %d: %s\n", NR, $0 > "/dev/stderr"; bad = 1; exit 2 }
  { total += $2 * $3 }
  END { if (!bad) printf "%d\n", total }
'
