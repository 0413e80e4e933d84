package i18n

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"thidua/internal/domain"
)

func TestCatalogueComplete(t *testing.T) {
	for _, p := range incomplete(catalogue) {
		t.Error(p)
	}
	if len(duplicateKeys) > 0 {
		t.Errorf("keys defined in more than one catalogue file: %v", duplicateKeys)
	}
	for key, one := range englishOne {
		m, ok := catalogue[key]
		if !ok {
			t.Errorf("englishOne: %s is not in the catalogue", key)
			continue
		}
		if !strings.HasPrefix(strings.TrimLeft(m.en, "0123456789 "), "%d") && !strings.Contains(m.en, "%d") ||
			strings.Count(one, "%") != strings.Count(m.en, "%") {
			t.Errorf("englishOne: %s: the singular must take the same arguments, a count first", key)
		}
	}
}

// incomplete lists the entries of c missing a language or whose languages
// take different arguments.
func incomplete(c map[string]message) []string {
	var out []string
	for key, m := range c {
		if strings.TrimSpace(m.vi) == "" || strings.TrimSpace(m.en) == "" {
			out = append(out, key+": missing a language")
		}
		if strings.Count(m.vi, "%") != strings.Count(m.en, "%") {
			out = append(out, key+": the two languages take different arguments")
		}
	}
	sort.Strings(out)
	return out
}

func TestIncompleteEntryFails(t *testing.T) {
	got := incomplete(map[string]message{"x.ok": {"có", "yes"}, "x.no_en": {"có", ""}, "x.args": {"%d cái", "items"}})
	want := []string{"x.args: the two languages take different arguments", "x.no_en: missing a language"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("incomplete = %q, want %q", got, want)
	}
}

// keyLiteral matches string literals shaped like catalogue keys.
var keyLiteral = regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)

// keyCall matches a key given to a translating call (T, Translate, a flash
// message or a domain error), whatever its first segment.
var keyCall = regexp.MustCompile(`(?:\bT|Translate|flash|Errorf|Invalid|Conflict|NotFound|Forbidden)\([^"\n]*?"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)

// missingKeys walks the Go and templ sources under root and returns the keys
// they use that the catalogue lacks: every literal given to a translating
// call, and every key-shaped literal whose first segment is one the
// catalogue uses (so keys of a new feature are caught as soon as one of its
// texts is in the catalogue, and keys passed through variables are caught by
// their shape). It also returns how many keys it saw.
func missingKeys(root string) (missing []string, seen int, err error) {
	prefixes := map[string]bool{}
	for k := range catalogue {
		prefixes[k[:strings.IndexByte(k, '.')]] = true
	}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".data" || d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_templ.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) ||
			strings.HasPrefix(filepath.Base(path), "catalogue") || strings.HasSuffix(path, "_test.go") ||
			filepath.Base(filepath.Dir(path)) == "domain" && strings.HasPrefix(filepath.Base(path), "audit") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		keys := map[string]bool{}
		for _, m := range keyCall.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(string(src), -1) {
			if prefixes[m[1][:strings.IndexByte(m[1], '.')]] {
				keys[m[1]] = true
			}
		}
		for k := range keys {
			seen++
			if !Has(k) {
				missing = append(missing, path+": "+k)
			}
		}
		return nil
	})
	sort.Strings(missing)
	return missing, seen, err
}

// TestEveryUsedKeyExists reads the Go and templ sources and checks that each
// key they use is in the catalogue, so no page shows a raw key.
func TestEveryUsedKeyExists(t *testing.T) {
	missing, seen, err := missingKeys(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("not in the catalogue: %s", m)
	}
	if seen < 500 {
		t.Errorf("only %d keys found in the sources: the scan is broken", seen)
	}
	// Keys built at run time.
	for _, role := range []string{"admin", "staff", "focal_point", "leader"} {
		for _, prefix := range []string{"role.", "dashboard.intro."} {
			if !Has(prefix + role) {
				t.Errorf("missing %s%s", prefix, role)
			}
		}
	}
	for _, k := range domain.UnitKinds {
		if !Has("unit.kind." + string(k)) {
			t.Errorf("missing unit.kind.%s", k)
		}
	}
	for _, e := range []domain.UnitEventKind{domain.EventEstablish, domain.EventMerge, domain.EventSplit, domain.EventRename, domain.EventMove, domain.EventDissolve} {
		if !Has("unit.event." + string(e)) {
			t.Errorf("missing unit.event.%s", e)
		}
	}
	for _, c := range domain.Categories {
		if !Has("category." + string(c)) {
			t.Errorf("missing category.%s", c)
		}
	}
	for _, k := range []string{"gender.male", "gender.female", "gender.unknown", "units.title", "people.title", "units.import", "people.import",
		"units.flash.rename", "units.flash.move", "units.flash.merge", "units.flash.split"} {
		if !Has(k) {
			t.Errorf("missing %s", k)
		}
	}
	for _, st := range []domain.CampaignStatus{domain.StatusDraft, domain.StatusAnnounced, domain.StatusClosed, domain.StatusCancelled} {
		for _, prefix := range []string{"campaign.status.", "campaign.action.", "campaign.flash."} {
			if !Has(prefix+string(st)) && (prefix == "campaign.status." || st != domain.StatusDraft) {
				t.Errorf("missing %s%s", prefix, st)
			}
		}
	}
	for _, k := range []string{"campaign.kind.regular", "campaign.kind.thematic", "review.interim", "review.final", "review.annual",
		"award.target.collective", "award.target.individual", "award.target.both"} {
		if !Has(k) {
			t.Errorf("missing %s", k)
		}
	}
	for _, b := range domain.BandNames {
		if !Has("band." + b) {
			t.Errorf("missing band.%s", b)
		}
	}
	for _, m := range domain.Methods {
		if !Has("method." + string(m)) {
			t.Errorf("missing method.%s", m)
		}
	}
	for _, st := range []string{"checking", "checked", "importing", "done", "failed"} {
		if !Has("import.status." + st) {
			t.Errorf("missing import.status.%s", st)
		}
	}
	for _, action := range domain.AuditActions {
		if !Has("audit.action." + action) {
			t.Errorf("missing audit.action.%s", action)
		}
	}
	for _, status := range []string{"400", "401", "403", "404", "405", "409", "413", "415", "422", "429", "500", "503"} {
		if !Has("error.title." + status) {
			t.Errorf("missing error.title.%s", status)
		}
	}
}

// TestMissingKeyInTemplateFails adds a template using a key of a feature the
// catalogue has never heard of, and one using a new key of a known feature,
// and expects the check to name both.
func TestMissingKeyInTemplateFails(t *testing.T) {
	dir := t.TempDir()
	src := "package web\n\ntempl X() {\n\t<p>{ i18n.T(ctx, \"nomination.form.title\") }</p>\n\t<p>{ i18n.T(ctx, \"campaign.brand_new\") }</p>\n\t<p>{ i18n.T(ctx, \"app.name\") }</p>\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.templ"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	missing, seen, err := missingKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "x.templ") + ": campaign.brand_new", filepath.Join(dir, "x.templ") + ": nomination.form.title"}
	if strings.Join(missing, "|") != strings.Join(want, "|") || seen != 3 {
		t.Errorf("missing = %q (seen %d), want %q", missing, seen, want)
	}
}

func TestTranslate(t *testing.T) {
	ctx := WithLocale(context.Background(), English)
	if got := T(ctx, "users.count", 3); got != "3 accounts" {
		t.Errorf("English: %q", got)
	}
	if got := T(context.Background(), "users.count", 3); got != "3 tài khoản" {
		t.Errorf("default Vietnamese: %q", got)
	}
	if got := T(ctx, "users.count", 1); got != "1 account" {
		t.Errorf("English singular: %q", got)
	}
	if got := T(context.Background(), "users.count", 1); got != "1 tài khoản" {
		t.Errorf("Vietnamese, one: %q", got)
	}
	if got := T(ctx, "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
}

func TestDates(t *testing.T) {
	// 17:30 UTC on 30/06/2025 is already 01/07/2025 in Vietnam.
	tm := time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC)
	if got := Date(tm); got != "01/07/2025" {
		t.Errorf("Date = %q", got)
	}
	if got := DateTime(tm); got != "00:30 01/07/2025" {
		t.Errorf("DateTime = %q", got)
	}
}
