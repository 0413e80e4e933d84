// Package web holds the templ views of Thi Đua and its static files. Views
// take small view-model structs, never database rows, and read every text
// from the message catalogue.
package web

import "embed"

// Static holds the stylesheet and images, served under /static/.
//
//go:embed static
var Static embed.FS
