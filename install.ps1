# install.ps1: install envup from a release, on Windows (PowerShell 5.1 or 7).
#
#   irm https://github.com/envup/envup/releases/latest/download/install.ps1 | iex
#
# It downloads checksums.txt and this machine's archive
# (envup_VERSION_windows_ARCH.zip) from the release, refuses the archive
# unless its SHA-256 is the one checksums.txt gives, then puts envup.exe in
# ENVUP_INSTALL_DIR, adds that folder to your user PATH and puts the
# recipes the release ships in envup's data folder. Nothing is left behind
# when it fails. The same steps as install.sh, which e2e/release tests.
#
#   ENVUP_INSTALL_BASE_URL  where the release's files are
#                           (https://github.com/envup/envup/releases/latest/download)
#   ENVUP_VERSION           a release to install instead of the latest (1.2.3)
#   ENVUP_INSTALL_DIR       where envup.exe goes (%LOCALAPPDATA%\envup\bin, envup's bin folder)
#
# Everything happens inside Install-Envup, so `irm | iex` leaves no
# variables or settings behind in your session, and an error is thrown,
# never `exit`, which would close your window.

function Install-Envup {
    Set-StrictMode -Version 3.0
    $ErrorActionPreference = 'Stop'
    # Windows PowerShell 5.1 downloads many times slower with a progress bar.
    $ProgressPreference = 'SilentlyContinue'

    $repoUrl = 'https://github.com/envup/envup'
    if ($env:ENVUP_INSTALL_BASE_URL) {
        $base = $env:ENVUP_INSTALL_BASE_URL.TrimEnd('/')
    } elseif ($env:ENVUP_VERSION) {
        $base = '{0}/releases/download/v{1}' -f $repoUrl, $env:ENVUP_VERSION.TrimStart('v')
    } else {
        $base = "$repoUrl/releases/latest/download"
    }

    $local = $env:LOCALAPPDATA
    if (-not $local) { $local = Join-Path $HOME 'AppData\Local' }
    if ($env:ENVUP_INSTALL_DIR) { $dir = $env:ENVUP_INSTALL_DIR } else { $dir = Join-Path $local 'envup\bin' }
    if ($env:ENVUP_HOME) { $data = Join-Path $env:ENVUP_HOME 'data' } else { $data = Join-Path $local 'envup' }

    # A 32-bit PowerShell on 64-bit Windows says x86 here and the truth in
    # PROCESSOR_ARCHITEW6432.
    $machine = $env:PROCESSOR_ARCHITEW6432
    if (-not $machine) { $machine = $env:PROCESSOR_ARCHITECTURE }
    switch ($machine) {
        'AMD64' { $arch = 'amd64' }
        'ARM64' { $arch = 'arm64' }
        'x86' { $arch = '386' }
        default { throw "envup install: no envup release for Windows on $machine" }
    }

    # Windows PowerShell 5.1 on an older .NET offers only TLS 1.0 by default.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

    $tmp = Join-Path ([IO.Path]::GetTempPath()) ('envup-install-' + [Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $tmp | Out-Null
    $staged = $null
    try {
        $sums = Join-Path $tmp 'checksums.txt'
        try {
            Invoke-WebRequest -UseBasicParsing -Uri "$base/checksums.txt" -OutFile $sums
        } catch {
            throw "envup install: cannot download $base/checksums.txt: $($_.Exception.Message)"
        }
        # One line per file: "<sha256>  envup_1.2.3_windows_amd64.zip".
        $pattern = '^envup_[^_/ ]+_windows_{0}[.]zip$' -f $arch
        $lines = @(Get-Content -LiteralPath $sums | Where-Object { ($_.Trim() -split '\s+')[-1] -match $pattern })
        if ($lines.Count -eq 0) {
            throw "envup install: $base/checksums.txt names no envup_VERSION_windows_$arch.zip: no release for windows/$arch"
        }
        if ($lines.Count -gt 1) {
            throw "envup install: $base/checksums.txt names $($lines.Count) archives for windows/$arch, want one"
        }
        $want, $name = $lines[0].Trim() -split '\s+', 2
        $want = $want.ToLowerInvariant()
        if ($want -notmatch '^[0-9a-f]{64}$') {
            throw "envup install: $base/checksums.txt: not a sha256 for ${name}: $want"
        }

        Write-Host "envup install: downloading $base/$name"
        $zip = Join-Path $tmp $name
        try {
            Invoke-WebRequest -UseBasicParsing -Uri "$base/$name" -OutFile $zip
        } catch {
            throw "envup install: cannot download $base/${name}: $($_.Exception.Message)"
        }
        $got = (Get-FileHash -Algorithm SHA256 -LiteralPath $zip).Hash.ToLowerInvariant()
        if ($got -ne $want) {
            throw "envup install: checksum mismatch for ${name}: checksums.txt says $want, the download is $got ($base/$name); nothing was installed"
        }

        $x = Join-Path $tmp 'x'
        Expand-Archive -LiteralPath $zip -DestinationPath $x
        $exe = Join-Path $x 'envup.exe'
        if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) {
            throw "envup install: $name has no envup.exe"
        }

        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        # Copied beside the old envup.exe first and tried, then moved in.
        $staged = Join-Path $dir ('.envup.new.{0}.exe' -f $PID)
        Copy-Item -LiteralPath $exe -Destination $staged
        try {
            $version = & $staged --version
        } catch {
            throw "envup install: the envup.exe in $name does not run here: $($_.Exception.Message); nothing was installed"
        }
        if ($LASTEXITCODE -ne 0) {
            throw "envup install: the envup.exe in $name does not run here (exit $LASTEXITCODE); nothing was installed"
        }
        $target = Join-Path $dir 'envup.exe'
        $old = Join-Path $dir '.envup.old.exe'
        if (Test-Path -LiteralPath $target) {
            # A running envup.exe cannot be replaced, but it can be renamed.
            Remove-Item -Force -LiteralPath $old -ErrorAction SilentlyContinue
            Move-Item -Force -LiteralPath $target -Destination $old
        }
        Move-Item -LiteralPath $staged -Destination $target
        $staged = $null
        Remove-Item -Force -LiteralPath $old -ErrorAction SilentlyContinue

        $recipes = $null
        $src = Join-Path $x 'recipes'
        if (Test-Path -LiteralPath $src -PathType Container) {
            $recipes = Join-Path $data 'recipes'
            New-Item -ItemType Directory -Force -Path $data | Out-Null
            $staged = Join-Path $data ('.recipes.new.{0}' -f $PID)
            Copy-Item -Recurse -LiteralPath $src -Destination $staged
            # The folder is the release's: each install replaces it whole.
            if (Test-Path -LiteralPath $recipes) { Remove-Item -Recurse -Force -LiteralPath $recipes }
            Move-Item -LiteralPath $staged -Destination $recipes
            $staged = $null
        }

        Write-Host "$version installed: $target"
        if ($recipes) {
            Write-Host "the recipes it ships are in $recipes (replaced by each install: copy one to change it)"
        }
        Add-UserPath $dir
        if ($recipes) {
            Write-Host "try: envup plan `"$recipes\study-hall.yml`""
        }
    } finally {
        if ($staged -and (Test-Path -LiteralPath $staged)) {
            Remove-Item -Recurse -Force -LiteralPath $staged -ErrorAction SilentlyContinue
        }
        Remove-Item -Recurse -Force -LiteralPath $tmp -ErrorAction SilentlyContinue
    }
}

# Add-UserPath puts $dir on the user's PATH for new windows and this one.
# The registry value is read and written unexpanded, so entries such as
# %USERPROFILE%\bin stay as they are ([Environment]::SetEnvironmentVariable
# would write them expanded).
function Add-UserPath([string]$dir) {
    Set-StrictMode -Version 3.0
    $ErrorActionPreference = 'Stop'
    $key = Get-Item -LiteralPath 'HKCU:\Environment'
    $path = $key.GetValue('Path', '', 'DoNotExpandEnvironmentNames')
    $entries = @($path -split ';' | Where-Object { $_ })
    $norm = $dir.TrimEnd('\')
    $on = @($entries | Where-Object { [Environment]::ExpandEnvironmentVariables($_).TrimEnd('\') -eq $norm })
    if ($on.Count -gt 0) {
        return
    }
    $value = (@($entries) + $dir) -join ';'
    New-ItemProperty -Path 'HKCU:\Environment' -Name 'Path' -PropertyType ExpandString -Value $value -Force | Out-Null
    # Setting any variable through .NET tells running programs (Explorer,
    # new terminals) that the environment changed.
    [Environment]::SetEnvironmentVariable('ENVUP_INSTALL_PATH_CHANGED', '1', 'User')
    [Environment]::SetEnvironmentVariable('ENVUP_INSTALL_PATH_CHANGED', $null, 'User')
    $env:Path = "$env:Path;$dir"
    Write-Host "added $dir to your user PATH: new terminals find envup"
}

Install-Envup
