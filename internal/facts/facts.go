// Package facts reads what a probe (envup export --probe) printed on an
// old machine envup cannot run on: its platform, for --facts.
package facts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"unicode/utf16"

	"github.com/envup/envup/internal/detect"
)

// Read reads a probe's JSON (envup export --probe) as the
// platform to plan for: the short form from its os, version and arch,
// with the rest the probe said on top.
func Read(name string) (detect.Platform, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return detect.Platform{}, fmt.Errorf("--facts: %w", err)
	}
	data = probeText(data)
	var f detect.Platform
	if err := json.Unmarshal(data, &f); err != nil {
		return detect.Platform{}, fmt.Errorf("--facts %s: not a platform: %w", name, err)
	}
	short := f.OS + "/" + f.Version + "/" + f.Arch
	if f.OS == "linux" {
		id, v := f.Distro.ID, f.Distro.Version
		if v == "" {
			v = f.Version
		}
		short = "linux/" + id + "/" + v + "/" + f.Arch
	}
	p, err := detect.ParsePlatform(short)
	if err != nil {
		return p, fmt.Errorf("--facts %s: %w", name, err)
	}
	if f.Libc.Name != "" {
		p.Libc = f.Libc
	}
	if f.Edition != "" {
		p.Edition = f.Edition
	}
	if f.Build != "" {
		p.Build = f.Build
	}
	if f.Distro.Pretty != "" {
		p.Distro.Pretty = f.Distro.Pretty
	}
	p.Server = p.Server || f.Server
	if f.Home != "" {
		// The probe said where home is: the plan (and the files an export
		// writes) name the real paths, not ~.
		under := p.Path(f.Home).Expand
		p.Home = f.Home
		p.Dirs.Data, p.Dirs.Cache, p.Dirs.State = under(p.Dirs.Data), under(p.Dirs.Cache), under(p.Dirs.State)
		p.Dirs.Bin, p.Dirs.Config = under(p.Dirs.Bin), under(p.Dirs.Config)
	}
	return p, nil
}

// probeText is a probe's output as UTF-8: PowerShell's > writes UTF-16
// with a byte-order mark, and some editors add one to UTF-8.
func probeText(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && len(data)%2 == 0:
		u := make([]uint16, 0, len(data)/2-1)
		for i := 2; i+1 < len(data); i += 2 {
			u = append(u, uint16(data[i])|uint16(data[i+1])<<8)
		}
		return []byte(string(utf16.Decode(u)))
	}
	return data
}
