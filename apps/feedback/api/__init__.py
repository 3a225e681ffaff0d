"""The 好差评 API, one module per audience: the resident rates a case (`resident`); staff
answer rectifications, appeal ratings and (supervisors) decide appeals (`staff`); the SMS
provider posts replies to the inbound webhook (`public`).

Someone else's case is 404; a refusal of the rules is 400 with field-keyed errors; nothing to
rate (or already rated) is 409; staff without the role are 403."""
