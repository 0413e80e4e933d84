package server

import (
	"testing"

	"thidua/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
