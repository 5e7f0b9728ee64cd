@echo off
rem setup.cmd: applies recipe study-hall on windows xp (windows 5.1, 386).
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
>>"%LOG%" echo:=== setup.cmd: study-hall for windows xp ^(windows 5.1, 386^), %DATE% %TIME%
echo:envup setup: study-hall for windows xp ^(windows 5.1, 386^); log: "%LOG%"
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
echo:  note: packages/build-tools skipped: no names for choco on this host
>>"%LOG%" echo:  note: packages/build-tools skipped: no names for choco on this host
echo:  note: packages/python-venv skipped: no names for choco on this host
>>"%LOG%" echo:  note: packages/python-venv skipped: no names for choco on this host

rem ---- 1/9 interpreter/python
echo:[1/9] interpreter/python: python 3.4.4 from installer python-3.4.4.msi ^(existing: this host is not observed^)
>>"%LOG%" echo:[1/9] interpreter/python: python 3.4.4 from installer python-3.4.4.msi ^(existing: this host is not observed^)
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json" goto s1_do
echo:      already there, skipped: "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json"
>>"%LOG%" echo:      already there, skipped: "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json"
goto s2
:s1_do
echo:  run: msiexec /i "%~dp0files\python-3.4.4.msi" /qn ALLUSERS=0 TARGETDIR="%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4"
>>"%LOG%" echo:  run: msiexec /i "%~dp0files\python-3.4.4.msi" /qn ALLUSERS=0 TARGETDIR="%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4"
msiexec /i "%~dp0files\python-3.4.4.msi" /qn ALLUSERS=0 TARGETDIR="%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4" >>"%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto op4_done
echo:  FAILED: exit status %RC%
>>"%LOG%" echo:  FAILED: exit status %RC%
echo:envup setup: stopped; see "%LOG%"
exit /b %RC%
:op4_done
echo:  copy "%~dp0files\.envup-install.json" "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json"
>>"%LOG%" echo:  copy "%~dp0files\.envup-install.json" "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json"
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\" mkdir "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json" goto op5_copy
if "%FCOK%"=="0" goto op5_copy
"%SYS%\fc.exe" /b "%~dp0files\.envup-install.json" "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json" >nul 2>&1
if errorlevel 1 goto op5_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op5_done
:op5_copy
copy /b /y "%~dp0files\.envup-install.json" "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json" >>"%LOG%" 2>&1
if errorlevel 1 goto op5_fail
if exist "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json" goto op5_done
:op5_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\.envup-install.json"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op5_done
echo:  copy "%~dp0files\python3.4.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.4.cmd"
>>"%LOG%" echo:  copy "%~dp0files\python3.4.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.4.cmd"
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\" mkdir "%USERPROFILE%\Local Settings\Application Data\envup\bin" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.4.cmd" goto op6_copy
if "%FCOK%"=="0" goto op6_copy
"%SYS%\fc.exe" /b "%~dp0files\python3.4.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.4.cmd" >nul 2>&1
if errorlevel 1 goto op6_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op6_done
:op6_copy
copy /b /y "%~dp0files\python3.4.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.4.cmd" >>"%LOG%" 2>&1
if errorlevel 1 goto op6_fail
if exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.4.cmd" goto op6_done
:op6_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.4.cmd"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.4.cmd"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op6_done
echo:  copy "%~dp0files\python3.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.cmd"
>>"%LOG%" echo:  copy "%~dp0files\python3.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.cmd"
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\" mkdir "%USERPROFILE%\Local Settings\Application Data\envup\bin" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.cmd" goto op7_copy
if "%FCOK%"=="0" goto op7_copy
"%SYS%\fc.exe" /b "%~dp0files\python3.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.cmd" >nul 2>&1
if errorlevel 1 goto op7_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op7_done
:op7_copy
copy /b /y "%~dp0files\python3.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.cmd" >>"%LOG%" 2>&1
if errorlevel 1 goto op7_fail
if exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.cmd" goto op7_done
:op7_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.cmd"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\bin\python3.cmd"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op7_done
echo:  copy "%~dp0files\python.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python.cmd"
>>"%LOG%" echo:  copy "%~dp0files\python.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python.cmd"
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\" mkdir "%USERPROFILE%\Local Settings\Application Data\envup\bin" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\python.cmd" goto op8_copy
if "%FCOK%"=="0" goto op8_copy
"%SYS%\fc.exe" /b "%~dp0files\python.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python.cmd" >nul 2>&1
if errorlevel 1 goto op8_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op8_done
:op8_copy
copy /b /y "%~dp0files\python.cmd" "%USERPROFILE%\Local Settings\Application Data\envup\bin\python.cmd" >>"%LOG%" 2>&1
if errorlevel 1 goto op8_fail
if exist "%USERPROFILE%\Local Settings\Application Data\envup\bin\python.cmd" goto op8_done
:op8_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\bin\python.cmd"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\bin\python.cmd"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op8_done
:s2

rem ---- 2/9 virtualenv/study-hall
echo:[2/9] virtualenv/study-hall: venv after interpreter/python is installed
>>"%LOG%" echo:[2/9] virtualenv/study-hall: venv after interpreter/python is installed
if not exist "%USERPROFILE%\envs\study-hall\pyvenv.cfg" goto s2_do
echo:      already there, skipped: "%USERPROFILE%\envs\study-hall\pyvenv.cfg"
>>"%LOG%" echo:      already there, skipped: "%USERPROFILE%\envs\study-hall\pyvenv.cfg"
goto s3
:s2_do
echo:  copy "%~dp0files\.envup-venv" "%USERPROFILE%\envs\study-hall\.envup-venv"
>>"%LOG%" echo:  copy "%~dp0files\.envup-venv" "%USERPROFILE%\envs\study-hall\.envup-venv"
if not exist "%USERPROFILE%\envs\study-hall\" mkdir "%USERPROFILE%\envs\study-hall" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\envs\study-hall\.envup-venv" goto op10_copy
if "%FCOK%"=="0" goto op10_copy
"%SYS%\fc.exe" /b "%~dp0files\.envup-venv" "%USERPROFILE%\envs\study-hall\.envup-venv" >nul 2>&1
if errorlevel 1 goto op10_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op10_done
:op10_copy
copy /b /y "%~dp0files\.envup-venv" "%USERPROFILE%\envs\study-hall\.envup-venv" >>"%LOG%" 2>&1
if errorlevel 1 goto op10_fail
if exist "%USERPROFILE%\envs\study-hall\.envup-venv" goto op10_done
:op10_fail
echo:  FAILED: could not copy to "%USERPROFILE%\envs\study-hall\.envup-venv"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\envs\study-hall\.envup-venv"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op10_done
echo:  run: "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\python.exe" -m venv "%USERPROFILE%\envs\study-hall"
>>"%LOG%" echo:  run: "%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\python.exe" -m venv "%USERPROFILE%\envs\study-hall"
"%USERPROFILE%\Local Settings\Application Data\envup\python\3.4.4\python.exe" -m venv "%USERPROFILE%\envs\study-hall" >>"%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto op11_done
echo:  FAILED: exit status %RC%
>>"%LOG%" echo:  FAILED: exit status %RC%
echo:envup setup: stopped; see "%LOG%"
exit /b %RC%
:op11_done
echo:  note: the wheelhouse ../../recipes/wheelhouse holds no wheels: pip will download from its index, so this host needs a network for virtualenv/study-hall ^(envup wheels fills a wheelhouse^)
>>"%LOG%" echo:  note: the wheelhouse ../../recipes/wheelhouse holds no wheels: pip will download from its index, so this host needs a network for virtualenv/study-hall ^(envup wheels fills a wheelhouse^)
echo:  run: "%USERPROFILE%\envs\study-hall\Scripts\python.exe" -m pip install --find-links "%~dp0files" vpython "redis<4"
>>"%LOG%" echo:  run: "%USERPROFILE%\envs\study-hall\Scripts\python.exe" -m pip install --find-links "%~dp0files" vpython "redis<4"
"%USERPROFILE%\envs\study-hall\Scripts\python.exe" -m pip install --find-links "%~dp0files" vpython "redis<4" >>"%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto op13_done
echo:  FAILED: exit status %RC%
>>"%LOG%" echo:  FAILED: exit status %RC%
echo:envup setup: stopped; see "%LOG%"
exit /b %RC%
:op13_done
echo:  copy "%~dp0files\2-.envup-venv" "%USERPROFILE%\envs\study-hall\.envup-venv"
>>"%LOG%" echo:  copy "%~dp0files\2-.envup-venv" "%USERPROFILE%\envs\study-hall\.envup-venv"
if not exist "%USERPROFILE%\envs\study-hall\" mkdir "%USERPROFILE%\envs\study-hall" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\envs\study-hall\.envup-venv" goto op14_copy
if "%FCOK%"=="0" goto op14_copy
"%SYS%\fc.exe" /b "%~dp0files\2-.envup-venv" "%USERPROFILE%\envs\study-hall\.envup-venv" >nul 2>&1
if errorlevel 1 goto op14_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op14_done
:op14_copy
copy /b /y "%~dp0files\2-.envup-venv" "%USERPROFILE%\envs\study-hall\.envup-venv" >>"%LOG%" 2>&1
if errorlevel 1 goto op14_fail
if exist "%USERPROFILE%\envs\study-hall\.envup-venv" goto op14_done
:op14_fail
echo:  FAILED: could not copy to "%USERPROFILE%\envs\study-hall\.envup-venv"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\envs\study-hall\.envup-venv"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op14_done
:s3

rem ---- 3/9 service/redis
echo:[3/9] service/redis: redis 5.0 from choco ^(redis^); version checked after install
>>"%LOG%" echo:[3/9] service/redis: redis 5.0 from choco ^(redis^); version checked after install
echo:  needs an administrator: service/redis needs an administrator: Chocolatey installs for all users
>>"%LOG%" echo:  needs an administrator: service/redis needs an administrator: Chocolatey installs for all users
"%SYS%\net.exe" session >nul 2>&1
if not errorlevel 1 goto op16_done
"%SYS%\fsutil.exe" dirty query %SYSTEMDRIVE% >nul 2>&1
if not errorlevel 1 goto op16_done
echo:envup setup: service/redis needs an administrator: Chocolatey installs for all users: run setup.cmd again as an administrator ^(right-click, Run as...^)
>>"%LOG%" echo:envup setup: service/redis needs an administrator: Chocolatey installs for all users: run setup.cmd again as an administrator ^(right-click, Run as...^)
exit /b 2
:op16_done
echo:  run: choco install -y --no-progress redis
>>"%LOG%" echo:  run: choco install -y --no-progress redis
choco install -y --no-progress redis >>"%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto op17_done
echo:  FAILED: exit status %RC%
>>"%LOG%" echo:  FAILED: exit status %RC%
echo:envup setup: stopped; see "%LOG%"
exit /b %RC%
:op17_done
if exist "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\data\" goto op18_done
echo:  mkdir "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\data"
>>"%LOG%" echo:  mkdir "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\data"
mkdir "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\data" >>"%LOG%" 2>&1
if exist "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\data\" goto op18_done
echo:  FAILED: could not make the folder "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\data"
>>"%LOG%" echo:  FAILED: could not make the folder "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\data"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op18_done
echo:  note: ~\Local Settings\Application Data\envup\services\redis\redis.conf names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
>>"%LOG%" echo:  note: ~\Local Settings\Application Data\envup\services\redis\redis.conf names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
echo:  copy "%~dp0files\redis.conf" "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf"
>>"%LOG%" echo:  copy "%~dp0files\redis.conf" "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf"
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\" mkdir "%USERPROFILE%\Local Settings\Application Data\envup\services\redis" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf" goto op20_copy
if "%FCOK%"=="0" goto op20_copy
"%SYS%\fc.exe" /b "%~dp0files\redis.conf" "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf" >nul 2>&1
if errorlevel 1 goto op20_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op20_done
:op20_copy
copy /b /y "%~dp0files\redis.conf" "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf" >>"%LOG%" 2>&1
if errorlevel 1 goto op20_fail
if exist "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf" goto op20_done
:op20_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op20_done
echo:  run: redis-server.exe --service-install "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf" --service-name envup-redis
>>"%LOG%" echo:  run: redis-server.exe --service-install "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf" --service-name envup-redis
redis-server.exe --service-install "%USERPROFILE%\Local Settings\Application Data\envup\services\redis\redis.conf" --service-name envup-redis >>"%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto op21_done
echo:  FAILED: exit status %RC%
>>"%LOG%" echo:  FAILED: exit status %RC%
echo:envup setup: stopped; see "%LOG%"
exit /b %RC%
:op21_done
echo:  run: redis-server.exe --service-start --service-name envup-redis
>>"%LOG%" echo:  run: redis-server.exe --service-start --service-name envup-redis
redis-server.exe --service-start --service-name envup-redis >>"%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto op22_done
echo:  FAILED: exit status %RC%
>>"%LOG%" echo:  FAILED: exit status %RC%
echo:envup setup: stopped; see "%LOG%"
exit /b %RC%
:op22_done
:s4

rem ---- 4/9 font/DejaVu Sans Mono
echo:[4/9] font/DejaVu Sans Mono: C:\Windows\Fonts\DejaVuSansMono.ttf absent
>>"%LOG%" echo:[4/9] font/DejaVu Sans Mono: C:\Windows\Fonts\DejaVuSansMono.ttf absent
if not exist "C:\Windows\Fonts\DejaVuSansMono.ttf" goto s4_do
echo:      already there, skipped: "C:\Windows\Fonts\DejaVuSansMono.ttf"
>>"%LOG%" echo:      already there, skipped: "C:\Windows\Fonts\DejaVuSansMono.ttf"
goto s5
:s4_do
echo:  needs an administrator: font/DejaVu Sans Mono needs an administrator: it writes into the Windows folder
>>"%LOG%" echo:  needs an administrator: font/DejaVu Sans Mono needs an administrator: it writes into the Windows folder
"%SYS%\net.exe" session >nul 2>&1
if not errorlevel 1 goto op24_done
"%SYS%\fsutil.exe" dirty query %SYSTEMDRIVE% >nul 2>&1
if not errorlevel 1 goto op24_done
echo:envup setup: font/DejaVu Sans Mono needs an administrator: it writes into the Windows folder: run setup.cmd again as an administrator ^(right-click, Run as...^)
>>"%LOG%" echo:envup setup: font/DejaVu Sans Mono needs an administrator: it writes into the Windows folder: run setup.cmd again as an administrator ^(right-click, Run as...^)
exit /b 2
:op24_done
echo:  copy "%~dp0files\DejaVuSansMono.ttf" "C:\Windows\Fonts\DejaVuSansMono.ttf"
>>"%LOG%" echo:  copy "%~dp0files\DejaVuSansMono.ttf" "C:\Windows\Fonts\DejaVuSansMono.ttf"
if not exist "C:\Windows\Fonts\" mkdir "C:\Windows\Fonts" >>"%LOG%" 2>&1
if not exist "C:\Windows\Fonts\DejaVuSansMono.ttf" goto op25_copy
if "%FCOK%"=="0" goto op25_copy
"%SYS%\fc.exe" /b "%~dp0files\DejaVuSansMono.ttf" "C:\Windows\Fonts\DejaVuSansMono.ttf" >nul 2>&1
if errorlevel 1 goto op25_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op25_done
:op25_copy
copy /b /y "%~dp0files\DejaVuSansMono.ttf" "C:\Windows\Fonts\DejaVuSansMono.ttf" >>"%LOG%" 2>&1
if errorlevel 1 goto op25_fail
if exist "C:\Windows\Fonts\DejaVuSansMono.ttf" goto op25_done
:op25_fail
echo:  FAILED: could not copy to "C:\Windows\Fonts\DejaVuSansMono.ttf"
>>"%LOG%" echo:  FAILED: could not copy to "C:\Windows\Fonts\DejaVuSansMono.ttf"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op25_done
echo:  run: reg add "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts" /v "DejaVu Sans Mono (TrueType)" /t REG_SZ /d DejaVuSansMono.ttf /f
>>"%LOG%" echo:  run: reg add "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts" /v "DejaVu Sans Mono (TrueType)" /t REG_SZ /d DejaVuSansMono.ttf /f
reg add "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts" /v "DejaVu Sans Mono (TrueType)" /t REG_SZ /d DejaVuSansMono.ttf /f >>"%LOG%" 2>&1
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto op26_done
echo:  FAILED: exit status %RC%
>>"%LOG%" echo:  FAILED: exit status %RC%
echo:envup setup: stopped; see "%LOG%"
exit /b %RC%
:op26_done
echo:  note: editor/pycharm skipped: no PyCharm settings found: start PyCharm once, or set version:
>>"%LOG%" echo:  note: editor/pycharm skipped: no PyCharm settings found: start PyCharm once, or set version:
:s5

rem ---- 5/9 editor/vim
echo:[5/9] editor/vim: ~/_vimrc absent
>>"%LOG%" echo:[5/9] editor/vim: ~/_vimrc absent
echo:  copy "%~dp0files\_vimrc" "%USERPROFILE%\_vimrc"
>>"%LOG%" echo:  copy "%~dp0files\_vimrc" "%USERPROFILE%\_vimrc"
if not exist "%USERPROFILE%\" mkdir "%USERPROFILE%" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\_vimrc" goto op29_copy
if "%FCOK%"=="0" goto op29_copy
"%SYS%\fc.exe" /b "%~dp0files\_vimrc" "%USERPROFILE%\_vimrc" >nul 2>&1
if errorlevel 1 goto op29_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op29_done
:op29_copy
copy /b /y "%~dp0files\_vimrc" "%USERPROFILE%\_vimrc" >>"%LOG%" 2>&1
if errorlevel 1 goto op29_fail
if exist "%USERPROFILE%\_vimrc" goto op29_done
:op29_fail
echo:  FAILED: could not copy to "%USERPROFILE%\_vimrc"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\_vimrc"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op29_done
:s6

rem ---- 6/9 file/~/lab/README.txt
echo:[6/9] file/~/lab/README.txt: ~\lab\README.txt absent
>>"%LOG%" echo:[6/9] file/~/lab/README.txt: ~\lab\README.txt absent
echo:  note: ~\lab\README.txt names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
>>"%LOG%" echo:  note: ~\lab\README.txt names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
echo:  copy "%~dp0files\README.txt" "%USERPROFILE%\lab\README.txt"
>>"%LOG%" echo:  copy "%~dp0files\README.txt" "%USERPROFILE%\lab\README.txt"
if not exist "%USERPROFILE%\lab\" mkdir "%USERPROFILE%\lab" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\lab\README.txt" goto op32_copy
if "%FCOK%"=="0" goto op32_copy
"%SYS%\fc.exe" /b "%~dp0files\README.txt" "%USERPROFILE%\lab\README.txt" >nul 2>&1
if errorlevel 1 goto op32_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op32_done
:op32_copy
copy /b /y "%~dp0files\README.txt" "%USERPROFILE%\lab\README.txt" >>"%LOG%" 2>&1
if errorlevel 1 goto op32_fail
if exist "%USERPROFILE%\lab\README.txt" goto op32_done
:op32_fail
echo:  FAILED: could not copy to "%USERPROFILE%\lab\README.txt"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\lab\README.txt"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op32_done
echo:  note: ~\Local Settings\Application Data\envup\files.json names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
>>"%LOG%" echo:  note: ~\Local Settings\Application Data\envup\files.json names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
echo:  copy "%~dp0files\files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
>>"%LOG%" echo:  copy "%~dp0files\files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\" mkdir "%USERPROFILE%\Local Settings\Application Data\envup" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\files.json" goto op34_copy
if "%FCOK%"=="0" goto op34_copy
"%SYS%\fc.exe" /b "%~dp0files\files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json" >nul 2>&1
if errorlevel 1 goto op34_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op34_done
:op34_copy
copy /b /y "%~dp0files\files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json" >>"%LOG%" 2>&1
if errorlevel 1 goto op34_fail
if exist "%USERPROFILE%\Local Settings\Application Data\envup\files.json" goto op34_done
:op34_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op34_done
:s7

rem ---- 7/9 file/~/lab/bounce.py
echo:[7/9] file/~/lab/bounce.py: ~\lab\bounce.py absent
>>"%LOG%" echo:[7/9] file/~/lab/bounce.py: ~\lab\bounce.py absent
echo:  copy "%~dp0files\bounce.py" "%USERPROFILE%\lab\bounce.py"
>>"%LOG%" echo:  copy "%~dp0files\bounce.py" "%USERPROFILE%\lab\bounce.py"
if not exist "%USERPROFILE%\lab\" mkdir "%USERPROFILE%\lab" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\lab\bounce.py" goto op36_copy
if "%FCOK%"=="0" goto op36_copy
"%SYS%\fc.exe" /b "%~dp0files\bounce.py" "%USERPROFILE%\lab\bounce.py" >nul 2>&1
if errorlevel 1 goto op36_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op36_done
:op36_copy
copy /b /y "%~dp0files\bounce.py" "%USERPROFILE%\lab\bounce.py" >>"%LOG%" 2>&1
if errorlevel 1 goto op36_fail
if exist "%USERPROFILE%\lab\bounce.py" goto op36_done
:op36_fail
echo:  FAILED: could not copy to "%USERPROFILE%\lab\bounce.py"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\lab\bounce.py"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op36_done
echo:  note: ~\Local Settings\Application Data\envup\files.json names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
>>"%LOG%" echo:  note: ~\Local Settings\Application Data\envup\files.json names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
echo:  copy "%~dp0files\2-files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
>>"%LOG%" echo:  copy "%~dp0files\2-files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\" mkdir "%USERPROFILE%\Local Settings\Application Data\envup" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\files.json" goto op38_copy
if "%FCOK%"=="0" goto op38_copy
"%SYS%\fc.exe" /b "%~dp0files\2-files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json" >nul 2>&1
if errorlevel 1 goto op38_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op38_done
:op38_copy
copy /b /y "%~dp0files\2-files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json" >>"%LOG%" 2>&1
if errorlevel 1 goto op38_fail
if exist "%USERPROFILE%\Local Settings\Application Data\envup\files.json" goto op38_done
:op38_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op38_done
:s8

rem ---- 8/9 file/~/lab/seats.py
echo:[8/9] file/~/lab/seats.py: ~\lab\seats.py absent
>>"%LOG%" echo:[8/9] file/~/lab/seats.py: ~\lab\seats.py absent
echo:  note: ~\lab\seats.py names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
>>"%LOG%" echo:  note: ~\lab\seats.py names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
echo:  copy "%~dp0files\seats.py" "%USERPROFILE%\lab\seats.py"
>>"%LOG%" echo:  copy "%~dp0files\seats.py" "%USERPROFILE%\lab\seats.py"
if not exist "%USERPROFILE%\lab\" mkdir "%USERPROFILE%\lab" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\lab\seats.py" goto op41_copy
if "%FCOK%"=="0" goto op41_copy
"%SYS%\fc.exe" /b "%~dp0files\seats.py" "%USERPROFILE%\lab\seats.py" >nul 2>&1
if errorlevel 1 goto op41_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op41_done
:op41_copy
copy /b /y "%~dp0files\seats.py" "%USERPROFILE%\lab\seats.py" >>"%LOG%" 2>&1
if errorlevel 1 goto op41_fail
if exist "%USERPROFILE%\lab\seats.py" goto op41_done
:op41_fail
echo:  FAILED: could not copy to "%USERPROFILE%\lab\seats.py"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\lab\seats.py"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op41_done
echo:  note: ~\Local Settings\Application Data\envup\files.json names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
>>"%LOG%" echo:  note: ~\Local Settings\Application Data\envup\files.json names paths under ~, which this export could not know: export with --facts from this host's probe for its real home
echo:  copy "%~dp0files\3-files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
>>"%LOG%" echo:  copy "%~dp0files\3-files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\" mkdir "%USERPROFILE%\Local Settings\Application Data\envup" >>"%LOG%" 2>&1
if not exist "%USERPROFILE%\Local Settings\Application Data\envup\files.json" goto op43_copy
if "%FCOK%"=="0" goto op43_copy
"%SYS%\fc.exe" /b "%~dp0files\3-files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json" >nul 2>&1
if errorlevel 1 goto op43_copy
echo:    same bytes already there: kept
>>"%LOG%" echo:    same bytes already there: kept
goto op43_done
:op43_copy
copy /b /y "%~dp0files\3-files.json" "%USERPROFILE%\Local Settings\Application Data\envup\files.json" >>"%LOG%" 2>&1
if errorlevel 1 goto op43_fail
if exist "%USERPROFILE%\Local Settings\Application Data\envup\files.json" goto op43_done
:op43_fail
echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
>>"%LOG%" echo:  FAILED: could not copy to "%USERPROFILE%\Local Settings\Application Data\envup\files.json"
echo:envup setup: stopped; see "%LOG%"
exit /b 1
:op43_done
:s9

rem ---- 9/9 
echo:[9/9] the recipe's checks
>>"%LOG%" echo:[9/9] the recipe's checks
set /a CHECKS+=1
echo:  check: redis answers
>>"%LOG%" echo:  check: redis answers
>>"%LOG%" echo:    + redis-cli -p 6379 ping
redis-cli -p 6379 ping >"%OUT%" 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
type "%OUT%" >>"%LOG%" 2>&1
if "%RC%"=="0" goto op45_ran
echo:    FAILED: exit status %RC%
>>"%LOG%" echo:    FAILED: exit status %RC%
goto op45_bad
:op45_ran
"%SYS%\find.exe" "PONG" "%OUT%" >nul 2>&1
if not errorlevel 1 goto op45_found
echo:    FAILED: stdout does not contain ^"PONG^"
>>"%LOG%" echo:    FAILED: stdout does not contain ^"PONG^"
goto op45_bad
:op45_found
:op45_ok
echo:    ok
>>"%LOG%" echo:    ok
goto op45_done
:op45_bad
set /a FAILED+=1
:op45_done
set /a CHECKS+=1
echo:  check: python version
>>"%LOG%" echo:  check: python version
>>"%LOG%" echo:    + "%USERPROFILE%\envs\study-hall\Scripts\python.exe" -c "import sys; print('%%d.%%d.%%d' %% sys.version_info[:3])"
"%USERPROFILE%\envs\study-hall\Scripts\python.exe" -c "import sys; print('%%d.%%d.%%d' %% sys.version_info[:3])" >"%OUT%" 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
type "%OUT%" >>"%LOG%" 2>&1
if "%RC%"=="0" goto op46_ran
echo:    FAILED: exit status %RC%
>>"%LOG%" echo:    FAILED: exit status %RC%
goto op46_bad
:op46_ran
if "%FINDSTROK%"=="1" goto op46_re
echo:    note: expect_re ^"^^3\.\d+\.\d+^" is not checked: findstr does not work here; only the exit status is
>>"%LOG%" echo:    note: expect_re ^"^^3\.\d+\.\d+^" is not checked: findstr does not work here; only the exit status is
goto op46_ok
:op46_re
"%SYS%\findstr.exe" /r /c:"^3\.[0123456789][0123456789]*\.[0123456789][0123456789]*" "%OUT%" >nul 2>&1
if not errorlevel 1 goto op46_ok
echo:    FAILED: no line of stdout matches ^"^^3\.\d+\.\d+^" ^(findstr ^^3\.[0123456789][0123456789]*\.[0123456789][0123456789]*^)
>>"%LOG%" echo:    FAILED: no line of stdout matches ^"^^3\.\d+\.\d+^" ^(findstr ^^3\.[0123456789][0123456789]*\.[0123456789][0123456789]*^)
goto op46_bad
:op46_ok
echo:    ok
>>"%LOG%" echo:    ok
goto op46_done
:op46_bad
set /a FAILED+=1
:op46_done
set /a CHECKS+=1
echo:  check: vpython imports
>>"%LOG%" echo:  check: vpython imports
>>"%LOG%" echo:    + "%USERPROFILE%\envs\study-hall\Scripts\python.exe" -c "import vpython"
"%USERPROFILE%\envs\study-hall\Scripts\python.exe" -c "import vpython" >"%OUT%" 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
type "%OUT%" >>"%LOG%" 2>&1
if "%RC%"=="0" goto op47_ran
echo:    FAILED: exit status %RC%
>>"%LOG%" echo:    FAILED: exit status %RC%
goto op47_bad
:op47_ran
:op47_ok
echo:    ok
>>"%LOG%" echo:    ok
goto op47_done
:op47_bad
set /a FAILED+=1
:op47_done
set /a CHECKS+=1
echo:  check: redis-py imports
>>"%LOG%" echo:  check: redis-py imports
>>"%LOG%" echo:    + "%USERPROFILE%\envs\study-hall\Scripts\python.exe" -c "import redis; print(redis.__version__)"
"%USERPROFILE%\envs\study-hall\Scripts\python.exe" -c "import redis; print(redis.__version__)" >"%OUT%" 2>>"%LOG%"
set "RC=%ERRORLEVEL%"
type "%OUT%" >>"%LOG%" 2>&1
if "%RC%"=="0" goto op48_ran
echo:    FAILED: exit status %RC%
>>"%LOG%" echo:    FAILED: exit status %RC%
goto op48_bad
:op48_ran
:op48_ok
echo:    ok
>>"%LOG%" echo:    ok
goto op48_done
:op48_bad
set /a FAILED+=1
:op48_done
:s10

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
