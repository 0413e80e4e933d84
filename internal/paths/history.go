package paths

// AwardRecords is the staff page of the recorded awards (hồ sơ khen thưởng),
// where past awards are imported.
func AwardRecords() string { return "/awards" }

// UnitAchievements is a unit's achievement history: its awards and
// published results, with those of the units it came from.
func UnitAchievements(unitID int64) string { return Unit(unitID) + "/achievements" }

// PersonAchievements is a person's achievement history.
func PersonAchievements(personID int64) string { return Person(personID) + "/achievements" }

// SubjectAchievements is the achievement history of a unit or, when
// personID is not 0, of a person.
func SubjectAchievements(unitID, personID int64) string {
	if personID != 0 {
		return PersonAchievements(personID)
	}
	return UnitAchievements(unitID)
}

// SubjectFlags is where a pending flag is set on a unit or, when personID
// is not 0, on a person.
func SubjectFlags(unitID, personID int64) string {
	if personID != 0 {
		return Person(personID) + "/flags"
	}
	return Unit(unitID) + "/flags"
}

// SubjectFlagLift is where staff lift one pending flag of a unit or a
// person.
func SubjectFlagLift(unitID, personID, flagID int64) string {
	return SubjectFlags(unitID, personID) + "/" + id(flagID) + "/lift"
}
