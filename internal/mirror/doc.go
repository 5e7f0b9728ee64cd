// Package mirror is a mirror folder: the pinned artifacts of a lab's
// recipes, kept flat under their base names (the names fetch looks them up
// by), with an index.json saying what each one is.
//
// Index reads and writes index.json. Server serves the folder read-only
// over HTTP, so a classroom downloads each artifact once from the
// teacher's machine and the seats apply with --mirror http://HOST:PORT.
package mirror
