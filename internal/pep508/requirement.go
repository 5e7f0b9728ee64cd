package pep508

import (
	"strings"

	"github.com/envup/envup/internal/pep440"
)

// Requirement is a parsed dependency specifier: a name, maybe extras,
// then versions or a URL, then maybe a marker.
type Requirement struct {
	Name      string
	Extras    []string
	Specifier pep440.SpecifierSet // as written: ">= 2.31, <3"
	URL       string
	Marker    *Marker // nil for none
}

// ParseRequirement reads s as packaging.requirements.Requirement does.
func ParseRequirement(s string) (*Requirement, error) {
	p := &parser{s: s}
	p.ws()
	name, ok := p.identifier()
	if !ok {
		return nil, p.fail("expected a package name")
	}
	r := &Requirement{Name: name}
	p.ws()
	extras, err := p.extras()
	if err != nil {
		return nil, err
	}
	r.Extras = extras
	p.ws()
	if err := p.details(r); err != nil {
		return nil, err
	}
	if !p.end() {
		return nil, p.fail("unexpected text")
	}
	return r, nil
}

// extras is [ name, name ] with white space allowed around the names.
func (p *parser) extras() ([]string, error) {
	if !p.peek('[') {
		return nil, nil
	}
	open := p.i
	p.i++
	p.ws()
	var extras []string
	if e, ok := p.identifier(); ok {
		extras = append(extras, e)
		for {
			p.ws()
			if _, ok := (&parser{s: p.s, i: p.i}).identifier(); ok {
				return nil, p.fail("expected a comma between extra names")
			}
			if !p.peek(',') {
				break
			}
			p.i++
			p.ws()
			e, ok := p.identifier()
			if !ok {
				return nil, p.fail("expected an extra name after the comma")
			}
			extras = append(extras, e)
		}
	}
	p.ws()
	if !p.peek(']') {
		return nil, p.failAt(open, "[ is not closed")
	}
	p.i++
	return extras, nil
}

// details is "@ URL" with a marker after white space, or versions, maybe
// in parentheses, with a marker after.
func (p *parser) details(r *Requirement) error {
	if p.peek('@') {
		p.i++
		p.ws()
		start := p.i
		for p.i < len(p.s) && p.s[p.i] != ' ' && p.s[p.i] != '\t' {
			p.i++
		}
		if p.i == start {
			return p.fail("expected a URL after @")
		}
		r.URL = p.s[start:p.i]
		if p.end() {
			return nil
		}
		if !p.ws() {
			return p.fail("expected white space after the URL")
		}
		if p.end() {
			return nil
		}
		return p.requirementMarker(r, "expected ; (after the URL and white space) or the end")
	}
	text, err := p.versions()
	if err != nil {
		return err
	}
	set, err := pep440.ParseSpecifierSet(text)
	if err != nil {
		return err
	}
	r.Specifier = set
	p.ws()
	if p.end() {
		return nil
	}
	if text != "" {
		return p.requirementMarker(r, "expected a comma (between versions), ; (before a marker) or the end")
	}
	return p.requirementMarker(r, "expected a version specifier, ; (before a marker) or the end")
}

// versions reads clause (, clause)* and gives it as written.
func (p *parser) versions() (string, error) {
	open := -1
	if p.peek('(') {
		open = p.i
		p.i++
	}
	p.ws()
	start, end := p.i, p.i
	for {
		clause := p.i
		e := pep440.ClauseEnd(p.s, p.i)
		if e < 0 {
			break
		}
		p.i, end = e, e
		if strings.HasPrefix(p.s[p.i:], ".*") {
			return "", p.failAt(clause, ".* goes only with == and !=, after a release without pre-, post-, dev- or local parts")
		}
		if p.peek('+') {
			return "", p.failAt(clause, "a local version (+label) goes only with == and !=")
		}
		p.ws()
		if !p.peek(',') {
			break
		}
		p.i++
		end = p.i
		p.ws()
	}
	p.ws()
	if open >= 0 {
		if !p.peek(')') {
			return "", p.failAt(open, "( is not closed")
		}
		p.i++
	}
	return p.s[start:end], nil
}

// requirementMarker is ; marker.
func (p *parser) requirementMarker(r *Requirement, expected string) error {
	if !p.peek(';') {
		return p.fail(expected)
	}
	p.i++
	start := p.i
	e, err := p.marker()
	if err != nil {
		return err
	}
	r.Marker = &Marker{text: strings.TrimSpace(p.s[start:p.i]), expr: e}
	p.ws()
	return nil
}
