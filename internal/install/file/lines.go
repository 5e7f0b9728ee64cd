package file

import "strings"

// linesDiffering counts the lines that differ between a and b once the
// lines they share at the start and at the end are set aside: one edited
// or inserted line is 1, however long the file. It is cheap, not a diff.
func linesDiffering(a, b []byte) int {
	x := strings.Split(string(a), "\n")
	y := strings.Split(string(b), "\n")
	for len(x) > 0 && len(y) > 0 && x[0] == y[0] {
		x, y = x[1:], y[1:]
	}
	for len(x) > 0 && len(y) > 0 && x[len(x)-1] == y[len(y)-1] {
		x, y = x[:len(x)-1], y[:len(y)-1]
	}
	return max(len(x), len(y), 1)
}
