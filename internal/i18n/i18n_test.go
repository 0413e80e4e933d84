package i18n

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"thidua/internal/domain"
)

func TestCatalogueComplete(t *testing.T) {
	for key, m := range catalogue {
		if strings.TrimSpace(m.vi) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("%s: missing a language", key)
		}
		if strings.Count(m.vi, "%") != strings.Count(m.en, "%") {
			t.Errorf("%s: the two languages take different arguments", key)
		}
	}
}

// keyLiteral matches string literals shaped like catalogue keys.
var keyLiteral = regexp.MustCompile(`"((?:app|layout|footer|nav|role|home|step|dashboard|task|login|logout|session|users?|account|password|audit|form|field|error|import|unit|units|person|people|date|kind|category|gender|reorg|registry|campaign|campaigns|phase|award|criteria|method|band|review|score|attachment|public|pager|assessment|registration|evidence)\.[a-z0-9_.]*[a-z0-9_])"`)

// TestEveryUsedKeyExists reads the Go and templ sources and checks that each
// key-shaped literal is in the catalogue, so no page shows a raw key.
func TestEveryUsedKeyExists(t *testing.T) {
	root := filepath.Join("..", "..")
	seen := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".data" || d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_templ.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) ||
			strings.HasSuffix(path, "catalogue.go") || strings.HasSuffix(path, "_test.go") ||
			strings.HasSuffix(path, filepath.Join("domain", "audit.go")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(string(src), -1) {
			seen++
			if !Has(m[1]) {
				t.Errorf("%s: key %q is not in the catalogue", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 50 {
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

func TestTranslate(t *testing.T) {
	ctx := WithLocale(context.Background(), English)
	if got := T(ctx, "users.count", 3); got != "3 accounts" {
		t.Errorf("English: %q", got)
	}
	if got := T(context.Background(), "users.count", 3); got != "3 tài khoản" {
		t.Errorf("default Vietnamese: %q", got)
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
