"""`GET /v1/intakes/{id}/fhir`: an intake, its outcome and its reviews as a FHIR R4 Bundle."""
