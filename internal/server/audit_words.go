package server

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The audit log in words: each entry becomes a Vietnamese sentence saying
// who did what to which record (linked to its page where one exists), and
// the rest of its details become "label: value" lines. Raw JSON is never
// shown; a key nobody described yet still reads as a label and a value.

// auditDetails reads an entry's details; numbers stay exact. Anything but a
// JSON object reads as no details.
func auditDetails(raw string) map[string]any {
	d := map[string]any{}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		return map[string]any{}
	}
	return d
}

// idOf reads a record ID from a detail or an object ID.
func idOf(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// idsOf reads a detail that is one ID or a list of them.
func idsOf(v any) []int64 {
	if list, ok := v.([]any); ok {
		var out []int64
		for _, e := range list {
			if id, ok := idOf(e); ok {
				out = append(out, id)
			}
		}
		return out
	}
	if id, ok := idOf(v); ok {
		return []int64{id}
	}
	return nil
}

// unitKeys are the details that hold unit IDs.
var unitKeys = []string{"unit_id", "parent_id", "unit_from", "unit_to", "parent_from", "parent_to"}

// auditIDs gathers every record a page of entries refers to.
func auditIDs(recs []postgres.AuditRecord, details []map[string]any) postgres.AuditIDs {
	var ids postgres.AuditIDs
	for i, a := range recs {
		d := details[i]
		if id, ok := idOf(a.ObjectID); ok {
			switch a.ObjectType {
			case "user":
				ids.Users = append(ids.Users, id)
			case "unit":
				ids.Units = append(ids.Units, id)
			case "person":
				ids.People = append(ids.People, id)
			case "campaign":
				ids.Campaigns = append(ids.Campaigns, id)
			case "registration":
				ids.Registrations = append(ids.Registrations, id)
			case "assessment":
				ids.Assessments = append(ids.Assessments, id)
			case "criteria_set":
				ids.CriteriaSets = append(ids.CriteriaSets, id)
			}
		}
		for _, k := range unitKeys {
			ids.Units = append(ids.Units, idsOf(d[k])...)
		}
		if a.ObjectType == "unit_event" {
			ids.Units = append(ids.Units, idsOf(d["from"])...)
			ids.Units = append(ids.Units, idsOf(d["to"])...)
		}
		ids.Campaigns = append(ids.Campaigns, idsOf(d["campaign_id"])...)
		ids.Phases = append(ids.Phases, idsOf(d["phase_id"])...)
		ids.AwardForms = append(ids.AwardForms, idsOf(d["award_form_id"])...)
		ids.Criteria = append(ids.Criteria, idsOf(d["criterion_id"])...)
		ids.Evidence = append(ids.Evidence, idsOf(d["evidence_id"])...)
		ids.Registrations = append(ids.Registrations, idsOf(d["registrations"])...)
	}
	return ids
}

// auditWords turns one entry into a sentence and detail lines.
type auditWords struct {
	ctx   context.Context
	names *postgres.AuditNames
	rec   postgres.AuditRecord
	d     map[string]any
	used  map[string]bool // details the sentence already says
}

func (w *auditWords) t(key string, args ...any) string { return i18n.T(w.ctx, key, args...) }

// says fills the sentence key's %s with parts, in order.
func (w *auditWords) says(key string, parts ...[]web.AuditPart) []web.AuditPart {
	pieces := strings.Split(w.t(key), "%s")
	var out []web.AuditPart
	for i, p := range pieces {
		if p != "" {
			out = append(out, web.AuditPart{Text: p})
		}
		if i < len(parts) && i < len(pieces)-1 {
			out = append(out, parts[i]...)
		}
	}
	return out
}

func part(text, href string) []web.AuditPart { return []web.AuditPart{{Text: text, Href: href}} }

// missing names a record that no longer exists.
func (w *auditWords) missing(id int64) string { return w.t("audit.record.missing", id) }

func (w *auditWords) actor() []web.AuditPart {
	if w.rec.ActorName == "" {
		return part(w.t("audit.system"), "")
	}
	href := ""
	if w.rec.ActorID != nil {
		href = paths.User(*w.rec.ActorID)
	}
	return part(w.rec.ActorName, href)
}

// campaign names a campaign and links the page of it that page gives.
func (w *auditWords) campaign(id int64, page func(campaignID int64) string) []web.AuditPart {
	title, ok := w.names.Campaigns[id]
	if !ok {
		return part(w.missing(id), "")
	}
	return part("«"+title+"»", page(id))
}

func (w *auditWords) unit(id int64) []web.AuditPart {
	name, ok := w.names.Units[id]
	if !ok {
		return part(w.missing(id), "")
	}
	return part(name, paths.Unit(id))
}

func (w *auditWords) units(ids []int64) []web.AuditPart {
	var out []web.AuditPart
	for i, id := range ids {
		if i > 0 {
			out = append(out, web.AuditPart{Text: ", "})
		}
		out = append(out, w.unit(id)...)
	}
	return out
}

// object names the entry's record and links its page.
func (w *auditWords) object() []web.AuditPart {
	id, ok := idOf(w.rec.ObjectID)
	if !ok {
		return part(w.rec.ObjectID, "")
	}
	switch w.rec.ObjectType {
	case "user":
		if name, ok := w.names.Users[id]; ok {
			return part(name, paths.User(id))
		}
	case "unit":
		return w.unit(id)
	case "person":
		if name, ok := w.names.People[id]; ok {
			return part(name, paths.Person(id))
		}
	case "campaign":
		return w.campaign(id, paths.Campaign)
	case "registration":
		if r, ok := w.names.Registrations[id]; ok {
			return part(r.Name, paths.Registrations(r.CampaignID))
		}
	case "assessment":
		if a, ok := w.names.Assessments[id]; ok {
			return part(a.Name+" ("+a.Detail+")", paths.Assessment(a.CampaignID, id))
		}
	case "criteria_set":
		if c, ok := w.names.CriteriaSets[id]; ok {
			return part("«"+c.Name+"»", paths.Criteria(c.CampaignID))
		}
	case "decision":
		return part(w.t("audit.object.decision", id), paths.Decision(id))
	case "issuer":
		return part(w.t("audit.object.issuer", id), paths.DecisionIssuers()+paths.Fragment(fmt.Sprintf("issuer-%d", id)))
	default:
		return part(w.rec.ObjectID, "")
	}
	return part(w.missing(id), "")
}

func (w *auditWords) str(key string) string {
	s, _ := w.d[key].(string)
	return s
}

// sentence says who did what to which record.
func (w *auditWords) sentence() []web.AuditPart {
	a := w.rec.Action
	key := "audit.says." + a
	use := func(keys ...string) {
		for _, k := range keys {
			w.used[k] = true
		}
	}
	switch a {
	case domain.AuditLogin, domain.AuditLogout, domain.AuditUnitImport, domain.AuditPersonImport:
		return w.says(key, w.actor())
	case domain.AuditMeasureImport:
		return w.says(key, w.actor())
	case domain.AuditLoginFailure, domain.AuditLoginThrottled:
		return w.says(key, w.object())
	case domain.AuditUnitMerge, domain.AuditUnitSplit:
		if w.rec.ObjectType == "unit_event" {
			use("from", "to")
			return w.says(key, w.actor(), w.units(idsOf(w.d["from"])), w.units(idsOf(w.d["to"])))
		}
	case domain.AuditUnitRename:
		use("name_to")
		return w.says(key, w.actor(), w.object(), part(w.str("name_to"), ""))
	case domain.AuditPersonMove:
		use("unit_id")
		id, _ := idOf(w.d["unit_id"])
		return w.says(key, w.actor(), w.object(), w.unit(id))
	case domain.AuditCampaignCreate:
		use("title")
	case domain.AuditAssessmentStart:
		use("unit_id", "phase_id") // said by the form's name
	case domain.AuditCampaignTransition:
		use("to")
		if to := w.str("to"); i18n.Has(key + "." + to) {
			return w.says(key+"."+to, w.actor(), w.object())
		}
		w.used["to"] = false
	case domain.AuditPhaseSave:
		use("phase_id", "name")
		id, _ := idOf(w.rec.ObjectID)
		return w.says(key, w.actor(), part(w.str("name"), ""), w.campaign(id, paths.Phases))
	case domain.AuditAwardPlanSave:
		use("award_form_id")
		id, _ := idOf(w.rec.ObjectID)
		form, _ := idOf(w.d["award_form_id"])
		name, ok := w.names.AwardForms[form]
		if !ok {
			name = w.missing(form)
		}
		return w.says(key, w.actor(), part(name, ""), w.campaign(id, paths.Awards))
	case domain.AuditRegistrationSave:
		use("status", "unit_id")
		if st := w.str("status"); i18n.Has(key + "." + st) {
			return w.says(key+"."+st, w.actor(), w.object())
		}
		w.used["status"] = false
	case domain.AuditRegistrationDecide:
		st := w.str("status")
		switch {
		case w.rec.ObjectType == "registration" && i18n.Has(key+"."+st):
			use("status")
			return w.says(key+"."+st, w.actor(), w.object())
		case w.rec.ObjectType == "campaign" && w.d["registrations"] != nil && i18n.Has(key+"."+st):
			use("status", "registrations")
			id, _ := idOf(w.rec.ObjectID)
			var who []web.AuditPart
			for i, r := range idsOf(w.d["registrations"]) {
				if i > 0 {
					who = append(who, web.AuditPart{Text: ", "})
				}
				name, ok := w.names.Registrations[r]
				if !ok {
					name.Name = w.missing(r)
				}
				who = append(who, web.AuditPart{Text: name.Name, Href: paths.Registrations(id)})
			}
			return w.says(key+"."+st, w.actor(), who, w.object())
		case w.rec.ObjectType == "campaign" && w.d["register_all"] != nil:
			return w.says(key+".all", w.actor(), w.object())
		}
		return w.says("audit.says.other", w.actor(), part(w.t("audit.action."+a), ""), w.object())
	}
	if !i18n.Has(key) {
		label := a
		if i18n.Has("audit.action." + a) {
			label = w.t("audit.action." + a)
		}
		return w.says("audit.says.other", w.actor(), part(label, ""), w.object())
	}
	return w.says(key, w.actor(), w.object())
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// value writes a detail's value for people: names instead of IDs, labels
// instead of codes, dates as dd/mm/yyyy, lists and objects as text.
func (w *auditWords) value(key string, v any) string {
	ids := func(m map[int64]string) string {
		var names []string
		for _, id := range idsOf(v) {
			name, ok := m[id]
			if !ok {
				name = w.missing(id)
			}
			names = append(names, name)
		}
		return strings.Join(names, ", ")
	}
	switch key {
	case "unit_id", "parent_id", "unit_from", "unit_to", "parent_from", "parent_to":
		return ids(w.names.Units)
	case "campaign_id":
		return ids(w.names.Campaigns)
	case "phase_id":
		return ids(w.names.Phases)
	case "award_form_id":
		return ids(w.names.AwardForms)
	case "criterion_id":
		return ids(w.names.Criteria)
	case "evidence_id":
		return ids(w.names.Evidence)
	case "registrations":
		var names []string
		for _, id := range idsOf(v) {
			names = append(names, w.names.Registrations[id].Name)
		}
		return strings.Join(names, ", ")
	case "size":
		if n, ok := idOf(v); ok {
			return w.t("audit.value.size", float64(n)/1024)
		}
	}
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return w.t("audit.value.yes")
		}
		return w.t("audit.value.no")
	case json.Number:
		return x.String()
	case string:
		return w.code(key, x)
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, w.value("", e))
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, k+": "+w.value(k, x[k]))
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}

// code translates a coded value: roles, unit kinds, statuses, bands,
// methods and the log's own reason codes; dates become dd/mm/yyyy.
func (w *auditWords) code(key, s string) string {
	if isoDate.MatchString(s) {
		if d, err := time.Parse(time.DateOnly, s); err == nil {
			return i18n.Day(d)
		}
	}
	var prefix string
	switch strings.TrimSuffix(strings.TrimSuffix(key, "_from"), "_to") {
	case "role":
		prefix = "role."
	case "kind":
		prefix = "unit.kind."
	case "min_band":
		prefix = "band."
	case "method":
		prefix = "method."
	case "status", "from", "to":
		switch {
		case strings.HasPrefix(w.rec.Action, "campaign."):
			prefix = "campaign.status."
		case strings.HasPrefix(w.rec.Action, "registration."):
			prefix = "registration.status."
		case strings.HasPrefix(w.rec.Action, "assessment."):
			prefix = "assessment.status."
		}
	case "reason", "source":
		prefix = "audit.value."
	case "flag_kind":
		prefix = "flag.kind."
	}
	if prefix != "" && i18n.Has(prefix+s) {
		return w.t(prefix + s)
	}
	return s
}

// label names a detail: from the catalogue, else the key made readable.
func (w *auditWords) label(key string) string {
	if i18n.Has("audit.key." + key) {
		return w.t("audit.key." + key)
	}
	return strings.ReplaceAll(key, "_", " ")
}

// keyOrder is the order detail lines are read in; other keys follow in
// alphabetical order.
var keyOrder = []string{"campaign_id", "phase_id", "name", "full_name", "email", "role", "unit", "unit_id", "code", "kind", "parent",
	"parent_id", "start", "end", "date", "valid_from", "until", "status", "from", "to", "reason", "decision"}

func keyRank(k string) int {
	if i := slices.Index(keyOrder, strings.TrimSuffix(k, "_from")); i >= 0 {
		return i
	}
	return len(keyOrder)
}

// lines are the details the sentence did not say, as "label: value", a
// pair X_from, X_to as one "label: old → new" line.
func (w *auditWords) lines() []string {
	var out []string
	keys := slices.Sorted(maps.Keys(w.d))
	slices.SortStableFunc(keys, func(a, b string) int { return keyRank(a) - keyRank(b) })
	for _, k := range keys {
		if w.used[k] {
			continue
		}
		if base, ok := strings.CutSuffix(k, "_from"); ok {
			if to, paired := w.d[base+"_to"]; paired {
				w.used[base+"_to"] = true
				old, nu := w.value(k, w.d[k]), w.value(base+"_to", to)
				if old != nu {
					out = append(out, w.label(base)+": "+dash(old)+" → "+dash(nu))
				}
				continue
			}
		}
		if base, ok := strings.CutSuffix(k, "_to"); ok {
			if _, paired := w.d[base+"_from"]; paired {
				continue // said with its _from
			}
		}
		if v := w.value(k, w.d[k]); v != "" {
			out = append(out, w.label(k)+": "+v)
		}
	}
	return out
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// describeAudit turns a page of entries into rows in words.
func (s *Server) describeAudit(ctx context.Context, recs []postgres.AuditRecord) ([]web.AuditRow, error) {
	details := make([]map[string]any, len(recs))
	for i, a := range recs {
		details[i] = auditDetails(a.Details)
	}
	names, err := s.db.AuditNames(ctx, auditIDs(recs, details))
	if err != nil {
		return nil, err
	}
	rows := make([]web.AuditRow, 0, len(recs))
	for i, a := range recs {
		w := &auditWords{ctx: ctx, names: names, rec: a, d: details[i], used: map[string]bool{}}
		label := a.Action
		if i18n.Has("audit.action." + a.Action) {
			label = i18n.T(ctx, "audit.action."+a.Action)
		}
		rows = append(rows, web.AuditRow{ID: a.ID, At: i18n.DateTime(a.At), What: w.sentence(), Lines: w.lines(), Action: label, Code: a.Action,
			ClientAddr: a.ClientAddr, RequestID: a.RequestID})
	}
	return rows, nil
}
