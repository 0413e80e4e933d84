package server

import (
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"thidua/internal/domain"
	"thidua/web"
)

// routes wires every URL. Middleware order: request ID, then the access log
// (so it sees the final status), panic recovery, headers, input checks,
// cross-origin protection, sessions and the signed-in user.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.assignRequestID, s.logRequests, s.recoverPanics, s.securityHeaders, s.checkInput,
		s.cop.Handler, s.loadSession, s.loadUser)
	r.Use(middleware.GetHead) // HEAD wherever GET is: uptime probes use it
	r.NotFound(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return domain.Errorf(domain.ENOTFOUND, "error.not_found")
	}))
	r.MethodNotAllowed(s.methodNotAllowed)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	static, _ := fs.Sub(web.Static, "static")
	r.Get("/static/*", http.StripPrefix("/static/", staticFiles(static)).ServeHTTP)

	r.Get("/", s.handle(s.publicHome))
	r.Get("/login", s.handle(s.loginForm))
	r.Post("/login", s.handle(s.login))
	r.Post("/logout", s.handle(s.logout))
	r.Post("/locale", s.handle(s.setLocale))
	r.Route("/public/campaigns/{campaignID}", func(r chi.Router) {
		r.Use(s.loadCampaign, s.visible(domain.CanSeePublicCampaign))
		r.Get("/", s.handle(s.publicCampaign))
		r.Get("/attachments/{key}", s.handle(s.downloadAttachment(true)))
		r.Get("/results", s.handle(s.publicResults))
	})
	// Public notice: anyone reads a posted list and objects, without signing in.
	r.Get("/public/notices/{noticeID}", s.handle(s.publicNotice))
	r.Post("/public/notices/{noticeID}/objections", s.handle(s.sendObjection))
	// Published award decisions: anyone reads a signed one (drafts 404).
	r.Get("/public/decisions/{decisionID}", s.handle(s.publicDecision))
	r.Get("/public/decisions/{decisionID}.pdf", s.handle(s.publicDecisionPDF))
	// A mail's unsubscribe link: no sign-in, the signed token is the
	// credential (unsubscribe.go; exempt from the cross-origin check).
	r.Get("/unsubscribe/{token}", s.handle(s.unsubscribePage))
	r.Post("/unsubscribe/{token}", s.handle(s.unsubscribe))

	r.Group(func(r chi.Router) {
		r.Use(s.requireUser)
		r.Get("/home", s.handle(s.dashboard))
		r.Get("/account", s.handle(s.account))
		r.Post("/account/password", s.handle(s.changePassword))
		r.Post("/account/sessions/end", s.handle(s.endOwnSessions))
		// The inbox (notifications.go): only ever the signed-in user's own.
		r.Get("/notifications", s.handle(s.inbox))
		r.Post("/notifications/read", s.handle(s.readAllNotifications))
		r.Get("/notifications/{notificationID}", s.handle(s.openNotification))
		r.Post("/notifications/{notificationID}/read", s.handle(s.readNotification))
		r.Get("/account/notifications", s.handle(s.notificationPrefsPage))
		r.Post("/account/notifications", s.handle(s.saveNotificationPrefs))

		r.Get("/units", s.handle(s.listUnits))
		r.Get("/units/{unitID}", s.handle(s.showUnit))
		r.Get("/units/export.csv", s.handle(s.exportUnits("csv")))
		r.Get("/units/export.xlsx", s.handle(s.exportUnits("xlsx")))
		r.Get("/people", s.handle(s.listPeople))
		r.Get("/people/{personID}", s.handle(s.showPerson))
		// The achievement history and pending flags (achievements.go, flags.go).
		r.Get("/units/{unitID}/achievements", s.handle(s.unitAchievements))
		r.Get("/people/{personID}/achievements", s.handle(s.personAchievements))

		// Every campaign-scoped route: one loader for the campaign and the
		// user's memberships of it (and the form a route names), then a
		// policy per group (domain/policy.go). The loader is inline, run
		// once the route is matched, so it knows the route's parameters.
		r.Route("/campaigns/{campaignID}", func(r chi.Router) {
			r = r.With(s.loadCampaign)
			r.Group(func(r chi.Router) {
				// Rankings: staff, leaders and the campaign's council read them.
				r.Use(s.allow(domain.CanReadRanking))
				r.Get("/ranking", s.handle(s.ranking))
				r.Get("/ranking/{assessmentID}", s.handle(s.rankingDetail))
				r.Get("/ranking.csv", s.handle(s.exportRanking("csv")))
				r.Get("/ranking.xlsx", s.handle(s.exportRanking("xlsx")))
				r.Get("/ranking-criteria.csv", s.handle(s.exportRankingDetail))
			})

			r.Group(func(r chi.Router) {
				// Registration and self-assessment: staff, and focal points for
				// their own unit (checked object by object in the handlers) in
				// the campaigns they may see.
				r.Use(s.allow(domain.CanDoUnitWork), s.visible(domain.CanSeeCampaign))
				r.Get("/registrations", s.handle(s.registrations))
				r.With(s.allow(domain.CanRegister)).Post("/registrations", s.handle(s.saveRegistration))
				r.Post("/registrations/{registrationID}/withdraw", s.handle(s.withdrawRegistration))
				r.Get("/assessments", s.handle(s.assessments))
				r.With(s.allow(domain.CanRegister)).Post("/assessments", s.handle(s.startAssessment))
				r.Get("/assessments/{assessmentID}", s.handle(s.showAssessment))
				r.Post("/assessments/{assessmentID}", s.handle(s.saveAssessment))
				r.Post("/assessments/{assessmentID}/submit", s.handle(s.submitAssessment))
				r.Get("/assessments/{assessmentID}/receipt", s.handle(s.receipt))
				r.Get("/assessments/{assessmentID}/history", s.handle(s.assessmentHistory))
				r.Get("/assessments/{assessmentID}/criteria/{criterionID}/evidence", s.handle(s.evidencePage))
				r.Post("/assessments/{assessmentID}/criteria/{criterionID}/evidence", s.handle(s.uploadEvidence))
				r.Post("/assessments/{assessmentID}/criteria/{criterionID}/evidence/reuse", s.handle(s.reuseEvidence))
				r.Post("/assessments/{assessmentID}/criteria/{criterionID}/evidence/remove", s.handle(s.removeEvidence))
			})

			r.Group(func(r chi.Router) {
				// Nominations of individuals: staff (every unit's) and focal
				// points (their own unit's, checked nomination by nomination;
				// another unit's answers 404) in the campaigns they may see.
				r.Use(s.allow(domain.CanListNominations), s.visible(domain.CanSeeCampaign))
				r.Get("/nominations", s.handle(s.nominations))
				r.With(s.allow(domain.CanNominate)).Post("/nominations", s.handle(s.createNomination))
				r.Get("/nominations/{nominationID}", s.handle(s.nominationPage))
				r.Post("/nominations/{nominationID}", s.handle(s.saveNomination(false)))
				r.Post("/nominations/{nominationID}/submit", s.handle(s.saveNomination(true)))
			})
			r.Group(func(r chi.Router) {
				// Staff receive a nomination or return it with a reason.
				r.Use(s.allow(domain.CanReceiveNomination), s.visible(domain.CanSeeCampaign))
				r.Post("/nominations/{nominationID}/receive", s.handle(s.receiveNomination))
				r.Post("/nominations/{nominationID}/return", s.handle(s.returnNomination))
			})

			// The reply stage: the unit's focal point, the form's appraisers
			// (of any role) and staff, checked object by object in the
			// handlers (anyone else gets the form's 404).
			r.Get("/assessments/{assessmentID}/reply", s.handle(s.replyPage))
			r.Post("/assessments/{assessmentID}/reply", s.handle(s.saveReply(false)))
			r.Post("/assessments/{assessmentID}/reply/submit", s.handle(s.saveReply(true)))
			r.Post("/assessments/{assessmentID}/reply/{criterionID}/answer", s.handle(s.answerReply))
			r.Post("/assessments/{assessmentID}/lock", s.handle(s.lockResult))
			r.Post("/assessments/{assessmentID}/reopen", s.handle(s.reopenResult))

			r.Group(func(r chi.Router) {
				r.Use(s.allow(domain.CanManageCampaign))
				r.Get("/", s.handle(s.showCampaign))
				r.Get("/edit", s.handle(s.editCampaign))
				r.Post("/edit", s.handle(s.updateCampaign))
				r.Post("/transition", s.handle(s.transitionCampaign))
				r.Get("/phases", s.handle(s.phasesPage))
				r.Post("/phases", s.handle(s.addPhase))
				r.Get("/phases/{phaseID}", s.handle(s.editPhase))
				r.Post("/phases/{phaseID}", s.handle(s.addPhase))
				r.Get("/awards", s.handle(s.awardsPage))
				r.Post("/awards", s.handle(s.saveAwardPlan))
				r.Post("/awards/rules", s.handle(s.addRule))
				r.Post("/awards/rules/{ruleID}/remove", s.handle(s.removeRule))
				r.Post("/awards/quotas", s.handle(s.saveQuota))
				r.Post("/attachments", s.handle(s.uploadAttachment))
				r.Get("/attachments/{key}", s.handle(s.downloadAttachment(false)))
				r.Get("/criteria", s.handle(s.criteriaPage))
				r.Post("/criteria/sets", s.handle(s.createSet))
				r.Post("/criteria/{setID}/nodes", s.handle(s.saveCriterion))
				r.Get("/criteria/{setID}/nodes/{nodeID}", s.handle(s.editCriterion))
				r.Post("/criteria/{setID}/nodes/{nodeID}", s.handle(s.saveCriterion))
				r.Post("/criteria/{setID}/nodes/{nodeID}/delete", s.handle(s.deleteCriterion))
				r.Post("/criteria/{setID}/template", s.handle(s.replaceTree("template")))
				r.Post("/criteria/{setID}/copy", s.handle(s.replaceTree("copy")))
				r.Post("/criteria/{setID}/import", s.handle(s.replaceTree("import")))
				r.Get("/criteria/{setID}/export.xlsx", s.handle(s.exportTree))
				r.Post("/registrations/decide", s.handle(s.decideRegistrations))
				r.Get("/registrations/all", s.handle(s.registerAllPage))
				r.Post("/registrations/all", s.handle(s.registerAll))
				r.Post("/assessments/{assessmentID}/return", s.handle(s.returnAssessment))
				r.Post("/assessments/{assessmentID}/extend", s.handle(s.extendAssessment))
				r.Get("/assessments.csv", s.handle(s.exportAssessments("csv")))
				r.Get("/assessments.xlsx", s.handle(s.exportAssessments("xlsx")))
				r.Get("/assessments-criteria.csv", s.handle(s.exportAssessmentScores))
				r.Get("/measures", s.handle(s.campaignMeasures))
				r.Post("/phases/{phaseID}/measures", s.handle(s.applyMeasures))
			})

			r.Group(func(r chi.Router) {
				// Results: those who read the ranking read them (a leader
				// only in a campaign they may see); staff propose, leaders
				// approve or return (never their own proposal: checked in
				// the domain's transition).
				// Who may act is decided before whether the campaign is seen.
				r.Use(s.allow(domain.CanReadRanking))
				seen := s.visible(domain.CanSeeCampaign)
				r.With(seen).Get("/results", s.handle(s.results))
				r.With(s.allow(domain.CanProposeResults), seen).Post("/results/{phaseID}/{setID}/propose", s.handle(s.resultsAction("propose")))
				r.With(s.allow(canDecideResults), seen).Post("/results/{phaseID}/{setID}/approve", s.handle(s.resultsAction("approve")))
				r.With(s.allow(canDecideResults), seen).Post("/results/{phaseID}/{setID}/return", s.handle(s.resultsAction("return")))
			})

			r.Group(func(r chi.Router) {
				// Shortlists: staff and leaders read them with every rule's
				// outcome (a leader only in a campaign they may see); staff
				// propose them and add or remove candidates.
				r.Use(s.allow(domain.CanReadShortlist))
				seen := s.visible(domain.CanSeeCampaign)
				r.With(seen).Get("/shortlist", s.handle(s.shortlist))
				edit := s.allow(domain.CanEditShortlist)
				r.With(edit, seen).Post("/shortlist/{phaseID}/{planID}/propose", s.handle(s.proposeShortlist))
				r.With(edit, seen).Post("/shortlist/{phaseID}/{planID}/entries/{entryID}/add", s.handle(s.decideEntry("add")))
				r.With(edit, seen).Post("/shortlist/{phaseID}/{planID}/entries/{entryID}/remove", s.handle(s.decideEntry("remove")))
				r.With(s.allow(domain.CanReturnShortlist), seen).Post("/shortlist/{phaseID}/{planID}/return", s.handle(s.returnShortlist))
			})

			r.Group(func(r chi.Router) {
				// Public notice: staff publish, answer objections and send
				// nominees to the council; leaders and the council read.
				// Who may act is decided before whether the campaign is seen.
				r.Use(s.allow(domain.CanReadNotices))
				seen := s.visible(domain.CanSeeCampaign)
				manage := s.allow(domain.CanManageNotices)
				r.With(seen).Get("/notices", s.handle(s.notices))
				r.With(seen).Get("/notices/{noticeID}/dossier", s.handle(s.dossier))
				r.With(seen).Get("/notices/{noticeID}/dossier.xlsx", s.handle(s.dossierXLSX))
				r.With(manage, seen).Post("/notices/publish", s.handle(s.publishNotice))
				r.With(manage, seen).Post("/notices/{noticeID}/objections/{objectionID}/answer", s.handle(s.answerObjection))
				r.With(manage, seen).Post("/notices/{noticeID}/entries/{entryID}/council", s.handle(s.sendToCouncil))
			})

			r.Group(func(r chi.Router) {
				// Appraisal: staff, who receive the forms and see every one,
				// and the campaign's appraisal team, who see the forms
				// assigned to them; writing needs the form assigned
				// (domain.CanOpenAppraisal, CanReceive, CanAppraise).
				r.Use(s.allow(domain.CanOpenAppraisal))
				r.Get("/appraisal", s.handle(s.appraisalList))
				r.Get("/appraisal/{assessmentID}", s.handle(s.showAppraisal))
				r.Get("/appraisal/{assessmentID}/history", s.handle(s.appraisalHistory))
				r.Post("/appraisal/{assessmentID}", s.handle(s.saveAppraisal))
				r.Post("/appraisal/{assessmentID}/accept-all", s.handle(s.acceptAllAppraisal))
				r.Post("/appraisal/{assessmentID}/complete", s.handle(s.completeAppraisal))
				r.With(s.allow(domain.CanReceive)).Post("/assessments/{assessmentID}/receive", s.handle(s.receiveAssessment))
			})

			// The appraisal team: staff assign the members; an appraiser
			// recuses from a participant assigned to them (their list is
			// /appraisal above).
			r.Group(func(r chi.Router) {
				r.Use(s.allow(domain.CanManageTeam))
				r.Get("/appraisal/team", s.handle(s.appraisalTeam))
				r.Post("/appraisal/team/members", s.handle(s.addTeamMember))
				r.Post("/appraisal/team/members/{memberID}/remove", s.handle(s.removeTeamMember))
				r.Post("/appraisal/team/assign", s.handle(s.assignAppraiser))
			})
			r.Group(func(r chi.Router) {
				r.Use(s.allow(domain.CanSeeAppraisalWork))
				r.Get("/appraisal/{assessmentID}/recuse", s.handle(s.recusePage))
				r.Post("/appraisal/{assessmentID}/recuse", s.handle(s.recuse))
			})
		})

		// The council and its secret ballot (issue 12, part V; councils.go,
		// sessions.go, ballot.go). Staff manage; leaders and a council's
		// members read it (councilGate: anyone else 403); staff or the
		// session's secretary run a session; only a voting member present
		// on the roster votes, only the secretary enters written ballots.
		r.Route("/councils", func(r chi.Router) {
			r.Get("/", s.handle(s.councilsPage))
			staff := s.requireRole(domain.RoleStaff)
			r.With(staff).Post("/", s.handle(s.createCouncil))
			r.With(staff).Post("/rules", s.handle(s.addVoteRule))
			r.With(staff).Post("/rules/{ruleID}/end", s.handle(s.endVoteRule))
			r.Route("/{councilID}", func(r chi.Router) {
				r.Use(s.councilGate)
				r.Get("/", s.handle(s.councilPage))
				r.With(staff).Post("/members", s.handle(s.addCouncilMember))
				r.With(staff).Post("/members/{memberID}/end", s.handle(s.endCouncilMember))
				r.With(staff).Post("/sessions", s.handle(s.createSession))
				r.Get("/sessions/{sessionID}", s.handle(s.sessionPage))
				r.With(staff).Post("/sessions/{sessionID}/nominees", s.handle(s.addNominees))
				r.Post("/sessions/{sessionID}/attendance", s.handle(s.setAttendance))
				r.Post("/sessions/{sessionID}/open", s.handle(s.openSession))
				r.Post("/sessions/{sessionID}/close", s.handle(s.closeSession))
				r.Get("/sessions/{sessionID}/ballot", s.handle(s.ballotPage))
				r.Post("/sessions/{sessionID}/ballot", s.handle(s.castBallot))
				r.Post("/sessions/{sessionID}/written", s.handle(s.enterWrittenBallot))
				r.Get("/sessions/{sessionID}/minutes", s.handle(s.minutesPage))
				r.Get("/sessions/{sessionID}/minutes.pdf", s.handle(s.minutesPDF))
			})
		})

		// Award decisions (decisions.go): staff and leaders read them; staff
		// draft, edit and revoke, a leader who did not draft one signs it.
		r.Route("/decisions", func(r chi.Router) {
			r.Use(s.requireRole(domain.RoleStaff, domain.RoleLeader))
			r.Get("/", s.handle(s.decisions))
			r.Get("/{decisionID}", s.handle(s.showDecision))
			r.Get("/{decisionID}.pdf", s.handle(s.decisionPDF))
			r.Get("/{decisionID}/certificates.pdf", s.handle(s.certificates(false)))
			r.Get("/{decisionID}/certificates/{awardeeID}.pdf", s.handle(s.certificates(true)))
			r.With(s.requireRole(domain.RoleLeader)).Post("/{decisionID}/sign", s.handle(s.signDecision))
			r.Group(func(r chi.Router) {
				r.Use(s.requireRole(domain.RoleStaff))
				r.Get("/new", s.handle(s.newDecision))
				r.Post("/", s.handle(s.createDecision))
				r.Post("/{decisionID}", s.handle(s.updateDecision))
				r.Post("/{decisionID}/revoke", s.handle(s.revokeDecision))
				r.Get("/issuers", s.handle(s.issuersPage))
				r.Post("/issuers", s.handle(s.saveIssuer(false)))
				r.Post("/issuers/{issuerID}", s.handle(s.saveIssuer(true)))
			})
		})

		// Evidence: staff, the unit's focal point and the appraisers of a
		// form it is attached to, whatever their role (checked in the handler).
		r.Get("/evidence/{key}", s.handle(s.downloadEvidence))

		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(domain.RoleStaff))
			r.Get("/units/new", s.handle(s.newUnitForm))
			r.Post("/units", s.handle(s.createUnit))
			r.Post("/units/{unitID}", s.handle(s.correctUnit))
			r.Post("/units/{unitID}/change", s.handle(s.changeUnit))
			r.Post("/units/{unitID}/dissolve", s.handle(s.dissolveUnit))
			r.Get("/units/reorganize", s.handle(s.reorganizeForm))
			r.Post("/units/reorganize", s.handle(s.reorganize))
			r.Get("/units/import", s.handle(s.importForm("units")))
			r.Post("/units/import", s.handle(s.uploadImport("units")))
			r.Get("/units/template.csv", s.handle(s.importTemplate("units", "csv")))
			r.Get("/units/template.xlsx", s.handle(s.importTemplate("units", "xlsx")))
			r.Get("/people/new", s.handle(s.newPersonForm))
			r.Post("/people", s.handle(s.createPerson))
			r.Post("/people/{personID}/move", s.handle(s.movePerson))
			r.Get("/people/import", s.handle(s.importForm("people")))
			r.Post("/people/import", s.handle(s.uploadImport("people")))
			r.Get("/people/template.csv", s.handle(s.importTemplate("people", "csv")))
			r.Get("/people/template.xlsx", s.handle(s.importTemplate("people", "xlsx")))
			r.Get("/people/export.csv", s.handle(s.exportPeople("csv")))
			r.Get("/people/export.xlsx", s.handle(s.exportPeople("xlsx")))
			r.Get("/campaigns", s.handle(s.listCampaigns))
			r.Get("/campaigns/new", s.handle(s.newCampaign))
			r.Post("/campaigns", s.handle(s.createCampaign))
			r.Get("/measures", s.handle(s.measuresPage))
			r.Get("/measures/import", s.handle(s.importForm("measures")))
			r.Post("/measures/import", s.handle(s.uploadImport("measures")))
			r.Get("/measures/template.csv", s.handle(s.importTemplate("measures", "csv")))
			r.Get("/measures/template.xlsx", s.handle(s.importTemplate("measures", "xlsx")))
			r.Get("/holidays", s.handle(s.holidaysPage))
			r.Post("/holidays", s.handle(s.addHoliday))
			r.Post("/holidays/remove", s.handle(s.removeHoliday))
			r.Get("/imports/{key}", s.handle(s.importJob))
			// Pending flags and past awards (flags.go, achievements.go).
			r.Post("/units/{unitID}/flags", s.handle(s.setUnitFlag))
			r.Post("/units/{unitID}/flags/{flagID}/lift", s.handle(s.liftUnitFlag))
			r.Post("/people/{personID}/flags", s.handle(s.setPersonFlag))
			r.Post("/people/{personID}/flags/{flagID}/lift", s.handle(s.liftPersonFlag))
			r.Get("/awards", s.handle(s.awardRecords))
			r.Get("/awards/import", s.handle(s.importForm("awards")))
			r.Post("/awards/import", s.handle(s.uploadImport("awards")))
			r.Get("/awards/template.csv", s.handle(s.importTemplate("awards", "csv")))
			r.Get("/awards/template.xlsx", s.handle(s.importTemplate("awards", "xlsx")))
			r.Post("/imports/{key}/run", s.handle(s.runImport))
		})

		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(domain.RoleAdmin))
			r.Get("/users", s.handle(s.listUsers))
			r.Post("/users", s.handle(s.createUser))
			r.Get("/users/{userID}", s.handle(s.showUser))
			r.Post("/users/{userID}", s.handle(s.updateUser))
			r.Post("/users/{userID}/disabled", s.handle(s.setUserDisabled))
			r.Post("/users/{userID}/password", s.handle(s.resetPassword))
			r.Post("/users/{userID}/sessions/end", s.handle(s.endUserSessions))
			r.Get("/audit", s.handle(s.auditLog))
			// The notification mails (outbox.go, domain.CanReadOutbox).
			r.Get("/admin/outbox", s.handle(s.outbox))
			r.Get("/admin/outbox/{mailID}", s.handle(s.outboxMail))
		})
	})
	return r
}

// staticFiles serves the embedded assets with a day of caching.
func staticFiles(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path[len(r.URL.Path)-1] == '/' {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
