"""Names of the LTI 1.3 claims Parcours reads or writes."""

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
RESOURCE_LINK = LTI + "resource_link"
CUSTOM = LTI + "custom"
DEPLOYMENT_ID = LTI + "deployment_id"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
#: Custom parameters set by the deep-linking response: the session and the activity.
RUN_PARAM = "parcours_run"
ACTIVITY_PARAM = "parcours_activity"
