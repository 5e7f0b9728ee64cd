package system

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// openKey opens key (`HKCU\Software\...`) in the 64-bit view, so a 386
// envup on 64-bit Windows reads and writes what 64-bit programs see.
func openKey(key string, access uint32, create bool) (registry.Key, error) {
	root, path, err := splitKey(key)
	if err != nil {
		return 0, err
	}
	if create {
		k, _, err := registry.CreateKey(root, path, access|registry.WOW64_64KEY)
		return k, err
	}
	return registry.OpenKey(root, path, access|registry.WOW64_64KEY)
}

func splitKey(key string) (registry.Key, string, error) {
	rootName, path, _ := strings.Cut(key, `\`)
	switch strings.ToUpper(rootName) {
	case "HKCU", "HKEY_CURRENT_USER":
		return registry.CURRENT_USER, path, nil
	case "HKLM", "HKEY_LOCAL_MACHINE":
		return registry.LOCAL_MACHINE, path, nil
	}
	return 0, "", fmt.Errorf("registry key %s: want HKCU\\… or HKLM\\…", key)
}

func notFound(err error) bool {
	return errors.Is(err, registry.ErrNotExist) || errors.Is(err, windows.ERROR_FILE_NOT_FOUND) || errors.Is(err, windows.ERROR_PATH_NOT_FOUND)
}

// Registry reads a REG_SZ or REG_EXPAND_SZ value, unexpanded.
func (*Real) Registry(key, name string) (RegValue, error) {
	k, err := openKey(key, registry.QUERY_VALUE, false)
	if err != nil {
		if notFound(err) {
			return RegValue{}, &fs.PathError{Op: "registry", Path: key + `\` + name, Err: fs.ErrNotExist}
		}
		return RegValue{}, fmt.Errorf("registry %s: %w", key, err)
	}
	defer k.Close()
	data, typ, err := k.GetStringValue(name)
	if err != nil {
		if notFound(err) {
			return RegValue{}, &fs.PathError{Op: "registry", Path: key + `\` + name, Err: fs.ErrNotExist}
		}
		return RegValue{}, fmt.Errorf("registry %s\\%s: %w", key, name, err)
	}
	return RegValue{Data: data, Expand: typ == registry.EXPAND_SZ}, nil
}

// SetRegistry writes the value; a change to HKCU\Environment is then
// announced to running programs (WM_SETTINGCHANGE), as the System
// control panel does, so a new console sees the new Path.
func (*Real) SetRegistry(key, name string, v RegValue) error {
	k, err := openKey(key, registry.SET_VALUE, true)
	if err != nil {
		return fmt.Errorf("registry %s: %w", key, err)
	}
	defer k.Close()
	if v.Expand {
		err = k.SetExpandStringValue(name, v.Data)
	} else {
		err = k.SetStringValue(name, v.Data)
	}
	if err != nil {
		return fmt.Errorf("registry %s\\%s: %w", key, name, err)
	}
	if strings.EqualFold(key, `HKCU\Environment`) {
		broadcastEnvironment()
	}
	return nil
}

var sendMessageTimeout = windows.NewLazySystemDLL("user32.dll").NewProc("SendMessageTimeoutW")

// broadcastEnvironment sends WM_SETTINGCHANGE "Environment" to every
// top-level window, waiting at most a second for each; failing is no
// error (a new login sees the value all the same).
func broadcastEnvironment() {
	const (
		hwndBroadcast   = 0xffff
		wmSettingChange = 0x001a
		smtoAbortIfHung = 0x0002
	)
	env, err := syscall.UTF16PtrFromString("Environment")
	if err != nil || sendMessageTimeout.Find() != nil {
		return
	}
	var result uintptr
	_, _, _ = sendMessageTimeout.Call(hwndBroadcast, wmSettingChange, 0, uintptr(unsafe.Pointer(env)), smtoAbortIfHung, 1000, uintptr(unsafe.Pointer(&result)))
}
