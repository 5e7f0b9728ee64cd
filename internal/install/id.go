package install

import "strings"

// ID names a resource: its kind and its name within that kind, written
// "kind/name" ("interpreter/python", "file/~/lab/seats.py"). A name may
// hold slashes; the kind never does.
type ID struct {
	Kind string // a registered Kind's Name: "interpreter", "path"
	Name string // the recipe's key, a file's destination, "bin"
}

// String writes the ID as plans, locks and errors show it: "kind/name".
func (id ID) String() string { return id.Kind + "/" + id.Name }

// ParseID reads an ID as String writes it: the kind ends at the first
// slash, and the rest is the name.
func ParseID(s string) ID {
	kind, name, _ := strings.Cut(s, "/")
	return ID{Kind: kind, Name: name}
}
