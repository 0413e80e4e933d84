package server

import (
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
)

func statusKey(s domain.CampaignStatus) string { return "campaign.status." + string(s) }

func kindKey(k domain.UnitKind) string { return "unit.kind." + string(k) }

func categoryKey(c domain.Category) string { return "category." + string(c) }

func genderKey(g string) string {
	if g == "" {
		return "gender.unknown"
	}
	return "gender." + g
}

func regStatusKey(st domain.RegistrationStatus) string {
	if st == "" {
		return "registration.status.none"
	}
	return "registration.status." + string(st)
}

func period(from, to time.Time) string { return i18n.Day(from) + " – " + i18n.Day(to) }

func isoDay(d time.Time) string { return d.Format(time.DateOnly) }

func dayOrEmpty(t *time.Time) string {
	if t == nil {
		return ""
	}
	return isoDay(*t)
}
