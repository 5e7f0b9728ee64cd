# probe.ps1: prints this host's platform as one JSON object, for envup.
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
