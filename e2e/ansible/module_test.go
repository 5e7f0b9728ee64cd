//go:build ansible

package ansible

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestApplyCheckModeTakesApplyFlags: the apply module in check mode,
// given apply's own flags in extra_args (as its EXAMPLES do), reports
// what would change and changes nothing, on this host (connection
// local: no seat, no root).
func TestApplyCheckModeTakesApplyFlags(t *testing.T) {
	if _, err := exec.LookPath("ansible-playbook"); err != nil {
		t.Skip("no ansible-playbook (apt-get install ansible-core)")
	}
	work := t.TempDir()
	c := &controller{t: t, dir: work}
	c.envup = buildEnvup(t, filepath.Join(work, "bin"))
	collections, err := filepath.Abs(filepath.Join(root, "contrib", "ansible"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(work, "ansible.cfg"), "[defaults]\ninventory = inventory.ini\ncollections_path = "+collections+"\n", 0o644)
	writeFile(t, filepath.Join(work, "inventory.ini"), "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n", 0o644)
	data, err := os.ReadFile(filepath.Join("testdata", "callback_plugins", "record.py"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(work, "callback_plugins", "record.py"), string(data), 0o644)
	recipe := filepath.Join(work, "lab.yml")
	writeFile(t, recipe, "envup: 1\nfiles:\n  ~/lab/README.txt: {content: \"hello\\n\"}\n", 0o644)
	writeFile(t, filepath.Join(work, "check.yml"), `---
- name: Apply with apply's flags
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Apply the recipe
      envup.envup.apply:
        recipe: `+recipe+`
        binary: `+c.envup+`
        extra_args: [--fail-fast, --lock-timeout, 1m]
`, 0o644)

	res := c.playbook(0, "check.yml", "--check", "--diff").result(t, "Apply the recipe", "localhost")
	if res.Failed || !res.Changed || len(res.Resources) != 1 || res.Resources[0].Status != "pending" {
		t.Errorf("check mode with --fail-fast: %+v, want changed with file/~/lab/README.txt pending", res)
	}
	if _, err := os.Stat(filepath.Join(work, "home", "lab", "README.txt")); !os.IsNotExist(err) {
		t.Errorf("check mode wrote the file (%v)", err)
	}
}
