package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseSystemVersionPlist reads SystemVersion.plist files of real
// releases (testdata/README.md says where each comes from).
func TestParseSystemVersionPlist(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		want     SystemVersion
		wantName string
	}{
		{"10.3-panther.plist", SystemVersion{ProductName: "Mac OS X", ProductVersion: "10.3", ProductBuildVersion: "7B85"}, "panther"},
		{"10.7.5-lion.plist", SystemVersion{ProductName: "Mac OS X", ProductVersion: "10.7.5", ProductBuildVersion: "11G63"}, "lion"},
		{"10.15.7-catalina.plist", SystemVersion{ProductName: "Mac OS X", ProductVersion: "10.15.7", ProductBuildVersion: "19H2"}, "catalina"},
		{"11.0-bigsur-beta.plist", SystemVersion{ProductName: "macOS", ProductVersion: "11.0", ProductBuildVersion: "20A5343i"}, "big sur"},
		// The 10.16 trap: a compatibility-mode read on macOS 14.7.4.
		{"14.7.4-compat.plist", SystemVersion{ProductName: "Mac OS X", ProductVersion: "11.0", ProductBuildVersion: "23H420", Compat: true}, "big sur"},
		{"14.0-sonoma.plist", SystemVersion{ProductName: "macOS", ProductVersion: "14.0", ProductBuildVersion: "23A344"}, "sonoma"},
		{"26.0-tahoe.plist", SystemVersion{ProductName: "macOS", ProductVersion: "26.0", ProductBuildVersion: "25A354"}, "tahoe"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "macos", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseSystemVersionPlist(data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if name := MacName(got.ProductVersion); name != tt.wantName {
				t.Errorf("MacName(%q) = %q, want %q", got.ProductVersion, name, tt.wantName)
			}
		})
	}
}

func TestParseSystemVersionPlistErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"binary", "bplist00\xd1\x01\x02", "binary property list: want XML"},
		{"not XML", "INVALID", "property list: no top-level <dict>"},
		{"other root", "<dict><key>ProductVersion</key><string>14.0</string></dict>", "property list: root element <dict>, want <plist>"},
		{"no version", `<plist version="1.0"><dict><key>ProductName</key><string>macOS</string></dict></plist>`, "no ProductVersion"},
		{"broken XML", `<plist version="1.0"><dict><key>ProductVersion</key><string>14.0</dict></plist>`, "property list: <string>: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseSystemVersionPlist([]byte(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestParseSystemVersionPlistSkipsOtherTypes: values that are not strings
// (nested dicts, arrays, booleans) neither fail nor shift keys.
func TestParseSystemVersionPlistSkipsOtherTypes(t *testing.T) {
	t.Parallel()
	in := `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<key>Nested</key>
	<dict><key>ProductVersion</key><string>1.0</string></dict>
	<key>List</key>
	<array><string>a</string><string>b</string></array>
	<key>Flag</key>
	<true/>
	<key>ProductVersion</key>
	<string>13.6.1</string>
</dict>
</plist>`
	got, err := ParseSystemVersionPlist([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got.ProductVersion != "13.6.1" {
		t.Errorf("ProductVersion %q, want 13.6.1", got.ProductVersion)
	}
}
