"""An agent using the typed client: submit an intake, get its outcome in the same call, read the history.

    pip install ./client        # or use the repository's .venv
    TRIAGE_API_KEY=tq_test_... python examples/agent_client.py

`make run` prints a development key; TRIAGE_URL defaults to http://127.0.0.1:8000.
"""

import os

from triage_client import Intake, TriageClient

client = TriageClient(os.environ.get("TRIAGE_URL", "http://127.0.0.1:8000"), os.environ["TRIAGE_API_KEY"])
intake = {
    "patient_id": "P-example-1",
    "age": 71,
    "symptoms": ["crushing chest pain", "sweating"],
    "urgency": "high",
    "vitals": {"heart_rate": 118, "systolic_bp": 92, "respiratory_rate": 24, "spo2": 93},
}
# Waits up to 25 s for the outcome; an Idempotency-Key is sent, and reused if the call is retried.
result = client.submit(intake, wait=25)
if not isinstance(result, Intake) or not result.finished:
    result = client.wait(result.intake_id, seconds=60)
print(f"intake {result.intake_id}: {result.status}")
if result.outcome is not None:
    outcome = result.outcome
    print(f"ESI {outcome.acuity}, disposition {outcome.disposition}")
    print(f"review required: {outcome.assessment.review_required}")
    for line in outcome.assessment.rationale[:5]:
        print("  " + line)
print("history:", [str(past.intake_id) for past in client.history("P-example-1")])
client.close()
