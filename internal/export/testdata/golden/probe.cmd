@echo off
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
