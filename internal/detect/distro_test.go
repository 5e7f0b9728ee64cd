package detect

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLinuxDistro reads the release files of real systems, from
// python-distro's test resources (testdata/README.md). Expected values
// are those files' ID, ID_LIKE and VERSION_ID; the systems without
// os-release (RHEL and CentOS 5 and 6, CloudLinux 5 and 6, Scientific
// Linux 6, Mandriva 2011, Amazon Linux AMI 2014) take the fallbacks.
func TestLinuxDistro(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		id      string
		like    []string
		version string
		name    string
		managed []string // nativeManagers
	}{
		{"almalinux10", "almalinux", []string{"rhel", "centos", "fedora"}, "10.0", "almalinux 10.0", []string{"dnf", "yum"}},
		{"alpine", "alpine", nil, "3.23.2", "alpine 3.23.2", []string{"apk"}},
		{"altlinux10", "altlinux", nil, "10.1", "altlinux 10.1", nil},
		{"amazon2014", "amzn", nil, "2014.03", "amzn 2014.03", []string{"yum"}}, // system-release only
		{"amazon2016", "amzn", []string{"rhel", "fedora"}, "2016.03", "amzn 2016.03", []string{"yum"}},
		{"amazon2023", "amzn", []string{"fedora"}, "2023", "amzn 2023", []string{"dnf", "yum"}},
		{"arch", "arch", nil, "", "arch", []string{"pacman"}},
		{"armbian", "debian", nil, "10", "debian 10", []string{"apt"}},
		{"bttcb1", "debian", nil, "11", "debian 11", []string{"apt"}}, // etc/os-release wins over usr/lib's
		{"buildroot", "buildroot", nil, "2022.02", "buildroot 2022.02", nil},
		{"centos5", "centos", nil, "5.11", "centos 5.11", []string{"yum"}}, // centos-release
		{"centos7", "centos", []string{"rhel", "fedora"}, "7", "centos 7", []string{"yum"}},
		{"centosstream8", "centos", []string{"rhel", "fedora"}, "8", "centos 8", []string{"dnf", "yum"}},
		{"centosstream9", "centos", []string{"rhel", "fedora"}, "9", "centos 9", []string{"dnf", "yum"}},
		{"centosstream10", "centos", []string{"rhel", "fedora"}, "10", "centos 10", []string{"dnf", "yum"}},
		{"cloudlinux5", "cloudlinux", nil, "5.11", "cloudlinux 5.11", []string{"yum"}}, // redhat-release
		{"cloudlinux6", "cloudlinux", nil, "6.8", "cloudlinux 6.8", []string{"yum"}},
		{"cloudlinux7", "cloudlinux", []string{"rhel", "fedora", "centos"}, "7.3", "cloudlinux 7.3", []string{"yum"}},
		{"coreos", "coreos", nil, "899.15.0", "coreos 899.15.0", nil},
		{"debian8", "debian", nil, "8", "debian 8", []string{"apt"}},
		{"debian10", "debian", nil, "10", "debian 10", []string{"apt"}},
		{"debian13", "debian", nil, "13", "debian 13", []string{"apt"}},
		{"debiantesting", "debian", nil, "", "debian", []string{"apt"}},
		{"exherbo", "exherbo", nil, "", "exherbo", nil},
		{"fedora19", "fedora", nil, "19", "fedora 19", []string{"yum"}},
		{"fedora23", "fedora", nil, "23", "fedora 23", []string{"dnf", "yum"}},
		{"fedora30", "fedora", nil, "30", "fedora 30", []string{"dnf", "yum"}},
		{"fedora42", "fedora", nil, "42", "fedora 42", []string{"dnf", "yum"}}, // usr/lib/os-release only
		{"gentoo", "gentoo", nil, "", "gentoo", nil},
		{"guix", "guix", nil, "", "guix", nil},
		{"kali", "kali", []string{"debian"}, "2017.1", "kali 2017.1", []string{"apt"}},
		{"kvmibm1", "kvmibm", []string{"rhel", "fedora"}, "1.1.1", "kvmibm 1.1.1", []string{"yum"}},
		{"linuxmint17", "ubuntu", []string{"debian"}, "14.04", "ubuntu 14.04", []string{"apt"}}, // Mint 17's os-release is Ubuntu's
		{"mageia5", "mageia", []string{"mandriva", "fedora"}, "5", "mageia 5", []string{"dnf", "yum"}},
		{"mandriva2011", "mandrivalinux", nil, "2011.0", "mandrivalinux 2011.0", nil}, // lsb-release
		{"manjaro1512", "manjaro", nil, "", "manjaro", nil},
		{"openelec6", "openelec", nil, "6.0", "openelec 6.0", nil},
		{"opensuse15", "opensuse-leap", []string{"suse", "opensuse"}, "15.2", "opensuse-leap 15.2", []string{"zypper"}},
		{"opensuse42", "opensuse", []string{"suse"}, "42.1", "opensuse 42.1", []string{"zypper"}},
		{"oracle7", "ol", nil, "7.5", "ol 7.5", []string{"yum"}},
		{"raspbian7", "raspbian", []string{"debian"}, "7", "raspbian 7", []string{"apt"}},
		{"raspbian8", "raspbian", []string{"debian"}, "8", "raspbian 8", []string{"apt"}},
		{"rhel5", "rhel", nil, "5.11", "rhel 5.11", []string{"yum"}}, // redhat-release, redhat is rhel
		{"rhel6", "rhel", nil, "6.5", "rhel 6.5", []string{"yum"}},
		{"rhel7", "rhel", []string{"fedora"}, "7.0", "rhel 7.0", []string{"yum"}},
		{"rhel9", "rhel", []string{"fedora"}, "9.6", "rhel 9.6", []string{"dnf", "yum"}},
		{"rhel10", "rhel", []string{"centos", "fedora"}, "10.0", "rhel 10.0", []string{"dnf", "yum"}},
		{"rocky", "rocky", []string{"rhel", "centos", "fedora"}, "8.4", "rocky 8.4", []string{"dnf", "yum"}},
		{"rocky9", "rocky", []string{"rhel", "centos", "fedora"}, "9.3", "rocky 9.3", []string{"dnf", "yum"}},
		{"rocky10", "rocky", []string{"rhel", "centos", "fedora"}, "10.0", "rocky 10.0", []string{"dnf", "yum"}},
		{"scientific6", "rhel", nil, "6.4", "rhel 6.4", []string{"yum"}}, // as python-distro: redhat-release
		{"scientific7", "rhel", []string{"fedora"}, "7.2", "rhel 7.2", []string{"yum"}},
		{"slackware14", "slackware", nil, "14.1", "slackware 14.1", nil},
		{"sles12", "sles", nil, "12.1", "sles 12.1", []string{"zypper"}},
		{"ubuntu14", "ubuntu", []string{"debian"}, "14.04", "ubuntu 14.04", []string{"apt"}},
		{"ubuntu16", "ubuntu", []string{"debian"}, "16.04", "ubuntu 16.04", []string{"apt"}},
		{"ubuntu24", "ubuntu", []string{"debian"}, "24.04", "ubuntu 24.04", []string{"apt"}},
		{"ubuntu2504", "ubuntu", []string{"debian"}, "25.04", "ubuntu 25.04", []string{"apt"}},
		{"ubuntu2510", "ubuntu", []string{"debian"}, "25.10", "ubuntu 25.10", []string{"apt"}},
		{"ubuntu2604", "ubuntu", []string{"debian"}, "26.04", "ubuntu 26.04", []string{"apt"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			d, err := LinuxDistro(filepath.Join("testdata", "linux", tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if d.ID != tt.id || !slices.Equal(d.IDLike, tt.like) || d.Version != tt.version {
				t.Errorf("got ID %q ID_LIKE %q VERSION_ID %q, want %q %q %q", d.ID, d.IDLike, d.Version, tt.id, tt.like, tt.version)
			}
			if got := linuxName(d); got != tt.name {
				t.Errorf("name %q, want %q", got, tt.name)
			}
			if got := nativeManagers(d); !slices.Equal(got, tt.managed) {
				t.Errorf("native managers %q, want %q", got, tt.managed)
			}
		})
	}
}

// TestLinuxDistroDetails checks codename and pretty name where the
// fallbacks or os-release's rules decide them.
func TestLinuxDistroDetails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture, codename, pretty string
	}{
		{"centos5", "Final", "CentOS release 5.11 (Final)"},
		{"rhel6", "Santiago", "Red Hat Enterprise Linux Server release 6.5 (Santiago)"},
		{"debian8", "jessie", "Debian GNU/Linux 8 (jessie)"},           // from VERSION="8 (jessie)"
		{"ubuntu14", "Trusty Tahr", "Ubuntu 14.04.3 LTS"},              // from VERSION="14.04.3 LTS, Trusty Tahr"
		{"ubuntu16", "xenial", "Ubuntu 16.04.1 LTS"},                   // UBUNTU_CODENAME
		{"ubuntu24", "noble", "Ubuntu 24.04.3 LTS"},                    // VERSION_CODENAME
		{"fedora30", "", "Fedora 30 (Thirty)"},                         // VERSION_CODENAME="" wins over VERSION
		{"debiantesting", "bookworm", "Debian GNU/Linux bookworm/sid"}, // no VERSION_ID
		{"mandriva2011", "turtle", "Mandriva Linux 2011.0"},
		{"bttcb1", "bullseye", "BTT-CB1 2.3.1 Bullseye"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			d, err := LinuxDistro(filepath.Join("testdata", "linux", tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if d.Codename != tt.codename || d.Pretty != tt.pretty {
				t.Errorf("got codename %q pretty %q, want %q %q", d.Codename, d.Pretty, tt.codename, tt.pretty)
			}
		})
	}
}

// TestLinuxDistroFallbacks builds roots with one old-style file each.
func TestLinuxDistroFallbacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   map[string]string
		want    Distro
		wantErr error
	}{
		{
			name:  "alpine-release only",
			files: map[string]string{"etc/alpine-release": "3.8.4\n"},
			want:  Distro{ID: "alpine", Version: "3.8.4", Pretty: "Alpine Linux 3.8.4"},
		},
		{
			name:  "debian_version only",
			files: map[string]string{"etc/debian_version": "6.0.10\n"},
			want:  Distro{ID: "debian", Version: "6", Pretty: "Debian GNU/Linux 6.0.10"},
		},
		{
			name:  "debian_version of testing",
			files: map[string]string{"etc/debian_version": "squeeze/sid\n"},
			want:  Distro{ID: "debian", Codename: "squeeze", Pretty: "Debian GNU/Linux squeeze/sid"},
		},
		{
			name: "lsb-release before debian_version",
			files: map[string]string{
				"etc/lsb-release":    "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=12.04\nDISTRIB_CODENAME=precise\nDISTRIB_DESCRIPTION=\"Ubuntu 12.04.5 LTS\"\n",
				"etc/debian_version": "wheezy/sid\n",
			},
			want: Distro{ID: "ubuntu", Version: "12.04", Codename: "precise", Pretty: "Ubuntu 12.04.5 LTS"},
		},
		{
			name: "lsb-release without DISTRIB_ID does not count",
			files: map[string]string{
				"etc/lsb-release":    "LSB_VERSION=base-4.0-amd64:base-4.0-noarch\n",
				"etc/redhat-release": "Red Hat Enterprise Linux Server release 6.10 (Santiago)\n",
			},
			want: Distro{ID: "rhel", Version: "6.10", Codename: "Santiago", Pretty: "Red Hat Enterprise Linux Server release 6.10 (Santiago)"},
		},
		{
			name:  "lsb-release DISTRIB_ID normalized",
			files: map[string]string{"etc/lsb-release": "DISTRIB_ID=RedHatEnterpriseServer\nDISTRIB_RELEASE=6.4\n"},
			want:  Distro{ID: "rhel", Version: "6.4"},
		},
		{
			name: "release files in name order",
			files: map[string]string{
				"etc/centos-release": "CentOS release 6.10 (Final)\n",
				"etc/redhat-release": "CentOS release 6.10 (Final)\n",
			},
			want: Distro{ID: "centos", Version: "6.10", Codename: "Final", Pretty: "CentOS release 6.10 (Final)"},
		},
		{
			name:    "nothing",
			files:   map[string]string{"etc/hostname": "box\n"},
			wantErr: ErrNoDistro,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			for name, content := range tt.files {
				writeFile(t, filepath.Join(root, name), content)
			}
			d, err := LinuxDistro(root)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !distroEqual(d, tt.want) {
				t.Errorf("got %+v, want %+v", d, tt.want)
			}
		})
	}
}

// TestLinuxDistroPartly: a line systemd would refuse the file for leaves
// the good ones usable; an unquoted space is no such line.
func TestLinuxDistroPartly(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "etc/os-release"), "NAME=Some Linux\nID=somelinux\nVERSION_ID=3\nBAD=\xff\n")
	d, err := LinuxDistro(root)
	if err == nil {
		t.Error("no error for BAD=\\xff")
	}
	if d.ID != "somelinux" || d.Version != "3" || d.Pretty != "Some Linux" {
		t.Errorf("got %+v, want somelinux 3, Some Linux", d)
	}
}

// TestLinuxDistroFollowsLink makes /etc/os-release a link to
// /usr/lib/os-release, as Arch, Fedora and Rocky ship it.
func TestLinuxDistroFollowsLink(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "usr/lib/os-release"), "ID=arch\nPRETTY_NAME=\"Arch Linux\"\n")
	writeFile(t, filepath.Join(root, "etc/hostname"), "box\n")
	if err := os.Symlink("../usr/lib/os-release", filepath.Join(root, "etc/os-release")); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	d, err := LinuxDistro(root)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "arch" || d.Pretty != "Arch Linux" {
		t.Errorf("got %+v", d)
	}
}

// TestLinuxDistroBadOSRelease: an os-release systemd would refuse is an
// error naming the file, line and column, not a silent fallback; what a
// symbolic link looks like checked out where links cannot be is, to
// systemd, a file with no assignments: ID is os-release's default.
func TestLinuxDistroBadOSRelease(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ content, err string }{
		{"../usr/lib/os-release", ""},
		{"ID=x\x00\n", ": line 1, column 5: NUL byte (systemd refuses the file)"},
	} {
		root := t.TempDir()
		path := filepath.Join(root, "etc/os-release")
		writeFile(t, path, tt.content)
		d, err := LinuxDistro(root)
		if d.ID != "linux" {
			t.Errorf("%q: ID %q, want os-release's default, linux", tt.content, d.ID)
		}
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%q: %v", tt.content, err)
		case tt.err != "" && (err == nil || err.Error() != "detect: "+path+tt.err):
			t.Errorf("%q: error %v, want %q", tt.content, err, "detect: "+path+tt.err)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func distroEqual(a, b Distro) bool {
	return a.ID == b.ID && slices.Equal(a.IDLike, b.IDLike) && a.Version == b.Version &&
		a.Codename == b.Codename && a.Pretty == b.Pretty
}

// TestLinuxDistroUnreadable: an os-release that exists but cannot be read
// is an error, named once, not a reason to try the fallbacks.
func TestLinuxDistroUnreadable(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	path := filepath.Join(root, "etc", "os-release")
	if err := os.MkdirAll(path, 0o755); err != nil { // a folder where the file should be
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "etc", "debian_version"), "12.5\n")
	_, err := LinuxDistro(root)
	if err == nil {
		t.Fatal("no error")
	}
	if prefix := "detect: read " + path + ": "; !strings.HasPrefix(err.Error(), prefix) || strings.Count(err.Error(), path) != 1 {
		t.Errorf("error %q, want %q and the path once", err, prefix)
	}
}

func TestErrRead(t *testing.T) {
	t.Parallel()
	err := errRead("/etc/os-release", &fs.PathError{Op: "open", Path: "/etc/os-release", Err: fs.ErrPermission})
	if got, want := err.Error(), "detect: read /etc/os-release: permission denied"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(err, fs.ErrPermission) {
		t.Error("errors.Is(err, fs.ErrPermission) is false")
	}
}
