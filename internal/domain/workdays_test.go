package domain

import (
	"testing"
	"time"
)

// officialOff is a part of the days off decreed for 2025 and 2026 (Tết
// Nguyên đán, Giỗ Tổ, 30/4–1/5, Quốc khánh), as the holidays table holds them.
var officialOff = NewHolidays(
	Day(2025, 1, 1),
	Day(2025, 1, 27), Day(2025, 1, 28), Day(2025, 1, 29), Day(2025, 1, 30), Day(2025, 1, 31),
	Day(2025, 4, 7), Day(2025, 4, 30), Day(2025, 5, 1), Day(2025, 9, 1), Day(2025, 9, 2),
	Day(2026, 1, 1),
	Day(2026, 2, 16), Day(2026, 2, 17), Day(2026, 2, 18), Day(2026, 2, 19), Day(2026, 2, 20),
	Day(2026, 4, 27), Day(2026, 4, 30), Day(2026, 5, 1), Day(2026, 9, 1), Day(2026, 9, 2),
)

func TestAddWorkingDays(t *testing.T) {
	for _, c := range []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"an ordinary week", Day(2025, 3, 3), 5, Day(2025, 3, 10)},
		{"a Friday skips the weekend", Day(2025, 3, 7), 1, Day(2025, 3, 10)},
		{"from a Saturday", Day(2025, 3, 8), 1, Day(2025, 3, 10)},
		{"from a Sunday", Day(2025, 3, 9), 5, Day(2025, 3, 14)},
		{"zero days is the day itself", Day(2025, 3, 8), 0, Day(2025, 3, 8)},
		{"across New Year's Day", Day(2024, 12, 31), 1, Day(2025, 1, 2)},
		{"before Tết 2025: the whole week off", Day(2025, 1, 24), 1, Day(2025, 2, 3)},
		{"before Tết 2025, five days", Day(2025, 1, 22), 5, Day(2025, 2, 5)},
		{"completed during Tết 2025", Day(2025, 1, 29), 1, Day(2025, 2, 3)},
		{"before Tết 2026", Day(2026, 2, 13), 3, Day(2026, 2, 25)},
		{"across Giỗ Tổ 2025", Day(2025, 4, 4), 1, Day(2025, 4, 8)},
		{"across 30/4 and 1/5 2025", Day(2025, 4, 29), 1, Day(2025, 5, 2)},
		{"across Giỗ Tổ (nghỉ bù) and 30/4–1/5 2026", Day(2026, 4, 24), 5, Day(2026, 5, 6)},
		{"across Quốc khánh 2025", Day(2025, 8, 29), 1, Day(2025, 9, 3)},
		{"across Quốc khánh 2026", Day(2026, 8, 31), 2, Day(2026, 9, 4)},
		{"a long window over a year end", Day(2025, 12, 29), 10, Day(2026, 1, 13)},
	} {
		if got := AddWorkingDays(c.from, c.n, officialOff); !got.Equal(c.want) {
			t.Errorf("%s: AddWorkingDays(%s, %d) = %s (%s), want %s", c.name, c.from.Format("02/01/2006"), c.n,
				got.Format("02/01/2006"), got.Weekday(), c.want.Format("02/01/2006"))
		}
	}
}

func TestAddWorkingDaysWithoutHolidays(t *testing.T) {
	if got := AddWorkingDays(Day(2025, 4, 29), 1, nil); !got.Equal(Day(2025, 4, 30)) {
		t.Errorf("no holidays configured: got %s, want 30/04/2025", got.Format("02/01/2006"))
	}
}

func TestIsWorkingDay(t *testing.T) {
	for d, want := range map[time.Time]bool{
		Day(2025, 4, 30): false, Day(2025, 5, 2): true, Day(2025, 5, 3): false, Day(2025, 5, 4): false,
		Day(2025, 1, 28): false, Day(2025, 2, 3): true, Day(2025, 9, 1): false,
	} {
		if got := IsWorkingDay(d, officialOff); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", d.Format("02/01/2006"), got, want)
		}
	}
}

func TestHolidayValidate(t *testing.T) {
	ok := Holiday{Day: Day(2025, 4, 30), Name: "  Ngày Chiến thắng "}
	if err := ok.Validate(); err != nil || ok.Name != "Ngày Chiến thắng" {
		t.Errorf("valid holiday: %v, name %q", err, ok.Name)
	}
	for _, h := range []Holiday{{Day: Day(2025, 4, 30)}, {Name: "Không ngày"}, {Day: Day(2025, 4, 30), Name: string(make([]rune, 201))}} {
		if err := h.Validate(); err == nil {
			t.Errorf("%+v: want a validation error", h)
		}
	}
}

func TestReplyUntil(t *testing.T) {
	// Completed on the evening of Friday 29/08/2025 in Hà Nội (still the
	// 29th there, already UTC the 29th too), 5 working days skipping 1–2/9.
	at := time.Date(2025, 8, 29, 22, 30, 0, 0, Zone)
	if got := ReplyUntil(at, 5, officialOff); !got.Equal(Day(2025, 9, 9)) {
		t.Errorf("ReplyUntil = %s, want 09/09/2025", got.Format("02/01/2006"))
	}
	// 23:30 UTC on Sunday is Monday morning in Vietnam: the count starts Monday.
	at = time.Date(2025, 3, 9, 23, 30, 0, 0, time.UTC)
	if got := ReplyUntil(at, 1, nil); !got.Equal(Day(2025, 3, 11)) {
		t.Errorf("ReplyUntil from Monday in Vietnam = %s, want 11/03/2025", got.Format("02/01/2006"))
	}
}
