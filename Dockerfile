# One image for every Changeledger process: the API (default), `changeledger init-db`, and
# the Celery worker and beat (see docker-compose.yml for their commands).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies resolve from pyproject.toml; psycopg's binary wheel needs no system libraries.
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY infra ./infra
COPY projections ./projections
COPY services ./services
RUN pip install . \
    && useradd --system --create-home --home-dir /home/changeledger --uid 10001 changeledger

USER changeledger
# Only used by the embedded SQLite mode; with PostgreSQL nothing is written here.
ENV CHANGELEDGER_DATA_DIR=/home/changeledger/var

EXPOSE 8000
CMD ["changeledger", "serve", "--host", "0.0.0.0"]
