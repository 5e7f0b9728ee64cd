package recipe

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// problem says what is wrong with a YAML number (n is !!int or !!float)
// written where a string with this policy belongs, or "" when it is
// taken as written. envup keeps the text as written, but every other
// YAML reader (an editor's schema check, yq, a script) reads the number:
// `version: 3.10` is 3.1, `mode: 644` is 644, not 0o644.
func (p numbers) problem(n *node) string {
	switch p {
	case numbersIntegers:
		if n.tag == "!!int" {
			if v, err := strconv.ParseInt(n.text, 10, 64); err == nil && strconv.FormatInt(v, 10) == n.text {
				return "" // 22 is "22" to any reader
			}
		}
		return numberMsg(n)
	case numbersQuoted:
		return numberMsg(n)
	case numbersOctal:
		if n.tag == "!!int" {
			if v, err := strconv.ParseInt(strings.ReplaceAll(n.text, "_", ""), 0, 64); err == nil && v >= 0 {
				return fmt.Sprintf(`%s is the integer %d in YAML, mode %O; quote it: "%s"`, n.text, v, v, octalMode(n.text))
			}
		}
		return fmt.Sprintf(`%s is a number in YAML; quote it, in octal: "0644"`, n.text)
	}
	return ""
}

// numberMsg says how YAML reads a number and asks for quotes.
func numberMsg(n *node) string {
	var read string
	if n.tag == "!!int" {
		if v, err := strconv.ParseInt(strings.ReplaceAll(n.text, "_", ""), 0, 64); err == nil {
			read = strconv.FormatInt(v, 10)
		}
	} else {
		read = strconv.FormatFloat(parseFloat(n.text), 'g', -1, 64)
	}
	if read != "" && read != n.text {
		return fmt.Sprintf(`%s is the number %s in YAML; quote it: "%s"`, n.text, read, n.text)
	}
	return fmt.Sprintf(`%s is a number in YAML; quote it: "%s"`, n.text, n.text)
}

var octalDigits = regexp.MustCompile(`^[0-7]{3,4}$`)

// octalMode is the quoted mode someone who wrote text meant: 644 and
// 0o644 are "0644".
func octalMode(text string) string {
	d := strings.TrimPrefix(strings.TrimPrefix(text, "0o"), "0O")
	if !octalDigits.MatchString(d) {
		return "0644"
	}
	if len(d) == 3 {
		d = "0" + d
	}
	return d
}

// intValue reads an integer: a YAML integer, or a float with no fraction
// (12.0), which every YAML and JSON reader takes for the integer 12.
func intValue(n *node) (int64, bool) {
	switch n.tag {
	case "!!int":
		v, err := strconv.ParseInt(strings.ReplaceAll(n.text, "_", ""), 0, 64)
		return v, err == nil
	case "!!float":
		f := parseFloat(n.text)
		if f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
			return int64(f), true
		}
	}
	return 0, false
}
