package domain

import (
	"strings"
	"testing"
)

func TestObjectionInputValidate(t *testing.T) {
	ok := ObjectionInput{EntryID: 1, Name: " Lê Văn Dân\u200b ", Contact: "0905 123 456", Body: "Dòng 1\r\nDòng 2"}
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid objection refused: %v", err)
	}
	if ok.Name != "Lê Văn Dân" || ok.Body != "Dòng 1\nDòng 2" {
		t.Errorf("normalized to %q, %q", ok.Name, ok.Body)
	}
	for name, c := range map[string]struct {
		in    ObjectionInput
		field string
	}{
		"control":  {ObjectionInput{EntryID: 1, Name: "A", Contact: "B", Body: "chuông \a"}, "body"},
		"no entry": {ObjectionInput{Name: "A", Contact: "B", Body: "C"}, "entry"},
		"long":     {ObjectionInput{EntryID: 1, Name: "A", Contact: "B", Body: strings.Repeat("ý", ObjectionBodyMax+1)}, "body"},
		"no name":  {ObjectionInput{EntryID: 1, Name: "\u200b", Contact: "B", Body: "C"}, "name"},
	} {
		c.in.Normalize()
		err := c.in.Validate()
		ve, isVE := err.(*ValidationError)
		if !isVE || ve.Fields[c.field] == "" {
			t.Errorf("%s: %v, want a problem of %s", name, err, c.field)
		}
	}
	a := ObjectionAnswer{Outcome: "maybe", Text: ""}
	if ve, isVE := a.Validate().(*ValidationError); !isVE || ve.Fields["outcome"] == "" || ve.Fields["answer"] == "" {
		t.Errorf("bad answer accepted")
	}
}
