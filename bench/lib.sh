# Shared by the benchmark scripts that run a Go test binary several times
# and collect its "Benchmark…" lines in $out (source it, do not run it).

# values NAME UNIT: the values before UNIT on the lines of benchmark NAME
# (without its -GOMAXPROCS suffix) in $out, sorted.
values() {
  echo "$out" | awk -v name="$1" -v unit="$2" '{ n = $1; sub(/-[0-9]+$/, "", n) } n == name { for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1) }' | sort -g
}

# median NAME UNIT: their median.
median() {
  values "$1" "$2" | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'
}

# stats NAME UNIT: "median (min-max)".
stats() {
  values "$1" "$2" | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'
}
