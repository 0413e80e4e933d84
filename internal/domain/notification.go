package domain

import "time"

// NotificationKind is what a notification is about. A user chooses per kind
// whether it also comes by e-mail; the in-app inbox always has it.
type NotificationKind string

// The kinds of notification (issue 13). Each has a label
// "notify.kind.<kind>" in the catalogue, shown on the preferences page.
const (
	NotifyCampaignAnnounced   NotificationKind = "campaign_announced"   // focal points of the units in scope
	NotifyRegistrationDecided NotificationKind = "registration_decided" // the unit's focal points
	NotifyFormReturned        NotificationKind = "form_returned"        // the unit's focal points, with the reasons
	NotifyExtensionGranted    NotificationKind = "extension_granted"    // the unit's focal points
	NotifyTotalAmended        NotificationKind = "total_amended"        // focal points of units whose submitted total changed
	NotifyAppraisalCompleted  NotificationKind = "appraisal_completed"  // the unit's focal points: the reply window is open
	NotifyResultsPublished    NotificationKind = "results_published"    // focal points of the participants
	NotifyNominationReturned  NotificationKind = "nomination_returned"  // the nominating unit's focal points
	NotifySessionOpened       NotificationKind = "session_opened"       // the session's voting members
	NotifyDecisionToSign      NotificationKind = "decision_to_sign"     // the leaders who may sign
	NotifyDecisionSigned      NotificationKind = "decision_signed"      // the drafter, and the awardees' units
	NotifyDeadlineReminder    NotificationKind = "deadline_reminder"    // focal points of units that have not submitted
)

// NotificationKinds lists every kind in the order the preferences page shows them.
var NotificationKinds = []NotificationKind{
	NotifyCampaignAnnounced, NotifyRegistrationDecided, NotifyFormReturned, NotifyExtensionGranted,
	NotifyTotalAmended, NotifyAppraisalCompleted, NotifyDeadlineReminder, NotifyResultsPublished,
	NotifyNominationReturned, NotifySessionOpened, NotifyDecisionToSign, NotifyDecisionSigned,
}

// Valid reports whether k is a known kind.
func (k NotificationKind) Valid() bool {
	for _, x := range NotificationKinds {
		if k == x {
			return true
		}
	}
	return false
}

// NewNotification is a notification to be written for some users in the transaction
// of the event it reports. Message is a catalogue key ("notify.<...>")
// formatted with Args in each reader's language; Detail is text a person
// typed (a return's reasons), shown as it is; Link is the portal path where
// the reader acts.
type NewNotification struct {
	Kind    NotificationKind
	Message string
	Args    []string
	Detail  string
	Link    string
}

// Notification is a notice as its reader's inbox holds it.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      NotificationKind
	Message   string
	Args      []string
	Detail    string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// MailState is where a notification's e-mail stands.
type MailState string

// The states of a mail: waiting (or retrying) to be sent, sent to the SMTP
// server, kept in the outbox because no SMTP server is configured, failed
// for good after the last attempt.
const (
	MailPending MailState = "pending"
	MailSent    MailState = "sent"
	MailKept    MailState = "kept"
	MailFailed  MailState = "failed"
)

// CanReadOutbox says who reads the mails the portal sent or kept and their
// delivery state: administrators.
func CanReadOutbox(u *User) bool { return u != nil && u.Role == RoleAdmin }
