# setup.ps1: applies recipe golden on windows 7 (windows 6.1, amd64).
# Made by envup export. It runs by itself on that host, with the files/ folder beside it.
# Run it: powershell -NoProfile -ExecutionPolicy Bypass -File setup.ps1
# (from an administrator's prompt when a step needs one).
# Every step and its output goes to setup.log beside it; a second run skips what is done.
# Exit status: 0 done, 1 a step or check failed, 2 not the host it was made for.
Set-StrictMode -Version 2
$ErrorActionPreference = 'Stop'
# arguments are written for PowerShell 2.0 to 5.1's way of passing them; 7.3 and later
# pass them that way too when told
$PSNativeCommandArgumentPassing = 'Legacy'
$here = Split-Path -Parent $MyInvocation.MyCommand.Definition
$files = Join-Path $here 'files'
$log = Join-Path $here 'setup.log'
$failed = 0
$checks = 0
$lastOut = ''
trap {
  Write-Host ('envup setup: FAILED: ' + $_)
  Add-Content -LiteralPath $log -Value ('FAILED: ' + $_) -Encoding UTF8
  exit 1
}

function Write-Log([string]$Text) {
  Add-Content -LiteralPath $log -Value $Text -Encoding UTF8
}

function Write-Step([string]$Text) {
  Write-Host $Text
  Write-Log $Text
}

function Stop-Setup([int]$Code, [string]$Text) {
  Write-Step $Text
  Write-Step ('envup setup: stopped; see ' + $log)
  exit $Code
}

function Test-Admin {
  $id = [Security.Principal.WindowsIdentity]::GetCurrent()
  $principal = New-Object Security.Principal.WindowsPrincipal($id)
  return $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function New-Folder([string]$Path) {
  if (Test-Path -LiteralPath $Path -PathType Container) { return }
  Write-Step ('  mkdir ' + $Path)
  [void][IO.Directory]::CreateDirectory($Path)
}

function Test-SameFile([string]$A, [string]$B) {
  if ((New-Object IO.FileInfo $A).Length -ne (New-Object IO.FileInfo $B).Length) { return $false }
  $sha = New-Object Security.Cryptography.SHA1CryptoServiceProvider
  $hashes = @()
  foreach ($f in @($A, $B)) {
    $stream = [IO.File]::OpenRead($f)
    try { $hashes += [BitConverter]::ToString($sha.ComputeHash($stream)) } finally { $stream.Close() }
  }
  return $hashes[0] -eq $hashes[1]
}

function Copy-File([string]$From, [string]$To) {
  Write-Step ('  copy ' + $From + ' to ' + $To)
  $dir = Split-Path -Parent $To
  if ($dir) { New-Folder $dir }
  if ((Test-Path -LiteralPath $To -PathType Leaf) -and (Test-SameFile $From $To)) {
    Write-Step '    same bytes already there: kept'
    return
  }
  [IO.File]::Copy($From, $To, $true)
}

# Invoke-Logged runs a program with both its streams in the log, and
# returns its exit status; its standard output is left in $lastOut. The
# program is looked up as one (sc is Set-Content's alias, sc.exe the
# service tool).
function Invoke-Logged([string]$Exe, [string[]]$Argv) {
  $app = @(Get-Command -Name $Exe -CommandType Application -ErrorAction SilentlyContinue)
  if ($app.Count -gt 0) { $Exe = $app[0].Definition }
  Write-Log ('    + ' + $Exe + ' ' + ($Argv -join ' '))
  $out = New-Object Collections.ArrayList
  $old = $ErrorActionPreference
  $ErrorActionPreference = 'Continue'
  $global:LASTEXITCODE = 0
  try {
    & $Exe @Argv 2>&1 | ForEach-Object {
      if ($_ -isnot [Management.Automation.ErrorRecord]) { [void]$out.Add([string]$_) }
      Write-Log ([string]$_)
    }
    $rc = $global:LASTEXITCODE
  } catch {
    Write-Log ([string]$_)
    $rc = 9009
  } finally {
    $ErrorActionPreference = $old
  }
  $script:lastOut = [string]::Join("`n", [string[]]$out.ToArray())
  return $rc
}

function Add-Result([string]$Why) {
  if ($Why) {
    $script:failed++
    Write-Step ('    FAILED: ' + $Why)
  } else {
    Write-Step '    ok'
  }
}

# ---- the host: windows 7 (windows 6.1, amd64)
$hostVersion = ''
try { $hostVersion = [string](Get-WmiObject -Class Win32_OperatingSystem).Version } catch { }
if (-not $hostVersion) { $hostVersion = [Environment]::OSVersion.Version.ToString() }
$hostArch = [Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITEW6432')
if (-not $hostArch) { $hostArch = [Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITECTURE') }
$hostGoArch = [string]$hostArch
switch ($hostArch) {
  'x86' { $hostGoArch = '386' }
  'AMD64' { $hostGoArch = 'amd64' }
  'ARM64' { $hostGoArch = 'arm64' }
  'IA64' { $hostGoArch = 'ia64' }
}
if (-not (($hostVersion -eq '6.1' -or $hostVersion.StartsWith('6.1.')) -and $hostGoArch -eq 'amd64')) {
  Write-Host ('envup: this script is for windows 7 (windows 6.1, amd64); this host is windows ' + $hostVersion + ' ' + $hostArch + '.')
  Write-Host 'envup: nothing was changed. Export again for this host (envup export --probe tells what it is).'
  exit 2
}
Write-Log ('=== setup.ps1: ' + (Get-Date))
Write-Step ('envup setup: golden for windows 7 (windows 6.1, amd64); log: ' + $log)

# ---- 1/3 interpreter/python
Write-Step '[1/3] interpreter/python: python 3.4.4 from python-3.4.4.msi'
if (Test-Path -LiteralPath ($env:USERPROFILE + '\Python34\python.exe')) {
  Write-Step '      already there, skipped: ~\Python34\python.exe'
} else {
  New-Folder ($env:USERPROFILE + '\Python34')
  Copy-File ($files + '\python-3.4.4.msi') ($env:USERPROFILE + '\Downloads (old)\python & co.msi')
  Write-Step '  run: msiexec /i "{files}\\python-3.4.4.msi" /qn "TARGETDIR=~\\Python34" "a b" 100% ^(x)|<y> "" "C:\\Program Files\\x\\" !bang! "it''s" "say\"hi\"&bye"'
  $rc = Invoke-Logged 'msiexec' @('/i', ($files + '\python-3.4.4.msi'), '/qn', ('TARGETDIR=' + $env:USERPROFILE + '\Python34'), 'a b', '100%', '^(x)|<y>', '""', 'C:\Program Files\x\\', '!bang!', 'it''s', 'say\"hi\"&bye')
  if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }
}

# ---- 2/3 font/dejavu-sans-mono
Write-Step '[2/3] font/dejavu-sans-mono: DejaVu Sans Mono'
if ($true) {
  if (-not (Test-Admin)) { Stop-Setup 2 'envup setup: fonts go to all users on this system: run it again as an administrator (right-click PowerShell, Run as administrator)' }
  Write-Step '  note: log off and on again to see the font (100% sure)'
}

# ---- 3/3 checks
Write-Step '[3/3] checks: the recipe''s checks'
if ($true) {
  $checks++
  Write-Step '  check: python runs'
  $rc = Invoke-Logged ($env:USERPROFILE + '\Python34\python.exe') @('--version')
  $why = ''
  if ($rc -ne 0) {
    $why = 'exit status ' + $rc
  } elseif (-not $lastOut.Contains('Python 3.4')) {
    $why = 'stdout does not contain "Python 3.4"'
  }
  Add-Result $why
  $checks++
  Write-Step '  check: pip is 7 or later'
  $rc = Invoke-Logged ($env:USERPROFILE + '\Python34\python.exe') @('-m', 'pip', '--version')
  $why = ''
  if ($rc -ne 0) {
    $why = 'exit status ' + $rc
  } elseif ($lastOut -cnotmatch '\Apip (?:[0-9])+\u002E(?:[0-9])+') {
    $why = 'stdout does not match "^pip \d+\.\d+"'
  }
  Add-Result $why
  $checks++
  Write-Step '  check: redis answers'
  $rc = Invoke-Logged 'redis-cli' @('ping')
  $why = ''
  if ($rc -ne 0) {
    $why = 'exit status ' + $rc
  } elseif ($lastOut -cnotmatch '\A(?:(?:PONG|pong))\z') {
    $why = 'stdout does not match "^(PONG|pong)$"'
  }
  Add-Result $why
  $checks++
  Write-Step '  check: a word'
  $rc = Invoke-Logged 'redis-cli' @('echo', 'PONG')
  $why = ''
  if ($rc -ne 0) {
    $why = 'exit status ' + $rc
  } elseif ($lastOut -cnotmatch '\bPONG\b') {
    $why = 'stdout does not match "\bPONG\b"'
  }
  Add-Result $why
}

if ($failed -ne 0) {
  Write-Step ('envup setup: ' + $failed + ' of ' + $checks + ' checks failed; see ' + $log)
  exit 1
}
Write-Step ('envup setup: done, ' + $checks + ' checks passed')
exit 0
