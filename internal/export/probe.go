package export

import (
	"fmt"
	"io"
	"strings"
)

// WriteProbe writes a small script in format ("cmd", "ps1" or "sh") that
// prints the host it runs on as one JSON object with the fields of
// detect.Platform that planning needs: os, version, name, arch, and
// edition, build, server (Windows), kernel, libc and distro (Linux),
// build and rosetta (macOS). `envup export --facts` reads it back.
//
// Windows: ver for the version (Wine prints it without "[Version]"), the
// registry under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion for
// ProductName (edition), DisplayVersion or ReleaseId, else CSDVersion
// ("Service Pack 3", build), ProductOptions' ProductType for server, and
// PROCESSOR_ARCHITEW6432 before PROCESSOR_ARCHITECTURE (a 32-bit cmd on
// 64-bit Windows). macOS: sw_vers, uname -r, sysctl for the machine under
// a 32-bit kernel or Rosetta. Linux: os-release (/etc/debian_version and
// /etc/redhat-release before it existed), uname, and getconf
// GNU_LIBC_VERSION or ldd --version for the C library. Names follow
// detect.WindowsName and detect.MacName. Every string is JSON-escaped —
// in cmd with delayed expansion's replace, which Wine 8's cmd lacks: there
// values go out as they are.
func WriteProbe(w io.Writer, format string) error {
	var text string
	switch format {
	case "cmd":
		text = strings.ReplaceAll(probeCmd, "\n", "\r\n")
	case "ps1":
		text = "\ufeff" + strings.ReplaceAll(probePS1, "\n", "\r\n")
	case "sh":
		text = probeSh
	default:
		return fmt.Errorf("export probe: format %q: want cmd, ps1 or sh", format)
	}
	_, err := io.WriteString(w, text)
	return err
}

const probeCmd = `@echo off
rem probe.cmd: prints this host's platform as one JSON object, for envup.
rem Made by envup export --probe. Run it from a Command Prompt and bring back what it prints:
rem   probe.cmd > facts.json
rem then: envup export --facts facts.json --format cmd --to DIR RECIPE
setlocal enableextensions disabledelayedexpansion

rem ---- the version, from ver: "Microsoft Windows XP [Version 5.1.2600]"
set "VERSION="
set "VERLINE="
for /f "delims=" %%a in ('ver') do set "VERLINE=%%a"
set "VERWORDS=%VERLINE:[= %"
set "VERWORDS=%VERWORDS:]= %"
for %%w in (%VERWORDS%) do call :isversion %%w

rem ---- the registry
set "KEY=HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
call :regvalue "%KEY%" ProductName EDITION
call :regvalue "%KEY%" CSDVersion CSD
call :regvalue "%KEY%" CurrentVersion REGVERSION
call :regvalue "%KEY%" CurrentBuildNumber REGBUILD
call :regvalue "%KEY%" DisplayVersion FEATURE
if not defined FEATURE call :regvalue "%KEY%" ReleaseId FEATURE
if not defined FEATURE set "FEATURE=%CSD%"
call :regvalue "HKLM\SYSTEM\CurrentControlSet\Control\ProductOptions" ProductType PRODUCTTYPE
if not defined VERSION if defined REGVERSION set "VERSION=%REGVERSION%.%REGBUILD%"

set "MAJOR=0"
set "MINOR=0"
set "BUILD=0"
for /f "tokens=1-3 delims=." %%i in ("%VERSION%") do (
  set "MAJOR=%%i"
  set "MINOR=%%j"
  set "BUILD=%%k"
)
if not defined BUILD set "BUILD=0"
set "VERSION=%MAJOR%.%MINOR%.%BUILD%"
set /a BUILDN=%BUILD% 2>nul

rem ---- the architecture: a 32-bit cmd on 64-bit Windows sees x86
set "ARCH=%PROCESSOR_ARCHITECTURE%"
if defined PROCESSOR_ARCHITEW6432 set "ARCH=%PROCESSOR_ARCHITEW6432%"
if /i "%ARCH%"=="x86" set "ARCH=386"
if /i "%ARCH%"=="AMD64" set "ARCH=amd64"
if /i "%ARCH%"=="ARM64" set "ARCH=arm64"
if /i "%ARCH%"=="IA64" set "ARCH=ia64"

rem ---- the name, as envup's detect.WindowsName gives it
set "SERVER=false"
if defined PRODUCTTYPE if /i not "%PRODUCTTYPE%"=="WinNT" set "SERVER=true"
set "MV=%MAJOR%.%MINOR%"
set "CLIENT="
set "SRV="
if "%MV%"=="4.0" set "CLIENT=nt 4.0"
if "%MV%"=="4.0" set "SRV=nt 4.0 server"
if "%MV%"=="5.0" set "CLIENT=2000"
if "%MV%"=="5.0" set "SRV=server 2000"
if "%MV%"=="5.1" set "CLIENT=xp"
if "%MV%"=="5.2" set "CLIENT=xp x64"
if "%MV%"=="5.2" set "SRV=server 2003"
if "%MV%"=="6.0" set "CLIENT=vista"
if "%MV%"=="6.0" set "SRV=server 2008"
if "%MV%"=="6.1" set "CLIENT=7"
if "%MV%"=="6.1" set "SRV=server 2008 r2"
if "%MV%"=="6.2" set "CLIENT=8"
if "%MV%"=="6.2" set "SRV=server 2012"
if "%MV%"=="6.3" set "CLIENT=8.1"
if "%MV%"=="6.3" set "SRV=server 2012 r2"
if "%MV%"=="10.0" set "CLIENT=10"
if "%MV%"=="10.0" if %BUILDN% GEQ 22000 set "CLIENT=11"
if "%MV%"=="10.0" set "SRV=server 2016"
if "%MV%"=="10.0" if %BUILDN% GEQ 17763 set "SRV=server 2019"
if "%MV%"=="10.0" if %BUILDN% GEQ 20348 set "SRV=server 2022"
if "%MV%"=="10.0" if %BUILDN% GEQ 26100 set "SRV=server 2025"
set "NAME=nt %MV%"
if "%SERVER%"=="true" if defined SRV set "NAME=%SRV%"
if "%SERVER%"=="false" if defined CLIENT set "NAME=%CLIENT%"

rem ---- JSON: values escaped with delayed expansion, which sees them
rem only after the line is parsed, so quotes in them are harmless
setlocal enabledelayedexpansion
set "T=ab"
if not "!T:a=c!"=="cb" goto print
rem the registry says "Windows 10" on Windows 11
if !BUILDN! GEQ 22000 if "!EDITION:~0,10!"=="Windows 10" set "EDITION=Windows 11!EDITION:~10!"
set "HOMEDIR=%USERPROFILE%"
for %%v in (VERSION NAME ARCH EDITION FEATURE HOMEDIR) do call :escape %%v
:print
echo:{"os":"windows","version":"!VERSION!","name":"!NAME!","arch":"!ARCH!","server":!SERVER!,"edition":"!EDITION!","build":"!FEATURE!","home":"!HOMEDIR!"}
exit /b 0

:isversion
rem a word of digits and dots, with a dot: the version
set "W=%~1"
set "NOTDIGIT="
for /f "delims=0123456789." %%x in ("%W%") do set "NOTDIGIT=1"
if defined NOTDIGIT exit /b 0
if "%W:.=%"=="%W%" exit /b 0
if not defined VERSION set "VERSION=%W%"
exit /b 0

:regvalue
rem the data of one registry value: reg query prints "    NAME    REG_SZ    DATA"
set "%~3="
for /f "tokens=1,2,*" %%a in ('reg query "%~1" /v "%~2" 2^>nul') do if /i "%%a"=="%~2" set "%~3=%%c"
exit /b 0

:escape
if not defined %1 exit /b 0
set "X=!%1!"
set "X=!X:\=\\!"
set "X=!X:"=\"!"
set "%1=!X!"
exit /b 0
`

const probePS1 = `# probe.ps1: prints this host's platform as one JSON object, for envup.
# Made by envup export --probe. Run it from a Command Prompt and bring back what it prints:
#   powershell -NoProfile -ExecutionPolicy Bypass -File probe.ps1 > facts.json
# (Inside PowerShell, "> facts.json" writes UTF-16: pipe to Out-File -Encoding ASCII facts.json.)
# then: envup export --facts facts.json --format ps1 --to DIR RECIPE
Set-StrictMode -Version 2
$ErrorActionPreference = 'Stop'

function ConvertTo-JsonString([string]$Text) {
  $b = New-Object Text.StringBuilder
  [void]$b.Append('"')
  foreach ($c in $Text.ToCharArray()) {
    $n = [int]$c
    if ($n -eq 34) { [void]$b.Append('\"') }
    elseif ($n -eq 92) { [void]$b.Append('\\') }
    elseif ($n -lt 32 -or $n -gt 126) { [void]$b.Append('\u' + $n.ToString('x4')) }
    else { [void]$b.Append($c) }
  }
  [void]$b.Append('"')
  return $b.ToString()
}

$cv = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
function Get-Value([string]$Name) {
  $p = $cv.PSObject.Properties[$Name]
  if ($p) { return [string]$p.Value }
  return ''
}

# ---- the version: WMI's is the true one (.NET's says 6.2 on 8.1 and later)
$version = ''
$csd = Get-Value 'CSDVersion'
$server = $false
try {
  $os = Get-WmiObject -Class Win32_OperatingSystem
  $version = [string]$os.Version
  if ($os.CSDVersion) { $csd = [string]$os.CSDVersion }
  $server = [int]$os.ProductType -ne 1
} catch {
  $version = [Environment]::OSVersion.Version.ToString()
  $server = (Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\ProductOptions').ProductType -ne 'WinNT'
}
$parts = $version.Split('.')
$major = [int]$parts[0]
$minor = 0
$build = 0
if ($parts.Length -gt 1) { $minor = [int]$parts[1] }
if ($parts.Length -gt 2) { $build = [int]$parts[2] }
$version = '' + $major + '.' + $minor + '.' + $build

# ---- the architecture: a 32-bit PowerShell on 64-bit Windows sees x86
$arch = [Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITEW6432')
if (-not $arch) { $arch = [Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITECTURE') }
switch ($arch) {
  'x86' { $arch = '386' }
  'AMD64' { $arch = 'amd64' }
  'ARM64' { $arch = 'arm64' }
  'IA64' { $arch = 'ia64' }
}

# ---- the name, as envup's detect.WindowsName gives it
$client = ''
$srv = ''
switch ('' + $major + '.' + $minor) {
  '4.0' { $client = 'nt 4.0'; $srv = 'nt 4.0 server' }
  '5.0' { $client = '2000'; $srv = 'server 2000' }
  '5.1' { $client = 'xp' }
  '5.2' { $client = 'xp x64'; $srv = 'server 2003' }
  '6.0' { $client = 'vista'; $srv = 'server 2008' }
  '6.1' { $client = '7'; $srv = 'server 2008 r2' }
  '6.2' { $client = '8'; $srv = 'server 2012' }
  '6.3' { $client = '8.1'; $srv = 'server 2012 r2' }
  '10.0' {
    $client = '10'
    if ($build -ge 22000) { $client = '11' }
    $srv = 'server 2016'
    if ($build -ge 17763) { $srv = 'server 2019' }
    if ($build -ge 20348) { $srv = 'server 2022' }
    if ($build -ge 26100) { $srv = 'server 2025' }
  }
}
$name = 'nt ' + $major + '.' + $minor
if ($server -and $srv) { $name = $srv }
if (-not $server -and $client) { $name = $client }

# ---- the edition and the feature update (or service pack)
$edition = Get-Value 'ProductName'
if ($build -ge 22000 -and $edition.StartsWith('Windows 10')) { $edition = 'Windows 11' + $edition.Substring(10) }
$feature = Get-Value 'DisplayVersion'
if (-not $feature) { $feature = Get-Value 'ReleaseId' }
if (-not $feature) { $feature = $csd }

$json = '{"os":"windows","version":' + (ConvertTo-JsonString $version) +
  ',"name":' + (ConvertTo-JsonString $name) +
  ',"arch":' + (ConvertTo-JsonString $arch) +
  ',"server":' + ([string]$server).ToLower() +
  ',"edition":' + (ConvertTo-JsonString $edition) +
  ',"build":' + (ConvertTo-JsonString $feature) +
  ',"home":' + (ConvertTo-JsonString $env:USERPROFILE) + '}'
Write-Output $json
`

const probeSh = `#!/bin/sh
# probe.sh: prints this host's platform as one JSON object, for envup.
# Made by envup export --probe. Run it and bring back what it prints:
#   sh probe.sh > facts.json
# then: envup export --facts facts.json --format sh --to DIR RECIPE
set -u

# j writes a JSON string: backslashes and quotes escaped, control
# characters dropped.
j() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\000-\037')"
}

os=$(uname -s)
machine=$(uname -m)
kernel=$(uname -r)
arch=$machine
case $machine in
  x86_64|amd64) arch=amd64 ;;
  i?86|i86pc) arch=386 ;;
  aarch64|arm64) arch=arm64 ;;
  armv6l|armv7l|armv7) arch=arm ;;
esac

case $os in
Darwin)
  version=$(sw_vers -productVersion 2>/dev/null)
  build=$(sw_vers -buildVersion 2>/dev/null)
  edition=$(sw_vers -productName 2>/dev/null)
  # a 32-bit kernel (10.6) or a shell under Rosetta hides the machine
  rosetta=false
  if [ "$(sysctl -n hw.optional.x86_64 2>/dev/null)" = 1 ]; then arch=amd64; fi
  if [ "$(sysctl -n hw.optional.arm64 2>/dev/null)" = 1 ]; then arch=arm64; fi
  if [ "$(sysctl -n sysctl.proc_translated 2>/dev/null)" = 1 ]; then rosetta=true; fi
  # the name, as envup's detect.MacName gives it
  major=${version%%.*}
  rest=${version#*.}
  minor=${rest%%.*}
  if [ "$rest" = "$version" ]; then minor=0; fi
  name="macos $major"
  if [ "$major" = 10 ]; then
    name="macos 10.$minor"
    case $minor in
      0) name=cheetah ;; 1) name=puma ;; 2) name=jaguar ;; 3) name=panther ;;
      4) name=tiger ;; 5) name=leopard ;; 6) name='snow leopard' ;; 7) name=lion ;;
      8) name='mountain lion' ;; 9) name=mavericks ;; 10) name=yosemite ;;
      11) name='el capitan' ;; 12) name=sierra ;; 13) name='high sierra' ;;
      14) name=mojave ;; 15) name=catalina ;; 16) name='big sur' ;;
    esac
  fi
  case $major in
    11) name='big sur' ;; 12) name=monterey ;; 13) name=ventura ;;
    14) name=sonoma ;; 15) name=sequoia ;; 26) name=tahoe ;;
  esac
  printf '{"os":"macos","version":%s,"name":%s,"arch":%s,"kernel":%s,"edition":%s,"build":%s,"rosetta":%s,"home":%s}\n' \
    "$(j "$version")" "$(j "$name")" "$(j "$arch")" "$(j "$kernel")" "$(j "$edition")" "$(j "$build")" "$rosetta" "$(j "$HOME")"
  ;;
Linux)
  id=''
  version_id=''
  like=''
  codename=''
  pretty=''
  if [ -r /etc/os-release ]; then osr=/etc/os-release; else osr=/usr/lib/os-release; fi
  if [ -r "$osr" ]; then
    # shellcheck source=/dev/null
    id=$(. "$osr" && printf '%s' "${ID:-}")
    # shellcheck source=/dev/null
    version_id=$(. "$osr" && printf '%s' "${VERSION_ID:-}")
    # shellcheck source=/dev/null
    like=$(. "$osr" && printf '%s' "${ID_LIKE:-}")
    # shellcheck source=/dev/null
    codename=$(. "$osr" && printf '%s' "${VERSION_CODENAME:-}")
    # shellcheck source=/dev/null
    pretty=$(. "$osr" && printf '%s' "${PRETTY_NAME:-}")
  elif [ -r /etc/debian_version ]; then
    id=debian
    version_id=$(cut -d. -f1 /etc/debian_version)
  elif [ -r /etc/redhat-release ]; then
    pretty=$(head -n 1 /etc/redhat-release)
    case $pretty in
      CentOS*) id=centos ;; Fedora*) id=fedora ;; *) id=rhel ;;
    esac
    version_id=$(printf '%s\n' "$pretty" | sed -n 's/.* release \([0-9][0-9]*\).*/\1/p')
  fi
  libc_name=''
  libc_version=''
  if v=$(getconf GNU_LIBC_VERSION 2>/dev/null) && [ -n "$v" ]; then
    libc_name=glibc
    libc_version=${v#glibc }
  else
    first=$(ldd --version 2>&1 | head -n 1)
    case $first in
      *musl*)
        libc_name=musl
        libc_version=$(ldd --version 2>&1 | sed -n 's/^Version //p')
        ;;
      *GLIBC*|*"GNU libc"*)
        libc_name=glibc
        libc_version=${first##* }
        ;;
    esac
  fi
  likes=
  for w in $like; do
    likes="${likes:+$likes,}$(j "$w")"
  done
  name=$id
  if [ -n "$version_id" ]; then name="$id $version_id"; fi
  printf '{"os":"linux","version":%s,"name":%s,"arch":%s,"kernel":%s' \
    "$(j "$version_id")" "$(j "$name")" "$(j "$arch")" "$(j "$kernel")"
  if [ -n "$libc_name" ]; then
    printf ',"libc":{"name":%s,"version":%s}' "$(j "$libc_name")" "$(j "$libc_version")"
  fi
  printf ',"distro":{"id":%s,"id_like":[%s],"version":%s,"codename":%s,"pretty_name":%s},"edition":%s,"home":%s}\n' \
    "$(j "$id")" "$likes" "$(j "$version_id")" "$(j "$codename")" "$(j "$pretty")" "$(j "$pretty")" "$(j "$HOME")"
  ;;
*)
  printf '{"os":%s,"arch":%s,"kernel":%s}\n' "$(j "$(printf '%s' "$os" | tr '[:upper:]' '[:lower:]')")" "$(j "$arch")" "$(j "$kernel")"
  ;;
esac
`
