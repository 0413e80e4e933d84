package i18n

// message is one text in every supported language.
type message struct{ vi, en string }

// englishOne holds the English singular of messages whose first argument is
// a count: Vietnamese has no grammatical number, English does, and Translate
// uses this form when the count is 1.
var englishOne = map[string]string{
	"work.regs_left":  "%d registration not sent",
	"work.units_left": "%d unit has not submitted",
	"work.when.left":  "%d day left",
	"work.when.late":  "%d day late",
	"reminder.item":   "%d day before (%s)",
	"form.has_errors": "The form has %d problem to fix. What you typed has been kept.",
	"import.notices":  "%d note (corrected on the way)",
	"import.running":  "%d row read…",
	"people.count":    "%d person",
	"units.count":     "%d unit",
	"units.results":   "%d unit matches “%s”",
	"users.count":     "%d account",

	"inbox.link.unread": "Notifications: %d unread",
}

// parts lists the catalogue's files, one per feature. A new feature adds its
// own file and its map here.
var parts = []map[string]message{
	portalMessages,
	authMessages,
	auditMessages,
	registryMessages,
	campaignMessages,
	assessmentMessages,
	evidenceMessages,
	workflowMessages,
	appraisalMessages,
	measureMessages,
	rankingMessages,
	replyMessages,
	commonMessages,
	membersMessages,
	resultsMessages,
	nominationMessages,
	shortlistMessages,
	historyMessages,
	noticeMessages,
	councilMessages,
	decisionMessages,
	notifyMessages,
	notifyEventMessages,
	mailMessages,
	reminderMessages,
	importJobMessages,
}

// catalogue holds every user-facing text, gathered from parts. Tests check
// that each entry is complete, that no key is defined twice, and that every
// key the code and templates use is here.
var catalogue, duplicateKeys = merge(parts)

// merge gathers the parts into one map and lists keys defined more than once.
func merge(parts []map[string]message) (map[string]message, []string) {
	all := make(map[string]message, 1024)
	var dups []string
	for _, p := range parts {
		for k, m := range p {
			if _, ok := all[k]; ok {
				dups = append(dups, k)
			}
			all[k] = m
		}
	}
	return all, dups
}
