package service

import (
	"strings"

	"github.com/envup/envup/internal/catalog"
)

// kind is what differs between the servers envup runs: the catalog's
// tool, the programs' names, and the OS packages that give them.
type kind struct {
	name   string // redis, valkey: the catalog's tool and the config file's stem
	server string // redis-server
	cli    string // redis-cli
	// aliases are other program names the running server may show in
	// its process title (valkey's redis-server compatibility link).
	aliases []string
	// packages are the OS packages that give the server with manager;
	// nil where envup knows none.
	packages func(manager string, c catalog.Constraint) []string
}

var kinds = map[string]*kind{
	"redis": {
		name: "redis", server: "redis-server", cli: "redis-cli",
		packages: func(manager string, c catalog.Constraint) []string {
			switch manager {
			case "apt":
				return []string{"redis-server", "redis-tools"}
			case "dnf", "yum", "zypper", "apk", "pacman", "brew", "port":
				return []string{"redis"}
			case "choco":
				// [U] redis-64 is the archived Microsoft port (3.0.503);
				// redis is the newer community port. Either is checked
				// against the recipe's version once installed.
				if !c.Check("5.0.14.1") && c.Check("3.0.503") {
					return []string{"redis-64"}
				}
				return []string{"redis"}
			}
			return nil
		},
	},
	"valkey": {
		name: "valkey", server: "valkey-server", cli: "valkey-cli",
		aliases: []string{"redis-server"},
		packages: func(manager string, _ catalog.Constraint) []string {
			switch manager {
			case "apt":
				return []string{"valkey-server", "valkey-tools"}
			case "dnf", "yum", "zypper", "apk", "pacman", "brew":
				return []string{"valkey"}
			}
			return nil // no Windows build of valkey
		},
	},
}

// exe is a program's name on os: redis-server.exe on Windows.
func exe(name, os string) string {
	if os == "windows" {
		return name + ".exe"
	}
	return name
}

// dirOf is the folder of a path written with either separator.
func dirOf(path string) string {
	i := strings.LastIndexAny(path, `\/`)
	if i <= 0 {
		return path
	}
	return path[:i]
}
