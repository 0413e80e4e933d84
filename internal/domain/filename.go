package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxFileName is the longest file name kept, in characters, extension
// included.
const MaxFileName = 200

// fileExtensions maps a content type, as decided from a file's bytes, to the
// extensions a file of that type may carry, the usual one first.
var fileExtensions = map[string][]string{
	"application/pdf":           {".pdf"},
	"image/jpeg":                {".jpg", ".jpeg"},
	"image/png":                 {".png"},
	"application/msword":        {".doc"},
	"application/vnd.ms-excel":  {".xls"},
	"application/x-ole-storage": {".doc", ".xls"}, // older Office files detected generically
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       {".xlsx"},
	"application/vnd.oasis.opendocument.text":                                 {".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":                          {".ods"},
}

// EvidenceFileName is the name an uploaded file is kept and downloaded
// under, made from the name the user's computer sent and the type its
// content was found to be:
//
//   - only the base name is kept (no folders, / or \);
//   - control characters and invisible formatting characters are dropped,
//     the bidirectional overrides and isolates among them, which could make
//     "bao-cao<RLO>fdp.exe" look like "bao-caoexe.pdf"; runs of white space
//     become one space; characters Windows refuses in names become "_";
//   - the extension is the content type's, whatever was typed: a PDF sent
//     as x.html is x.pdf (a typed extension the type allows, such as .jpeg,
//     is kept, in lower case);
//   - a name longer than MaxFileName characters is shortened before its
//     extension, so the extension survives;
//   - a name with nothing left is "tài liệu".
//
// Applied to its own result it changes nothing, so a name kept earlier can
// be cleaned again when served.
func EvidenceFileName(typed, contentType string) string {
	if i := strings.LastIndexAny(typed, `/\`); i >= 0 {
		typed = typed[i+1:]
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(typed, "") {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			// Control, zero-width and bidirectional formatting characters.
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name := strings.Join(strings.Fields(norm.NFC.String(b.String())), " ")
	stem, typedExt := splitExtension(name)
	ext := ".bin"
	if exts := fileExtensions[contentType]; len(exts) > 0 {
		ext = exts[0]
		for _, e := range exts {
			if strings.EqualFold(typedExt, e) {
				ext = e
			}
		}
	}
	stem = strings.Trim(stem, " .")
	if r := []rune(stem); len(r) > MaxFileName-len(ext) {
		stem = strings.TrimRight(string(r[:MaxFileName-len(ext)]), " .")
	}
	if stem == "" {
		stem = "tài liệu"
	}
	return stem + ext
}

// splitExtension splits a name before its extension: a last dot followed
// by one to ten ASCII letters and digits, at least one a letter ("12.2025"
// has none).
func splitExtension(name string) (stem, ext string) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || len(name)-i-1 < 1 || len(name)-i-1 > 10 {
		return name, ""
	}
	letter := false
	for _, c := range []byte(name[i+1:]) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9':
		default:
			return name, ""
		}
	}
	if !letter {
		return name, ""
	}
	return name[:i], name[i:]
}
