@echo off
rem setup.cmd: applies recipe golden on windows xp (windows 5.1, 386).
rem Made by envup export. It runs by itself on that host, with the files/ folder beside it.
rem Run it from a Command Prompt: setup.cmd (as an administrator when a step needs one).
rem Every step and its output goes to setup.log beside it; a second run skips what is done.
rem Exit status: 0 done, 1 a step or check failed, 2 not the host it was made for.
if not "%OS%"=="Windows_NT" goto oldwindows
setlocal enableextensions disabledelayedexpansion
set "LOG=%~dp0setup.log"
set "SYS=%SystemRoot%\system32"
if not defined TEMP set "TEMP=%~dp0"
set "OUT=%TEMP%\envup-check-%RANDOM%.txt"
set "FAILED=0"
set "CHECKS=0"

rem ---- the host: windows xp (windows 5.1, 386)
set "HOSTVER="
set "HOSTLINE="
for /f "delims=" %%a in ('ver') do set "HOSTLINE=%%a"
set "HOSTWORDS=%HOSTLINE:[= %"
set "HOSTWORDS=%HOSTWORDS:]= %"
for %%w in (%HOSTWORDS%) do call :hostver %%w
set "HOSTARCH=%PROCESSOR_ARCHITECTURE%"
if defined PROCESSOR_ARCHITEW6432 set "HOSTARCH=%PROCESSOR_ARCHITEW6432%"
set "HOSTGOARCH=%HOSTARCH%"
if /i "%HOSTARCH%"=="x86" set "HOSTGOARCH=386"
if /i "%HOSTARCH%"=="AMD64" set "HOSTGOARCH=amd64"
if /i "%HOSTARCH%"=="ARM64" set "HOSTGOARCH=arm64"
if /i "%HOSTARCH%"=="IA64" set "HOSTGOARCH=ia64"
if not defined HOSTVER goto wronghost
if "%HOSTGOARCH%"=="386" goto righthost
:wronghost
echo:envup: this script is for windows xp ^(windows 5.1, 386^); this host says "%HOSTLINE%" %HOSTARCH%.
echo:envup: nothing was changed. Export again for this host ^(envup export --probe tells what it is^).
exit /b 2
:righthost
>>"%LOG%" echo:=== setup.cmd: golden for windows xp ^(windows 5.1, 386^), %DATE% %TIME%
echo:envup setup: golden for windows xp ^(windows 5.1, 386^); log: "%LOG%"
set "PROBEA=%TEMP%\envup-probe-%RANDOM%a.txt"
set "PROBEB=%TEMP%\envup-probe-%RANDOM%b.txt"
>"%PROBEA%" echo:a
>"%PROBEB%" echo:b
set "FCOK=0"
"%SYS%\fc.exe" /b "%PROBEA%" "%PROBEB%" >nul 2>&1
if errorlevel 1 set "FCOK=1"
if "%FCOK%"=="0" >>"%LOG%" echo:note: fc /b finds two different files equal here: every file is copied, none compared
set "FINDSTROK=0"
"%SYS%\findstr.exe" /r /c:"^a$" "%PROBEA%" >nul 2>&1
if errorlevel 1 goto findstrtested
"%SYS%\findstr.exe" /r /c:"^b" "%PROBEA%" >nul 2>&1
if errorlevel 1 set "FINDSTROK=1"
:findstrtested
if "%FINDSTROK%"=="0" >>"%LOG%" echo:note: findstr /r does not work here: regexps are not checked, only exit statuses
del "%PROBEA%" "%PROBEB%" >nul 2>&1

rem ---- 1/3 interpreter/python
echo:[1/3] interpreter/python: python 3.4.4 from python-3.4.4.msi
>>"%LOG%" echo:[1/3] interpreter/python: python 3.4.4 from python-3.4.4.msi
if not exist "%USERPROFILE%\Python34\python.exe" goto s1_do
echo:      already there, skipped: "%USERPROFILE%\Python34\python.exe"
>>"%LOG%" echo:      already there, skipped: "%USERPROFILE%\Python34\python.exe"
goto s2
:s1_do
if exist "%USERPROFILE%\Python34\" goto op2_done
echo:  mkdir "%USERPROFILE%\Python34"
>>"%LOG%" echo:  mkdir "%USERPROFILE%\Python34"
mkdir "%USERPROFILE%\Python34" >>"%LOG%" 2>&1
if exist "%USERPROFILE%\Python34\" goto op2_done
echo:  FAILED: could not make the folder "%USERPROFILE%\Python34"
>>"%LOG%" echo:  FAILED: could not make the folder "%USERPROFILE%\Python34"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op2_done
echo:  copy "%~dp0files\python-3.4.4.msi" "%USERPROFILE%\Downloads (old)\python & co.msi"
>>"%LOG%" echo:  copy "%~dp0files\python-3.4.4.msi" "%USERPROFILE%\Downloads (old)\python & co.msi"
if not exist "%USERPROFILE%\Downloads (old)\" mkdir "%USERPROFILE%\Downloads (old)" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Downloads (old)\python & co.msi" goto op3_copy
if "%FCOK%"=="0" goto op3_copy
"%SYS%\fc.exe" /b "%~dp0files\python-3.4.4.msi" "%USERPROFILE%\Downloads (old)\python & co.msi" >nul 2>&1
if errorlevel 1 goto op3_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op3_done
:op3_copy
copy /b /y "%~dp0files\python-3.4.4.msi" "%USERPROFILE%\Downloads (old)\python & co.msi" >>"%LOG%" 2>&1
if errorlevel 1 goto op3_fail
if exist "%USERPROFILE%\Downloads (old)\python & co.msi" goto op3_done
:op3_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Downloads (old)\python & co.msi"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Downloads (old)\python & co.msi"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op3_done
echo:  run: msiexec /i "%~dp0files\python-3.4.4.msi" /qn TARGETDIR="%USERPROFILE%\Python34" "a b" ^"say \^"hi\^" ^& bye^" 100%% "^(x)|<y>" "" "C:\Program Files\x\\" !bang! it's
>>"%LOG%" echo:  run: msiexec /i "%~dp0files\python-3.4.4.msi" /qn TARGETDIR="%USERPROFILE%\Python34" "a b" ^"say \^"hi\^" ^& bye^" 100%% "^(x)|<y>" "" "C:\Program Files\x\\" !bang! it's
msiexec /i "%~dp0files\python-3.4.4.msi" /qn TARGETDIR="%USERPROFILE%\Python34" "a b" ^"say \^"hi\^" ^& bye^" 100%% "^(x)|<y>" "" "C:\Program Files\x\\" !bang! it's >>"%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto op4_done
echo:  FAILED: exit status %RC%
>>"%LOG%" echo:  FAILED: exit status %RC%
echo:envup setup: stopped; see "%LOG%"
exit /b %RC%
:op4_done
:s2

rem ---- 2/3 font/dejavu-sans-mono
echo:[2/3] font/dejavu-sans-mono: DejaVu Sans Mono
>>"%LOG%" echo:[2/3] font/dejavu-sans-mono: DejaVu Sans Mono
echo:  needs an administrator: fonts go to all users on this system
>>"%LOG%" echo:  needs an administrator: fonts go to all users on this system
"%SYS%\net.exe" session >nul 2>&1
if not errorlevel 1 goto op6_done
"%SYS%\fsutil.exe" dirty query %SYSTEMDRIVE% >nul 2>&1
if not errorlevel 1 goto op6_done
echo:envup setup: fonts go to all users on this system: run setup.cmd again as an administrator ^(right-click, Run as...^)
>>"%LOG%" echo:envup setup: fonts go to all users on this system: run setup.cmd again as an administrator ^(right-click, Run as...^)
exit /b 2
:op6_done
echo:  note: log off and on again to see the font ^(100%% sure^)
>>"%LOG%" echo:  note: log off and on again to see the font ^(100%% sure^)
:s3

rem ---- 3/3 checks
echo:[3/3] checks: the recipe's checks
>>"%LOG%" echo:[3/3] checks: the recipe's checks
set /a CHECKS+=1
echo:  check: python runs
>>"%LOG%" echo:  check: python runs
>>"%LOG%" echo:    + "%USERPROFILE%\Python34\python.exe" --version
"%USERPROFILE%\Python34\python.exe" --version >"%OUT%" 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
type "%OUT%" >>"%LOG%" 2>&1
if "%RC%"=="0" goto op9_ran
echo:    FAILED: exit status %RC%
>>"%LOG%" echo:    FAILED: exit status %RC%
goto op9_bad
:op9_ran
"%SYS%\find.exe" "Python 3.4" "%OUT%" >nul 2>&1
if not errorlevel 1 goto op9_found
echo:    FAILED: stdout does not contain ^"Python 3.4^"
>>"%LOG%" echo:    FAILED: stdout does not contain ^"Python 3.4^"
goto op9_bad
:op9_found
:op9_ok
echo:    ok
>>"%LOG%" echo:    ok
goto op9_done
:op9_bad
set /a FAILED+=1
:op9_done
set /a CHECKS+=1
echo:  check: pip is 7 or later
>>"%LOG%" echo:  check: pip is 7 or later
>>"%LOG%" echo:    + "%USERPROFILE%\Python34\python.exe" -m pip --version
"%USERPROFILE%\Python34\python.exe" -m pip --version >"%OUT%" 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
type "%OUT%" >>"%LOG%" 2>&1
if "%RC%"=="0" goto op10_ran
echo:    FAILED: exit status %RC%
>>"%LOG%" echo:    FAILED: exit status %RC%
goto op10_bad
:op10_ran
if "%FINDSTROK%"=="1" goto op10_re
echo:    note: expect_re ^"^^pip \d+\.\d+^" is not checked: findstr does not work here; only the exit status is
>>"%LOG%" echo:    note: expect_re ^"^^pip \d+\.\d+^" is not checked: findstr does not work here; only the exit status is
goto op10_ok
:op10_re
"%SYS%\findstr.exe" /r /c:"^pip [0123456789][0123456789]*\.[0123456789][0123456789]*" "%OUT%" >nul 2>&1
if not errorlevel 1 goto op10_ok
echo:    FAILED: no line of stdout matches ^"^^pip \d+\.\d+^" ^(findstr ^^pip [0123456789][0123456789]*\.[0123456789][0123456789]*^)
>>"%LOG%" echo:    FAILED: no line of stdout matches ^"^^pip \d+\.\d+^" ^(findstr ^^pip [0123456789][0123456789]*\.[0123456789][0123456789]*^)
goto op10_bad
:op10_ok
echo:    ok
>>"%LOG%" echo:    ok
goto op10_done
:op10_bad
set /a FAILED+=1
:op10_done
set /a CHECKS+=1
echo:  check: redis answers
>>"%LOG%" echo:  check: redis answers
>>"%LOG%" echo:    + redis-cli ping
redis-cli ping >"%OUT%" 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
type "%OUT%" >>"%LOG%" 2>&1
if "%RC%"=="0" goto op11_ran
echo:    FAILED: exit status %RC%
>>"%LOG%" echo:    FAILED: exit status %RC%
goto op11_bad
:op11_ran
echo:    note: expect_re ^"^^^(PONG^|pong^)$^" is not checked: findstr has no ^|; only the exit status is
>>"%LOG%" echo:    note: expect_re ^"^^^(PONG^|pong^)$^" is not checked: findstr has no ^|; only the exit status is
:op11_ok
echo:    ok
>>"%LOG%" echo:    ok
goto op11_done
:op11_bad
set /a FAILED+=1
:op11_done
set /a CHECKS+=1
echo:  check: a word
>>"%LOG%" echo:  check: a word
>>"%LOG%" echo:    + redis-cli echo PONG
redis-cli echo PONG >"%OUT%" 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
type "%OUT%" >>"%LOG%" 2>&1
if "%RC%"=="0" goto op12_ran
echo:    FAILED: exit status %RC%
>>"%LOG%" echo:    FAILED: exit status %RC%
goto op12_bad
:op12_ran
echo:    note: expect_re ^"\bPONG\b^" is not checked: findstr has no \b; only the exit status is
>>"%LOG%" echo:    note: expect_re ^"\bPONG\b^" is not checked: findstr has no \b; only the exit status is
:op12_ok
echo:    ok
>>"%LOG%" echo:    ok
goto op12_done
:op12_bad
set /a FAILED+=1
:op12_done
:s4

del "%OUT%" >nul 2>&1
if "%FAILED%"=="0" goto alldone
echo:envup setup: %FAILED% of %CHECKS% checks failed; see setup.log
>>"%LOG%" echo:envup setup: %FAILED% of %CHECKS% checks failed; see setup.log
exit /b 1
:alldone
echo:envup setup: done, %CHECKS% checks passed
>>"%LOG%" echo:envup setup: done, %CHECKS% checks passed
exit /b 0

:hostver
set "W=%~1"
if "%W%"=="5.1" set "HOSTVER=%W%"
if "%W:~0,4%"=="5.1." set "HOSTVER=%W%"
exit /b 0

:oldwindows
echo This script needs Windows NT: XP or later.
