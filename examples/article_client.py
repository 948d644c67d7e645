"""The sample client of the FastAPI + PostgreSQL intake tutorial, pointed at this service.

The one change: every route now needs an API key (`make run` prints a development key).

    TRIAGE_API_KEY=tq_test_... python examples/article_client.py
"""

import os

import httpx

BASE_URL = os.environ.get("TRIAGE_URL", "http://127.0.0.1:8000")
headers = {"Authorization": f"Bearer {os.environ['TRIAGE_API_KEY']}"}

payload = {"patient_id": "P12345", "age": 42, "symptoms": ["fever", "cough"], "urgency": "high"}

r = httpx.post(f"{BASE_URL}/intake/store", json=payload, headers=headers)
print(r.status_code)
print(r.json())

r2 = httpx.get(f"{BASE_URL}/intake/P12345", headers=headers)
print(r2.json())
