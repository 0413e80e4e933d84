package password

import "testing"

func TestHashVerify(t *testing.T) {
	h, err := Hash("Mật khẩu đúng 2026", Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"Mật khẩu đúng 2026", true},
		{"Mật khẩu sai 2026", false},
		{"", false},
	} {
		got, err := Verify(tc.pw, h)
		if err != nil || got != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	h2, _ := Hash("Mật khẩu đúng 2026", Default)
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x$a$b"} {
		if _, err := Verify("x", bad); err == nil {
			t.Errorf("Verify(_, %q): no error", bad)
		}
	}
}

func TestGenerate(t *testing.T) {
	a, b := Generate(16), Generate(16)
	if len(a) != 16 || a == b {
		t.Errorf("Generate: %q, %q", a, b)
	}
}
