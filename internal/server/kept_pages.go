package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"

	"thidua/internal/i18n"
)

// keptPages keeps pages, or the part of a page below the layout, as
// rendered, for pages that are the same for everyone who opens them and
// opened far more often than they change:
//   - a campaign's public page for visitors who are not signed in (on the
//     deadline day and on the day results come out it is the page the
//     public reloads), keyed by campaign and language;
//   - the staff list of campaigns, below the layout (the signed-in user's
//     name and menu are rendered on every request), keyed by language.
//
// A kept page is served only while it is current. What it is drawn from
// has a revision read on every request: a campaign's public revision
// (migration 000028: triggers move it, at the commit, with every change to
// a row the page is drawn from, however the change is made), or for the
// list the revisions of all campaigns (postgres.DB.CampaignsRevision). The
// page also changes with the day (phases open and close), so it is kept
// for the day it was rendered on. Nothing is invalidated by hand, so a
// change made on another instance or in psql is on the next request here.
//
// The revision is read before the page's rows: a change committed between
// the two reads is in the page and moves the revision, so the page is
// rendered again on the next request, never kept under a revision older
// than its rows.
type keptPages[K comparable] struct {
	mu      sync.Mutex
	entries map[K]*keptPage
	bytes   int // the size of the pages kept
}

type keptPage struct {
	revision string
	day      time.Time
	body     []byte
}

// maxKeptPages and maxKeptBytes bound the pages kept of one kind (some
// 20-200 KB each): beyond either, any one is dropped.
const (
	maxKeptPages = 512
	maxKeptBytes = 32 << 20
)

type publicPageKey struct {
	campaignID int64
	locale     string
}

// cacheable reports whether r may be answered with a kept public page: a
// request of a visitor who is not signed in and has no one-time notice
// waiting (the page would show it), for the page's URL without a query
// string (which would make every URL a page to keep).
func (s *Server) cacheable(r *http.Request) bool {
	return userFrom(r.Context()) == nil && r.URL.RawQuery == "" && !s.hasFlash(r)
}

// get returns the kept page for key if it is current.
func (p *keptPages[K]) get(key K, revision string, day time.Time) ([]byte, bool) {
	p.mu.Lock()
	e := p.entries[key]
	p.mu.Unlock()
	if e == nil || e.revision != revision || !e.day.Equal(day) {
		return nil, false
	}
	return e.body, true
}

func (p *keptPages[K]) keep(key K, e *keptPage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.entries == nil {
		p.entries = map[K]*keptPage{}
	}
	if old, ok := p.entries[key]; ok {
		p.bytes -= len(old.body)
		delete(p.entries, key)
	}
	for k, old := range p.entries {
		if len(p.entries) < maxKeptPages && p.bytes+len(e.body) <= maxKeptBytes {
			break
		}
		p.bytes -= len(old.body)
		delete(p.entries, k)
	}
	p.entries[key] = e
	p.bytes += len(e.body)
}

// fetch returns the page kept under key while it is current, else the one
// view builds, rendered and kept. The caller reads revision before anything
// view reads.
func (p *keptPages[K]) fetch(ctx context.Context, key K, revision string, day time.Time, view func() (templ.Component, error)) ([]byte, error) {
	if body, ok := p.get(key, revision, day); ok {
		return body, nil
	}
	c, err := view()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		return nil, err
	}
	p.keep(key, &keptPage{revision: revision, day: day, body: buf.Bytes()})
	return buf.Bytes(), nil
}

// part is fetch for the part of a page below the layout, as a component.
func (p *keptPages[K]) part(ctx context.Context, key K, revision string, day time.Time, view func() (templ.Component, error)) (templ.Component, error) {
	body, err := p.fetch(ctx, key, revision, day, view)
	if err != nil {
		return nil, err
	}
	return renderedPart(body), nil
}

// renderPublic answers a public page of a campaign: for a request that may
// have it (cacheable), the kept copy when it is current, else the page
// built by view, rendered, kept and sent; for any other, the page built.
func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, campaignID, revision int64, view func() (templ.Component, error)) error {
	if !s.cacheable(r) {
		c, err := view()
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, c)
		return nil
	}
	key := publicPageKey{campaignID, i18n.Locale(r.Context())}
	body, err := s.publicPages.fetch(r.Context(), key, strconv.FormatInt(revision, 10), s.today(), view)
	if err != nil {
		return err
	}
	writeHTML(w, http.StatusOK, body)
	return nil
}

// renderedPart is HTML rendered earlier, written as it is.
func renderedPart(body []byte) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := w.Write(body)
		return err
	})
}

// writeHTML sends a rendered page.
func writeHTML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
