package editor

import "bytes"

// lineEnding is the line break a settings file's new lines get, so that
// a CRLF file (VS Code on Windows writes them) stays CRLF: "\r\n" when
// most of data's line breaks are CRLF, else "\n". A file with as many of
// each goes by its first line; a file with no line break gets "\n", as
// the editors write on every OS when nothing says otherwise.
func lineEnding(data []byte) string {
	crlf := bytes.Count(data, []byte("\r\n"))
	lf := bytes.Count(data, []byte("\n")) - crlf
	switch {
	case crlf > lf:
		return "\r\n"
	case crlf == lf && crlf > 0:
		if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
			return "\r\n"
		}
	}
	return "\n"
}

// withLineEnding writes each bare "\n" of data as eol; a "\r\n" stays.
func withLineEnding(data []byte, eol string) []byte {
	if eol == "\n" || len(data) == 0 {
		return data
	}
	var b bytes.Buffer
	b.Grow(len(data) + bytes.Count(data, []byte("\n")))
	for i, c := range data {
		if c == '\n' && (i == 0 || data[i-1] != '\r') {
			b.WriteString(eol)
			continue
		}
		b.WriteByte(c)
	}
	return b.Bytes()
}
