package diag

// Suggest returns the candidate closest to word by edit distance (case
// differences count half), or "" when none is close enough to be a likely
// typo: at most a third of word's length, and at least one edit.
func Suggest(word string, candidates []string) string {
	best, bestD := "", 0
	limit := max(len(word)/3, 1)
	for _, c := range candidates {
		d := distance(word, c)
		if d <= limit*2 && (best == "" || d < bestD || d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance in half-units: 2 per edit, 1 for a
// substitution that only changes case.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = 2 * j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = 2 * i
		for j := 1; j <= len(rb); j++ {
			sub := 0
			switch {
			case ra[i-1] == rb[j-1]:
			case lower(ra[i-1]) == lower(rb[j-1]):
				sub = 1
			default:
				sub = 2
			}
			cur[j] = min(prev[j]+2, cur[j-1]+2, prev[j-1]+sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func lower(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}
