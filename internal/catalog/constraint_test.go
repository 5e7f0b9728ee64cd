package catalog

import "testing"

func TestConstraint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		constraint string
		yes, no    []string
	}{
		{"", []string{"2.7.18", "3.14.7", "5.0.14.1"}, nil},
		{"3", []string{"3.0.0", "3.4.4", "3.14.7"}, []string{"2.7.18", "4.0", "30.1"}},
		{"3.12", []string{"3.12.0", "3.12.14"}, []string{"3.1.2", "3.13.0", "3.120.1", "3.12.0-rc1"}},
		{"3.12.7", []string{"3.12.7", "3.12.7.1"}, []string{"3.12.70", "3.12.8", "3.12"}},
		{"v3.12", []string{"3.12.1"}, []string{"3.11.9"}},
		{"5.0.14", []string{"5.0.14", "5.0.14.1"}, []string{"5.0.15"}},
		{"7.2", []string{"7.2.0", "7.2.15"}, []string{"7.4.0", "7.20.1"}},
		{">= 3.2, < 3.13", []string{"3.2.6", "3.12.14"}, []string{"3.13.0", "2.7.18", "3.1"}},
		{">= 3.10", []string{"3.10.0", "3.14.7"}, []string{"3.9.25", "3.8.20"}},
		{"= 3.12", []string{"3.12.0"}, []string{"3.12.14"}},
		{"~> 3.12.0", []string{"3.12.14"}, []string{"3.13.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.constraint, func(t *testing.T) {
			t.Parallel()
			c := mustConstraint(t, tt.constraint)
			if c.String() != tt.constraint {
				t.Errorf("String() = %q", c.String())
			}
			for _, v := range tt.yes {
				if !c.Check(v) {
					t.Errorf("%q refuses %s", tt.constraint, v)
				}
			}
			for _, v := range tt.no {
				if c.Check(v) {
					t.Errorf("%q allows %s", tt.constraint, v)
				}
			}
		})
	}
}

func TestParseConstraintErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"abc", "latest", ">= 3.x", "3..12"} {
		if _, err := ParseConstraint(s); err == nil {
			t.Errorf("ParseConstraint(%q) = nil error", s)
		}
	}
}
