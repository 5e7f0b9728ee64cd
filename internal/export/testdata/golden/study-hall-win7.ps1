# setup.ps1: applies recipe study-hall on windows 7 (windows 6.1, amd64).
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
Write-Step ('envup setup: study-hall for windows 7 (windows 6.1, amd64); log: ' + $log)
Write-Step '  note: packages/build-tools skipped: no names for choco on this host'
Write-Step '  note: packages/python-venv skipped: no names for choco on this host'

# ---- 1/10 interpreter/python
Write-Step '[1/10] interpreter/python: python 3.8.10 from installer python-3.8.10-amd64.exe (existing: this host is not observed)'
if (Test-Path -LiteralPath ($env:USERPROFILE + '\AppData\Local\envup\python\3.8.10\.envup-install.json')) {
  Write-Step '      already there, skipped: ~\AppData\Local\envup\python\3.8.10\.envup-install.json'
} else {
  Write-Step '  run: "{files}\\python-3.8.10-amd64.exe" /quiet InstallAllUsers=0 "TargetDir=~\\AppData\\Local\\envup\\python\\3.8.10" Include_launcher=0 PrependPath=0 Shortcuts=0 Include_test=0'
  $rc = Invoke-Logged ($files + '\python-3.8.10-amd64.exe') @('/quiet', 'InstallAllUsers=0', ('TargetDir=' + $env:USERPROFILE + '\AppData\Local\envup\python\3.8.10'), 'Include_launcher=0', 'PrependPath=0', 'Shortcuts=0', 'Include_test=0')
  if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }
  Copy-File ($files + '\.envup-install.json') ($env:USERPROFILE + '\AppData\Local\envup\python\3.8.10\.envup-install.json')
  Copy-File ($files + '\python3.8.cmd') ($env:USERPROFILE + '\AppData\Local\envup\bin\python3.8.cmd')
  Copy-File ($files + '\python3.cmd') ($env:USERPROFILE + '\AppData\Local\envup\bin\python3.cmd')
  Copy-File ($files + '\python.cmd') ($env:USERPROFILE + '\AppData\Local\envup\bin\python.cmd')
}

# ---- 2/10 virtualenv/study-hall
Write-Step '[2/10] virtualenv/study-hall: venv after interpreter/python is installed'
if (Test-Path -LiteralPath ($env:USERPROFILE + '\envs\study-hall\pyvenv.cfg')) {
  Write-Step '      already there, skipped: ~\envs\study-hall\pyvenv.cfg'
} else {
  Copy-File ($files + '\.envup-venv') ($env:USERPROFILE + '\envs\study-hall\.envup-venv')
  Write-Step '  run: "~\\AppData\\Local\\envup\\python\\3.8.10\\python.exe" -m venv "~\\envs\\study-hall"'
  $rc = Invoke-Logged ($env:USERPROFILE + '\AppData\Local\envup\python\3.8.10\python.exe') @('-m', 'venv', ($env:USERPROFILE + '\envs\study-hall'))
  if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }
  Write-Step '  note: the wheelhouse ../../recipes/wheelhouse holds no wheels: pip will download from its index, so this host needs a network for virtualenv/study-hall (envup wheels fills a wheelhouse)'
  Write-Step '  run: "~\\envs\\study-hall\\Scripts\\python.exe" -m pip install --find-links {files} vpython redis>=4'
  $rc = Invoke-Logged ($env:USERPROFILE + '\envs\study-hall\Scripts\python.exe') @('-m', 'pip', 'install', '--find-links', ($files), 'vpython', 'redis>=4')
  if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }
  Copy-File ($files + '\2-.envup-venv') ($env:USERPROFILE + '\envs\study-hall\.envup-venv')
}

# ---- 3/10 service/redis
Write-Step '[3/10] service/redis: redis 5.0.14.1 from archive Redis-x64-5.0.14.1.zip'
if (Test-Path -LiteralPath ($env:USERPROFILE + '\AppData\Local\envup\redis\5.0.14.1\.envup-install.json')) {
  Write-Step '      already there, skipped: ~\AppData\Local\envup\redis\5.0.14.1\.envup-install.json'
} else {
  if (-not (Test-Admin)) { Stop-Setup 2 'envup setup: service/redis needs an administrator: it installs a Windows service: run it again as an administrator (right-click PowerShell, Run as administrator)' }
  New-Folder ($env:USERPROFILE + '\AppData\Local\envup\redis\5.0.14.1')
  Write-Step '  run: cscript //nologo "{files}\\unzip.vbs" "{files}\\Redis-x64-5.0.14.1.zip" "~\\AppData\\Local\\envup\\redis\\5.0.14.1" 0'
  $rc = Invoke-Logged 'cscript' @('//nologo', ($files + '\unzip.vbs'), ($files + '\Redis-x64-5.0.14.1.zip'), ($env:USERPROFILE + '\AppData\Local\envup\redis\5.0.14.1'), '0')
  if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }
  Copy-File ($files + '\2-.envup-install.json') ($env:USERPROFILE + '\AppData\Local\envup\redis\5.0.14.1\.envup-install.json')
  Copy-File ($files + '\redis-server.cmd') ($env:USERPROFILE + '\AppData\Local\envup\bin\redis-server.cmd')
  Copy-File ($files + '\redis-cli.cmd') ($env:USERPROFILE + '\AppData\Local\envup\bin\redis-cli.cmd')
  New-Folder ($env:USERPROFILE + '\AppData\Local\envup\services\redis\data')
  Write-Step '  note: ~\AppData\Local\envup\services\redis\redis.conf names paths under ~, which this export could not know: export with --facts from this host''s probe for its real home'
  Copy-File ($files + '\redis.conf') ($env:USERPROFILE + '\AppData\Local\envup\services\redis\redis.conf')
  Write-Step '  run: "~\\AppData\\Local\\envup\\redis\\5.0.14.1\\redis-server.exe" --service-install "~\\AppData\\Local\\envup\\services\\redis\\redis.conf" --service-name envup-redis'
  $rc = Invoke-Logged ($env:USERPROFILE + '\AppData\Local\envup\redis\5.0.14.1\redis-server.exe') @('--service-install', ($env:USERPROFILE + '\AppData\Local\envup\services\redis\redis.conf'), '--service-name', 'envup-redis')
  if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }
  Write-Step '  run: "~\\AppData\\Local\\envup\\redis\\5.0.14.1\\redis-server.exe" --service-start --service-name envup-redis'
  $rc = Invoke-Logged ($env:USERPROFILE + '\AppData\Local\envup\redis\5.0.14.1\redis-server.exe') @('--service-start', '--service-name', 'envup-redis')
  if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }
}

# ---- 4/10 font/DejaVu Sans Mono
Write-Step '[4/10] font/DejaVu Sans Mono: C:\Windows\Fonts\DejaVuSansMono.ttf absent'
if (Test-Path -LiteralPath 'C:\Windows\Fonts\DejaVuSansMono.ttf') {
  Write-Step '      already there, skipped: C:\Windows\Fonts\DejaVuSansMono.ttf'
} else {
  if (-not (Test-Admin)) { Stop-Setup 2 'envup setup: font/DejaVu Sans Mono needs an administrator: it writes into the Windows folder: run it again as an administrator (right-click PowerShell, Run as administrator)' }
  Copy-File ($files + '\DejaVuSansMono.ttf') 'C:\Windows\Fonts\DejaVuSansMono.ttf'
  Write-Step '  run: reg add "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Fonts" /v "DejaVu Sans Mono (TrueType)" /t REG_SZ /d DejaVuSansMono.ttf /f'
  $rc = Invoke-Logged 'reg' @('add', 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts', '/v', 'DejaVu Sans Mono (TrueType)', '/t', 'REG_SZ', '/d', 'DejaVuSansMono.ttf', '/f')
  if ($rc -ne 0) { Stop-Setup $rc ('  FAILED: exit status ' + $rc) }
  Write-Step '  note: editor/pycharm skipped: no PyCharm settings found: start PyCharm once, or set version:'
}

# ---- 5/10 editor/vim
Write-Step '[5/10] editor/vim: ~/_vimrc absent'
if ($true) {
  Copy-File ($files + '\_vimrc') ($env:USERPROFILE + '\_vimrc')
}

# ---- 6/10 editor/vscode
Write-Step '[6/10] editor/vscode: editor.fontFamily absent → "DejaVu Sans Mono"'
if ($true) {
  Write-Step '  note: ~\AppData\Roaming\Code\User\settings.json names paths under ~, which this export could not know: export with --facts from this host''s probe for its real home'
  Copy-File ($files + '\settings.json') ($env:USERPROFILE + '\AppData\Roaming\Code\User\settings.json')
}

# ---- 7/10 file/~/lab/README.txt
Write-Step '[7/10] file/~/lab/README.txt: ~\lab\README.txt absent'
if ($true) {
  Write-Step '  note: ~\lab\README.txt names paths under ~, which this export could not know: export with --facts from this host''s probe for its real home'
  Copy-File ($files + '\README.txt') ($env:USERPROFILE + '\lab\README.txt')
  Write-Step '  note: ~\AppData\Local\envup\files.json names paths under ~, which this export could not know: export with --facts from this host''s probe for its real home'
  Copy-File ($files + '\files.json') ($env:USERPROFILE + '\AppData\Local\envup\files.json')
}

# ---- 8/10 file/~/lab/bounce.py
Write-Step '[8/10] file/~/lab/bounce.py: ~\lab\bounce.py absent'
if ($true) {
  Copy-File ($files + '\bounce.py') ($env:USERPROFILE + '\lab\bounce.py')
  Write-Step '  note: ~\AppData\Local\envup\files.json names paths under ~, which this export could not know: export with --facts from this host''s probe for its real home'
  Copy-File ($files + '\2-files.json') ($env:USERPROFILE + '\AppData\Local\envup\files.json')
}

# ---- 9/10 file/~/lab/seats.py
Write-Step '[9/10] file/~/lab/seats.py: ~\lab\seats.py absent'
if ($true) {
  Write-Step '  note: ~\lab\seats.py names paths under ~, which this export could not know: export with --facts from this host''s probe for its real home'
  Copy-File ($files + '\seats.py') ($env:USERPROFILE + '\lab\seats.py')
  Write-Step '  note: ~\AppData\Local\envup\files.json names paths under ~, which this export could not know: export with --facts from this host''s probe for its real home'
  Copy-File ($files + '\3-files.json') ($env:USERPROFILE + '\AppData\Local\envup\files.json')
}

# ---- 10/10 
Write-Step '[10/10] the recipe''s checks'
if ($true) {
  $checks++
  Write-Step '  check: redis answers'
  $rc = Invoke-Logged 'redis-cli' @('-p', '6379', 'ping')
  $why = ''
  if ($rc -ne 0) {
    $why = 'exit status ' + $rc
  } elseif (-not $lastOut.Contains('PONG')) {
    $why = 'stdout does not contain "PONG"'
  }
  Add-Result $why
  $checks++
  Write-Step '  check: python version'
  $rc = Invoke-Logged ($env:USERPROFILE + '\envs\study-hall\Scripts\python.exe') @('-c', 'import sys; print(''%d.%d.%d'' % sys.version_info[:3])')
  $why = ''
  if ($rc -ne 0) {
    $why = 'exit status ' + $rc
  } elseif ($lastOut -cnotmatch '\A3\u002E(?:[0-9])+\u002E(?:[0-9])+') {
    $why = 'stdout does not match "^3\.\d+\.\d+"'
  }
  Add-Result $why
  $checks++
  Write-Step '  check: vpython imports'
  $rc = Invoke-Logged ($env:USERPROFILE + '\envs\study-hall\Scripts\python.exe') @('-c', 'import vpython')
  $why = ''
  if ($rc -ne 0) {
    $why = 'exit status ' + $rc
  }
  Add-Result $why
  $checks++
  Write-Step '  check: redis-py imports'
  $rc = Invoke-Logged ($env:USERPROFILE + '\envs\study-hall\Scripts\python.exe') @('-c', 'import redis; print(redis.__version__)')
  $why = ''
  if ($rc -ne 0) {
    $why = 'exit status ' + $rc
  }
  Add-Result $why
}

if ($failed -ne 0) {
  Write-Step ('envup setup: ' + $failed + ' of ' + $checks + ' checks failed; see ' + $log)
  exit 1
}
Write-Step ('envup setup: done, ' + $checks + ' checks passed')
exit 0
