package web

import (
	"bytes"
	"context"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"thidua/internal/i18n"
)

func renderDoc(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(i18n.WithLocale(context.Background(), i18n.Vietnamese), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// A field with a hint and a problem names both to a screen reader, in
// that order, and marks itself invalid; without a problem it is not.
func TestInputFieldDescribesHintAndProblem(t *testing.T) {
	doc := renderDoc(t, InputField(Input{Name: "from", ID: "change_from", Type: "date", Label: "Từ ngày", Hint: "Ngày có hiệu lực",
		Value: "2025-13-01", Problem: "Ngày không hợp lệ.", Required: true}))
	in := doc.Find("input#change_from[name=from][type=date][required]")
	if in.Length() != 1 || in.AttrOr("value", "") != "2025-13-01" {
		t.Fatalf("control: %d, value %q", in.Length(), in.AttrOr("value", ""))
	}
	if got := in.AttrOr("aria-describedby", ""); got != "change_from-hint change_from-error" {
		t.Errorf("aria-describedby %q", got)
	}
	if in.AttrOr("aria-invalid", "") != "true" {
		t.Error("no aria-invalid")
	}
	if doc.Find("label[for=change_from]").Text() != "Từ ngày" || doc.Find("#change_from-error.field-error").Text() != "Ngày không hợp lệ." {
		t.Error("label or problem missing")
	}

	doc = renderDoc(t, SelectField(Input{Name: "kind", Label: "Loại", Empty: "— không —", Options: []Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B", Selected: true}}}))
	sel := doc.Find("select#kind")
	if _, invalid := sel.Attr("aria-invalid"); invalid || sel.AttrOr("aria-describedby", "") != "" || doc.Find(".field-error").Length() != 0 {
		t.Error("a field without a problem is marked")
	}
	if sel.Find("option").Length() != 3 || sel.Find("option[selected]").AttrOr("value", "") != "b" {
		t.Error("options or choice lost")
	}
}

// The summary counts every problem, links each field's to its control in
// form order, and lists the form's after; with none it is not drawn.
func TestErrorSummary(t *testing.T) {
	var p Problems
	p.Form("Đã có người sửa trước.")
	p.Field("name", "Trường này là bắt buộc.")
	p.Field("code", "Mã không hợp lệ.")
	p.Order("code", "name")
	doc := renderDoc(t, ErrorSummary(p))
	box := doc.Find(`.error-summary[role=alert]`)
	if box.Length() != 1 {
		t.Fatal("no summary")
	}
	var links []string
	box.Find("li a").Each(func(_ int, s *goquery.Selection) { links = append(links, s.AttrOr("href", "")) })
	if len(links) != 2 || links[0] != "#code" || links[1] != "#name" {
		t.Errorf("links %v", links)
	}
	if first := box.Find("p").First().Text(); first != i18n.Translate(i18n.Vietnamese, "form.has_errors", 3) {
		t.Errorf("heading %q", first)
	}
	if last := box.Find("p").Last().Text(); last != "Đã có người sửa trước." {
		t.Errorf("form message %q", last)
	}
	if renderDoc(t, ErrorSummary(Problems{})).Find(".error-summary").Length() != 0 {
		t.Error("a summary without problems")
	}
	// Only a message of the form: no count, just the message.
	if got := renderDoc(t, ErrorSummary(FormProblems("Sai mật khẩu."))).Find(".error-summary").Text(); got != "Sai mật khẩu." {
		t.Errorf("single message %q", got)
	}
}
