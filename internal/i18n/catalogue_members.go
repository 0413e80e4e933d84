package i18n

// membersMessages holds the texts of campaign membership: the appraisal
// team, its assignments, conflicts of interest and recusals.
var membersMessages = map[string]message{
	"member.user.invalid": {"Chọn một tài khoản đang hoạt động.", "Choose an active account."},
	"member.not_found":    {"Không tìm thấy thành viên này trong tổ.", "This member is not on the team."},

	"audit.action.campaign_member.add":    {"Thêm thành viên tổ thẩm định/hội đồng", "Team member added"},
	"audit.action.campaign_member.remove": {"Rút thành viên khỏi tổ thẩm định/hội đồng", "Team member removed"},
	"audit.says.campaign_member.add":      {"%s đã thêm thành viên vào tổ của phong trào %s", "%s added a member to the team of the campaign %s"},
	"audit.says.campaign_member.remove":   {"%s đã rút một thành viên khỏi tổ của phong trào %s", "%s removed a member from the team of the campaign %s"},
}
