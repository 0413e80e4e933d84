package postgres_test

import (
	"thidua/internal/domain"
	"thidua/internal/postgres"
)

func postgresUpdate(u *domain.User, role domain.Role) postgres.UserUpdate {
	return postgres.UserUpdate{FullName: u.FullName, Role: role, UnitID: u.UnitID, Version: u.Version}
}
