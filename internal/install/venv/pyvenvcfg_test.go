package venv

import (
	"testing"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want Config
	}{
		{"venv-3.11-debian.cfg", Config{Home: "/usr/bin", Version: "3.11.2", Executable: "/usr/bin/python3.11", Tool: "venv"}},
		{"venv-3.11-system-prompt.cfg", Config{
			Home: "/usr/bin", Version: "3.11.2", Executable: "/usr/bin/python3.11",
			SystemSitePackages: true, Prompt: "study hall", Tool: "venv",
		}},
		{"venv-3.8-pyenv.cfg", Config{Home: "/root/.pyenv/versions/3.8.18/bin", Version: "3.8.18", Tool: "venv"}},
		{"virtualenv-20.17-3.11.cfg", Config{
			Home: "/usr/bin", Version: "3.11.2", Implementation: "CPython",
			BaseExecutable: "/usr/bin/python3", BasePrefix: "/usr", Tool: "virtualenv", ToolVersion: "20.17.1+ds",
		}},
		{"virtualenv-20.17-3.11-system-prompt.cfg", Config{
			Home: "/usr/bin", Version: "3.11.2", Implementation: "CPython",
			BaseExecutable: "/usr/bin/python3.11", BasePrefix: "/usr", SystemSitePackages: true, Prompt: "lab",
			Tool: "virtualenv", ToolVersion: "20.17.1+ds",
		}},
		{"virtualenv-20.17-2.7.cfg", Config{
			Home: "/root/.pyenv/versions/2.7.18/bin", Version: "2.7.18", Implementation: "CPython",
			BaseExecutable: "/root/.pyenv/versions/2.7.18/bin/python2.7", BasePrefix: "/root/.pyenv/versions/2.7.18",
			Tool: "virtualenv", ToolVersion: "20.17.1+ds",
		}},
		{"venv-3.11-windows.cfg", Config{Home: `C:\Python311`, Version: "3.11.5", Executable: `C:\Python311\python.exe`, Tool: "venv"}},
		{"venv-3.8-windows.cfg", Config{Home: `E:\Users\00009713\AppData\Local\Programs\Python\Python38`, Version: "3.8.6", Tool: "venv"}},
		{"uv-0.5-3.12.cfg", Config{
			Home: "/home/ana/.local/share/uv/python/cpython-3.12.7-linux-x86_64-gnu/bin", Version: "3.12.7",
			Implementation: "CPython", Prompt: "lab", Tool: "uv", ToolVersion: "0.5.4",
		}},
		{"uv-0.1-windows.cfg", Config{
			Home: `C:\Users\ana\AppData\Roaming\uv\python\cpython-3.12-windows-x86_64-none`, Version: "3.12",
			Implementation: "CPython", SystemSitePackages: true, Tool: "uv", ToolVersion: "0.1.6",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got := ParseConfig([]byte(readTestdata(t, "pyvenv/"+tt.file)))
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestConfigOddities(t *testing.T) {
	t.Parallel()
	got := ParseConfig([]byte("# a comment\nHOME=/opt/py/bin\nnonsense\nversion_info = 3.13.0.candidate.2\nprompt = \"it's\"\n"))
	want := Config{Home: "/opt/py/bin", Version: "3.13.0", Prompt: "it's", Tool: "venv"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestMinorOf(t *testing.T) {
	t.Parallel()
	tests := map[string]string{"3.11.2": "3.11", "3.12": "3.12", "2.7.18": "2.7", "3": "", "": "", "x.y": "", "3.13.0a1": "3.13"}
	for in, want := range tests {
		if got := minorOf(in); got != want {
			t.Errorf("minorOf(%q) = %q, want %q", in, got, want)
		}
	}
}
