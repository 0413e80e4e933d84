package paths

// Notices is a campaign's public notices page (staff and leaders).
func Notices(campaignID int64) string { return Campaign(campaignID) + "/notices" }

// NoticePublish is where staff post a shortlist for public notice.
func NoticePublish(campaignID int64) string { return Notices(campaignID) + "/publish" }

// Notice is one notice on the staff page.
func Notice(campaignID, noticeID int64) string { return Notices(campaignID) + "/" + id(noticeID) }

// NoticeSection is the notices page at one notice's section.
func NoticeSection(campaignID, noticeID int64) string {
	return Notices(campaignID) + Fragment("notice-"+id(noticeID))
}

// ObjectionAnswer is where staff answer an objection.
func ObjectionAnswer(campaignID, noticeID, objectionID int64) string {
	return Notice(campaignID, noticeID) + "/objections/" + id(objectionID) + "/answer"
}

// CouncilSend is where staff send a nominee of a notice to the council.
func CouncilSend(campaignID, noticeID, entryID int64) string {
	return Notice(campaignID, noticeID) + "/entries/" + id(entryID) + "/council"
}

// Dossier is the council's dossier of a notice: the proposal and the list,
// printable.
func Dossier(campaignID, noticeID int64) string { return Notice(campaignID, noticeID) + "/dossier" }

// DossierXLSX is the dossier's list as a spreadsheet.
func DossierXLSX(campaignID, noticeID int64) string { return Dossier(campaignID, noticeID) + ".xlsx" }

// PublicNotice is a notice as anyone reads it, with the objection form.
func PublicNotice(noticeID int64) string { return "/public/notices/" + id(noticeID) }

// PublicObjections is where anyone sends an objection to a notice.
func PublicObjections(noticeID int64) string { return PublicNotice(noticeID) + "/objections" }
