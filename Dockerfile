# The one image for every process: `triage api` (default), `triage worker`, `triage migrate`, `triage keys ...`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in a layer of their own that is reused while pyproject.toml and constraints.txt
# are unchanged.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project, installed in place (editable): migration 0001 reads procrastinate_schema.sql from the
# repository root (two levels above store/migrations/), so the source tree keeps its layout in /app.
COPY . .
RUN pip install --no-cache-dir --no-deps -c constraints.txt -e . \
    && useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin triage

USER triage
EXPOSE 8000

ENTRYPOINT ["triage"]
CMD ["api", "--host", "0.0.0.0", "--port", "8000"]
