package server

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"

	"thidua/internal/i18n"
)

// publicPages keeps a campaign's public page as rendered for visitors who
// are not signed in: on the deadline day and on the day results come out it
// is the page the public reloads, and it is the same page for all of them.
//
// A kept page is served only while it is current: the campaign's public
// revision (read with the campaign on every request, migration 000028)
// moves with every change to a row the page is drawn from, and the page
// also changes with the day (phases open and close) and the language.
// Nothing is invalidated by hand, so a change made on another instance or
// in psql is on the next request here.
type publicPages struct {
	mu      sync.Mutex
	entries map[publicPageKey]*publicPage
	bytes   int // the size of the pages kept
}

type publicPageKey struct {
	campaignID int64
	locale     string
}

type publicPage struct {
	revision int64
	day      time.Time
	body     []byte
}

// maxPublicPages and maxPublicBytes bound the pages kept (one a campaign
// and language, some 20-200 KB each): beyond either, any one is dropped.
const (
	maxPublicPages = 512
	maxPublicBytes = 32 << 20
)

// cacheable reports whether r may be answered with a kept page: a request
// of a visitor who is not signed in and has no one-time notice waiting
// (the page would show it), for the page's URL without a query string
// (which would make every URL a page to keep).
func (s *Server) cacheable(r *http.Request) bool {
	return userFrom(r.Context()) == nil && r.URL.RawQuery == "" && !s.hasFlash(r)
}

// serve writes the kept page for the key if it is current and reports
// whether it did.
func (p *publicPages) serve(w http.ResponseWriter, key publicPageKey, revision int64, day time.Time) bool {
	p.mu.Lock()
	e := p.entries[key]
	p.mu.Unlock()
	if e == nil || e.revision != revision || !e.day.Equal(day) {
		return false
	}
	writeHTML(w, http.StatusOK, e.body)
	return true
}

func (p *publicPages) keep(key publicPageKey, e *publicPage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.entries == nil {
		p.entries = map[publicPageKey]*publicPage{}
	}
	if old, ok := p.entries[key]; ok {
		p.bytes -= len(old.body)
		delete(p.entries, key)
	}
	for k, old := range p.entries {
		if len(p.entries) < maxPublicPages && p.bytes+len(e.body) <= maxPublicBytes {
			break
		}
		p.bytes -= len(old.body)
		delete(p.entries, k)
	}
	p.entries[key] = e
	p.bytes += len(e.body)
}

// renderPublic answers a public page of a campaign: the kept copy when it
// is current, else the page built by view, rendered, kept and sent.
func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, campaignID, revision int64, view func() (templ.Component, error)) error {
	key := publicPageKey{campaignID, i18n.Locale(r.Context())}
	day := s.today()
	ok := s.cacheable(r)
	if ok && s.publicPages.serve(w, key, revision, day) {
		return nil
	}
	c, err := view()
	if err != nil {
		return err
	}
	if !ok {
		s.render(w, r, http.StatusOK, c)
		return nil
	}
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	s.publicPages.keep(key, &publicPage{revision: revision, day: day, body: buf.Bytes()})
	writeHTML(w, http.StatusOK, buf.Bytes())
	return nil
}

// writeHTML sends a rendered page.
func writeHTML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
