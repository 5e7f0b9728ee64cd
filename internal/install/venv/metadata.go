package venv

import (
	"bytes"
	"errors"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/envup/envup/internal/system"
)

// Normalize is a distribution name as PEP 503 compares it: runs of -, _
// and . become one -, and letters are lower case ("PyYAML" and "pyyaml",
// "zope.interface" and "zope-interface" are one project).
func Normalize(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Metadata is what envup reads from a distribution's METADATA (or an
// egg's PKG-INFO): the core-metadata headers it compares and follows.
type Metadata struct {
	Name     string
	Version  string
	Requires []string // Requires-Dist, as written (PEP 508)
}

var errNoName = errors.New("no Name or Version header")

var (
	hName         = []byte("Name")
	hVersion      = []byte("Version")
	hRequiresDist = []byte("Requires-Dist")
)

// ParseMetadata reads the headers of a core-metadata file (RFC 822
// style, every Metadata-Version from 1.0 to 2.4). It stops at the first
// empty line: the long description after it is never looked at, and a
// folded header (a line starting with white space, such as a Metadata
// 1.x Description) is skipped.
func ParseMetadata(data []byte) (Metadata, error) {
	var m Metadata
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) == 0 {
			break // the body starts here
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // a folded continuation of the header before
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			continue
		}
		key, val := line[:colon], line[colon+1:]
		switch {
		case bytes.EqualFold(key, hName):
			m.Name = string(bytes.TrimSpace(val))
		case bytes.EqualFold(key, hVersion):
			m.Version = string(bytes.TrimSpace(val))
		case bytes.EqualFold(key, hRequiresDist):
			m.Requires = append(m.Requires, string(bytes.TrimSpace(val)))
		}
	}
	if m.Name == "" || m.Version == "" {
		return m, errNoName
	}
	return m, nil
}

// Dist is one installed distribution.
type Dist struct {
	Metadata
	Dir string // the .dist-info or .egg-info folder (or egg-info file)
	egg bool   // an egg-info: its requirements are in requires.txt
}

// rank orders the kinds of metadata when one name has two: a
// dist-info wins over an egg-info (Debian ships both for some packages).
func (d *Dist) rank() int {
	if d.egg {
		return 1
	}
	return 0
}

// readSite lists the distributions installed in one site-packages
// folder, by normalised name. A folder that does not exist holds none.
// It only reads files: METADATA of every *.dist-info, PKG-INFO of every
// *.egg-info folder (or the egg-info file itself), and the project an
// *.egg-link (a setuptools develop install) points at.
func readSite(sys system.System, site string, j joiner, into map[string]*Dist) {
	entries, err := sys.ReadDir(site)
	if err != nil {
		return
	}
	type job struct {
		name  string
		isDir bool
	}
	var jobs []job
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".dist-info") || strings.HasSuffix(n, ".egg-info") || strings.HasSuffix(n, ".egg-link") {
			jobs = append(jobs, job{n, e.IsDir()})
		}
	}
	// Reading a file costs a handful of system calls and next to no CPU:
	// a few readers at once make a 200-package venv several times faster.
	found := make([]*Dist, len(jobs))
	workers := min(readers, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				n := jobs[i].name
				switch {
				case strings.HasSuffix(n, ".dist-info"):
					found[i] = readDistInfo(sys, j, j.join(site, n), n)
				case strings.HasSuffix(n, ".egg-info"):
					found[i] = readEggInfo(sys, j, j.join(site, n), jobs[i].isDir)
				default:
					found[i] = readEggLink(sys, j.join(site, n), j)
				}
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, d := range found {
		if d == nil {
			continue
		}
		key := Normalize(d.Name)
		if old, ok := into[key]; ok && old.rank() <= d.rank() {
			continue
		}
		into[key] = d
	}
}

// readers is how many metadata files readSite reads at once.
const readers = 8

func readDistInfo(sys system.System, j joiner, dir, base string) *Dist {
	data, err := sys.ReadFile(j.join(dir, "METADATA"))
	if err == nil {
		if m, err := ParseMetadata(data); err == nil {
			return &Dist{Metadata: m, Dir: dir}
		}
	}
	// No readable METADATA (a broken install): the folder's name still
	// says name-version.
	stem := strings.TrimSuffix(base, ".dist-info")
	if i := strings.LastIndexByte(stem, '-'); i > 0 {
		return &Dist{Metadata: Metadata{Name: stem[:i], Version: stem[i+1:]}, Dir: dir}
	}
	return nil
}

func readEggInfo(sys system.System, j joiner, path string, isDir bool) *Dist {
	file := path
	if isDir {
		file = j.join(path, "PKG-INFO")
	}
	data, err := sys.ReadFile(file)
	if err != nil {
		return nil
	}
	m, err := ParseMetadata(data)
	if err != nil {
		return nil
	}
	d := &Dist{Metadata: m, Dir: path, egg: true}
	if !isDir {
		d.Dir = ""
	}
	return d
}

// readEggLink follows a setuptools develop install: the link's first line
// is the project folder, where its *.egg-info is.
func readEggLink(sys system.System, link string, j joiner) *Dist {
	data, err := sys.ReadFile(link)
	if err != nil {
		return nil
	}
	target, _, _ := strings.Cut(strings.ReplaceAll(string(data), "\r", ""), "\n")
	target = strings.TrimSpace(target)
	if target == "" {
		return nil
	}
	entries, err := sys.ReadDir(target)
	if err != nil {
		return nil
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".egg-info") && e.IsDir() {
			return readEggInfo(sys, j, j.join(target, e.Name()), true)
		}
	}
	return nil
}

// requires are what d depends on: Requires-Dist, or for an egg-info
// folder its requires.txt, read only when asked (exact mode).
func (d *Dist) requires(sys system.System, j joiner) []string {
	if !d.egg || d.Dir == "" {
		return d.Requires
	}
	data, err := sys.ReadFile(j.join(d.Dir, "requires.txt"))
	if err != nil {
		return nil
	}
	return parseRequiresTxt(string(data))
}

// parseRequiresTxt turns setuptools' requires.txt into Requires-Dist
// lines: a "[extra]", "[:marker]" or "[extra:marker]" section adds its
// condition to the lines under it.
func parseRequiresTxt(text string) []string {
	var out []string
	cond := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			extra, marker, _ := strings.Cut(line[1:len(line)-1], ":")
			var parts []string
			if extra = strings.TrimSpace(extra); extra != "" {
				parts = append(parts, `extra == "`+extra+`"`)
			}
			if marker = strings.TrimSpace(marker); marker != "" {
				parts = append(parts, "("+marker+")")
			}
			cond = strings.Join(parts, " and ")
			continue
		}
		if cond != "" {
			line += " ; " + cond
		}
		out = append(out, line)
	}
	return out
}

// versions is the name → version map of a set of distributions, by
// normalised name, for the state and the snapshot.
func versions(dists map[string]*Dist) map[string]string {
	out := make(map[string]string, len(dists))
	for k, d := range dists {
		out[k] = d.Version
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isNotExist says whether err means the file is not there.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
