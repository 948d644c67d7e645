# The one image for every process: `triage api` (default), `triage worker`, `triage migrate`, `triage keys ...`.
# The project is installed from its wheel (not from the source tree), as a non-root user.

# Build stage: the wheel, from the source tree.
FROM python:3.11-slim AS wheel
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Dependencies first, in a layer of their own that is reused while pyproject.toml and constraints.txt are
# unchanged; constraints.txt is the one place where versions are pinned.
COPY pyproject.toml constraints.txt /tmp/build/
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/build/pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/build/requirements.txt \
    && pip install --no-cache-dir -c /tmp/build/constraints.txt -r /tmp/build/requirements.txt

# The project itself: the wheel, not editable; migrations and Procrastinate's schema are package data.
COPY --from=wheel /wheels /tmp/wheels
RUN pip install --no-cache-dir --no-deps -c /tmp/build/constraints.txt /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels /tmp/build \
    && useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin triage

USER 10001
WORKDIR /tmp
EXPOSE 8000

# The API answers /readyz; a worker (TRIAGE_WORKER_READY_FILE set) is healthy while its ready file exists.
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 CMD ["triage", "healthcheck"]

ENTRYPOINT ["triage"]
CMD ["api", "--host", "0.0.0.0", "--port", "8000"]
