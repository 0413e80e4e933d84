package server

import "strconv"

// campaignPath is a campaign's staff page, or one of its sub-pages.
func campaignPath(id int64, sub string) string {
	return "/campaigns/" + strconv.FormatInt(id, 10) + sub
}

// assessmentPath is the address of one self-assessment form.
func assessmentPath(campaignID, id int64) string {
	return campaignPath(campaignID, "/assessments/"+strconv.FormatInt(id, 10))
}
