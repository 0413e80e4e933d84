package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/web"
)

// holidaysPage lists the days off of a year (?year=, this year by default)
// with the form that adds one.
func (s *Server) holidaysPage(w http.ResponseWriter, r *http.Request) error {
	year := domain.DateOf(s.db.Now()).Year()
	if raw := strings.TrimSpace(r.URL.Query().Get("year")); raw != "" {
		y, err := strconv.Atoi(raw)
		if err != nil || y < 1945 || y > 2100 {
			return domain.Errorf(domain.EINVALID, "holiday.bad_year")
		}
		year = y
	}
	return s.renderHolidays(w, r, http.StatusOK, year, web.HolidayForm{})
}

func (s *Server) renderHolidays(w http.ResponseWriter, r *http.Request, status, year int, f web.HolidayForm) error {
	ctx := r.Context()
	days, err := s.db.HolidaysOfYear(ctx, year)
	if err != nil {
		return err
	}
	years, err := s.db.HolidayYears(ctx)
	if err != nil {
		return err
	}
	this := domain.DateOf(s.db.Now()).Year()
	for _, y := range []int{this, this + 1, year} {
		if !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	v := web.HolidaysView{Year: year, Years: years, Form: f}
	for _, h := range days {
		v.Rows = append(v.Rows, web.HolidayRow{Day: i18n.Day(h.Day), ISO: isoDay(h.Day), Weekday: i18n.T(ctx, "weekday."+strconv.Itoa(int(h.Day.Weekday()))), Name: h.Name})
	}
	s.render(w, r, status, web.Holidays(s.chrome(r, i18n.T(ctx, "holiday.title")), v))
	return nil
}

// holidayFields are the controls of the holiday form, top to bottom.
var holidayFields = []string{"day", "name"}

// addHoliday records a day off.
func (s *Server) addHoliday(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := web.HolidayForm{Day: r.PostFormValue("day"), Name: r.PostFormValue("name")}
	day, ok := domain.ParseDate(f.Day)
	year := domain.DateOf(s.db.Now()).Year()
	if ok {
		year = day.Year()
	}
	h := domain.Holiday{Day: day, Name: f.Name}
	err := h.Validate()
	if err == nil {
		err = s.db.AddHoliday(ctx, h)
	}
	if err != nil {
		return refuse(ctx, err, holidayFields, func(status int, p web.Problems) error {
			f.Problems = p
			return s.renderHolidays(w, r, status, year, f)
		})
	}
	s.flash(ctx, "holiday.flash.added")
	http.Redirect(w, r, "/holidays?year="+strconv.Itoa(year), http.StatusSeeOther)
	return nil
}

// removeHoliday removes a day entered by mistake (recorded in the audit
// log). A day already removed answers 404.
func (s *Server) removeHoliday(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	day, err := time.Parse(time.DateOnly, r.PostFormValue("day"))
	if err != nil || !domain.ValidDate(day) {
		return domain.Errorf(domain.EINVALID, "holiday.bad_day")
	}
	if err := s.db.RemoveHoliday(ctx, day); err != nil {
		return err
	}
	s.flash(ctx, "holiday.flash.removed")
	http.Redirect(w, r, "/holidays?year="+strconv.Itoa(day.Year()), http.StatusSeeOther)
	return nil
}
