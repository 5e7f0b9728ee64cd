package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// normalizeSum checks a pinned sha256 and lowercases it. An optional
// "sha256:" prefix is accepted.
func normalizeSum(sum string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(sum))
	s = strings.TrimPrefix(s, "sha256:")
	if len(s) != sha256.Size*2 {
		return "", fmt.Errorf("sha256 %q: want %d hex digits", sum, sha256.Size*2)
	}
	if _, err := hex.DecodeString(s); err != nil {
		return "", fmt.Errorf("sha256 %q: not hex", sum)
	}
	return s, nil
}

// Verified returns nil when the file at name has the sha256 sum, and a
// *DigestError naming the file when it has another. Unlike the cache, it
// leaves a mismatching file where it is.
func Verified(name, sum string) error {
	want, err := normalizeSum(sum)
	if err != nil {
		return fmt.Errorf("verify %s: %w", name, err)
	}
	got, err := FileSum(name)
	if err != nil {
		return err
	}
	if got != want {
		return &DigestError{URL: name, Want: want, Got: got}
	}
	return nil
}

// FileSum returns the hex sha256 of the file at name.
func FileSum(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
