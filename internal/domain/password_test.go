package domain

import "testing"

// TestPasswordTrivialAndPersonal: passwords built from the owner's own
// details, or trivially repetitive or sequential, are refused; a memorable
// sentence that merely mentions a name is not.
func TestPasswordTrivialAndPersonal(t *testing.T) {
	own := []string{"daumoi.tuphap@thidua.local", "Trần Văn Bình", "Sở Tư pháp"}
	for _, tc := range []struct{ pw, want string }{
		// Repetitive.
		{"aaaaaaaa", "password.trivial"},
		{"        ", "password.trivial"},
		{"AAAAaaaa", "password.trivial"},
		{"ĐĐĐĐĐĐĐĐĐĐ", "password.trivial"},
		{"abababab", "password.trivial"},
		{"abcabcabcabc", "password.trivial"},
		{"!!!!!!!!!!", "password.trivial"},
		{"aaaabbbb", "password.trivial"},
		{"a a a a a ", "password.trivial"},
		{"19901990", "password.trivial"},
		// Sequential, either way, letters, digits or keyboard rows.
		{"abcdefgh", "password.trivial"},
		{"ABCDEFGHIJ", "password.trivial"},
		{"hgfedcba", "password.trivial"},
		{"98765432", "password.trivial"},
		{"23456789", "password.trivial"},
		{"qwertyui", "password.trivial"},
		{"sdfghjkl;", "password.trivial"},
		{"zxcvbnm,./", "password.trivial"},
		{"poiuytrewq", "password.trivial"},
		{"!@#$%^&*", "password.trivial"},
		{"abcd efgh", "password.trivial"},
		// The common list is still checked first.
		{"12345678", "password.common"},
		{"qwertyuiop", "password.common"},
		// Built from the user's own details, accents and case aside.
		{"daumoi.tuphap", "password.personal"},
		{"daumoi.tuphap@thidua.local", "password.personal"},
		{"DauMoi2026!", "password.personal"},
		{"tuphap@2025", "password.personal"},
		{"Trần Văn Bình", "password.personal"},
		{"tranvanbinh", "password.personal"},
		{"TRAN VAN BINH 1990", "password.personal"},
		{"binh19901990", "password.personal"},
		{"Bình12345678", "password.personal"},
		{"Sở Tư pháp 2026", "password.personal"},
		{"sotuphap!!", "password.personal"},
		{"thidua2026", "password.personal"}, // the portal's own name
		// Accepted: a sentence, a random string, a sentence with a name in it.
		{"Tôi là Bình, thích đọc sách 1990", ""},
		{"Một câu dễ nhớ", ""},
		{"k7Qm2xVp9LwR", ""},
		{"binh83920174wq", ""},
		{"tám ký tự", ""},
		{"Hà Nội mùa thu lá vàng", ""},
	} {
		if got := ValidatePassword(NormalizePassword(tc.pw), own...); got != tc.want {
			t.Errorf("ValidatePassword(%q) = %q, want %q", tc.pw, got, tc.want)
		}
	}
	// Without details only the general rules apply.
	if got := ValidatePassword("tranvanbinh"); got != "" {
		t.Errorf("no details: %q", got)
	}
}
